"""Pure steps on one clock's state: measure, settle, and which stages are due when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import BusinessCalendar
from .state import ClockState, target_left


@dataclass(frozen=True)
class Timekeeper:
    """Clock arithmetic: on a business calendar, or in plain calendar time when `calendar` is None."""

    calendar: BusinessCalendar | None

    def add(self, start: datetime, amount: timedelta) -> datetime:
        return self.calendar.add(start, amount) if self.calendar else start + amount

    def measure(self, a: datetime, b: datetime) -> timedelta:
        if self.calendar:
            return self.calendar.between(a, b)
        return max(b - a, timedelta(0))


def settle(st: ClockState, tk: Timekeeper, now: datetime) -> None:
    """Book the clock time used since `running_since` into `used_s` and restart the segment at `now`."""
    if st.running_since is not None:
        st.used_s += tk.measure(st.running_since, now).total_seconds()
        st.running_since = now


def deadline(st: ClockState, tk: Timekeeper) -> datetime | None:
    """When the running clock reaches its target (None while paused or finished)."""
    if st.running_since is None:
        return None
    return tk.add(st.running_since, target_left(st))


def stage_times(st: ClockState, tk: Timekeeper) -> dict[str, datetime]:
    """The stages that should be pending for this clock, with when each one is due.

    Before the deadline: `warn` (if configured and not sent) and `breach`; after it, only the next
    escalation tier `esc<n>`; nothing while paused or finished.
    """
    if st.running_since is None or st.finished or st.due is None:
        return {}
    out: dict[str, datetime] = {}
    if st.warn_s is not None and st.warned_at is None and st.breached_at is None and st.warn_s < st.target_s:
        out["warn"] = tk.add(st.running_since, timedelta(seconds=max(st.warn_s - st.used_s, 0.0)))
    if st.breached_at is None:
        out["breach"] = st.due
    elif st.tier < len(st.tiers):
        out[f"esc{st.tier + 1}"] = tk.add(st.due, timedelta(seconds=st.tiers[st.tier]["after_s"]))
    return out
