"""Douyin open-platform webhook signature: `X-Douyin-Signature = sha1_hex(client_secret + raw body)`."""

from __future__ import annotations

from collections.abc import Mapping

from .._common.signing import digest_hex, require_any
from ..errors import SignatureInvalid


def sign(client_secret: str, body: bytes) -> str:
    """The signature Douyin sends for `body` (plain SHA-1 of secret + body, not HMAC)."""
    return digest_hex("sha1", client_secret.encode(), body)


def verify(body: bytes, headers: Mapping[str, str], client_secret: str) -> None:
    """Check `x-douyin-signature` against the raw body in constant time.

    Raises:
        SignatureInvalid: when the header is missing or does not match.
    """
    presented = headers.get("x-douyin-signature", "").strip().lower()
    if not presented:
        raise SignatureInvalid("missing x-douyin-signature")
    require_any([sign(client_secret, body)], [presented])
