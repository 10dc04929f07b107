"""The one table that maps error classes to HTTP status codes (nearest base class wins)."""

from __future__ import annotations

from pydantic import ValidationError

from ..accounts import AccountNotFound
from ..channels.errors import (
    PayloadInvalid,
    PayloadTooLarge,
    ReplayRejected,
    SignatureInvalid,
    UnknownChannel,
)
from ..domain.errors import CaseNotFound, InvalidTransition
from ..store.errors import ConcurrencyConflict


class Unauthorized(Exception):
    """Raised when the API is called without a valid Bearer token."""


class RequestInvalid(Exception):
    """Raised when an API request is malformed (query parameters, JSON, cursor)."""


class WriteRejected(Exception):
    """Raised when an agent write does not fit the case's state (a closed case, a return on a resolved case)."""


class PathNotFound(Exception):
    """Raised when an API path names an action, report or console file that does not exist."""


class IdempotencyKeyReused(Exception):
    """Raised when an Idempotency-Key is presented again with a different action, case or body."""


STATUS: dict[type[BaseException], tuple[int, str]] = {
    SignatureInvalid: (401, "signature invalid"),
    ReplayRejected: (401, "timestamp outside tolerance"),
    Unauthorized: (401, "unauthorized"),
    PayloadInvalid: (400, "malformed body"),
    RequestInvalid: (400, "bad request"),
    PayloadTooLarge: (413, "body too large"),
    UnknownChannel: (404, "unknown channel"),
    AccountNotFound: (404, "unknown account"),
    CaseNotFound: (404, "case not found"),
    PathNotFound: (404, "not found"),
    InvalidTransition: (409, "transition not allowed"),
    ConcurrencyConflict: (409, "conflict"),
    WriteRejected: (409, "not allowed in this state"),
    IdempotencyKeyReused: (409, "idempotency key reused"),
    ValidationError: (422, "validation failed"),
}


def status_for(exc: BaseException) -> tuple[int, str] | None:
    """(status, short error) for a known error class, else None (→ a logged 500)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return None


def detail(exc: BaseException) -> str | None:
    """A short, safe detail: which field failed (never secrets, signatures or the payload)."""
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
    if isinstance(exc, (PayloadInvalid, RequestInvalid, InvalidTransition, WriteRejected, IdempotencyKeyReused)):
        return str(exc)[:200]
    return None
