"""Lazy, cached loading of the versioned data files shipped in ``triage/data``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load_json(name: str) -> Any:
    """Return the parsed JSON data file ``name`` (read once per process)."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Return the non-empty, non-comment lines of the text data file ``name``."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
