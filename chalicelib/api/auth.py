"""Agent API authentication: a Bearer token from the accounts file, scoped to one shop."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..accounts import ApiToken
from .errors import Unauthorized


def authenticate(accounts: Any, headers: Mapping[str, str]) -> ApiToken:
    """The token entry for the request's `Authorization: Bearer …` header.

    Raises:
        Unauthorized: missing or unknown token.
    """
    scheme, _, presented = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise Unauthorized("missing bearer token")
    token = accounts.token(presented.strip())
    if token is None:
        raise Unauthorized("unknown token")
    return token
