"""Tracking answers: where the parcel is, in one Chinese reply (shipping/info, shipping/expedite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import Order, Shipment, ShipmentStatus

from ._texts import carrier_name, fmt_time, text, texts

# Statuses a person should look at even though we could answer.
_NEEDS_AGENT = frozenset({ShipmentStatus.ATTEMPT_FAIL, ShipmentStatus.EXCEPTION, ShipmentStatus.EXPIRED})


@dataclass(frozen=True)
class TrackingAnswer:
    """What to tell the customer, and whether the answer settles the question.

    ``found`` False means we know nothing useful: the case stays open for an agent. ``needs_agent``
    is True when we could answer but a person should still act (overdue shipping, carrier exception);
    only an answer with ``found and not needs_agent`` may auto-resolve after the follow-up time.
    """

    text: str
    found: bool
    status: str | None
    reason: str
    needs_agent: bool = False


def answer(order: Order | None, shipment: Shipment | None, now: datetime) -> TrackingAnswer:
    """Answer "where is my order" from what we know about the order and its shipment."""
    if shipment is not None:
        return _from_shipment(shipment)
    if order is None:
        return TrackingAnswer(text("tracking", "unknown"), False, None, "unknown_order")
    if order.shipments:
        ref = order.shipments[-1]
        body = text("tracking", "shipped_no_trace", carrier=carrier_name(ref.carrier), tracking_no=ref.tracking_no)
        return TrackingAnswer(body, True, text("tracking", "status_shipped"), "shipped_no_trace")
    return _not_shipped(order, now)


def resolved_text() -> str:
    """What the customer is told when an answered tracking case resolves itself after the quiet period."""
    return text("tracking", "auto_resolved")


def _from_shipment(shipment: Shipment) -> TrackingAnswer:
    status = shipment.status
    label = str(texts("shipment_status")[status.value])
    values = {
        "carrier": carrier_name(shipment.carrier),
        "tracking_no": shipment.tracking_no,
        "status": label,
        "next": texts("shipment_next")[status.value],
    }
    node = shipment.latest
    if node is None:
        body = text("tracking", "shipped_no_node", **values)
    else:
        where = " ".join(part for part in (fmt_time(node.time), node.place, node.text) if part)
        body = text("tracking", "shipped", node=where, **values)
    needs_agent = status in _NEEDS_AGENT
    return TrackingAnswer(body, True, label, f"shipment:{status.value}", needs_agent)


def _not_shipped(order: Order, now: datetime) -> TrackingAnswer:
    status = text("tracking", "status_not_shipped")
    ship_by = order.promised_ship_by
    if ship_by is None:
        body = text("tracking", "not_shipped_no_promise", order_no=order.order_no)
        return TrackingAnswer(body, True, status, "not_shipped_no_promise", needs_agent=True)
    if now > ship_by:
        body = text("tracking", "ship_overdue", order_no=order.order_no, ship_by=fmt_time(ship_by))
        return TrackingAnswer(body, True, status, "ship_overdue", needs_agent=True)
    body = text("tracking", "not_shipped", order_no=order.order_no, ship_by=fmt_time(ship_by))
    return TrackingAnswer(body, True, status, "not_shipped")
