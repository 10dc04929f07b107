"""The conditions return rules can name: pure functions of the facts and the shop's policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain import Order, Priority, Shipment, ShipmentStatus

from ._texts import china, fmt_time


class Address(BaseModel):
    """Where returned goods go."""

    name: str
    phone: str
    address: str


class ShopPolicy(BaseModel):
    """The thresholds and lists one shop's returns are judged by ([defaults] plus [shops.<shop>])."""

    model_config = ConfigDict(extra="forbid")

    window_days: int = 7
    fault_window_days: int = 15
    auto_approve_max_amount: float = 200.0
    serial_returns_90d: int = 3
    excluded_tags: list[str] = Field(default_factory=list)
    excluded_if_opened: list[str] = Field(default_factory=list)
    fault_issues: list[str] = Field(default_factory=list)
    logistics_issues: list[str] = Field(default_factory=list)
    return_days: int = 7
    review_queue: str = "returns"
    senior_queue: str = "senior"
    pickup: bool = False
    return_address: Address | None = None


@dataclass(frozen=True)
class ReturnFacts:
    """Everything a return decision looks at; `amount` defaults to the order amount."""

    request: str | None
    issue: str | None
    priority: Priority | str
    order: Order | None
    shipment: Shipment | None
    now: datetime
    goods_intact: bool | None = None
    returns_in_90d: int = 0
    shop: str = ""
    opened: bool | None = None
    amount: float | None = None


def delivered_at(facts: ReturnFacts) -> datetime | None:
    """When the parcel was signed for: the shipment's Delivered time, else the order's."""
    shipment = facts.shipment
    if shipment is not None:
        if shipment.delivered_at is not None:
            return shipment.delivered_at
        signed = [n.time for n in shipment.events if n.status is ShipmentStatus.DELIVERED]
        if signed:
            return min(signed)
        if shipment.status is ShipmentStatus.DELIVERED and shipment.latest is not None:
            return shipment.latest.time
    return facts.order.delivered_at if facts.order is not None else None


def day_after_delivery(facts: ReturnFacts) -> int | None:
    """Which day of the window `now` is: 1 = 签收次日 (China dates); 0 = the delivery day itself."""
    signed = delivered_at(facts)
    if signed is None:
        return None
    return (china(facts.now).date() - china(signed).date()).days


# ---- checks: (facts, policy) -> (passed, value, values for the reason text) ----------------------

CheckResult = tuple[bool, Any, dict[str, Any]]


def _order_known(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    return f.order is not None, f.order.order_no if f.order else None, {}


def _not_p1(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    return str(f.priority) != Priority.P1.value, str(f.priority), {}


def _no_excluded_tag(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    tags = {t for item in (f.order.items if f.order else []) for t in item.tags}
    hit = sorted(tags & set(p.excluded_tags))
    if f.opened or f.goods_intact is False:
        hit += sorted(tags & set(p.excluded_if_opened))
    return not hit, hit, {"tags": "、".join(hit)}


def _within_window(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    day = day_after_delivery(f)
    signed = delivered_at(f)
    assert day is not None and signed is not None  # rule scope is "delivered"
    deadline = china(signed).date().toordinal() + p.window_days
    values = {"delivered": fmt_time(signed), "deadline": _date_text(deadline)}
    return day <= p.window_days, {"day": day, "limit": p.window_days}, values


def _within_fault_window(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    day = day_after_delivery(f) or 0
    return day <= p.fault_window_days, {"day": day, "limit": p.fault_window_days}, {}


def _intactness_known(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    return f.goods_intact is not None, f.goods_intact, {}


def _goods_intact(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    return f.goods_intact is not False, f.goods_intact, {}


def _amount_within_threshold(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    amount = _amount(f)
    return amount <= p.auto_approve_max_amount, {"amount": amount, "limit": p.auto_approve_max_amount}, {}


def _not_serial_returner(f: ReturnFacts, p: ShopPolicy) -> CheckResult:
    value = {"returns_in_90d": f.returns_in_90d, "limit": p.serial_returns_90d}
    return f.returns_in_90d < p.serial_returns_90d, value, {}


CHECKS: dict[str, Callable[[ReturnFacts, ShopPolicy], CheckResult]] = {
    "order_known": _order_known,
    "not_p1": _not_p1,
    "no_excluded_tag": _no_excluded_tag,
    "within_window": _within_window,
    "within_fault_window": _within_fault_window,
    "intactness_known": _intactness_known,
    "goods_intact": _goods_intact,
    "amount_within_threshold": _amount_within_threshold,
    "not_serial_returner": _not_serial_returner,
}


def _amount(f: ReturnFacts) -> float:
    if f.amount is not None:
        return f.amount
    return float(f.order.amount or 0.0) if f.order is not None else 0.0


def _date_text(ordinal: int) -> str:
    day = datetime.fromordinal(ordinal)
    return f"{day.month}月{day.day}日"
