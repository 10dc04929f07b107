"""Logging set-up: one JSON-ish line per event, phone numbers and secrets masked in every record."""

from __future__ import annotations

import logging
import re

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_SECRET = re.compile(r"(whsec_|Bearer\s+|access_token=|secret=|token=)[^\s&\"',}]+", re.IGNORECASE)


def mask(text: str) -> str:
    """Mask mainland mobile numbers (138****0000) and anything that looks like a secret."""
    return _SECRET.sub(r"\1***", _PHONE.sub(r"\1****\2", text))


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with `mask` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = ()
        return True


def configure(level: str = "INFO") -> None:
    """Install the masking filter on every root handler (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s")
    root.setLevel(level)
    ours = logging.getLogger("shouhou")  # Chalice sets its app logger (same name) to ERROR, not propagating
    ours.setLevel(level)
    ours.propagate = True
    for h in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in h.filters):
            h.addFilter(MaskingFilter())
