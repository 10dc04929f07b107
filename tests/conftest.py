"""Shared fixtures: an in-process moto server over HTTP, a fresh stack per test, the real Chalice app."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.servers.recorder import Recorder

ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
for _var in [v for v in os.environ if v.startswith("AWS_ENDPOINT_URL")]:
    os.environ.pop(_var)  # tests pass endpoints explicitly; a stray one would bypass moto
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """One moto server for the session; each test gets its own prefixed stack in it."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.session.Session(region_name=REGION).client("sts", endpoint_url=endpoint).get_caller_identity()  # fail fast
    yield endpoint
    server.stop()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A real HTTP server on 127.0.0.1 that records requests and answers with scripted statuses."""
    with Recorder() as rec:
        yield rec


WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"shouhou-test-secret-0123456789").decode()
TOKEN_A = "tok-shop-a-0123456789abcdef"
TOKEN_B = "tok-shop-b-0123456789abcdef"


def accounts_toml(callback_url: str | None) -> str:
    cb = f'callback_url = "{callback_url}/hook"' if callback_url else ""
    return f'''
[[api_token]]
token = "{TOKEN_A}"
shop = "shop-a"
agent = "alice"

[[api_token]]
token = "{TOKEN_B}"
shop = "shop-b"
agent = "bob"

[[webhook]]
account = "erp"
shop = "shop-a"
secret = "{WEBHOOK_SECRET}"
{cb}

[[webhook]]
account = "erp-b"
shop = "shop-b"
secret = "{WEBHOOK_SECRET}"
'''


@pytest.fixture
def stack(moto_endpoint: str) -> dict[str, str]:
    """A fresh, isolated set of resources (table, queues, DLQs, schedule group) in the moto server."""
    from chalicelib.local.resources import create_resources

    return create_resources(moto_endpoint, REGION, prefix=f"t{uuid.uuid4().hex[:8]}-")


@pytest.fixture
def settings_for(stack: dict[str, str], tmp_path: Path) -> Any:
    from chalicelib.settings import Settings

    def build(accounts: str, **extra: Any) -> Settings:
        path = tmp_path / "accounts.toml"
        path.write_text(accounts, encoding="utf-8")
        values = {k.removeprefix("SHOUHOU_").lower(): v for k, v in stack.items()
                  if k.removeprefix("SHOUHOU_").lower() in Settings.model_fields}
        return Settings(**values, accounts_file=str(path), outbound_backoff_s=0, **extra)

    return build


@pytest.fixture
def deps_for(moto_endpoint: str, settings_for: Any) -> Any:
    """`deps_for(accounts, **settings)`: the real app wired to the test stack with these accounts, and in use.

    A test module that needs other accounts overrides `app_deps` with `return deps_for(ACCOUNTS)`.
    """
    import app as app_module
    from chalicelib.bootstrap import bootstrap

    def build(accounts: str, **extra: Any) -> Any:
        deps = bootstrap(settings_for(accounts, **extra), endpoint_url=moto_endpoint,
                         session=boto3.session.Session(region_name=REGION))
        app_module.use(deps)
        return deps

    return build


@pytest.fixture
def app_deps(deps_for: Any, recorder: Recorder) -> Any:
    """The real app wired to the test stack; the webhook account's callback is the recorder."""
    return deps_for(accounts_toml(recorder.url))


@pytest.fixture
def client(app_deps: Any) -> Iterator[Any]:
    from chalice.test import Client

    import app as app_module

    with Client(app_module.app, stage_name="local", project_dir=str(ROOT)) as c:
        yield c


@dataclass
class Pumps:
    """Drive the queues the way Lambda's event source mappings would, synchronously."""

    inbound: Any
    outbound: Any

    def drain(self, rounds: int = 10) -> None:
        for _ in range(rounds):
            if not (self.inbound.tick() + self.outbound.tick()):
                return


def pumps_for(deps: Any) -> Pumps:
    """Synchronous pumps over the inbound and outbound queues of `deps`, into the real app's handlers."""
    import app as app_module
    from chalicelib.local.pump import SqsPump

    sqs = deps.client("sqs")
    s = deps.settings

    def make(url: str, handler: Any, name: str) -> Any:
        return SqsPump(sqs, url, handler, lambda: None, region=REGION, name=name, wait_s=0, retry_after_s=0)

    return Pumps(inbound=make(s.inbound_queue_url, app_module.on_inbound, "inbound"),
                 outbound=make(s.outbound_queue_url, app_module.on_outbound, "outbound"))


@pytest.fixture
def pumps(app_deps: Any) -> Pumps:
    return pumps_for(app_deps)
