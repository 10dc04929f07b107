"""Builders of orders, shipments and cases for the workflow tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from chalicelib.domain import (
    Case,
    CaseEvent,
    CaseStatus,
    CustomerRef,
    Order,
    OrderItem,
    Shipment,
    ShipmentNode,
    ShipmentRef,
    ShipmentStatus,
)

CN = timezone(timedelta(hours=8))


def cn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """A China-time instant, returned in UTC as the store keeps it."""
    return datetime(y, mo, d, h, mi, s, tzinfo=CN).astimezone(UTC)


def make_order(**overrides: Any) -> Order:
    fields: dict[str, Any] = {
        "shop": "shop-a",
        "order_no": "6926112200000012345",
        "amount": 199.0,
        "paid_at": cn(2026, 11, 1, 10),
        "items": [OrderItem(sku="CUP-1", name="保温杯", qty=1, price=199.0)],
        "shipments": [ShipmentRef(carrier="yuantong", tracking_no="YT0000000000000")],
    }
    tags = overrides.pop("tags", None)
    if tags is not None:
        fields["items"] = [OrderItem(sku="X-1", name="商品", price=99.0, tags=tuple(tags))]
    fields.update(overrides)
    return Order(**fields)


def make_shipment(delivered: datetime | None = None, **overrides: Any) -> Shipment:
    nodes = [ShipmentNode(time=cn(2026, 11, 2, 18), place="杭州", text="已揽收", status=ShipmentStatus.IN_TRANSIT)]
    status = ShipmentStatus.IN_TRANSIT
    if delivered is not None:
        nodes.append(ShipmentNode(time=delivered, place="上海", text="已签收", status=ShipmentStatus.DELIVERED))
        status = ShipmentStatus.DELIVERED
    fields: dict[str, Any] = {
        "carrier": "yuantong", "tracking_no": "YT0000000000000", "status": status, "events": nodes,
        "order_no": "6926112200000012345", "shop": "shop-a",
    }
    fields.update(overrides)
    return Shipment(**fields)


def make_case(**overrides: Any) -> Case:
    fields: dict[str, Any] = {
        "case_id": "c-100",
        "shop": "shop-a",
        "customer": CustomerRef(channel="wechat", account="demo-oa", user="oABC"),
        "channel": "wechat",
        "account": "demo-oa",
        "status": CaseStatus.OPEN,
        "issue": "changed_mind",
        "request": "return_refund",
        "order_no": "6926112200000012345",
        "created_at": cn(2026, 11, 20, 9),
        "updated_at": cn(2026, 11, 20, 9),
        "last_customer_message_at": cn(2026, 11, 20, 9),
    }
    fields.update(overrides)
    return Case(**fields)


def event(case_id: str, at: datetime, type_: str, *, visible: bool = False, actor: str = "system",
          reason: str = "", **data: Any) -> CaseEvent:
    return CaseEvent(case_id=case_id, at=at, type=type_, actor=actor, reason=reason, data=data,
                     customer_visible=visible)


def status_event(case_id: str, at: datetime, frm: CaseStatus, to: CaseStatus, reason: str = "") -> CaseEvent:
    from chalicelib.domain import label

    return event(case_id, at, "status", visible=label(frm) != label(to), reason=reason,
                 **{"from": frm.value, "to": to.value, "label": label(to)})
