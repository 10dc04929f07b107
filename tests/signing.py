"""Build signed requests with the production signing code (never a copy of it)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from chalicelib.channels.webhook import sign


def signed_webhook(secret: str, event: dict[str, Any], *, msg_id: str | None = None, ts: int | None = None,
                   body: bytes | None = None) -> tuple[dict[str, str], bytes]:
    """Headers and body of a Standard-Webhooks request."""
    raw = body if body is not None else json.dumps(event, ensure_ascii=False).encode()
    mid = msg_id or f"msg_{uuid.uuid4().hex}"
    stamp = int(time.time()) if ts is None else ts
    return ({"content-type": "application/json", "webhook-id": mid, "webhook-timestamp": str(stamp),
             "webhook-signature": sign(secret, mid, stamp, raw)}, raw)


def message_event(text: str, customer: str = "cust-1", message_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "message.received",
            "data": {"message_id": message_id or uuid.uuid4().hex, "customer": customer, "text": text, **extra}}
