"""What the machine answers by itself right after a customer message (tracking, CSAT replies)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ..domain import Case, CaseEvent, InboundMessage, OutboundKind, OutboundMessage
from . import outbox

log = logging.getLogger("shouhou.automation")
TRACKING_ASKS = {"info", "expedite"}


def after_message(
    deps: Any, case: Case, msg: InboundMessage, triage: Any, now: datetime, sla: Any
) -> tuple[list[CaseEvent], list[OutboundMessage]]:
    """Run the automations that apply to this message; returns timeline events and replies."""
    if triage is None:
        return [], []
    if triage.issue == "shipping" and triage.request in TRACKING_ASKS:
        return _tracking(deps, case, msg, now, sla)
    return [], []


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
    if answer.found:
        flags = dict(case.flags)
        flags["auto_answered_at"] = now.isoformat()
        case.flags = flags
        events += sla.trigger(case, "answered", now, kind="auto")
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
