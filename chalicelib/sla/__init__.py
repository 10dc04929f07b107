"""SLA clocks (DESIGN.md §6): policies, business calendars, the engine, and compliance reports.

    engine = SlaEngine(policies=load_policies(path_or_None), calendars=load_calendars(path_or_None))
    upd = engine.on_trigger(case, "opened", now)   # mutates case.sla only; returns an SlaUpdate
    apply_timer(timer, upd)                        # after the case is saved
"""

from __future__ import annotations

from .calendar import BusinessCalendar, CalendarInvalid, Calendars, load_calendars
from .durations import DurationInvalid, parse_duration
from .engine import SlaEngine, UnknownTrigger
from .policies import Policies, PolicyInvalid, load_policies, parse_policies
from .state import ClockState, schedule_name
from .update import Escalation, SlaUpdate, apply_timer

__all__ = [
    "BusinessCalendar", "CalendarInvalid", "Calendars", "ClockState", "DurationInvalid", "Escalation",
    "Policies", "PolicyInvalid", "SlaEngine", "SlaUpdate", "UnknownTrigger", "apply_timer", "load_calendars",
    "load_policies", "parse_duration", "parse_policies", "schedule_name",
]
