"""Collects SLA engine updates during a journey and applies the timer changes after the case is saved."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ..domain import Case, CaseEvent

log = logging.getLogger("shouhou.sla")


class SlaPlan:
    """Ask the engine on each trigger; keep its schedule puts/deletes until `apply()` (after the save)."""

    def __init__(self, deps: Any) -> None:
        self._deps = deps
        self._updates: list[Any] = []
        self._extra: list[tuple[str, datetime, dict[str, Any]]] = []

    def put(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        """An extra one-time schedule (e.g. the self-resolution check), created with the SLA ones."""
        self._extra.append((name, at, payload))

    def trigger(self, case: Case, trigger: str, now: datetime, **info: Any) -> list[CaseEvent]:
        """Run one trigger through the engine; returns its timeline events."""
        upd = self._deps.sla.on_trigger(case, trigger, now, **info)
        self._updates.append(upd)
        return list(upd.events)

    def follow(self, case: Case, events: list[CaseEvent], now: datetime) -> list[CaseEvent]:
        """Tell the engine about the status changes among `events` (pauses, resumes, resolution)."""
        out: list[CaseEvent] = []
        for e in [e for e in events if e.type == "status"]:
            old, new = str(e.data.get("from")), str(e.data.get("to"))
            trigger = "resolved" if new in ("resolved", "closed") else "status"
            out += self.trigger(case, trigger, now, **({} if trigger == "resolved" else {"old": old, "new": new}))
        return out

    def apply(self) -> None:
        """Create, update and delete the schedules the triggers asked for (idempotent by name)."""
        from ..sla import apply_timer

        for upd in self._updates:
            apply_timer(self._deps.timer, upd)
        for name, at, payload in self._extra:
            self._deps.timer.put(name, at, payload)
        self._updates.clear()
        self._extra.clear()
