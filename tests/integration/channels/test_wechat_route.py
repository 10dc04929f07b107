"""`GET/POST /wechat/{account}` through the real Chalice app, moto over HTTP and the fake WeChat API:
URL checks, a safe-mode message becoming a case, and the progress update going back as a WeChat message."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.channels._common import aes
from chalicelib.channels.wechat import signature
from tests.conftest import TOKEN_A
from tests.servers.wechat_api import FakeWechatApi

OA_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WECOM = json.loads(Path("/work/shared/fixtures/vectors.json").read_text())["wechat"][
    1
]  # wecom_verify_url_official_sample
ACCOUNTS = f"""
[[api_token]]
token = "{TOKEN_A}"
shop = "shop-a"

[[wechat]]
account = "demo-oa"
shop = "shop-a"
kind = "oa"
app_id = "wxAPP"
app_secret = "oa-secret"
token = "oa-token"
aes_key = "{OA_KEY}"

[[wechat]]
account = "demo-wecom"
shop = "shop-a"
kind = "wecom"
app_id = "{WECOM["app_id"]}"
app_secret = "wecom-secret"
token = "{WECOM["token"]}"
aes_key = "{WECOM["encoding_aes_key"]}"
agent_id = 1000002
"""


@pytest.fixture
def wechat_api() -> Iterator[FakeWechatApi]:
    with FakeWechatApi({"wxAPP": "oa-secret", WECOM["app_id"]: "wecom-secret"}) as api:
        yield api


@pytest.fixture
def app_deps(deps_for: Any, wechat_api: FakeWechatApi) -> Any:
    """Overrides conftest's app_deps: the real app with WeChat accounts and the fake WeChat API."""
    return deps_for(ACCOUNTS, wechat_api=wechat_api.url, wecom_api=wechat_api.url)


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def oa_push(xml: str, *, nonce: str = "4242") -> tuple[str, bytes]:
    ts = str(int(time.time()))
    enc = aes.encrypt(aes.aes_key(OA_KEY), xml.encode(), "wxAPP")
    query = {
        "signature": signature("oa-token", ts, nonce),
        "timestamp": ts,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": signature("oa-token", ts, nonce, enc),
        "openid": "oCust1",
    }
    body = f"<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>"
    return "/wechat/demo-oa?" + urlencode(query), body.encode()


def text_xml(text: str, msg_id: str, user: str = "oCust1") -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


class TestUrlVerification:
    def test_oa_url_check_echoes_echostr(self, client: Any) -> None:
        ts, nonce = str(int(time.time())), "77"
        q = urlencode(
            {"signature": signature("oa-token", ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": "e-123"}
        )
        r = client.http.get(f"/wechat/demo-oa?{q}")
        assert (r.status_code, r.body, r.headers["Content-Type"].split(";")[0]) == (200, b"e-123", "text/plain")

    def test_wecom_url_check_answers_the_published_plaintext(self, client: Any, app_deps: Any) -> None:
        app_deps.overrides["clock"] = FixedClock(datetime.fromtimestamp(int(WECOM["timestamp"]), UTC))
        q = urlencode({k: WECOM[k] for k in ("msg_signature", "timestamp", "nonce", "echostr")})
        started = time.perf_counter()
        r = client.http.get(f"/wechat/demo-wecom?{q}")
        elapsed = time.perf_counter() - started
        assert (r.status_code, r.body) == (200, WECOM["expected_response"].encode())
        assert elapsed < 1.0  # WeCom gives the URL check 1 s

    def test_forged_signature_is_401_without_detail(self, client: Any) -> None:
        ts = str(int(time.time()))
        r = client.http.get(f"/wechat/demo-oa?signature={'0' * 40}&timestamp={ts}&nonce=1&echostr=x")
        assert (r.status_code, r.json_body) == (401, {"error": "signature invalid"})

    def test_unknown_account_is_404(self, client: Any) -> None:
        assert client.http.get("/wechat/nobody?signature=a&timestamp=1&nonce=1&echostr=x").status_code == 404

    def test_billion_laughs_body_is_400(self, client: Any) -> None:
        ts, nonce = str(int(time.time())), "1"
        q = urlencode({"signature": signature("oa-token", ts, nonce), "timestamp": ts, "nonce": nonce})
        bomb = b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>'
        r = client.http.post(f"/wechat/demo-oa?{q}", headers={"content-type": "text/xml"}, body=bomb)
        assert r.status_code == 400


class TestMessageToCaseAndBack:
    def test_safe_mode_message_becomes_one_case_and_progress_goes_back_on_wechat(
        self, client: Any, pumps: Any, wechat_api: FakeWechatApi
    ) -> None:
        msg_id = str(uuid.uuid4().int)[:19]
        path, body = oa_push(text_xml("快递三天没动了，订单号 7261839405716283945", msg_id))
        for _ in range(3):  # WeChat retries after 5 s, up to three times
            r = client.http.post(path, headers={"content-type": "text/xml"}, body=body)
            assert (r.status_code, r.body) == (200, b"success")
        pumps.drain()

        cases = client.http.get("/api/cases", headers={"authorization": f"Bearer {TOKEN_A}"}).json_body["cases"]
        assert len(cases) == 1
        detail = client.http.get(
            f"/api/cases/{cases[0]['case_id']}", headers={"authorization": f"Bearer {TOKEN_A}"}
        ).json_body
        assert [m["text"] for m in detail["messages"] if m["direction"] == "in"] == [
            "快递三天没动了，订单号 7261839405716283945"
        ]
        sent = wechat_api.delivered("/cgi-bin/message/custom/send")
        assert sent, "no progress update reached the WeChat API"
        assert sent[0].body["touser"] == "oCust1" and cases[0]["case_id"] in sent[0].body["text"]["content"]
        outbound = [e for e in detail["timeline"] if e["type"] == "outbound.sent"]
        assert outbound and outbound[0]["data"]["via"] == "wechat.custom"
