"""Issue 3: outside the customer-service quota or window the update goes to the template path, reason on the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.domain import Case, CustomerRef, OutboundKind, OutboundMessage
from tests.conftest import REGION, TOKEN_A
from tests.servers.wechat_api import FakeWechatApi

KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNTS = f"""
[[api_token]]
token = "{TOKEN_A}"
shop = "shop-a"

[[wechat]]
account = "oa"
shop = "shop-a"
kind = "oa"
app_id = "wxWIN"
app_secret = "s3cret"
token = "tok"
aes_key = "{KEY}"
templates = {{ progress = "TPL-PROGRESS" }}
"""


@pytest.fixture
def wechat() -> Any:
    with FakeWechatApi({"wxWIN": "s3cret"}) as api:
        yield api


@pytest.fixture
def app_deps(moto_endpoint: str, settings_for: Any, wechat: FakeWechatApi) -> Any:
    import app as app_module
    from chalicelib.bootstrap import bootstrap

    deps = bootstrap(settings_for(ACCOUNTS, wechat_api=wechat.url), endpoint_url=moto_endpoint,
                     session=boto3.session.Session(region_name=REGION))
    app_module.use(deps)
    return deps


def seed_case(deps: Any, *, last_message_ago: timedelta, sent: int) -> Case:
    now = datetime.now(UTC)
    case = Case(case_id=f"W{sent}{int(last_message_ago.total_seconds())}", shop="shop-a",
                customer=CustomerRef(channel="wechat", account="oa", user="oUser"), channel="wechat", account="oa",
                created_at=now - last_message_ago, updated_at=now, last_customer_message_at=now - last_message_ago,
                flags={"cs_sent_since_customer": sent})
    deps.repo.create_case(case)
    return case


def progress(case: Case, n: int) -> OutboundMessage:
    return OutboundMessage(outbound_id=f"{case.case_id}:p{n}", case_id=case.case_id, shop="shop-a", channel="wechat",
                           account="oa", customer=case.customer, kind=OutboundKind.PROGRESS, text="处理中",
                           status_label="处理中", created_at=datetime.now(UTC))


def deliveries(client: Any, case_id: str) -> list[dict]:
    timeline = client.http.get(f"/api/cases/{case_id}", headers={"authorization": f"Bearer {TOKEN_A}"}).json_body["timeline"]
    return [e["data"] for e in timeline if e["type"] == "outbound.sent"]


@pytest.mark.parametrize("ago,sent,via,reason", [
    (timedelta(hours=1), 4, "wechat.custom", "window_open"),  # the 5th message inside 48 h
    (timedelta(hours=1), 5, "wechat.template", "quota_5_used"),  # the 6th
    (timedelta(hours=49), 0, "wechat.template", "window_48h_expired"),
])
def test_window_and_quota_decide_the_path_and_the_reason_is_on_the_timeline(
        client, app_deps, pumps, wechat, ago, sent, via, reason):
    case = seed_case(app_deps, last_message_ago=ago, sent=sent)
    app_deps.outbound.send(progress(case, 1))
    pumps.drain()
    (d,) = deliveries(client, case.case_id)
    assert (d["via"], d["reason"]) == (via, reason)
    path = "/cgi-bin/message/custom/send" if via == "wechat.custom" else "/cgi-bin/message/template/send"
    assert len(wechat.delivered(path)) == 1
