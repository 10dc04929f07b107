"""Putting triage labels on a case: first labels, re-classification, and case-level priority."""

from __future__ import annotations

from typing import Any

from ..domain import Case, CaseEvent, Priority

AXES = ("issue", "request", "sentiment", "responsibility", "scenario")
RANK = {Priority.P1: 1, Priority.P2: 2, Priority.P3: 3}
REPEAT_RAISE = 3  # 3+ unanswered customer messages in 24 h raise the case priority one step


def apply_triage(case: Case, triage: Any, now: Any, *, history: int) -> list[CaseEvent]:
    """Update labels from a message's triage; return a `labels` event when anything changed.

    A later message re-classifies the case (e.g. 算了不退了) unless it carries no request of its
    own (`request == none`, thanks or chit-chat), which keeps the case's labels. Priority never
    drops by itself; repeated unanswered messages raise it.
    """
    before = {a: getattr(case, a) for a in (*AXES, "priority")}
    reasons: list[str] = []
    if triage is not None:
        relabel = case.issue is None or triage.request != "none"
        if relabel:
            for axis in AXES:
                setattr(case, axis, getattr(triage, axis))
            case.sentiment_score = triage.sentiment_score
            case.confidence = dict(triage.confidence)
            case.reasons = list(triage.reasons)
        case.keywords = list(dict.fromkeys([*case.keywords, *triage.keywords]))[:20]
        case.entities = {**case.entities, **{k: v for k, v in triage.entities.items() if v}}
        case.order_no = case.order_no or case.entities.get("order_no")
        case.phone = case.phone or case.entities.get("phone")
        new_p = Priority(triage.priority)
        if RANK[new_p] < RANK[case.priority] or case.issue is not None and before["issue"] is None:
            case.priority = new_p
        reasons += list(triage.reasons)
    if history >= REPEAT_RAISE and case.priority is not Priority.P1:
        case.priority = Priority.P1 if case.priority is Priority.P2 else Priority.P2
        reasons.append(f"{history} customer messages in 24 h without an answer: priority raised")
    after = {a: getattr(case, a) for a in (*AXES, "priority")}
    changed = {a: {"from": before[a], "to": after[a]} for a in after if before[a] != after[a]}
    if not changed:
        return []
    return [CaseEvent(case_id=case.case_id, at=now, type="labels", actor="triage",
                      reason="; ".join(reasons)[:1000] or "classified",
                      data={"changed": {k: {kk: str(vv) if vv is not None else None for kk, vv in v.items()} for k, v in changed.items()},
                            "keywords": case.keywords[:10], "entities": case.entities})]
