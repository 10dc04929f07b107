"""Pure domain: models, the case state machine, threading, ports. Imports nothing of ours."""

from __future__ import annotations

from .enums import CaseStatus, ChannelId, Direction, OutboundKind, Priority, ShipmentStatus
from .errors import CaseNotFound, DomainError, DuplicateMessage, InvalidTransition
from .lifecycle import can_transition, joins_existing, label, transition
from .models import (
    Attachment,
    Case,
    CaseEvent,
    CustomerRef,
    InboundMessage,
    Message,
    Order,
    OrderItem,
    OutboundMessage,
    Shipment,
    ShipmentNode,
    ShipmentRef,
)

__all__ = [
    "Attachment", "Case", "CaseEvent", "CaseNotFound", "CaseStatus", "ChannelId", "CustomerRef",
    "Direction", "DomainError", "DuplicateMessage", "InboundMessage", "InvalidTransition", "Message",
    "Order", "OrderItem", "OutboundKind", "OutboundMessage", "Priority", "Shipment", "ShipmentNode",
    "ShipmentRef", "ShipmentStatus", "can_transition", "joins_existing", "label", "transition",
]
