"""微信客服 through the outbound worker: 5 messages in the 48 h after the customer's last one, then SMS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.channels.wechat.kf_sync import route_key
from chalicelib.domain import Case, CustomerRef, OutboundKind, OutboundMessage
from tests.conftest import TOKEN_A
from tests.servers.sms_api import FakeSmsApi
from tests.servers.wechat_api import KF_SEND, FakeWechatApi

ACCOUNTS = f"""
[[api_token]]
token = "{TOKEN_A}"
shop = "shop-a"

[[wechat]]
account = "kf"
shop = "shop-a"
kind = "wecom"
app_id = "wwFALL"
app_secret = "kf-secret"
token = "tok"
aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

[[sms]]
account = "ali"
shop = "shop-a"
provider = "aliyun"
access_key_id = "LTAIkey"
access_key_secret = "aliyun-secret"
sign_name = "某某旗舰店"
[sms.templates.progress]
code = "SMS_100"
params = {{ status = "status_label" }}
"""


@pytest.fixture
def wecom() -> Iterator[FakeWechatApi]:
    with FakeWechatApi({"wwFALL": "kf-secret"}) as api:
        yield api


@pytest.fixture
def sms() -> Iterator[FakeSmsApi]:
    with FakeSmsApi({"LTAIkey": "aliyun-secret"}) as api:
        yield api


@pytest.fixture
def app_deps(deps_for: Any, wecom: FakeWechatApi, sms: FakeSmsApi) -> Any:
    return deps_for(ACCOUNTS, wecom_api=wecom.url, sms_api_aliyun=sms.url)


def seed_case(deps: Any, user: str, *, last_message_ago: timedelta) -> Case:
    now = datetime.now(UTC)
    case = Case(case_id=f"KF{user}", shop="shop-a", customer=CustomerRef(channel="wecom_kf", account="kf", user=user),
                channel="wecom_kf", account="kf", phone="13800000000", created_at=now - last_message_ago,
                updated_at=now, last_customer_message_at=now - last_message_ago)
    deps.repo.create_case(case)
    deps.tokens.put(route_key("kf", user), {"open_kfid": "wkSHOP"})  # the worker notes this when it pulls
    return case


def progress(case: Case, n: int) -> OutboundMessage:
    return OutboundMessage(outbound_id=f"{case.case_id}:p{n}", case_id=case.case_id, shop="shop-a", channel="wecom_kf",
                           account="kf", customer=case.customer, kind=OutboundKind.PROGRESS, text="处理中",
                           status_label="处理中", created_at=datetime.now(UTC))


def deliveries(client: Any, case_id: str) -> list[dict[str, Any]]:
    timeline = client.http.get(f"/api/cases/{case_id}", headers={"authorization": f"Bearer {TOKEN_A}"}).json_body["timeline"]
    return sorted((e["data"] for e in timeline if e["type"] == "outbound.sent"), key=lambda d: d["outbound_id"])


def test_the_sixth_message_within_48h_goes_by_sms(client: Any, app_deps: Any, pumps: Any, wecom: FakeWechatApi,
                                                   sms: FakeSmsApi) -> None:
    case = seed_case(app_deps, "wmSix", last_message_ago=timedelta(hours=1))
    for n in range(1, 7):
        app_deps.outbound.send(progress(case, n))
        pumps.drain()
    d = deliveries(client, case.case_id)
    assert [x.get("fallback") for x in d] == [None] * 5 + ["sms"]
    assert "quota_5_used" in d[5]["reason"]
    assert len(wecom.delivered(KF_SEND)) == 5 and [s.phone for s in sms.sent] == ["13800000000"]


def test_after_48h_the_message_goes_by_sms(client: Any, app_deps: Any, pumps: Any, wecom: FakeWechatApi,
                                            sms: FakeSmsApi) -> None:
    case = seed_case(app_deps, "wmLate", last_message_ago=timedelta(hours=49))
    app_deps.outbound.send(progress(case, 1))
    pumps.drain()
    (d,) = deliveries(client, case.case_id)
    assert (d["fallback"], "window_48h_expired" in d["reason"]) == ("sms", True)
    assert wecom.delivered(KF_SEND) == [] and len(sms.sent) == 1
