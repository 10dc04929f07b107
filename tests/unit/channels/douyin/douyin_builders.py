"""Signed Douyin webhook requests, built with the production signing code."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.accounts import DouyinAccount
from chalicelib.channels.base import RawRequest
from chalicelib.channels.douyin import sign

SECRET = "test_client_secret"


def make_account(**overrides: Any) -> DouyinAccount:
    values = {"account": "demo-dy", "shop": "shop-a", "client_key": "abc", "client_secret": SECRET, **overrides}
    return DouyinAccount.model_validate(values)


def signed_request(body: bytes | dict[str, Any], *, msg_id: str | None = None, secret: str = SECRET,
                   signature: str | None = None) -> RawRequest:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {"content-type": "application/json", "x-douyin-signature": signature if signature is not None else sign(secret, raw)}
    if msg_id:
        headers["msg-id"] = msg_id
    return RawRequest(method="POST", account="demo-dy", headers=headers, query={}, body=raw)


def im_event(content: dict[str, Any] | str, *, event: str = "im_receive_msg", user: str = "open-user-1") -> dict[str, Any]:
    return {"event": event, "from_user_id": user, "to_user_id": "open-biz", "client_key": "abc",
            "content": content, "log_id": "L1"}
