"""Domain models: what a message, case, order and shipment are, independent of storage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .enums import CaseStatus, ChannelId, Direction, OutboundKind, Priority, ShipmentStatus


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CustomerRef(_Frozen):
    """Who a customer is on one channel account (an openid, a Douyin open_id, a phone, an ERP id)."""

    channel: str
    account: str
    user: str

    @property
    def key(self) -> str:
        """The stable customer key used for threading and FIFO grouping."""
        return f"{self.channel}#{self.account}#{self.user}"


class Attachment(_Frozen):
    """A media or structured part of a message, kept by reference (never the bytes)."""

    kind: str  # image | voice | video | location | link | file | emoji | card
    url: str | None = None
    media_id: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class InboundMessage(_Frozen):
    """One customer message from any channel, normalised."""

    channel: ChannelId
    account: str
    shop: str
    message_id: str  # the channel's own id, used for dedupe
    customer: CustomerRef
    kind: str = "text"  # text | image | voice | video | location | link | event | ...
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    received_at: datetime
    order_no: str | None = None
    phone: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class OrderItem(_Frozen):
    """A line of an order; `tags` carries category exclusions (定制, 生鲜 …)."""

    sku: str
    name: str = ""
    qty: int = 1
    price: float = 0.0
    tags: tuple[str, ...] = ()


class ShipmentRef(_Frozen):
    """An order's pointer to a shipment."""

    carrier: str
    tracking_no: str
    shipped_at: datetime | None = None


class Order(BaseModel):
    """An order as the shop system or platform reported it."""

    model_config = ConfigDict(extra="allow")

    shop: str
    order_no: str
    customer: CustomerRef | str | None = None
    phone: str | None = None
    amount: float | None = None
    paid_at: datetime | None = None
    promised_ship_by: datetime | None = None
    delivered_at: datetime | None = None
    items: list[OrderItem] = Field(default_factory=list)
    shipments: list[ShipmentRef] = Field(default_factory=list)
    freight_insurance: bool = False  # 运费险
    updated_at: datetime | None = None


class ShipmentNode(_Frozen):
    """One tracking node: when, where, what."""

    time: datetime
    place: str = ""
    text: str = ""
    status: ShipmentStatus | None = None
    raw_code: str | None = None


class Shipment(BaseModel):
    """A parcel's normalised tracking state."""

    carrier: str
    tracking_no: str
    status: ShipmentStatus = ShipmentStatus.PENDING
    raw_state: str | None = None
    order_no: str | None = None
    shop: str | None = None
    events: list[ShipmentNode] = Field(default_factory=list)
    delivered_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def latest(self) -> ShipmentNode | None:
        """The newest tracking node, if any."""
        return max(self.events, key=lambda n: n.time) if self.events else None


class CaseEvent(_Frozen):
    """A timeline entry: every state change and automated decision, with its reason."""

    case_id: str
    at: datetime
    type: str  # e.g. created, message, status, labels, sla.*, outbound.*, decision.*
    actor: str = "system"  # system | customer | agent:<id> | sla | channel:<name>
    reason: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    customer_visible: bool = False


class Message(_Frozen):
    """A stored message on a case, either direction."""

    case_id: str
    message_id: str
    direction: Direction
    channel: str
    at: datetime
    kind: str = "text"
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    author: str = "customer"  # customer | system | agent:<id>
    delivery: str | None = None  # queued | sent | failed (outbound only)
    labels: dict[str, Any] = Field(default_factory=dict)


class Case(BaseModel):
    """An after-sales case: the aggregate the triage worker, SLA engine and agents change."""

    model_config = ConfigDict(validate_assignment=True)

    case_id: str
    shop: str
    customer: CustomerRef
    channel: str
    account: str
    status: CaseStatus = CaseStatus.NEW
    issue: str | None = None
    request: str | None = None
    priority: Priority = Priority.P2
    sentiment: str | None = None
    sentiment_score: float | None = None
    responsibility: str | None = None
    scenario: str | None = None
    confidence: dict[str, float] = Field(default_factory=dict)
    keywords: list[str] = Field(default_factory=list)
    entities: dict[str, Any] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list)
    order_no: str | None = None
    phone: str | None = None
    assignee: str | None = None
    queue: str = "default"
    escalated: bool = False
    escalation_tier: int = 0
    sla: dict[str, Any] = Field(default_factory=dict)  # per-clock state, owned by chalicelib.sla
    flags: dict[str, Any] = Field(default_factory=dict)  # e.g. aftersale_id, evidence_pack, csat
    message_count: int = 0
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    last_customer_message_at: datetime | None = None
    last_reply_at: datetime | None = None
    version: int = 0


class OutboundMessage(_Frozen):
    """Something to say to a customer on their channel: a progress update, an answer or a reply."""

    outbound_id: str  # stable id: retries and redeliveries never send twice
    case_id: str
    shop: str
    channel: str
    account: str
    customer: CustomerRef
    kind: OutboundKind
    text: str
    status: CaseStatus | None = None
    status_label: str | None = None
    board_url: str | None = None
    phone: str | None = None
    created_at: datetime
    data: dict[str, Any] = Field(default_factory=dict)
