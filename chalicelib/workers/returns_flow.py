"""After a return is approved: the customer's return parcel, its arrival, and the refund step."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain import Case, CaseEvent, CaseStatus, Order, Shipment, ShipmentStatus, can_transition, transition

APPROVED = {"auto_approve", "approved"}


def awaiting_return(case: Case) -> bool:
    """An approved return whose parcel the customer has not sent yet."""
    r = case.flags.get("return") or {}
    approved = r.get("outcome") in APPROVED or r.get("state") in APPROVED
    return approved and not case.flags.get("return_shipment") and r.get("path", "return_refund") == "return_refund"


def shipped(deps: Any, case: Case, tracking_no: str, now: datetime, sla: Any) -> list[CaseEvent]:
    """The customer sent the goods back: remember the parcel, wait on the carrier."""
    case.flags = {**case.flags, "return_shipment": {"carrier": "", "tracking_no": tracking_no, "at": now.isoformat()}}
    if deps.repo.find_shipment(tracking_no) is None:  # carrier unknown until its first push names it
        deps.repo.put_shipment(Shipment(carrier="", tracking_no=tracking_no, order_no=case.order_no, shop=case.shop,
                                        status=ShipmentStatus.INFO_RECEIVED, updated_at=now))
    events = [CaseEvent(case_id=case.case_id, at=now, type="return.shipped", actor="customer",
                        reason=f"return parcel {tracking_no}", data={"carrier": "", "tracking_no": tracking_no},
                        customer_visible=True)]
    if can_transition(case.status, CaseStatus.WAITING_LOGISTICS) and case.status is not CaseStatus.WAITING_LOGISTICS:
        moved = [transition(case, CaseStatus.WAITING_LOGISTICS, now=now, actor="customer", reason="return parcel sent")]
        events += moved + sla.follow(case, moved, now)
    return events


def is_return_parcel(case: Case, shipment: Shipment) -> bool:
    back = case.flags.get("return_shipment") or {}
    return bool(back.get("tracking_no")) and back["tracking_no"] == shipment.tracking_no


def received(case: Case, order: Order | None, now: datetime, sla: Any) -> list[CaseEvent]:
    """The return parcel was delivered to the shop: record its arrival and the refund step, resolve."""
    amount = order.amount if order and order.amount is not None else case.entities.get("amount")
    case.flags = {**case.flags, "return": {**(case.flags.get("return") or {}), "state": "refunded"}}
    events = [
        CaseEvent(case_id=case.case_id, at=now, type="return.received", actor="carrier", reason="return parcel delivered",
                  customer_visible=True),
        CaseEvent(case_id=case.case_id, at=now, type="refund", actor="system", reason="refund due on the approved return",
                  data={"amount": amount if amount is not None else "", "order_no": case.order_no}, customer_visible=True),
    ]
    if can_transition(case.status, CaseStatus.RESOLVED):
        moved = [transition(case, CaseStatus.RESOLVED, now=now, actor="system", reason="return received, refund recorded")]
        events += moved + sla.follow(case, moved, now)
    return events
