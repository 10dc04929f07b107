"""Generic webhook events (DESIGN.md §7) → domain tasks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...domain import ChannelId, CustomerRef, InboundMessage, Order, Shipment, ShipmentNode, ShipmentStatus
from ...domain.tasks import MessageReceived, OrderUpserted, ShipmentUpdated
from ..base import TaskT
from ..errors import PayloadInvalid


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class _MessageData(_Loose):
    message_id: str = Field(min_length=1)
    customer: str | CustomerRef
    text: str = ""
    order_no: str | None = None
    phone: str | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)


class _Event(BaseModel):
    type: str
    data: dict[str, Any]


def _customer(value: str | CustomerRef, account: str) -> CustomerRef:
    if isinstance(value, CustomerRef):
        return value
    return CustomerRef(channel=ChannelId.WEBHOOK.value, account=account, user=value)


def parse(body: bytes, *, msg_id: str, account: str, shop: str, now: datetime) -> TaskT:
    """One webhook body → one task; unknown fields are kept in `meta`/extra.

    Raises:
        PayloadInvalid: not JSON, unknown type, or a required field missing.
    """
    try:
        event = _Event.model_validate(json.loads(body))
        return _PARSERS[event.type](event.data, msg_id=msg_id, account=account, shop=shop, now=now)
    except (ValueError, ValidationError) as exc:  # JSONDecodeError is a ValueError
        raise PayloadInvalid(_describe(exc)) from exc
    except KeyError as exc:
        raise PayloadInvalid(f"unknown event type {exc.args[0]!r}") from exc


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
    return "body is not valid JSON"


def _message(data: dict[str, Any], *, msg_id: str, account: str, shop: str, now: datetime) -> TaskT:
    d = _MessageData.model_validate(data)
    known = set(_MessageData.model_fields)
    message = InboundMessage(
        channel=ChannelId.WEBHOOK, account=account, shop=shop, message_id=d.message_id,
        customer=_customer(d.customer, account), text=d.text, received_at=now, order_no=d.order_no,
        phone=d.phone, meta={k: v for k, v in data.items() if k not in known},
    )
    return MessageReceived(dedupe_id=msg_id, channel="webhook", account=account, shop=shop, message=message)


def _order(data: dict[str, Any], *, msg_id: str, account: str, shop: str, now: datetime) -> TaskT:
    order = Order.model_validate({**data, "shop": shop, "updated_at": now})
    if isinstance(order.customer, str):
        order.customer = _customer(order.customer, account)
    return OrderUpserted(dedupe_id=msg_id, channel="webhook", account=account, shop=shop, order=order)


class _ShipmentData(_Loose):
    carrier: str = Field(min_length=1)
    tracking_no: str = Field(min_length=1)
    status: ShipmentStatus
    order_no: str | None = None
    events: list[ShipmentNode] = Field(default_factory=list)


def _shipment(data: dict[str, Any], *, msg_id: str, account: str, shop: str, now: datetime) -> TaskT:
    d = _ShipmentData.model_validate(data)
    delivered = max((e.time for e in d.events), default=now) if d.status is ShipmentStatus.DELIVERED else None
    shipment = Shipment(
        carrier=d.carrier, tracking_no=d.tracking_no, status=d.status, raw_state=d.status.value,
        order_no=d.order_no, shop=shop, events=d.events, delivered_at=delivered, updated_at=now,
    )
    return ShipmentUpdated(dedupe_id=msg_id, channel="webhook", account=account, shop=shop, shipment=shipment)


_PARSERS = {"message.received": _message, "order.upserted": _order, "shipment.updated": _shipment}
