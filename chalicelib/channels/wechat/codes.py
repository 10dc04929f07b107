"""WeChat / WeCom `errcode` values sorted into our SendError classes (one table, shared by every call)."""

from __future__ import annotations

from typing import Any

from .._common.http import HttpResponse
from ..errors import (
    SendError,
    SendPermanent,
    SendRateLimited,
    SendRetryable,
    SendWindowClosed,
)

TOKEN_INVALID = frozenset({40001, 40014, 42001})  # refresh the access_token once, then retry
WINDOW_CLOSED = frozenset({45015, 45047, 95001})  # outside 48 h / over the 5-message quota: use a fallback
# 95001: 微信客服 kf/send_msg "message count reached its limit, wait for the customer" (third-party table) [3P]
KF_SYNC_TOKEN_INVALID = frozenset({95007})  # kf/sync_msg: the callback's Token expired (10 min) [3P]
RATE_LIMITED = frozenset({45009, 45011, 45033})
RETRYABLE = frozenset({-1})


def error_for(code: int, errmsg: str, what: str) -> SendError:
    """The SendError for a non-zero errcode."""
    text = f"{what}: errcode {code} {errmsg}".strip()
    if code in WINDOW_CLOSED:
        return SendWindowClosed(text, provider_code=code)
    if code in RATE_LIMITED:
        return SendRateLimited(text, retry_after=60, provider_code=code)
    if code in RETRYABLE:
        return SendRetryable(text, retry_after=5, provider_code=code)
    return SendPermanent(text, provider_code=code)  # 40003 bad openid, 43004 unfollowed, 40037 template, …


def body_of(response: HttpResponse, what: str) -> dict[str, Any]:
    """The JSON body of a WeChat API answer, with HTTP-level failures sorted.

    Raises:
        SendRetryable: 5xx or a body that is not JSON (a proxy's error page).
        SendRateLimited: HTTP 429.
        SendPermanent: any other 4xx.
    """
    if response.status == 429:
        raise SendRateLimited(f"{what}: HTTP 429", retry_after=60, provider_code=429)
    if response.status >= 500:
        raise SendRetryable(f"{what}: HTTP {response.status}", provider_code=response.status)
    if response.status >= 400:
        raise SendPermanent(f"{what}: HTTP {response.status}", provider_code=response.status)
    try:
        body = response.json()
    except ValueError as exc:
        raise SendRetryable(f"{what}: answer is not JSON") from exc
    if not isinstance(body, dict):
        raise SendRetryable(f"{what}: answer is not a JSON object")
    return body


def errcode(body: dict[str, Any]) -> int:
    """The errcode of an answer (absent = 0, as token answers omit it)."""
    try:
        return int(body.get("errcode", 0))
    except (TypeError, ValueError):
        return -1
