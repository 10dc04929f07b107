"""Issue 4 on `make run`'s stack over HTTP: one journey per route (Douyin, 抖店, Aliyun, Tencent, Twilio SMS):
signed request in → the provider's exact ACK → the case in /api/cases/{id} → the reply at a fake provider API."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.channels.douyin import sign as douyin_sign
from chalicelib.channels.sms.twilio import compute_signature
from tests.e2e.stackproc import StackProcess, running
from tests.servers.douyin_api import FakeDouyinApi
from tests.servers.sms_api import FakeSmsApi

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS")

VECTORS = json.loads((Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "vectors.json").read_text())
DD = VECTORS["doudian"][0]
TOKENS = {shop: f"e2e-{shop}-token-0123456789abcdef" for shop in ("shop-a", "shop-b", "shop-c")}
PATH_TOKEN = "e2e-path-token-0123456789abcdefghij"
TWILIO_URL = "https://sms.example.com/sms/twilio/tw"
JSON = {"Content-Type": "application/json"}


def accounts() -> str:
    tokens = "".join(f'[[api_token]]\ntoken = "{t}"\nshop = "{s}"\n\n' for s, t in TOKENS.items())
    return tokens + f'''
[[douyin]]
account = "dy"
shop = "shop-a"
client_key = "ck"
client_secret = "dy-secret"
open_id = "open-biz"
refresh_token = "rft.good"

[[doudian]]
account = "dd"
shop = "shop-a"
app_key = "{DD['app_key']}"
app_secret = "{DD['app_secret']}"

[[sms]]
account = "ali"
shop = "shop-a"
provider = "aliyun"
path_token = "{PATH_TOKEN}"
access_key_id = "LTAIe2e"
access_key_secret = "ali-secret"
sign_name = "某某旗舰店"
[sms.templates.progress]
code = "SMS_100"
params = {{ status = "status_label" }}

[[sms]]
account = "tc"
shop = "shop-b"
provider = "tencent"
path_token = "{PATH_TOKEN}"
secret_id = "AKIDe2e"
secret_key = "tencent-key"
sdk_app_id = "1400000000"
sign_name = "某某旗舰店"
[sms.templates.progress]
code = "1234567"
params = {{ status = "status_label" }}

[[sms]]
account = "tw"
shop = "shop-c"
provider = "twilio"
auth_token = "tw-auth"
public_url = "{TWILIO_URL}"
account_sid = "ACe2e"
from_number = "+14155550100"
'''


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StackProcess, FakeDouyinApi, FakeSmsApi]]:
    tmp = tmp_path_factory.mktemp("channels")
    with FakeDouyinApi({"ck": "rft.good"}) as douyin, \
            FakeSmsApi({"LTAIe2e": "ali-secret", "AKIDe2e": "tencent-key", "ACe2e": "tw-auth"}) as sms:
        env = {"SHOUHOU_DOUYIN_API": douyin.url, "SHOUHOU_SMS_API_ALIYUN": sms.url,
               "SHOUHOU_SMS_API_TENCENT": sms.url, "SHOUHOU_SMS_API_TWILIO": sms.url}
        with running(tmp, accounts(), env) as stack:
            yield stack, douyin, sms


def the_case(stack: StackProcess, shop: str, user: str) -> dict[str, Any] | None:
    for c in stack.get_json("/api/cases?limit=200", TOKENS[shop])["cases"]:
        if c["customer"]["user"] == user:
            return stack.get_json(f"/api/cases/{c['case_id']}", TOKENS[shop])
    return None


def test_douyin_dm_becomes_a_case_and_is_answered_in_douyin(world) -> None:
    stack, douyin, _ = world
    user = f"open-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"event": "im_receive_msg", "from_user_id": user, "to_user_id": "open-biz", "client_key": "ck",
                       "content": {"server_message_id": f"srv-{user}", "conversation_short_id": f"conv-{user}",
                                   "message_type": "text", "text": "杯子碎了，能补发吗"}}, ensure_ascii=False).encode()
    for _ in range(3):
        status, answer = stack.http("POST", "/douyin/dy", body=body, headers={
            **JSON, "X-Douyin-Signature": douyin_sign("dy-secret", body), "Msg-Id": f"msg-{user}"})
        assert (status, answer) == (200, b"{}")
    case = stack.wait_for(lambda: the_case(stack, "shop-a", user), 30, "the Douyin case")
    assert [m["text"] for m in case["messages"] if m["direction"] == "in"] == ["杯子碎了，能补发吗"]
    sent = stack.wait_for(lambda: [s for s in douyin.sent if user in json.dumps(s.body)], 30, "the Douyin reply")
    assert case["case"]["case_id"] in json.dumps(sent[0].body, ensure_ascii=False)


def test_doudian_aftersale_push_opens_the_aftersale_case(world) -> None:
    stack, _, _ = world
    for _ in range(3):
        status, answer = stack.http("POST", "/doudian/dd", body=DD["body"].encode(), headers={**JSON, **DD["headers"]})
        assert (status, answer.decode()) == (200, DD["expected_response"])
    cases = stack.wait_for(lambda: [c for c in stack.get_json("/api/cases", TOKENS["shop-a"])["cases"]
                                    if c["flags"].get("aftersale_id") == "7000000000000000001"], 30, "the 抖店 case")
    assert len(cases) == 1 and cases[0]["request"] == "return_refund"
    detail = stack.get_json(f"/api/cases/{cases[0]['case_id']}", TOKENS["shop-a"])
    assert [e["data"]["aftersale_id"] for e in detail["timeline"] if e["type"] == "platform.aftersale"] == [
        "7000000000000000001"]


@pytest.mark.parametrize("provider,account,shop", [("aliyun", "ali", "shop-a"), ("tencent", "tc", "shop-b")])
def test_unsigned_sms_providers_with_path_token(world, provider: str, account: str, shop: str) -> None:
    stack, _, sms = world
    phone = "139" + str(uuid.uuid4().int % 10**8).zfill(8)
    if provider == "aliyun":
        body = json.dumps([{"phone_number": phone, "content": "快递到哪了？", "send_time": "2026-11-22 09:00:00",
                            "dest_code": "1", "sequence_id": int(phone[3:])}], ensure_ascii=False).encode()
        ack = '{"code":0,"msg":"接收成功"}'
    else:
        body = json.dumps({"mobile": phone, "nationcode": "86", "text": "快递到哪了？", "time": int(time.time()),
                           "sign": "某某旗舰店", "extend": ""}, ensure_ascii=False).encode()
        ack = '{"result":0,"errmsg":"OK"}'
    assert stack.http("POST", f"/sms/{provider}/{account}?token=wrong", body=body, headers=JSON)[0] == 401
    status, answer = stack.http("POST", f"/sms/{provider}/{account}?token={PATH_TOKEN}", body=body, headers=JSON)
    assert (status, answer.decode()) == (200, ack)
    case = stack.wait_for(lambda: the_case(stack, shop, phone), 30, f"the {provider} SMS case")
    assert case["case"]["phone"] == phone
    sent = stack.wait_for(lambda: [s for s in sms.sent if s.provider == provider and phone in s.phone], 30, "the SMS")
    assert sent[0].template is not None  # China: templates only


def test_twilio_signed_sms_gets_twiml_and_a_reply(world) -> None:
    stack, _, sms = world
    fields = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": "+447700900123", "To": "+14155550100",
              "Body": "Where is my parcel?"}
    sig = compute_signature("tw-auth", TWILIO_URL, {k: [v] for k, v in fields.items()})
    status, answer = stack.http("POST", "/sms/twilio/tw", body=urlencode(fields).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
    assert status == 200 and answer.decode() == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    case = stack.wait_for(lambda: the_case(stack, "shop-c", "+447700900123"), 30, "the Twilio case")
    assert [m["text"] for m in case["messages"] if m["direction"] == "in"] == ["Where is my parcel?"]
    stack.wait_for(lambda: [s for s in sms.sent if s.provider == "twilio" and s.phone == "+447700900123"], 30, "reply")
