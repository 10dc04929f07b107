"""`WecomKfSender`: replies to 微信客服 customers with `kf/send_msg`, inside WeChat's 48 h / 5-message window.

The budget is counted per customer and per customer message in the counters store
(`CNT#wecom_kf#<account>#sent#<external_userid>#<epoch of their last message>`): a new customer
message starts a new counter. A slot is reserved before the call (so two concurrent sends cannot
both take the 5th) and given back when the call fails for any reason but a closed window.
Outside the window it raises `SendWindowClosed`, and the outbound worker falls back to SMS.
Result, recorded on the case timeline: `{"via": "wecom_kf.send_msg", "reason": "window_open", "msgid": …, "sent_in_window": n}`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...domain import Case, OutboundMessage
from ..errors import SendError, SendPermanent, SendWindowClosed
from . import render
from .api import WechatApi
from .kf_sync import route_key
from .window import QUOTA, WINDOW, expired_reason

if TYPE_CHECKING:
    from ..registry import SenderContext

SEND_PATH = "/cgi-bin/kf/send_msg"
_COUNTER_TTL_S = int(WINDOW.total_seconds()) + 3600


def _utcnow() -> datetime:
    return datetime.now(UTC)


def budget_key(account: str, user: str, last_customer_message_at: datetime) -> str:
    """The counter of messages sent to one customer since their message at `last_customer_message_at`."""
    return f"wecom_kf#{account}#sent#{user}#{int(last_customer_message_at.timestamp())}"


class WecomKfSender:
    """Sends one OutboundMessage to a 微信客服 customer (OutboundSender port)."""

    def __init__(self, ctx: SenderContext, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self._ctx = ctx
        self._clock = clock
        self._api = WechatApi(ctx, clock)

    def send(self, message: OutboundMessage, case: Case | None = None) -> dict[str, Any]:
        """Deliver `message` from the 客服账号 the customer last wrote to.

        Raises:
            SendWindowClosed: 48 h passed, 5 messages already sent, no 客服账号 known for the customer,
                or WeCom said so (45015/45047/95001): the caller falls back to SMS.
            SendRetryable, SendRateLimited, SendPermanent: provider or network failures.
            RenderRejected: the text is over WeChat's limit.
        """
        account = self._api.account(message.account)
        route = self._ctx.tokens.get(route_key(account.account, message.customer.user)) or {}
        if not route.get("open_kfid"):
            raise SendWindowClosed(f"no_kf_route: no 客服账号 known for {message.customer.key}")
        payload = render.kf(message, str(route["open_kfid"]))
        budget = self._reserve(account.account, message, case)
        try:
            body = self._api.call(account, SEND_PATH, payload)
        except SendWindowClosed:
            raise
        except SendError:
            if budget:
                self._ctx.counters.incr(budget[0], _COUNTER_TTL_S, by=-1)  # not sent: the slot is free again
            raise
        return {"via": "wecom_kf.send_msg", "reason": "window_open", "msgid": body.get("msgid"),
                "sent_in_window": budget[1] if budget else None}

    def _reserve(self, account: str, message: OutboundMessage, case: Case | None) -> tuple[str, int] | None:
        """Take one of the window's 5 slots; None when there is no case to count against (WeCom decides).

        Raises:
            SendWindowClosed: the window expired or its slots are used.
            SendPermanent: no counters store was wired in.
        """
        if case is None:
            return None
        expired = expired_reason(case, self._clock())
        if expired:
            raise SendWindowClosed(expired)
        if self._ctx.counters is None:
            raise SendPermanent("wecom_kf sender needs the counters store")
        assert case.last_customer_message_at is not None  # expired_reason checked it
        key = budget_key(account, message.customer.user, case.last_customer_message_at)
        used = int(self._ctx.counters.incr(key, _COUNTER_TTL_S))
        if used > QUOTA:
            raise SendWindowClosed(f"quota_{QUOTA}_used")
        return key, used
