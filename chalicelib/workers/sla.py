"""The sla handler journey: one schedule fire in; warn, breach, escalate, notify, schedule the next tier."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ..domain import Case, CaseEvent, CaseNotFound, Priority
from ..domain.ports import CaseRepository, Clock, SlaTimer
from ..sla import SlaEngine, SlaUpdate, apply_timer
from ..sla.notify import escalation_notice
from ..sla.update import Escalation
from . import notices
from .notices import Notifier

log = logging.getLogger("shouhou.sla")
RAISE = {Priority.P3: Priority.P2, Priority.P2: Priority.P1, Priority.P1: Priority.P1}


def handle_fire(
    payload: dict[str, Any], *, repo: CaseRepository, timer: SlaTimer, engine: SlaEngine, notifier: Notifier,
    clock: Clock, record: Callable[[Case, list[CaseEvent]], None] | None = None,
) -> dict[str, Any]:
    """Handle one SLA schedule fire; a duplicate, stale or early fire leaves the case as it was.

    Raises:
        ConcurrencyConflict: when every optimistic attempt to save the case lost a race.
        SchedulerError: when the next schedules cannot be written (the fire is retried, and the
            retry re-asserts the pending schedules).
    """
    now, case_id = clock.now(), str(payload.get("case_id", ""))
    current = repo.get_case(case_id)
    if current is None:
        return {"case_id": case_id, "ignored": "case not found"}
    probe = engine.on_fire(current.model_copy(deep=True), payload, now)
    if probe.ignored:  # nothing to change; re-assert the clock's schedules in case a timer call was lost
        apply_timer(timer, probe.merge(engine.pending(current, str(payload.get("clock")), now)))
        return {"case_id": case_id, "ignored": probe.ignored}

    outcome: dict[str, Any] = {}

    def mutate(case: Case) -> Sequence[CaseEvent]:
        upd = engine.on_fire(case, payload, now)
        events = list(upd.events)
        if upd.escalations:
            events += _escalate(case, upd, now, engine)
        outcome["upd"] = upd
        outcome["events"] = events
        return events

    try:
        case = repo.update_case(case_id, mutate)
    except CaseNotFound:
        return {"case_id": case_id, "ignored": "case not found"}
    upd: SlaUpdate = outcome["upd"]
    apply_timer(timer, upd)
    notified = _notify(case, upd.escalations, repo, timer, notifier, clock)
    if record is not None:
        record(case, outcome["events"])  # analytics: breaches and escalations count in the reports
    return {
        "case_id": case_id, "ignored": upd.ignored, "events": [e.type for e in upd.events],
        "actions": upd.actions, "notified": notified, "put": [n for n, _, _ in upd.put], "deleted": upd.delete,
    }


def _escalate(case: Case, upd: SlaUpdate, now: datetime, engine: SlaEngine) -> list[CaseEvent]:
    """Apply escalation actions to the case (notifications come after the save); re-plan on a priority raise."""
    events: list[CaseEvent] = []
    old_priority = case.priority
    for esc in upd.escalations:
        for action in esc.actions:
            data = _apply(case, action)
            events.append(_action_event(case, now, esc, action, data))
        case.escalated = True
        case.escalation_tier = max(case.escalation_tier, esc.tier)
    case.updated_at = now
    if case.priority != old_priority:
        replan = engine.on_trigger(case, "replan", now, reason=f"escalation raised priority {old_priority.value}"
                                   f"->{case.priority.value}")
        upd.merge(replan)
        events += replan.events
    return events


def _apply(case: Case, action: str) -> dict[str, Any]:
    kind, _, arg = action.partition(":")
    if kind == "raise_priority":
        before = case.priority
        case.priority = RAISE[before]
        return {"from": before.value, "to": case.priority.value}
    if kind == "queue":
        before_q, case.queue = case.queue, arg
        return {"from": before_q, "to": arg}
    if kind == "assign":
        before_a, case.assignee = case.assignee, arg
        return {"from": before_a, "to": arg}
    return {"target": arg, "state": "pending"}  # notify: sent after the case is saved


def _action_event(case: Case, now: datetime, esc: Escalation, action: str, data: dict[str, Any]) -> CaseEvent:
    return CaseEvent(
        case_id=case.case_id, at=now, type="sla.action", actor="sla",
        reason=f"{esc.clock} escalation tier {esc.tier} ({esc.policy}): {action}",
        data={"action": action, "clock": esc.clock, "policy": esc.policy, "tier": esc.tier, **data},
    )


def _notify(
    case: Case, escalations: list[Escalation], repo: CaseRepository, timer: SlaTimer, notifier: Notifier, clock: Clock
) -> list[dict[str, Any]]:
    """First attempt of each notify action; retryable failures are retried by schedule (workers.notices)."""
    results = []
    for esc in escalations:
        for action in esc.actions:
            if action.startswith("notify:"):
                notice = escalation_notice(case, esc, action.split(":", 1)[1])
                results.append(notices.deliver(notice, 1, repo=repo, timer=timer, notifier=notifier, clock=clock))
    return results
