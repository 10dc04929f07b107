"""Orders and shipment snapshots: upsert idempotently, never move a shipment backwards, tell the customer."""

from __future__ import annotations

import logging
from typing import Any

from .. import analytics
from ..domain import Case, CaseEvent, Order, Shipment, ShipmentStatus
from ..domain.lifecycle import ACTIVE
from ..domain.tasks import OrderUpserted, ShipmentUpdated

log = logging.getLogger("shouhou.logistics")

# how far along a parcel is; a snapshot whose newest node is older never lowers the state
_STAGE = {
    ShipmentStatus.PENDING: 0, ShipmentStatus.INFO_RECEIVED: 1, ShipmentStatus.IN_TRANSIT: 2,
    ShipmentStatus.OUT_FOR_DELIVERY: 3, ShipmentStatus.AVAILABLE_FOR_PICKUP: 3, ShipmentStatus.ATTEMPT_FAIL: 3,
    ShipmentStatus.EXCEPTION: 3, ShipmentStatus.EXPIRED: 4, ShipmentStatus.DELIVERED: 5,
}


def on_order(deps: Any, task: OrderUpserted) -> str:
    """Upsert an order, keeping what the new report leaves out (delivery time, shipments)."""
    repo = deps.repo
    new = task.order
    old = repo.get_order(new.shop, new.order_no)
    if old is not None:
        new = new.model_copy(update={
            "delivered_at": new.delivered_at or old.delivered_at,
            "shipments": new.shipments or old.shipments,
            "customer": new.customer or old.customer,
            "phone": new.phone or old.phone,
        })
    repo.put_order(new)
    for ref in new.shipments:
        if repo.get_shipment(ref.carrier, ref.tracking_no) is None:
            repo.put_shipment(Shipment(carrier=ref.carrier, tracking_no=ref.tracking_no, order_no=new.order_no,
                                       shop=new.shop, status=ShipmentStatus.INFO_RECEIVED, updated_at=new.updated_at))
    log.info("order %s/%s upserted", new.shop, new.order_no)
    return "order"


def merge(old: Shipment | None, new: Shipment) -> tuple[Shipment, list[Any], bool]:
    """Merge a snapshot into the stored shipment: (merged, new nodes, status changed).

    Nodes are unioned by (time, text); the status follows the snapshot only when the snapshot is
    at least as recent as what we have, so a replayed older push never moves the parcel backwards.
    """
    if old is None:
        return new, list(new.events), True
    seen = {(n.time, n.text) for n in old.events}
    fresh = [n for n in new.events if (n.time, n.text) not in seen]
    nodes = sorted([*old.events, *fresh], key=lambda n: n.time)
    old_t = old.latest.time if old.latest else None
    new_t = new.latest.time if new.latest else None
    newer = new_t is not None and (old_t is None or new_t >= old_t)
    if old_t is None and new_t is None:
        newer = _STAGE[new.status] >= _STAGE[old.status]
    status, raw = (new.status, new.raw_state) if newer else (old.status, old.raw_state)
    merged = old.model_copy(update={
        "events": nodes, "status": status, "raw_state": raw, "order_no": old.order_no or new.order_no,
        "shop": old.shop or new.shop, "delivered_at": old.delivered_at or new.delivered_at,
        "updated_at": new.updated_at or old.updated_at,
    })
    return merged, fresh, status != old.status


def on_shipment(deps: Any, task: ShipmentUpdated) -> str:
    """Store a snapshot; on news, update linked open cases and the order's delivery time."""
    repo = deps.repo
    incoming = task.shipment
    # a customer's return parcel is stored before its carrier is known (carrier ""): found by number
    old = repo.get_shipment(incoming.carrier, incoming.tracking_no) or repo.find_shipment(incoming.tracking_no)
    merged, fresh, changed = merge(old, incoming)
    if old is not None and not fresh and not changed:
        return "unchanged"
    repo.put_shipment(merged)
    analytics.on_shipment(deps, merged, deps.clock.now())
    order = repo.get_order(task.shop, merged.order_no) if merged.order_no else None
    if order is not None and merged.status is ShipmentStatus.DELIVERED and order.delivered_at is None:
        repo.put_order(order.model_copy(update={"delivered_at": merged.delivered_at or (merged.latest.time if merged.latest else None)}))
    if changed or fresh:
        _tell_cases(deps, order, merged, fresh, changed)
    return "updated"


def _tell_cases(deps: Any, order: Order | None, shipment: Shipment, fresh: list[Any], changed: bool) -> None:
    from .proactive import notify_shipment

    customer = getattr(order, "customer", None) if order else None
    key = customer.key if hasattr(customer, "key") else None
    case = deps.repo.get_customer_case(key) if key else None
    if case is not None and case.status not in ACTIVE:
        case = None
    notify_shipment(deps, case, order, shipment, fresh, changed)


__all__ = ["Case", "CaseEvent", "merge", "on_order", "on_shipment"]
