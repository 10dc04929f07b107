"""Standard Webhooks v1 (HMAC-SHA256) signing and verification over the raw body."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping

from .._common.signing import check_timestamp, require_any
from ..errors import SignatureInvalid

PREFIX = "whsec_"


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(PREFIX)
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise SignatureInvalid("webhook secret is not base64") from exc


def sign(secret: str, msg_id: str, timestamp: int | str, body: bytes) -> str:
    """The `v1,<base64>` signature of one message."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    mac = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(
    body: bytes, headers: Mapping[str, str], secrets: Iterable[str], *, now_s: float, tolerance_s: int = 300
) -> str:
    """Verify a Standard Webhooks request and return its `webhook-id`.

    Raises:
        SignatureInvalid: missing headers or no `v1` signature matches any active secret.
        ReplayRejected: `webhook-timestamp` outside ±tolerance.
    """
    msg_id = headers.get("webhook-id", "")
    ts = headers.get("webhook-timestamp")
    presented = [s.partition(",")[2] for s in headers.get("webhook-signature", "").split() if s.startswith("v1,")]
    if not msg_id or not presented:
        raise SignatureInvalid("missing webhook-id or webhook-signature")
    check_timestamp(ts, now_s, tolerance_s)
    expected = [sign(s, msg_id, str(ts), body).partition(",")[2] for s in secrets]
    require_any(expected, presented)
    return msg_id
