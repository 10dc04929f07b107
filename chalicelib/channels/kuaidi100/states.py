"""Kuaidi100 state codes → ShipmentStatus, from `data/states.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ...domain import ShipmentStatus


@dataclass(frozen=True)
class State:
    """One Kuaidi100 code, its Chinese name, our status and, for exceptions, the proactive issue."""

    code: str
    name: str
    status: ShipmentStatus
    proactive: str | None = None


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/states.toml").read_text("utf-8"))


def _state(code: str, entry: dict[str, Any]) -> State:
    return State(code=code, name=entry["name"], status=ShipmentStatus(entry["status"]), proactive=entry.get("proactive"))


def lookup(code: str | None) -> State:
    """The state of a `lastResult.state` or node `statusCode`; unknown codes fall back (see the data file)."""
    codes = _table()["codes"]
    code = (code or "").strip()
    if code in codes:
        return _state(code, codes[code])
    if len(code) == 3 and code[0] in codes:
        return _state(code, codes[code[0]])
    return State(code=code, name="", status=ShipmentStatus(_table()["default"]))


def push_state(status: str) -> State | None:
    """A push-level status that overrides the snapshot's state (`abort`), else None."""
    entry = _table()["push"].get(status)
    return _state(status, entry) if entry else None


def proactive_issue(raw_state: str | None) -> str | None:
    """The issue (lost | damaged | shipping) a proactive case opens with for a shipment's `raw_state`."""
    if raw_state is None:
        return None
    pushed = push_state(raw_state)
    return (pushed or lookup(raw_state)).proactive
