"""Protection for the unsigned MO pushes (Aliyun, Tencent): a long random path token and an IP allowlist."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from ...accounts import SmsAccount
from .._common.signing import equal
from ..base import RawRequest
from ..errors import SignatureInvalid


def check_source(request: RawRequest, allow: Iterable[str]) -> None:
    """Pass when no allowlist is configured, or the source IP is in one of its addresses/CIDRs.

    Raises:
        SignatureInvalid: the source IP is missing, malformed or not allowed.
    """
    allow = list(allow)
    if not allow:
        return
    try:
        ip = ipaddress.ip_address(request.source_ip or "")
        if any(ip in ipaddress.ip_network(a, strict=False) for a in allow):
            return
    except ValueError as exc:
        raise SignatureInvalid("source ip not allowed") from exc
    raise SignatureInvalid("source ip not allowed")


def check_token(request: RawRequest, account: SmsAccount) -> None:
    """Require `?token=` to equal the account's `path_token` (constant time), then the IP allowlist.

    Raises:
        SignatureInvalid: no path_token configured, token missing or wrong, or source IP not allowed.
    """
    if not account.path_token:
        raise SignatureInvalid(f"sms account {account.account} has no path_token")
    if not equal(request.query.get("token", ""), account.path_token):
        raise SignatureInvalid("bad path token")
    check_source(request, account.allow_ips)
