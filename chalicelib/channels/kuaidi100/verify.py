"""Kuaidi100 push signature: `sign = MD5(param + salt)`, hex compared case-insensitively."""

from __future__ import annotations

from urllib.parse import parse_qs

from .._common.signing import digest_hex, require_any
from ..errors import PayloadInvalid, SignatureInvalid


def sign(param: str, salt: str) -> str:
    """The sign Kuaidi100 sends (upper-case hex, as the official SDK does)."""
    return digest_hex("md5", param.encode(), salt.encode()).upper()


def form(body: bytes) -> tuple[str, str]:
    """The `param` and `sign` form values (URL-decoded, not re-serialised).

    Raises:
        PayloadInvalid: not a UTF-8 form, or `param` missing or repeated.
    """
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadInvalid("body is not a UTF-8 form") from exc
    params, signs = fields.get("param", []), fields.get("sign", [])
    if len(params) != 1 or len(signs) > 1:
        raise PayloadInvalid("form must carry exactly one param")
    return params[0], (signs[0] if signs else "")


def verify(param: str, presented: str, salt: str) -> None:
    """Check the sign in constant time.

    Raises:
        SignatureInvalid: when the sign is missing or does not match.
    """
    if not presented:
        raise SignatureInvalid("missing sign")
    require_any([sign(param, salt)], [presented.strip().upper()])
