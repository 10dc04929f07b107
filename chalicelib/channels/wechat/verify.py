"""WeChat / WeCom query signatures: sha1 over the sorted token, timestamp, nonce (and ciphertext)."""

from __future__ import annotations

from collections.abc import Mapping

from .._common.signing import check_timestamp, digest_hex, require_any
from ..errors import SignatureInvalid


def signature(token: str, *parts: str) -> str:
    """sha1 hex of the lexicographically sorted strings, concatenated with no separator."""
    return digest_hex("sha1", "".join(sorted([token, *parts])).encode())


def _required(query: Mapping[str, str], name: str) -> str:
    value = query.get(name, "")
    if not value:
        raise SignatureInvalid(f"missing {name}")
    return value


def verify_plain(query: Mapping[str, str], token: str, *, now_s: float, tolerance_s: int) -> None:
    """Check the OA `signature` (token, timestamp, nonce): URL check and plain-mode pushes.

    Raises:
        SignatureInvalid: missing or wrong signature.
        ReplayRejected: timestamp outside ±tolerance.
    """
    presented = _required(query, "signature")
    ts, nonce = _required(query, "timestamp"), query.get("nonce", "")
    check_timestamp(ts, now_s, tolerance_s)
    require_any([signature(token, ts, nonce)], [presented])


def verify_encrypted(
    query: Mapping[str, str], token: str, encrypted: str, *, now_s: float, tolerance_s: int
) -> None:
    """Check `msg_signature` over token, timestamp, nonce and the ciphertext (safe mode, WeCom).

    Raises:
        SignatureInvalid: missing or wrong msg_signature.
        ReplayRejected: timestamp outside ±tolerance.
    """
    presented = _required(query, "msg_signature")
    ts, nonce = _required(query, "timestamp"), query.get("nonce", "")
    check_timestamp(ts, now_s, tolerance_s)
    require_any([signature(token, ts, nonce, encrypted)], [presented])
