"""What ingress hands the triage worker through the inbound queue (one JSON body per task)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import CustomerRef, InboundMessage, Order, Shipment


class _Task(BaseModel):
    model_config = ConfigDict(frozen=True)

    dedupe_id: str  # the channel's own id for this delivery; FIFO dedup id and SEEN key
    channel: str
    account: str
    shop: str

    @property
    def group(self) -> str:
        """FIFO message group: per customer where known, else per account."""
        return f"{self.channel}#{self.account}"


class MessageReceived(_Task):
    """A customer wrote something."""

    type: Literal["message.received"] = "message.received"
    message: InboundMessage

    @property
    def group(self) -> str:
        return self.message.customer.key


class OrderUpserted(_Task):
    """A shop system or platform reported an order (and maybe its shipments)."""

    type: Literal["order.upserted"] = "order.upserted"
    order: Order


class ShipmentUpdated(_Task):
    """A carrier or shop system reported a shipment state (a full snapshot)."""

    type: Literal["shipment.updated"] = "shipment.updated"
    shipment: Shipment


class PlatformEvent(_Task):
    """A platform after-sale or other structured event (e.g. 抖店 tags 200–227)."""

    type: Literal["platform.event"] = "platform.event"
    kind: str
    customer: CustomerRef | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def group(self) -> str:
        return self.customer.key if self.customer else f"{self.channel}#{self.account}"


Task = Annotated[MessageReceived | OrderUpserted | ShipmentUpdated | PlatformEvent, Field(discriminator="type")]


class TaskEnvelope(BaseModel):
    """The inbound queue body."""

    task: Task
