"""Two OS processes share one access_token through DynamoTokenStore on a moto server over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.wechat_api import FakeWechatApi

ROOT = Path(__file__).resolve().parents[3]
ACCOUNTS = """
[[wechat]]
account = "demo-oa"
shop = "shop-a"
kind = "oa"
app_id = "wxSHARED"
app_secret = "shared-secret"
token = "t"
"""
WORKER = r"""
import json, sys, time
from datetime import UTC, datetime
import boto3
from chalicelib.accounts import parse_accounts
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.registry import SenderContext
from chalicelib.channels.wechat.send import WechatSender
from chalicelib.domain import CustomerRef, OutboundKind, OutboundMessage
from chalicelib.settings import Settings
from chalicelib.store.tokens import DynamoTokenStore

endpoint, table, api, accounts, name, count, start_at = sys.argv[1:8]
db = boto3.session.Session(region_name="us-east-1").client("dynamodb", endpoint_url=endpoint)
ctx = SenderContext(http=HttpClient(), accounts=parse_accounts(accounts), tokens=DynamoTokenStore(db, table),
                    settings=Settings(wechat_api=api))
sender = WechatSender(ctx)
customer = CustomerRef(channel="wechat", account="demo-oa", user="oShared")
while time.time() < float(start_at):
    time.sleep(0.005)
vias = []
for n in range(int(count)):
    m = OutboundMessage(outbound_id=f"{name}-{n}", case_id="AS1", shop="shop-a", channel="wechat", account="demo-oa",
                        customer=customer, kind=OutboundKind.PROGRESS, text="处理中", created_at=datetime.now(UTC))
    vias.append(sender.send(m, None)["via"])
print(json.dumps(vias))
"""


@pytest.fixture
def wechat_api() -> Iterator[FakeWechatApi]:
    with FakeWechatApi({"wxSHARED": "shared-secret"}) as api:
        yield api


def run_together(moto_endpoint: str, table: str, api: FakeWechatApi, names: list[str], count: int) -> list[list[str]]:
    start_at = str(time.time() + 1.5)  # both processes are imported and waiting before the first send
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, moto_endpoint, table, api.url, ACCOUNTS, name, str(count), start_at],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        outs.append(json.loads(out))
    return outs


def test_two_processes_share_one_token_and_one_refresh(
    moto_endpoint: str, stack: dict[str, Any], wechat_api: FakeWechatApi
) -> None:
    table = stack["SHOUHOU_TABLE_NAME"]
    # GIVEN one process fetched and stored the token
    run_together(moto_endpoint, table, wechat_api, ["a"], 5)
    assert wechat_api.token_calls == 1
    # WHEN two other processes send 25 messages each at the same moment
    outs = run_together(moto_endpoint, table, wechat_api, ["b", "c"], 25)
    # THEN they both used the stored token: no new fetch
    assert [len(o) for o in outs] == [25, 25]
    assert wechat_api.token_calls == 1
    assert len(wechat_api.delivered()) == 55
    # WHEN the token is revoked and both processes hit 40001 at the same moment
    wechat_api.revoke_tokens()
    run_together(moto_endpoint, table, wechat_api, ["d", "e"], 10)
    # THEN exactly one new token exists, nobody force-refreshed (which would invalidate the other's), all delivered
    assert wechat_api.state.issued == 2
    assert not [r for r in wechat_api.calls("/cgi-bin/stable_token") if r.body["force_refresh"]]
    assert len(wechat_api.delivered()) == 75
    assert wechat_api.token_calls <= 3  # one each after the revocation at most
