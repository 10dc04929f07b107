"""Douyin open-platform channel: the webhook (verify_webhook, IM DMs) in, IM replies out (send.py)."""

from __future__ import annotations

from datetime import datetime

from ...accounts import DouyinAccount
from ..base import Ack, IngressResult, RawRequest
from .parse import challenge, message_task, parse
from .verify import sign, verify

# Douyin only checks for HTTP 200; events other than the handshake get an empty JSON object.
ACK = Ack(body="{}")


class DouyinInbound:
    """verify → parse → normalise for `POST /douyin/{account}`."""

    section = "douyin"

    def receive(
        self, request: RawRequest, account: DouyinAccount, now: datetime, *, tolerance_s: int
    ) -> IngressResult:
        """Answer the handshake with its challenge; turn a received DM into one MessageReceived.

        Raises:
            SignatureInvalid: bad or missing X-Douyin-Signature.
            PayloadInvalid: malformed envelope.
        """
        verify(request.body, request.headers, account.client_secret)
        env = parse(request.body)
        if env.event == "verify_webhook":
            return IngressResult(ack=Ack(body=challenge(env)))
        if env.event != "im_receive_msg":
            return IngressResult(ack=ACK)
        task = message_task(
            env, msg_id=request.headers.get("msg-id", ""), account=account.account, shop=account.shop, now=now
        )
        return IngressResult(ack=ACK, tasks=(task,))


__all__ = ["ACK", "DouyinInbound", "sign", "verify"]
