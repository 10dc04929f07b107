"""Progress updates to a shop's callback URL as Standard-Webhooks-signed POSTs."""

from __future__ import annotations

import json
import time
from typing import Any

from ...domain import Case, OutboundMessage
from ..errors import SendPermanent, SendRateLimited, SendRetryable
from .verify import sign


def render(message: OutboundMessage) -> bytes:
    """The event body: `{"type": "case.progress" | "case.reply", "data": {...}}`."""
    kind = "case.progress" if message.kind.value in ("progress", "notice") else "case.reply"
    data = {
        "case_id": message.case_id, "shop": message.shop, "customer": message.customer.model_dump(),
        "kind": message.kind.value, "text": message.text, "status": message.status.value if message.status else None,
        "status_label": message.status_label, "board_url": message.board_url, "at": message.created_at.isoformat(),
    }
    return json.dumps({"type": kind, "data": data}, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender:
    """Implements OutboundSender for `webhook` cases (and any shop webhook notify target)."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def send(self, message: OutboundMessage, case: Case | None = None) -> dict[str, Any]:
        """POST the signed update; 2xx delivered, 429/5xx/network retry, other 4xx permanent.

        Raises:
            SendPermanent: no callback URL, or the receiver refused (4xx, 410 Gone).
            SendRetryable: the receiver failed or was unreachable.
        """
        account = self._ctx.accounts.get("webhook", message.account)
        if not account.callback_url:
            raise SendPermanent(f"webhook account {account.account} has no callback_url")
        body = render(message)
        ts = int(time.time())
        secret = account.secrets[0]
        headers = {"Content-Type": "application/json", "webhook-id": message.outbound_id,
                   "webhook-timestamp": str(ts), "webhook-signature": sign(secret, message.outbound_id, ts, body)}
        r = self._ctx.http.request("POST", account.callback_url, body=body, headers=headers)
        if 200 <= r.status < 300:
            return {"via": "webhook", "status": r.status}
        if r.status == 429:
            raise SendRateLimited("callback throttled", retry_after=int(r.headers.get("retry-after", "60") or 60), provider_code=429)
        if r.status >= 500:
            raise SendRetryable(f"callback answered {r.status}", provider_code=r.status)
        raise SendPermanent(f"callback answered {r.status}", provider_code=r.status)
