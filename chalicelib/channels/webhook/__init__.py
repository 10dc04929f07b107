"""Generic Standard-Webhooks channel: signed events in, signed progress updates out."""

from __future__ import annotations

from datetime import datetime

from ...accounts import WebhookAccount
from ..base import Ack, IngressResult, RawRequest
from .parse import parse
from .verify import sign, verify


class WebhookInbound:
    """verify → parse for `POST /webhooks/{account}`."""

    section = "webhook"

    def receive(
        self, request: RawRequest, account: WebhookAccount, now: datetime, *, tolerance_s: int
    ) -> IngressResult:
        """Verify the signature, then turn the event into one task; ACK is `{"ok": true}`."""
        msg_id = verify(request.body, request.headers, account.secrets, now_s=now.timestamp(), tolerance_s=tolerance_s)
        task = parse(request.body, msg_id=msg_id, account=account.account, shop=account.shop, now=now)
        return IngressResult(ack=Ack(body='{"ok":true}', status=202), tasks=(task,))


__all__ = ["WebhookInbound", "sign", "verify"]
