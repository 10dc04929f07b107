"""抖店 push signature: `app-id` must be our app_key and `event-sign = md5_hex(app_key + body + app_secret)`.

If a push ever carries `sign-method: hmac-sha256` (not seen in any source; protocols.md §2.2), the
signature is `hmac_sha256_hex(app_secret, app_key + body + app_secret)` instead.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from .._common.signing import digest_hex, equal, require_any
from ..errors import SignatureInvalid


def sign(app_key: str, app_secret: str, body: bytes, *, method: str = "md5") -> str:
    """The `event-sign` 抖店 sends for `body`."""
    if method == "hmac-sha256":
        msg = app_key.encode() + body + app_secret.encode()
        return hmac.new(app_secret.encode(), msg, hashlib.sha256).hexdigest()
    return digest_hex("md5", app_key.encode(), body, app_secret.encode())


def verify(body: bytes, headers: Mapping[str, str], app_key: str, app_secret: str) -> None:
    """Check `app-id` and `event-sign` over the raw body in constant time.

    Raises:
        SignatureInvalid: wrong or missing app-id, missing or mismatched event-sign.
    """
    presented = headers.get("event-sign", "").strip().lower()
    if not equal(headers.get("app-id", "").strip(), app_key) or not presented:
        raise SignatureInvalid("app-id mismatch or missing event-sign")
    method = headers.get("sign-method", "md5").strip().lower()
    require_any([sign(app_key, app_secret, body, method=method)], [presented])
