"""Self-resolution: a case answered automatically and not followed up within a set time resolves itself."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from .. import analytics
from ..domain import Case, CaseEvent, CaseStatus, can_transition, transition
from . import automation, outbox
from .slaplan import SlaPlan

log = logging.getLogger("shouhou.followup")
KIND = "auto_resolve"


def schedule(sla: SlaPlan, deps: Any, case: Case, now: datetime) -> None:
    """Ask for a check once the follow-up window has passed (one schedule per case, replaced on re-answer)."""
    at = now + timedelta(seconds=deps.settings.auto_resolve_after_s)
    sla.put(f"auto-{case.case_id}"[:64], at, {"kind": KIND, "case_id": case.case_id, "answered_at": now.isoformat()})


def handle(deps: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """Resolve the case if nothing happened since the automated answer; stale checks change nothing."""
    case_id = str(payload.get("case_id", ""))
    now = deps.clock.now()
    outcome: dict[str, Any] = {"case_id": case_id, "resolved": False}
    sla = SlaPlan(deps)

    def mutate(case: Case) -> list[CaseEvent]:
        why = _still_quiet(case, payload)
        if why:
            outcome["ignored"] = why
            return []
        events = [transition(case, CaseStatus.RESOLVED, now=now, actor="automation",
                             reason="answered automatically; no follow-up from the customer")]
        events += sla.follow(case, events, now)
        survey_events, survey = automation.after_resolution(deps, case, now)
        outcome["resolved"] = True
        outcome["events"] = events
        outcome["survey"] = survey
        return events + survey_events

    case = deps.repo.update_case(case_id, mutate)
    if outcome["resolved"]:
        sla.apply()
        events = outcome.pop("events")
        analytics.on_case_events(deps, case, events, now)
        deps.outbound.send_many(outbox.progress_updates(deps, case, events, now) + outcome.pop("survey"))
        log.info("case %s resolved itself after an automated answer", case_id)
    return outcome


def _still_quiet(case: Case, payload: dict[str, Any]) -> str | None:
    answered = payload.get("answered_at")
    if case.flags.get("auto_answered_at") != answered:
        return "a newer answer replaced this check"
    if case.last_customer_message_at and case.last_customer_message_at.isoformat() > str(answered):
        return "the customer wrote after the answer"
    if not can_transition(case.status, CaseStatus.RESOLVED) or case.status is CaseStatus.RESOLVED:
        return f"case is {case.status.value}"
    if case.assignee:
        return "an agent took the case"
    return None
