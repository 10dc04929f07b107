"""What the machine answers by itself right after a customer message (tracking, CSAT replies)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from ..domain import Case, CaseEvent, InboundMessage, OutboundKind, OutboundMessage
from . import followup, outbox, returns_flow

log = logging.getLogger("shouhou.automation")
TRACKING_ASKS = {"info", "expedite"}
RETURN_ASKS = {"return_refund", "refund_only", "exchange"}
# what a customer says about the goods' state; unknown → the rules ask (intactness is a return condition)
INTACT = ("未拆封", "没拆", "没有拆", "完好", "全新", "没用过", "没穿过", "吊牌还在")
NOT_INTACT = ("用过", "拆了", "穿过", "洗过", "已拆", "拆封了")
RETURNS_WINDOW_S = 90 * 86400


def after_message(
    deps: Any, case: Case, msg: InboundMessage, triage: Any, now: datetime, sla: Any
) -> tuple[list[CaseEvent], list[OutboundMessage]]:
    """Run the automations that apply to this message; returns timeline events and replies."""
    if triage is None:
        return [], []
    if returns_flow.awaiting_return(case) and triage.entities.get("tracking_no"):
        return returns_flow.shipped(deps, case, str(triage.entities["tracking_no"]), now, sla), []
    if triage.issue == "shipping" and triage.request in TRACKING_ASKS:
        return _tracking(deps, case, msg, now, sla)
    if triage.request in RETURN_ASKS:
        return _returns(deps, case, msg, now, sla)
    return [], []


def goods_intact(text: str) -> bool | None:
    """What the message says about the goods' condition, if anything (没穿过 is intact, 穿过 is not)."""
    rest = text
    for w in INTACT:
        rest = rest.replace(w, "|")
    if any(w in rest for w in NOT_INTACT):
        return False
    return True if rest != text else None


def _returns(deps: Any, case: Case, msg: InboundMessage, now: datetime, sla: Any) -> tuple[list[CaseEvent], list[OutboundMessage]]:
    from ..domain import can_transition, transition
    from ..workflows import returns

    order, shipment = _find_order_and_shipment(deps, case)
    intact = goods_intact(msg.text)
    if intact is None and case.flags.get("goods_intact") is not None:
        intact = bool(case.flags["goods_intact"])
    facts = returns.ReturnFacts(
        request=case.request, issue=case.issue, priority=case.priority, order=order, shipment=shipment, now=now,
        goods_intact=intact, returns_in_90d=deps.counters.get(f"returns#{case.customer.key}"), shop=case.shop)
    decision = returns.evaluate(deps.return_rules, facts)
    events = [decision.to_event(case.case_id, now, actor="automation")]
    flags = {**case.flags, "return": {"outcome": decision.outcome, "path": decision.path, "at": now.isoformat()}}
    if intact is not None:
        flags["goods_intact"] = intact
    case.flags = flags
    if decision.review_queue and decision.outcome == "needs_review":
        case.queue = decision.review_queue
    target = decision.next_status
    moved = []
    if target is not case.status and can_transition(case.status, target):
        moved.append(transition(case, target, now=now, actor="automation", reason=f"return {decision.outcome}"))
    events += moved
    if decision.outcome == "auto_approve":
        deps.counters.incr(f"returns#{case.customer.key}", RETURNS_WINDOW_S)
    text = decision.reason + (f"\n{decision.instructions}" if decision.instructions else "")
    reply = outbox.message_for(deps, case, OutboundKind.AUTO_ANSWER, text, key=f"return:{msg.message_id}", now=now,
                               data={"automation": "returns", "outcome": decision.outcome})
    events += sla.trigger(case, "answered", now, kind="auto")
    if decision.outcome != "needs_review":
        events += sla.trigger(case, "decided", now, kind="auto")
    events += sla.follow(case, moved, now)
    return events, [reply]


def csat_reply(deps: Any, case: Case, msg: InboundMessage, now: datetime) -> tuple[list[CaseEvent], list[OutboundMessage]] | None:
    """A reply to our satisfaction survey: record the score (a low one reopens for a follow-up)."""
    from ..workflows import csat

    if not case.flags.get("csat_surveyed_at") or "csat" in case.flags:
        return None
    score = csat.parse(msg.text)
    if score is None:
        return None
    events = csat.apply(case, score, now)
    text = csat.followup_text(case) if case.flags.get("csat_followup") else csat.thanks_text(case)
    reply = outbox.message_for(deps, case, OutboundKind.AUTO_ANSWER, text, key=f"csat:{msg.message_id}", now=now)
    return events, [reply]


def after_resolution(deps: Any, case: Case, now: datetime) -> tuple[list[CaseEvent], list[OutboundMessage]]:
    """Once a case is resolved: the satisfaction survey inside the channel's window, or why not."""
    from ..workflows import csat

    ok, why = csat.should_survey(case, now, timedelta(seconds=deps.settings.csat_window_s))
    if not ok:
        return ([csat.skip_event(case, why, now)] if why == "outside_channel_window" else []), []
    event = csat.survey_event(case, now)
    survey = outbox.message_for(deps, case, OutboundKind.CSAT, csat.survey_text(case), key="csat-survey", now=now)
    return [event], [survey]


def _tracking(deps: Any, case: Case, msg: InboundMessage, now: datetime, sla: Any) -> tuple[list[CaseEvent], list[OutboundMessage]]:
    from ..workflows import tracking

    order, shipment = _find_order_and_shipment(deps, case)
    answer = tracking.answer(order, shipment, now)
    events = [CaseEvent(
        case_id=case.case_id, at=now, type="decision.tracking", actor="automation", reason=answer.reason,
        data={"order_no": order.order_no if order else None,
              "tracking_no": shipment.tracking_no if shipment else None, "found": answer.found, "status": answer.status},
    )]
    reply = outbox.message_for(deps, case, OutboundKind.AUTO_ANSWER, answer.text, key=f"tracking:{msg.message_id}",
                               now=now, data={"automation": "tracking"})
    if answer.found and not answer.needs_agent:
        flags = dict(case.flags)
        flags["auto_answered_at"] = now.isoformat()
        case.flags = flags
        events += sla.trigger(case, "answered", now, kind="auto")
        followup.schedule(sla, deps, case, now)
    return events, [reply]


def _find_order_and_shipment(deps: Any, case: Case) -> tuple[Any, Any]:
    repo = deps.repo
    shipment = None
    tracking_no = case.entities.get("tracking_no")
    if tracking_no:
        shipment = repo.find_shipment(str(tracking_no))
    order = repo.get_order(case.shop, case.order_no) if case.order_no else None
    if order is None and shipment is not None and shipment.order_no:
        order = repo.get_order(case.shop, shipment.order_no)
    if order is None:
        recent = repo.customer_orders(case.customer.key, limit=1)
        order = recent[0] if recent else None
    if shipment is None and order is not None and order.shipments:
        ref = order.shipments[-1]
        shipment = repo.get_shipment(ref.carrier, ref.tracking_no)
    return order, shipment
