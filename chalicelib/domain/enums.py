"""Every status, channel and label kind as a StrEnum; persisted by `.value`."""

from __future__ import annotations

from enum import StrEnum


class ChannelId(StrEnum):
    """A channel a message, order or shipment comes from or goes to."""

    WECHAT = "wechat"
    WECOM = "wecom"
    WECOM_KF = "wecom_kf"  # WeCom 微信客服: external WeChat users, messages pulled with kf/sync_msg
    DOUYIN = "douyin"
    DOUDIAN = "doudian"
    SMS = "sms"
    KUAIDI100 = "kuaidi100"
    WEBHOOK = "webhook"


class CaseStatus(StrEnum):
    """Case lifecycle of DESIGN.md §4; `escalated` is a flag with a tier, not a status."""

    NEW = "new"
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    WAITING_LOGISTICS = "waiting_logistics"
    WAITING_PLATFORM = "waiting_platform"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    """p1 urgent, p2 normal, p3 low."""

    P1 = "p1"
    P2 = "p2"
    P3 = "p3"


class Direction(StrEnum):
    """Whether a stored message came from the customer or went to them."""

    INBOUND = "in"
    OUTBOUND = "out"


class OutboundKind(StrEnum):
    """Why an outbound message is sent; decides which channel rules apply."""

    PROGRESS = "progress"  # a progress-board update (stage change); never meets a response clock
    RECEIPT = "receipt"  # an immediate "we got it"; never meets a response clock
    AUTO_ANSWER = "auto_answer"  # an automated answer (tracking, FAQ, return decision)
    AGENT_REPLY = "agent_reply"  # a person's reply
    CSAT = "csat"  # the satisfaction survey
    NOTICE = "notice"  # a proactive notice (e.g. a carrier exception) before the customer asks


class ShipmentStatus(StrEnum):
    """Normalised carrier status (AfterShip-style tags)."""

    PENDING = "Pending"
    INFO_RECEIVED = "InfoReceived"
    IN_TRANSIT = "InTransit"
    OUT_FOR_DELIVERY = "OutForDelivery"
    ATTEMPT_FAIL = "AttemptFail"
    AVAILABLE_FOR_PICKUP = "AvailableForPickup"
    DELIVERED = "Delivered"
    EXCEPTION = "Exception"
    EXPIRED = "Expired"
