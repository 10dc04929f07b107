"""`WechatSender`: customer-service messages in the window, template messages outside it, WeCom app messages.

What it returns is recorded on the case timeline:
`{"via": "wechat.custom" | "wechat.template" | "wecom.message", "reason": …, "msgid": …}`.
After a `wechat.custom` send the outbound worker increments `case.flags["cs_sent_since_customer"]`
(`window.SENT_FLAG`), and resets it when the customer writes again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...accounts import WechatAccount
from ...domain import Case, OutboundMessage
from ..errors import SendPermanent, SendWindowClosed
from . import render
from .api import WechatApi
from .window import SENT_FLAG, closed_reason

if TYPE_CHECKING:
    from ..registry import SenderContext


def _utcnow() -> datetime:
    return datetime.now(UTC)


class WechatSender:
    """Sends one OutboundMessage to a WeChat OA follower or a WeCom user (OutboundSender port)."""

    def __init__(self, ctx: SenderContext, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self._clock = clock
        self._api = WechatApi(ctx, clock)

    def send(self, message: OutboundMessage, case: Case | None = None) -> dict[str, Any]:
        """Deliver `message`; the result says how and why.

        Raises:
            SendWindowClosed: OA window closed (or refused) and no template for this kind: fall back to SMS.
            SendRetryable, SendRateLimited, SendPermanent: provider or network failures.
            RenderRejected: the text is over WeChat's limit.
        """
        account = self._api.account(message.account)
        if account.kind == "wecom":
            return self._wecom(message, account)
        reason = closed_reason(case, self._clock())
        if reason is None:
            try:
                body = self._api.call(account, "/cgi-bin/message/custom/send", render.custom(message))
            except SendWindowClosed as exc:
                reason = f"errcode_{exc.provider_code}"
            else:
                sent = int(case.flags.get(SENT_FLAG, 0)) + 1 if case else None
                return {"via": "wechat.custom", "reason": "window_open", "msgid": body.get("msgid"), SENT_FLAG: sent}
        return self._template(message, account, reason)

    def _template(self, message: OutboundMessage, account: WechatAccount, reason: str) -> dict[str, Any]:
        template_id = account.templates.get(message.kind.value) or account.templates.get("default")
        if not template_id:
            raise SendWindowClosed(f"{reason}; no template for {message.kind.value!r} on {account.account}")
        body = self._api.call(account, "/cgi-bin/message/template/send", render.template(message, template_id))
        return {"via": "wechat.template", "reason": reason, "msgid": body.get("msgid"), "template_id": template_id}

    def _wecom(self, message: OutboundMessage, account: WechatAccount) -> dict[str, Any]:
        if account.agent_id is None:
            raise SendPermanent(f"wecom account {account.account} has no agent_id")
        body = self._api.call(account, "/cgi-bin/message/send", render.wecom(message, account.agent_id))
        if body.get("invaliduser"):
            raise SendPermanent(f"wecom user not reachable by agent {account.agent_id}", provider_code="invaliduser")
        return {"via": "wecom.message", "reason": "app_message", "msgid": body.get("msgid")}
