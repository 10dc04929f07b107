"""Per-clock SLA state as kept in `case.sla[<clock>]` (JSON; times are UTC ISO strings to the second)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_NAME = 64
_UNSAFE = re.compile(r"[^0-9A-Za-z_.-]")
STAGE_ORDER = ("warn", "breach")  # then esc1, esc2, ...


def second(ts: datetime, *, up: bool = False) -> datetime:
    """A UTC instant truncated (or, with `up`, rounded up) to the whole second."""
    ts = ts.astimezone(UTC)
    whole = ts.replace(microsecond=0)
    return whole + timedelta(seconds=1) if up and ts.microsecond else whole


def stage_rank(stage: str) -> int:
    """Order of stages: warn < breach < esc1 < esc2 ..."""
    if stage in STAGE_ORDER:
        return STAGE_ORDER.index(stage)
    return len(STAGE_ORDER) + int(stage.removeprefix("esc"))


def schedule_name(case_id: str, clock: str, stage: str) -> str:
    """Deterministic schedule name `sla-<case_id>-<clock>-<stage>`, at most 64 safe characters.

    Too long or unsafe case ids and clock names are replaced by a digest (still deterministic).
    """
    name = f"sla-{case_id}-{clock}-{stage}"
    if len(name) <= MAX_NAME and not _UNSAFE.search(name):
        return name
    digest = hashlib.sha256(f"{case_id}\x00{clock}".encode()).hexdigest()
    head = _UNSAFE.sub("", case_id)[:16]
    return f"sla-{head}-{digest[:MAX_NAME - len(head) - len(stage) - 6]}-{stage}"


class Pending(BaseModel):
    """A schedule that is (or should be) waiting to fire."""

    name: str
    at: datetime
    gen: int


class ClockState(BaseModel):
    """One clock of one case: its plan, progress and outcome."""

    model_config = ConfigDict(extra="ignore")

    clock: str
    policy: str
    target_s: float
    business_hours: bool
    calendar: str
    human: bool = False
    met_by: str = "answer"
    pause_when_waiting: bool = False
    warn_s: float | None = None  # used time at which the warning fires
    tiers: list[dict[str, Any]] = Field(default_factory=list)  # [{"after_s": .., "actions": [..]}]
    started_at: datetime
    running_since: datetime | None = None  # None while paused or finished
    used_s: float = 0.0  # clock time used before running_since (business seconds on business clocks)
    paused_at: datetime | None = None
    paused_s: float = 0.0  # wall-clock seconds spent paused, in total
    due: datetime | None = None  # None while paused or finished
    warned_at: datetime | None = None
    breached_at: datetime | None = None
    met_at: datetime | None = None
    stopped: datetime | None = None
    tier: int = 0
    gen: int = 1
    pending: dict[str, Pending] = Field(default_factory=dict)
    history: list[dict[str, Any]] = Field(default_factory=list)  # earlier cycles' outcomes

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def finished(self) -> bool:
        return self.met_at is not None or self.stopped is not None

    def outcome(self) -> dict[str, Any]:
        """This cycle's outcome, as kept in `history` and read by reports."""
        return self.model_dump(mode="json", include={
            "policy", "target_s", "used_s", "started_at", "due", "met_at", "breached_at", "stopped", "paused_s", "tier"})

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def target_left(st: ClockState) -> timedelta:
    """Clock time left before the deadline at `running_since` (never negative)."""
    return timedelta(seconds=max(st.target_s - st.used_s, 0.0))
