"""Builders of orders, shipments and cases for the workflow tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from chalicelib.domain import (
    Case,
    CaseEvent,
    CaseStatus,
    CustomerRef,
    Message,
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


def walked_return_case() -> dict[str, Any]:
    """A no-reason return walked through: request → review → approved → return shipped → refunded."""
    from chalicelib.domain import Direction

    S = CaseStatus
    cid = "c-walk-1"
    case = make_case(case_id=cid, status=S.RESOLVED, created_at=cn(2026, 11, 12, 10), updated_at=cn(2026, 11, 15, 16),
                     resolved_at=cn(2026, 11, 15, 16),
                     flags={"return_shipment": {"carrier": "shunfeng", "tracking_no": "SF1234567890123"}})
    events = [
        status_event(cid, cn(2026, 11, 12, 10, 0, 5), S.NEW, S.OPEN, reason="triage: issue=changed_mind"),
        event(cid, cn(2026, 11, 12, 10, 0, 6), "decision.return", visible=True, reason="needs_review: amount_threshold",
              outcome="needs_review", customer_text="您的售后申请已提交，客服会在 72 小时内审核并回复您。",
              trace=[{"condition": "amount_within_threshold", "value": {"amount": 399.0, "limit": 300.0},
                      "passed": False, "rule": "amount_threshold"}], review_queue="returns"),
        event(cid, cn(2026, 11, 12, 11), "note", actor="agent:7", reason="老客户，内部备注：优先处理"),
        event(cid, cn(2026, 11, 12, 15), "decision.return", visible=True, actor="agent:7", reason="approved by agent",
              outcome="approved", customer_text="您的退货申请已通过。",
              instructions="请在 7 天内将商品寄回：浙江省杭州市余杭区文一西路 1 号 A 座 售后仓（收件人 张三）"),
        status_event(cid, cn(2026, 11, 12, 15, 0, 1), S.OPEN, S.WAITING_CUSTOMER),
        event(cid, cn(2026, 11, 13, 9), "return.shipped", visible=True, carrier="顺丰速运",
              tracking_no="SF1234567890123"),
        status_event(cid, cn(2026, 11, 13, 9, 0, 1), S.WAITING_CUSTOMER, S.WAITING_LOGISTICS),
        event(cid, cn(2026, 11, 15, 15), "return.received", visible=True),
        event(cid, cn(2026, 11, 15, 16), "refund", visible=True, amount="399.00", refund_id="RF-1"),
        status_event(cid, cn(2026, 11, 15, 16, 0, 1), S.WAITING_LOGISTICS, S.RESOLVED),
        event(cid, cn(2026, 11, 15, 16, 0, 2), "sla.met", reason="resolution met"),
    ]
    messages = [
        Message(case_id=cid, message_id="m1", direction=Direction.INBOUND, channel="wechat",
                at=cn(2026, 11, 12, 10), text="不想要了，想退货"),
        Message(case_id=cid, message_id="m2", direction=Direction.OUTBOUND, channel="wechat",
                at=cn(2026, 11, 12, 15, 1), text="已同意退货，寄回后请告诉我快递单号", author="agent:7",
                delivery="sent"),
        Message(case_id=cid, message_id="m3", direction=Direction.OUTBOUND, channel="wechat",
                at=cn(2026, 11, 12, 15, 2), text="内部：此客户曾多次退货", author="agent:7",
                labels={"internal": True}),
    ]
    order = make_order(amount=399.0, delivered_at=cn(2026, 11, 10, 9))
    shipments = [
        make_shipment(cn(2026, 11, 10, 9)),
        Shipment(carrier="shunfeng", tracking_no="SF1234567890123", status=ShipmentStatus.DELIVERED,
                 events=[ShipmentNode(time=cn(2026, 11, 13, 10), place="上海", text="已揽收"),
                         ShipmentNode(time=cn(2026, 11, 15, 11), place="杭州 售后仓", text="已签收",
                                      status=ShipmentStatus.DELIVERED)]),
    ]
    return {"case": case, "events": events, "messages": messages, "order": order, "shipments": shipments}


class BoardRepo:
    """The read side of a CaseRepository, in memory; records which cases were read."""

    def __init__(self, case: Case, events: list[CaseEvent], messages: list[Message], order: Order,
                 shipments: list[Shipment]) -> None:
        self.cases = {case.case_id: case}
        self.events = {case.case_id: events}
        self.messages = {case.case_id: messages}
        self.orders = {(order.shop, order.order_no): order}
        self.shipments = {(s.carrier, s.tracking_no): s for s in shipments}
        self.reads: list[str] = []

    def get_case(self, case_id: str) -> Case | None:
        self.reads.append(case_id)
        return self.cases.get(case_id)

    def list_events(self, case_id: str) -> list[CaseEvent]:
        return list(self.events.get(case_id, []))

    def list_messages(self, case_id: str) -> list[Message]:
        return list(self.messages.get(case_id, []))

    def get_order(self, shop: str, order_no: str) -> Order | None:
        return self.orders.get((shop, order_no))

    def get_shipment(self, carrier: str, tracking_no: str) -> Shipment | None:
        return self.shipments.get((carrier, tracking_no))

    def find_shipment(self, tracking_no: str) -> Shipment | None:
        return next((s for s in self.shipments.values() if s.tracking_no == tracking_no), None)
