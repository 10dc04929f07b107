"""微信客服 through the real Chalice app, moto over HTTP and the fake WeCom API on 127.0.0.1:
the encrypted kf_msg_or_event notice is acked at once, the inbound worker pulls the pages, the
customer's messages become cases exactly once, and an agent's reply goes back with kf/send_msg."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.channels._common import aes
from chalicelib.channels.wechat import signature
from chalicelib.channels.wechat.kf_sync import cursor_key
from tests.conftest import TOKEN_A
from tests.servers.wechat_api import KF_SEND, KF_SYNC, FakeWechatApi

WECOM = json.loads(Path("/work/shared/fixtures/vectors.json").read_text())["wechat"][1]  # the published corp id and keys
AUTH = {"authorization": f"Bearer {TOKEN_A}"}
ACCOUNTS = f"""
[[api_token]]
token = "{TOKEN_A}"
shop = "shop-a"
agent = "alice"

[[wechat]]
account = "kf"
shop = "shop-a"
kind = "wecom"
app_id = "{WECOM["app_id"]}"
app_secret = "kf-secret"
token = "{WECOM["token"]}"
aes_key = "{WECOM["encoding_aes_key"]}"
"""


@pytest.fixture
def wecom() -> Iterator[FakeWechatApi]:
    with FakeWechatApi({WECOM["app_id"]: "kf-secret"}) as api:
        yield api


@pytest.fixture
def app_deps(deps_for: Any, wecom: FakeWechatApi) -> Any:
    """Overrides conftest's app_deps: the real app with a WeCom account and the fake WeCom API."""
    return deps_for(ACCOUNTS, wecom_api=wecom.url, wechat_api=wecom.url)


def notice(token: str, open_kfid: str = "wkSHOP") -> tuple[str, bytes]:
    """An encrypted, signed kf_msg_or_event callback, built with our own WeCom crypto."""
    inner = (f"<xml><ToUserName><![CDATA[{WECOM['app_id']}]]></ToUserName><CreateTime>{int(time.time())}</CreateTime>"
             f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>"
             f"<Token><![CDATA[{token}]]></Token><OpenKfId><![CDATA[{open_kfid}]]></OpenKfId></xml>")
    enc = aes.encrypt(aes.aes_key(WECOM["encoding_aes_key"]), inner.encode(), WECOM["app_id"])
    ts, nonce = str(int(time.time())), uuid.uuid4().hex[:8]
    query = urlencode({"msg_signature": signature(WECOM["token"], ts, nonce, enc), "timestamp": ts, "nonce": nonce})
    body = (f"<xml><ToUserName><![CDATA[{WECOM['app_id']}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt>"
            f"<AgentID><![CDATA[]]></AgentID></xml>")
    return f"/wechat/kf?{query}", body.encode()


def msg(msgid: str, user: str, text: str, origin: int = 3) -> dict[str, Any]:
    return {"msgid": msgid, "open_kfid": "wkSHOP", "external_userid": user, "send_time": int(time.time()),
            "origin": origin, "msgtype": "text" if origin != 4 else "event", "text": {"content": text},
            **({"event": {"event_type": "enter_session"}} if origin == 4 else {})}


PAGES = [
    [msg("m1", "wmA", "快递三天没动了，订单号 7261839405716283945"), msg("e1", "wmA", "", origin=4)],
    [msg("m2", "wmA", "到底什么时候到"), msg("m3", "wmB", "杯子碎了，补发一个"), msg("s1", "wmA", "您好", origin=5)],
]


def post(client: Any, token: str) -> Any:
    path, body = notice(token)
    return client.http.post(path, headers={"content-type": "text/xml"}, body=body)


def inbound_by_customer(client: Any) -> dict[str, list[str]]:
    cases = client.http.get("/api/cases", headers=AUTH).json_body["cases"]
    out: dict[str, list[str]] = {}
    for c in cases:
        detail = client.http.get(f"/api/cases/{c['case_id']}", headers=AUTH).json_body
        assert detail["case"]["channel"] == "wecom_kf"
        out.setdefault(detail["case"]["customer"]["user"], []).extend(
            m["text"] for m in detail["messages"] if m["direction"] == "in")
    return out


def test_notice_gets_the_ack_at_once_and_wecom_is_not_called(client: Any, wecom: FakeWechatApi) -> None:
    wecom.kf_pages("wkSHOP", PAGES, token="ENC-1")
    r = post(client, "ENC-1")
    assert (r.status_code, r.body) == (200, b"success")
    assert wecom.state.log == []


def test_worker_pulls_both_pages_opens_the_cases_and_keeps_the_cursor(
        client: Any, pumps: Any, app_deps: Any, wecom: FakeWechatApi) -> None:
    wecom.kf_pages("wkSHOP", PAGES, token="ENC-1")
    post(client, "ENC-1")
    pumps.drain()
    assert [(c.body.get("cursor"), c.body.get("token")) for c in wecom.calls(KF_SYNC)] == [(None, "ENC-1"), ("c1", "ENC-1")]
    assert inbound_by_customer(client) == {
        "wmA": ["快递三天没动了，订单号 7261839405716283945", "到底什么时候到"], "wmB": ["杯子碎了，补发一个"]}
    assert app_deps.tokens.get(cursor_key("kf", "wkSHOP"))["cursor"] == "c2"
    progress = {(d.body["touser"], d.body["open_kfid"]) for d in wecom.delivered(KF_SEND)}
    assert progress == {("wmA", "wkSHOP"), ("wmB", "wkSHOP")}  # the progress updates went back on 微信客服


def test_replayed_and_repeated_notices_create_nothing_twice(
        client: Any, pumps: Any, wecom: FakeWechatApi) -> None:
    wecom.kf_pages("wkSHOP", PAGES, token="ENC-1")
    for _ in range(3):  # WeChat retries a callback it thinks failed
        post(client, "ENC-1")
    pumps.drain()
    first = inbound_by_customer(client)
    post(client, "ENC-1")  # the same notice again, after it was processed
    post(client, "ENC-2")  # a new notice with nothing new behind the cursor
    pumps.drain()
    assert inbound_by_customer(client) == first
    assert sum(len(v) for v in first.values()) == 3


class CursorWriteFailsOnce:
    """The real token store, except that the first cursor write fails (the worker dies before saving it)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.failed = False

    def get(self, key: str) -> Any:
        return self.real.get(key)

    def put(self, key: str, value: dict[str, Any], *, expected: str | None = None) -> bool:
        if "#cursor#" in key and not self.failed:
            self.failed = True
            raise RuntimeError("Lambda timed out before the cursor was saved")
        return bool(self.real.put(key, value, expected=expected))


class PastTheDedupWindow:
    """The real inbound queue, but every send gets a fresh SQS deduplication id: as if 5 minutes had passed."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def send_many(self, items: Sequence[tuple[str, str, str]]) -> None:
        self.real.send_many([(body, group, f"{dedupe}:{uuid.uuid4().hex}") for body, group, dedupe in items])


def test_a_crash_before_the_cursor_is_saved_replays_the_page_without_duplicates(
        client: Any, pumps: Any, app_deps: Any, wecom: FakeWechatApi) -> None:
    # GIVEN a worker that dies after queueing page 1 but before saving its cursor, and an SQS that no longer dedupes
    app_deps.overrides["tokens"] = CursorWriteFailsOnce(app_deps.tokens)
    app_deps.overrides["tasks"] = PastTheDedupWindow(app_deps.tasks)
    wecom.kf_pages("wkSHOP", PAGES, token="ENC-1")
    # WHEN the notice arrives and the queues run (the failed sync task is redelivered)
    post(client, "ENC-1")
    pumps.drain(rounds=20)
    # THEN page 1 was read twice, yet every customer message is on its case once
    assert [c.body.get("cursor") for c in wecom.calls(KF_SYNC)] == [None, None, "c1"]
    assert inbound_by_customer(client) == {
        "wmA": ["快递三天没动了，订单号 7261839405716283945", "到底什么时候到"], "wmB": ["杯子碎了，补发一个"]}
    assert app_deps.tokens.get(cursor_key("kf", "wkSHOP"))["cursor"] == "c2"


def test_an_agent_reply_reaches_kf_send_msg(client: Any, pumps: Any, wecom: FakeWechatApi) -> None:
    wecom.kf_pages("wkSHOP", [[msg("r1", "wmR", "我要退货")]], token="ENC-R")
    post(client, "ENC-R")
    pumps.drain()
    (case,) = client.http.get("/api/cases", headers=AUTH).json_body["cases"]
    r = client.http.post(f"/api/cases/{case['case_id']}/reply", headers={**AUTH, "content-type": "application/json"},
                         body=json.dumps({"text": "已为您登记退货"}).encode())
    assert r.status_code == 200
    pumps.drain()
    replies = [d.body for d in wecom.delivered(KF_SEND) if "已为您登记退货" in d.body["text"]["content"]]
    assert [(b["touser"], b["open_kfid"]) for b in replies] == [("wmR", "wkSHOP")]
