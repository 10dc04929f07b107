"""Builders for WeChat / WeCom requests, signed and encrypted with the production code."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.accounts import WechatAccount
from chalicelib.channels._common import aes
from chalicelib.channels.base import RawRequest
from chalicelib.channels.wechat.verify import signature

VECTORS: list[dict[str, Any]] = json.loads(Path("/work/shared/fixtures/vectors.json").read_text())["wechat"]
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TS = str(int(NOW.timestamp()))


def vector(name: str) -> dict[str, Any]:
    return next(v for v in VECTORS if v["name"] == name)


def make_account(**overrides: Any) -> WechatAccount:
    fields: dict[str, Any] = {
        "account": "demo-oa",
        "shop": "shop-a",
        "kind": "oa",
        "app_id": "wx2c2769f8efd9abc2",
        "app_secret": "s3cret",
        "token": "spamtest",
    }
    return WechatAccount.model_validate(fields | overrides)


def wecom_account(**overrides: Any) -> WechatAccount:
    return make_account(
        **{
            "account": "demo-wecom",
            "kind": "wecom",
            "app_id": "ww-corp-1",
            "token": "QDG6eK",
            "aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "agent_id": 1000002,
        }
        | overrides
    )


def xml(fields: dict[str, str | int]) -> str:
    parts = "".join(
        f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()
    )
    return f"<xml>{parts}</xml>"


def message(msg_type: str = "text", **fields: str | int) -> str:
    base: dict[str, str | int] = {
        "ToUserName": "gh_10f6c3c3ac5a",
        "FromUserName": "oUser1",
        "CreateTime": int(TS),
        "MsgType": msg_type,
    }
    return xml(base | fields)


def plain_request(account: WechatAccount, body: str, *, ts: str = TS, nonce: str = "12345", **query: str) -> RawRequest:
    q = {"signature": signature(account.token, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": "oUser1"}
    return RawRequest("POST", account.account, {"content-type": "text/xml"}, q | query, body.encode())


def encrypted_request(
    account: WechatAccount,
    plaintext: str,
    *,
    ts: str = TS,
    nonce: str = "67890",
    receive_id: str | None = None,
    **query: str,
) -> RawRequest:
    assert account.aes_key
    enc = aes.encrypt(aes.aes_key(account.aes_key), plaintext.encode(), receive_id or account.app_id)
    body = f"<xml><ToUserName><![CDATA[{account.app_id}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>"
    q = {"msg_signature": signature(account.token, ts, nonce, enc), "timestamp": ts, "nonce": nonce}
    if account.kind == "oa":
        q |= {"signature": signature(account.token, ts, nonce), "encrypt_type": "aes"}
    return RawRequest("POST", account.account, {"content-type": "text/xml"}, q | query, body.encode())
