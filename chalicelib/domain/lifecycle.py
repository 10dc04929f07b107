"""The case state machine of DESIGN.md §4, customer-facing labels, and threading rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .enums import CaseStatus
from .errors import InvalidTransition
from .models import Case, CaseEvent

S = CaseStatus
WAITING = frozenset({S.WAITING_CUSTOMER, S.WAITING_LOGISTICS, S.WAITING_PLATFORM})
ACTIVE = frozenset({S.NEW, S.OPEN}) | WAITING

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.OPEN, *WAITING, S.RESOLVED, S.CLOSED}),
    S.OPEN: frozenset(WAITING | {S.RESOLVED, S.CLOSED}),
    S.WAITING_CUSTOMER: frozenset({S.OPEN, S.WAITING_LOGISTICS, S.WAITING_PLATFORM, S.RESOLVED, S.CLOSED}),
    S.WAITING_LOGISTICS: frozenset({S.OPEN, S.WAITING_CUSTOMER, S.WAITING_PLATFORM, S.RESOLVED, S.CLOSED}),
    S.WAITING_PLATFORM: frozenset({S.OPEN, S.WAITING_CUSTOMER, S.WAITING_LOGISTICS, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),  # reopen on a new message within the window
    S.CLOSED: frozenset(),
}

LABELS: dict[CaseStatus, str] = {
    S.NEW: "已受理",
    S.OPEN: "处理中",
    S.WAITING_CUSTOMER: "等待您的回复",
    S.WAITING_LOGISTICS: "等待物流",
    S.WAITING_PLATFORM: "处理中",
    S.RESOLVED: "已解决",
    S.CLOSED: "已解决",
}


def label(status: CaseStatus) -> str:
    """The customer-facing label of a status."""
    return LABELS[status]


def can_transition(current: CaseStatus, target: CaseStatus) -> bool:
    """Whether the state machine allows `current -> target`."""
    return target in TRANSITIONS[current]


def transition(
    case: Case, target: CaseStatus, *, now: datetime, actor: str, reason: str, data: dict[str, Any] | None = None
) -> CaseEvent:
    """Move a case to `target` and return the timeline event; the caller persists both.

    Raises:
        InvalidTransition: when the state machine does not allow the move.
    """
    current = case.status
    if not can_transition(current, target):
        raise InvalidTransition(case.case_id, current.value, target.value)
    case.status = target
    case.updated_at = now
    if target in (S.RESOLVED, S.CLOSED):
        case.resolved_at = case.resolved_at if target is S.CLOSED and case.resolved_at else now
    elif current is S.RESOLVED:
        case.resolved_at = None
    return CaseEvent(
        case_id=case.case_id,
        at=now,
        type="status",
        actor=actor,
        reason=reason,
        data={"from": current.value, "to": target.value, "label": label(target), **(data or {})},
        customer_visible=label(current) != label(target),
    )


def joins_existing(case: Case | None, now: datetime, reopen_window: timedelta) -> bool:
    """Threading: does a new message join `case` (the customer's last case) or open a new one?

    A message joins the customer's open case; after resolution it joins (and reopens) the case only
    while the last resolution is within `reopen_window`; a closed case is never joined.
    """
    if case is None or case.status is S.CLOSED:
        return False
    if case.status in ACTIVE:
        return True
    resolved_at = case.resolved_at or case.updated_at
    return now - resolved_at <= reopen_window
