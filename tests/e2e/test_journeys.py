"""Journeys on `make run`'s stack over HTTP: WeChat in and out, a carrier exception before the customer
asks, a tracking answer within seconds, and an unanswered complaint escalating tier by tier."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from chalicelib.channels._common import aes
from chalicelib.channels.kuaidi100.verify import sign as k100_sign
from chalicelib.channels.wechat.verify import signature
from tests.e2e.stackproc import StackProcess, running
from tests.servers.recorder import Recorder
from tests.servers.wechat_api import FakeWechatApi
from tests.signing import message_event, signed_webhook

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS")

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "e2e-agent-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRET = "whsec_" + base64.b64encode(b"e2e-journeys-secret-0123456789").decode()
OA_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def accounts(callback: str) -> str:
    return f'''
[[api_token]]
token = "{TOKEN}"
shop = "shop-a"
agent = "alice"

[[webhook]]
account = "erp"
shop = "shop-a"
secret = "{SECRET}"
callback_url = "{callback}/hook"

[[wechat]]
account = "demo-oa"
shop = "shop-a"
kind = "oa"
app_id = "wxE2E"
app_secret = "oa-secret"
token = "oa-token"
aes_key = "{OA_KEY}"

[[kuaidi100]]
account = "k100"
shop = "shop-a"
key = "k100-key"
salt = "k100-salt"

[[notify]]
name = "ops"
shop = "shop-a"
kind = "wecom_robot"
url = "{callback}/robot/ops"

[[notify]]
name = "manager"
shop = "shop-a"
kind = "wecom_robot"
url = "{callback}/robot/manager"
'''


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StackProcess, Recorder, FakeWechatApi]]:
    tmp = tmp_path_factory.mktemp("journeys")
    with Recorder() as rec, FakeWechatApi({"wxE2E": "oa-secret"}) as wechat:
        env = {"SHOUHOU_WECHAT_API": wechat.url, "SHOUHOU_AUTO_RESOLVE_AFTER_S": "3",
               "SHOUHOU_POLICY_FILE": str(ROOT / "tests" / "data" / "policies_fast.toml")}
        with running(tmp, accounts(rec.url), env) as stack:
            yield stack, rec, wechat


def post_webhook(stack: StackProcess, event: dict) -> None:
    headers, body = signed_webhook(SECRET, event)
    status, answer = stack.http("POST", "/webhooks/erp", body=body, headers=headers)
    assert status == 202, answer


def case_of(stack: StackProcess, predicate) -> dict | None:
    cases = stack.get_json("/api/cases?limit=200", TOKEN)["cases"]
    for c in cases:
        if predicate(c):
            return stack.get_json(f"/api/cases/{c['case_id']}", TOKEN)
    return None


def hooks(rec: Recorder, case_id: str, kind: str | None = None) -> list[dict]:
    out = []
    for r in list(rec.requests):
        if r["path"] != "/hook":
            continue
        data = json.loads(r["body"])["data"]
        if data["case_id"] == case_id and (kind is None or data["kind"] == kind):
            out.append({**data, "_at": r["at"]})
    return out


def test_encrypted_wechat_message_is_acked_fast_and_answered_once_on_wechat(world) -> None:
    stack, _, wechat = world
    user = f"o{uuid.uuid4().hex[:10]}"
    xml = (f"<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
           f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           f"<Content><![CDATA[杯子收到就裂了，能补发吗]]></Content><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")
    ts, nonce = str(int(time.time())), "7788"
    enc = aes.encrypt(aes.aes_key(OA_KEY), xml.encode(), "wxE2E")
    query = {"signature": signature("oa-token", ts, nonce), "timestamp": ts, "nonce": nonce, "encrypt_type": "aes",
             "msg_signature": signature("oa-token", ts, nonce, enc), "openid": user}
    body = f"<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>".encode()
    for _ in range(3):  # WeChat retries
        started = time.monotonic()
        status, answer = stack.http("POST", "/wechat/demo-oa?" + urlencode(query), body=body,
                                    headers={"Content-Type": "text/xml"})
        assert status == 200 and answer == b"success"
        assert time.monotonic() - started < 1.0
    detail = stack.wait_for(lambda: case_of(stack, lambda c: c["customer"]["user"] == user), 30, "the WeChat case")
    assert [m["text"] for m in detail["messages"] if m["direction"] == "in"] == ["杯子收到就裂了，能补发吗"]
    sent = stack.wait_for(lambda: [r for r in wechat.delivered("/cgi-bin/message/custom/send")
                                   if r.body.get("touser") == user], 30, "the customer-service message")
    time.sleep(2)  # let any duplicate surface
    sent = [r for r in wechat.delivered("/cgi-bin/message/custom/send") if r.body.get("touser") == user]
    assert len(sent) == 1
    assert detail["case"]["case_id"] in json.dumps(sent[0].body, ensure_ascii=False)


def test_kuaidi100_rejection_opens_a_logistics_case_and_tells_the_customer_first(world) -> None:
    stack, rec, _ = world
    customer, order_no, tracking = f"c-{uuid.uuid4().hex[:8]}", f"69{uuid.uuid4().int % 10**17:017d}", "YT9" + str(uuid.uuid4().int % 10**12).zfill(12)
    post_webhook(stack, {"type": "order.upserted", "data": {
        "order_no": order_no, "customer": customer, "phone": "13800000000", "amount": 59.0,
        "items": [{"sku": "MUG-1", "name": "马克杯", "qty": 1, "price": 59.0}],
        "shipments": [{"carrier": "yuantong", "tracking_no": tracking}]}})
    time.sleep(3)  # the order (group webhook#erp) must be in before the carrier push (group kuaidi100#k100)
    param = json.dumps({"status": "polling", "message": "", "autoCheck": "0", "lastResult": {
        "message": "ok", "nu": tracking, "ischeck": "1", "com": "yuantong", "status": "200", "state": "14",
        "data": [{"time": "2026-11-22 10:00:00", "ftime": "2026-11-22 10:00:00", "context": "[杭州] 客户拒签，快件退回",
                  "status": "拒签"}]}}, ensure_ascii=False, separators=(",", ":"))
    form = urlencode({"param": param, "sign": k100_sign(param, "k100-salt")}).encode()
    status, answer = stack.http("POST", "/logistics/kuaidi100/k100", body=form,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(answer) == {"result": True, "returnCode": "200", "message": "成功"}
    detail = stack.wait_for(lambda: case_of(stack, lambda c: c["customer"]["user"] == customer), 30, "the proactive case")
    assert detail["case"]["responsibility"] == "logistics" and detail["case"]["issue"] in ("shipping", "lost", "damaged")
    notices = stack.wait_for(lambda: hooks(rec, detail["case"]["case_id"], "notice"), 30, "the notice")
    assert tracking in notices[0]["text"]
    # the customer never wrote: the notice came before any customer message
    assert not [m for m in detail["messages"] if m["direction"] == "in"]


def test_tracking_question_is_answered_within_two_seconds_and_resolves_itself(world) -> None:
    stack, rec, _ = world
    customer, order_no, tracking = f"c-{uuid.uuid4().hex[:8]}", f"69{uuid.uuid4().int % 10**17:017d}", "YT8" + str(uuid.uuid4().int % 10**12).zfill(12)
    post_webhook(stack, {"type": "order.upserted", "data": {
        "order_no": order_no, "customer": customer, "amount": 59.0, "items": [{"sku": "MUG-1", "qty": 1, "price": 59.0}],
        "shipments": [{"carrier": "yuantong", "tracking_no": tracking}]}})
    post_webhook(stack, {"type": "shipment.updated", "data": {
        "carrier": "yuantong", "tracking_no": tracking, "status": "InTransit",
        "events": [{"time": "2026-11-22T08:00:00+08:00", "place": "杭州转运中心", "text": "快件已到达杭州转运中心"}]}})
    time.sleep(2)
    sent_at = time.monotonic()
    post_webhook(stack, message_event(f"我的快递到哪了 订单号 {order_no}", customer=customer))
    detail = stack.wait_for(lambda: case_of(stack, lambda c: c["customer"]["user"] == customer), 30, "the case")
    answer = stack.wait_for(lambda: hooks(rec, detail["case"]["case_id"], "auto_answer"), 30, "the answer", interval=0.05)
    assert answer[0]["_at"] - sent_at < 2.0, f"answered after {answer[0]['_at'] - sent_at:.2f}s"
    assert "杭州" in answer[0]["text"]
    resolved = stack.wait_for(lambda: case_of(stack, lambda c: c["case_id"] == detail["case"]["case_id"]
                                              and c["status"] == "resolved"), 30, "self-resolution")
    assert any(e["type"] == "status" and e["data"]["to"] == "resolved" for e in resolved["timeline"])


def test_unanswered_complaint_warns_breaches_and_escalates_tier_by_tier(world) -> None:
    stack, rec, _ = world
    customer = f"c-{uuid.uuid4().hex[:8]}"
    post_webhook(stack, message_event("你们客服态度太差了，三天没人理，我要投诉！", customer=customer))
    detail = stack.wait_for(lambda: case_of(stack, lambda c: c["customer"]["user"] == customer), 30, "the case")
    assert detail["case"]["request"] == "complaint"
    case_id = detail["case"]["case_id"]

    def escalated_twice():
        d = stack.get_json(f"/api/cases/{case_id}", TOKEN)
        tiers = [e for e in d["timeline"] if e["type"] == "sla.escalated" and e["data"]["clock"] == "first_response"]
        return d if len(tiers) >= 2 else None

    d = stack.wait_for(escalated_twice, 40, "tier 2 of first_response")
    fr = sorted([e for e in d["timeline"] if e["type"].startswith("sla.") and e["data"].get("clock") == "first_response"],
                key=lambda e: e["at"])
    kinds = [e["type"] for e in fr]
    assert kinds.index("sla.warning") < kinds.index("sla.breached") < kinds.index("sla.escalated")
    tiers = [e["data"]["tier"] for e in fr if e["type"] == "sla.escalated"]
    assert tiers[:2] == [1, 2]
    assert d["case"]["priority"] == "p1" or any(e["type"] == "sla.action" for e in d["timeline"])
    assert d["case"]["queue"] == "senior" and d["case"]["escalated"] is True
    robots = [r["path"] for r in rec.requests if r["path"].startswith("/robot/")]
    assert "/robot/ops" in robots and "/robot/manager" in robots
