"""The whole system on one machine: moto server, infra, the Chalice app over HTTP, queue pumps, schedule firer.

Everything runs in this one process (threads), so the pumps call the very `app` object that serves HTTP,
and one Ctrl-C stops it all. State lives in moto's memory and is gone on exit.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from .callbacks import API_PATHS, CallbackSink
from .firer import ScheduleFirer
from .pump import SqsPump
from .resources import DUMMY_CREDENTIALS, create_resources

log = logging.getLogger("shouhou-local")

ROOT = Path(__file__).resolve().parents[2]
DEMO_ACCOUNTS = ROOT / "local" / "accounts.demo.toml"
DEMO_CALLBACK_BASE = "http://127.0.0.1:8001"
STAGE = "local"


@dataclass
class StackOptions:
    """Where the stack listens; port 0 picks a free port."""

    host: str = "127.0.0.1"
    port: int = 8000
    callback_port: int = 8001
    region: str = "us-east-1"
    retry_after_s: int = 5


@dataclass
class LocalStack:
    """Start with `start()`, stop with `stop()`; `env` holds what was exported for the app."""

    options: StackOptions
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _moto: Any = None
    _http: Any = None
    _sink: CallbackSink | None = None
    pumps: list[SqsPump] = field(default_factory=list)
    firer: ScheduleFirer | None = None

    def start(self) -> LocalStack:
        """Bring everything up; raises OSError if the API port is taken."""
        from moto.server import ThreadedMotoServer

        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._moto.start()
        host, port = self._moto.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        self._export_aws(endpoint)
        self._export(create_resources(endpoint, self.options.region))
        self._start_sink()
        app = self._import_app()
        self._bind(app)
        self._start_workers(app, endpoint)
        self._spawn("http", self._http.server.serve_forever)  # last: /health answers once everything runs
        return self

    def stop(self) -> None:
        """Stop serving, let the pumps finish their batch, stop moto."""
        self._stop.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server.server_close()
        for t in self._threads:
            t.join(timeout=10)
        if self._sink is not None:
            self._sink.stop()
        if self._moto is not None:
            self._moto.stop()

    @property
    def callback_url(self) -> str:
        return self._sink.url if self._sink else ""

    # --- steps -------------------------------------------------------------------------------------

    def _export(self, values: dict[str, str]) -> None:
        self.env.update(values)
        os.environ.update(values)

    def _export_aws(self, endpoint: str) -> None:
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"):
            os.environ.pop(var, None)
        self._export({
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": self.options.region,
            "AWS_REGION": self.options.region,
        })

    def _start_sink(self) -> None:
        try:
            self._sink = CallbackSink(port=self.options.callback_port).start()
        except OSError as exc:
            log.warning("callback sink not started (port %s: %s); callbacks will fail", self.options.callback_port, exc)
            return
        for var, path in API_PATHS.items():
            if var not in os.environ:
                self._export({var: self._sink.url + path})

    def _accounts_file(self) -> str:
        given = os.environ.get("SHOUHOU_ACCOUNTS_FILE")
        if given:
            return given
        text = DEMO_ACCOUNTS.read_text(encoding="utf-8")
        if self._sink is None or self._sink.url == DEMO_CALLBACK_BASE:
            return str(DEMO_ACCOUNTS)
        # The demo callbacks point at the sink's default port; follow the sink to wherever it listens.
        fd, path = tempfile.mkstemp(prefix="shouhou-accounts-", suffix=".toml")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text.replace(DEMO_CALLBACK_BASE, self._sink.url))
        return path

    def _import_app(self) -> Any:
        config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
        stage_env = config.get("stages", {}).get(STAGE, {}).get("environment_variables", {})
        self._export({k: v for k, v in stage_env.items() if k not in os.environ})
        self._export({"SHOUHOU_ACCOUNTS_FILE": self._accounts_file()})
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        return importlib.import_module("app").app

    def _bind(self, app: Any) -> None:
        from chalice.config import Config
        from chalice.local import create_local_server

        config = Config(
            chalice_stage=STAGE,
            config_from_disk=json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8")),
            default_params={"project_dir": str(ROOT)},
            user_provided_params={"chalice_app": app},
        )
        # Bind first (so the real port is known), then point PUBLIC_URL at it before any request is served.
        self._http = create_local_server(app, config, self.options.host, self.options.port)
        port = self._http.server.server_address[1]
        self.url = f"http://{self.options.host}:{port}"
        if "SHOUHOU_PUBLIC_URL" not in os.environ:
            self._export({"SHOUHOU_PUBLIC_URL": self.url})

    def _start_workers(self, app: Any, endpoint: str) -> None:
        from chalice.local import LambdaContext

        session = boto3.session.Session(region_name=self.options.region, **DUMMY_CREDENTIALS)
        sqs = session.client("sqs", endpoint_url=endpoint)
        handlers = app.handler_map

        def context(name: str) -> Any:
            return lambda: LambdaContext(f"shouhou-{STAGE}-{name}", 1024, 60_000)

        for name, queue_var in (("on_inbound", "SHOUHOU_INBOUND_QUEUE_URL"), ("on_outbound", "SHOUHOU_OUTBOUND_QUEUE_URL")):
            if name not in handlers:
                log.error("app has no %s handler; %s is not pumped", name, queue_var)
                continue
            pump = SqsPump(sqs, self.env[queue_var], handlers[name], context(name), region=self.options.region,
                           name=name, retry_after_s=self.options.retry_after_s)
            self.pumps.append(pump)
            self._spawn(name, lambda p=pump: p.run(self._stop))

        functions = {}
        if "sla_check" in handlers:
            sla = handlers["sla_check"]
            functions[self.env["SHOUHOU_SLA_TARGET_ARN"]] = lambda payload: sla(payload, context("sla_check")())
        self.firer = ScheduleFirer(session.client("scheduler", endpoint_url=endpoint), sqs,
                                   self.env["SHOUHOU_SCHEDULER_GROUP"], functions)
        self._spawn("schedule-firer", lambda: self.firer.run(self._stop))  # type: ignore[union-attr]

    def _spawn(self, name: str, target: Any) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
