"""What one SLA step decides: timeline events, schedules to put or delete, escalations to perform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain import CaseEvent
from ..domain.ports import SlaTimer


@dataclass(frozen=True)
class Escalation:
    """One escalation tier that fired: which clock and policy, which tier, what to do."""

    clock: str
    policy: str
    tier: int
    actions: tuple[str, ...]


@dataclass
class SlaUpdate:
    """The outcome of `SlaEngine.on_trigger` / `on_fire`; the caller persists the case and events."""

    events: list[CaseEvent] = field(default_factory=list)
    put: list[tuple[str, datetime, dict[str, Any]]] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    ignored: str | None = None  # why a fire changed nothing (stale, duplicate, early, not running)

    @property
    def actions(self) -> list[str]:
        """Every escalation action to perform, in order."""
        return [a for e in self.escalations for a in e.actions]

    def merge(self, other: SlaUpdate) -> SlaUpdate:
        """Append another update's decisions to this one (later puts/deletes of a name win)."""
        self.events += other.events
        self.escalations += other.escalations
        for name, at, payload in other.put:
            self.put = [p for p in self.put if p[0] != name] + [(name, at, payload)]
            self.delete = [d for d in self.delete if d != name]
        for name in other.delete:
            self.put = [p for p in self.put if p[0] != name]
            self.delete = [d for d in self.delete if d != name] + [name]
        return self


def apply_timer(timer: SlaTimer, upd: SlaUpdate) -> None:
    """Perform an update's schedule changes: deletes first, then puts."""
    for name in upd.delete:
        timer.delete(name)
    for name, at, payload in upd.put:
        timer.put(name, at, payload)
