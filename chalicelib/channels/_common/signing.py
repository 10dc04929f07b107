"""Constant-time comparisons and timestamp windows for webhook verification."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from ..errors import ReplayRejected, SignatureInvalid


def equal(a: str | bytes, b: str | bytes) -> bool:
    """Constant-time equality of two signatures (str compared as UTF-8)."""
    ab = a.encode() if isinstance(a, str) else a
    bb = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(ab, bb)


def require_any(expected: Iterable[str | bytes], presented: Iterable[str | bytes]) -> None:
    """Pass if any presented signature equals any expected one (key rotation), in constant time each.

    Raises:
        SignatureInvalid: when none matches.
    """
    expected = list(expected)
    ok = False
    for p in presented:
        for e in expected:
            ok |= equal(e, p)
    if not ok:
        raise SignatureInvalid("signature mismatch")


def digest_hex(name: str, *parts: bytes) -> str:
    """Hex digest (`sha1`, `md5`, `sha256`) of the concatenated parts."""
    h = hashlib.new(name)
    for p in parts:
        h.update(p)
    return h.hexdigest()


def check_timestamp(ts: str | int | None, now_s: float, tolerance_s: int) -> int:
    """Parse a unix-seconds timestamp and require it within ±tolerance of now.

    Raises:
        ReplayRejected: when missing, malformed or outside the window.
    """
    try:
        value = int(ts)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ReplayRejected("missing or malformed timestamp") from None
    if abs(now_s - value) > tolerance_s:
        raise ReplayRejected("timestamp outside tolerance")
    return value
