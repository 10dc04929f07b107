"""DouyinSender: replies to a customer's DM within Douyin's reply window and per-conversation quota.

The window and quota come from the account (`reply_window_h`, default 24; `max_replies`, default 6;
protocols.md §2.1). They are measured from `case.last_customer_message_at` and
`case.flags["dy_sent_since_customer"]`, which the worker resets on each customer message and
increments after each successful send (this sender returns `sent_since_customer` for that).
Out of window or over quota → SendWindowClosed, and the worker falls back to SMS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...accounts import DouyinAccount
from ...domain import Case, OutboundMessage
from ..errors import SendPermanent, SendRateLimited, SendRetryable, SendWindowClosed
from .render import render
from .token import DouyinTokens

if TYPE_CHECKING:
    from ..registry import SenderContext

# access_token invalid / expired (open.douyin.com error codes): refresh once, then retry
TOKEN_CODES = frozenset({2190002, 2190008, 28001003, 28001008})


class DouyinSender:
    """Implements OutboundSender for `channel == "douyin"`."""

    def __init__(self, ctx: SenderContext, *, clock: Callable[[], datetime] | None = None) -> None:
        self._ctx = ctx
        self._now = clock or (lambda: datetime.now(UTC))
        self._tokens = DouyinTokens(ctx.http, ctx.tokens, ctx.settings.douyin_api)

    def send(self, message: OutboundMessage, case: Case | None = None) -> dict[str, Any]:
        """Send one reply; returns what the timeline records.

        Raises:
            SendWindowClosed: no case, no conversation, outside the window, or over the quota.
            SendRateLimited, SendRetryable: throttled or transient failures.
            SendPermanent: the platform refused the message or the token.
            RenderRejected: the text breaks a limit.
        """
        account: DouyinAccount = self._ctx.accounts.get("douyin", message.account)
        sent = self._check_window(account, case)
        conversation = str(message.data.get("conversation_id") or (case.flags.get("dy_conversation_id") if case else "") or "")
        if not conversation:
            raise SendWindowClosed("no douyin conversation to reply in")
        reply_to = message.data.get("reply_to") or (case.flags.get("dy_last_msg_id") if case else None)
        payload = render(message, conversation_id=conversation, reply_to=reply_to)
        result = self._post(account, payload, force_token=False)
        return {"channel": "douyin", "msg_id": result.get("msg_id"), "sent_since_customer": sent + 1}

    def _check_window(self, account: DouyinAccount, case: Case | None) -> int:
        if case is None or case.last_customer_message_at is None:
            raise SendWindowClosed("no customer message to reply to")
        if self._now() - case.last_customer_message_at > timedelta(hours=account.reply_window_h):
            raise SendWindowClosed(f"douyin reply window of {account.reply_window_h}h has closed")
        sent = int(case.flags.get("dy_sent_since_customer", 0))
        if sent >= account.max_replies:
            raise SendWindowClosed(f"douyin allows {account.max_replies} replies until the customer writes again")
        return sent

    def _post(self, account: DouyinAccount, payload: dict[str, Any], *, force_token: bool) -> dict[str, Any]:
        token = self._tokens.get(account, force=force_token, now_s=self._now().timestamp())
        if not account.open_id:
            raise SendPermanent(f"douyin account {account.account} has no open_id")
        url = f"{self._ctx.settings.douyin_api.rstrip('/')}/im/send/msg/?open_id={quote(account.open_id)}"
        r = self._ctx.http.post_json(url, payload, headers={"access-token": token})
        if r.status == 429:
            raise SendRateLimited("douyin throttled the send", retry_after=60, provider_code=429)
        if r.status >= 500:
            raise SendRetryable(f"douyin HTTP {r.status}", provider_code=r.status)
        body = r.json() if r.body else {}
        code = _error_code(body)
        if code in TOKEN_CODES and not force_token:
            return self._post(account, payload, force_token=True)
        if r.status != 200 or code:
            raise SendPermanent(f"douyin refused the message: {_describe(body)}", provider_code=code or r.status)
        data = body.get("data") or {}
        return data if isinstance(data, dict) else {}


def _error_code(body: dict[str, Any]) -> int:
    """The error code of either response shape (`err_no`, or `data.error_code` / `extra.error_code`)."""
    for value in (body.get("err_no"), (body.get("data") or {}).get("error_code"), (body.get("extra") or {}).get("error_code")):
        if value not in (None, 0, "0"):
            try:
                return int(value)
            except (TypeError, ValueError):
                return -1
    return 0


def _describe(body: dict[str, Any]) -> str:
    data = body.get("data") or {}
    return str(body.get("err_msg") or data.get("description") or (body.get("extra") or {}).get("description") or "")[:200]
