"""`POST /sms/{provider}/{account}` through the real Chalice app and moto: path tokens, Twilio signature, 退订."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.channels.sms.twilio import compute_signature

TOKEN = "p4th-t0ken-0123456789abcdefghij"
PUBLIC_URL = "https://api.example.com/sms/twilio/demo-tw"
ACCOUNTS = f"""
[[sms]]
account = "demo-ali"
shop = "shop-a"
provider = "aliyun"
path_token = "{TOKEN}"

[[sms]]
account = "demo-tc"
shop = "shop-a"
provider = "tencent"
path_token = "{TOKEN}"

[[sms]]
account = "demo-tw"
shop = "shop-a"
provider = "twilio"
auth_token = "tw-auth"
public_url = "{PUBLIC_URL}"
"""
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def app_deps(deps_for: Any) -> Any:
    """Overrides conftest's app_deps: the real app with SMS accounts."""
    return deps_for(ACCOUNTS)


def test_aliyun_batch_with_token_three_times_and_opt_out_reaches_the_case(client: Any, app_deps: Any, pumps: Any) -> None:
    body = json.dumps([{"phone_number": "13800000000", "content": "快递到哪了", "send_time": "2026-11-22 09:00:00",
                        "dest_code": "1", "sequence_id": 1001},
                       {"phone_number": "13800000000", "content": "退订", "send_time": "2026-11-22 09:01:00",
                        "dest_code": "1", "sequence_id": 1002}], ensure_ascii=False).encode()
    for _ in range(3):
        r = client.http.post(f"/sms/aliyun/demo-ali?token={TOKEN}", body=body, headers=JSON)
        assert r.status_code == 200 and r.body.decode() == '{"code":0,"msg":"接收成功"}'
    pumps.drain()
    case = app_deps.repo.get_customer_case("sms#demo-ali#13800000000")
    assert case is not None and case.phone == "13800000000" and case.flags.get("sms_opt_out") is True
    inbound = [m for m in app_deps.repo.list_messages(case.case_id) if m.direction.value == "in"]
    assert sorted(m.text for m in inbound) == sorted(["快递到哪了", "退订"])  # each once, not three times


def test_unsigned_providers_need_the_path_token(client: Any, app_deps: Any) -> None:
    body = json.dumps({"mobile": "13800000000", "nationcode": "86", "text": "hi", "time": 1763776800}).encode()
    assert client.http.post("/sms/tencent/demo-tc?token=wrong", body=body, headers=JSON).status_code == 401
    assert client.http.post("/sms/tencent/demo-tc", body=body, headers=JSON).status_code == 401
    r = client.http.post(f"/sms/tencent/demo-tc?token={TOKEN}", body=body, headers=JSON)
    assert r.status_code == 200 and r.body.decode() == '{"result":0,"errmsg":"OK"}'


def test_twilio_signed_over_public_url_gets_twiml(client: Any, app_deps: Any) -> None:
    fields = {"MessageSid": "SM1", "From": "+8613800000000", "To": "+14155550100", "Body": "hello"}
    sig = compute_signature("tw-auth", PUBLIC_URL, {k: [v] for k, v in fields.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig}
    r = client.http.post("/sms/twilio/demo-tw", body=urlencode(fields).encode(), headers=headers)
    assert r.status_code == 200 and b"<Response>" in r.body and r.headers["Content-Type"].startswith("text/xml")
    tampered = urlencode({**fields, "Body": "changed"}).encode()
    assert client.http.post("/sms/twilio/demo-tw", body=tampered, headers=headers).status_code == 401


def test_provider_must_match_the_account(client: Any, app_deps: Any) -> None:
    r = client.http.post(f"/sms/tencent/demo-ali?token={TOKEN}", body=b"{}", headers=JSON)
    assert r.status_code == 404
