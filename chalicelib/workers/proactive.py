"""Shipment news on a customer's case, and proactive cases for carrier exceptions before they ask."""

from __future__ import annotations

import logging
from typing import Any

from .. import analytics
from ..domain import Case, CaseEvent, CaseStatus, Order, OutboundKind, Priority, Shipment, ShipmentStatus, transition
from . import outbox, returns_flow
from .slaplan import SlaPlan

log = logging.getLogger("shouhou.proactive")
_EXCEPTION_ISSUE = {"damaged": ("破损",), "lost": ("丢", "遗失", "abort", "无记录")}


def exception_issue(shipment: Shipment) -> str:
    """Which issue a carrier exception is: damaged, lost, or a shipping problem (拒签, 退回 …)."""
    from ..channels.kuaidi100 import proactive_issue

    known = proactive_issue(shipment.raw_state)  # Kuaidi100 state codes
    if known:
        return known
    raw = f"{shipment.raw_state or ''} {shipment.latest.text if shipment.latest else ''}"
    for issue, words in _EXCEPTION_ISSUE.items():
        if any(w in raw for w in words):
            return issue
    return "shipping"


def notify_shipment(deps: Any, case: Case | None, order: Order | None, shipment: Shipment, fresh: list[Any], changed: bool) -> None:
    """Put shipment news on the open case (and tell the customer), or open a case for an exception."""
    now = deps.clock.now()
    if case is None:
        if shipment.status is ShipmentStatus.EXCEPTION and order is not None and order.customer is not None and changed:
            _open_exception_case(deps, order, shipment, now)
        return

    recorded: list[CaseEvent] = []
    sla = SlaPlan(deps)

    def mutate(c: Case) -> list[CaseEvent]:
        latest = shipment.latest
        events = [CaseEvent(case_id=c.case_id, at=now, type="shipment", actor=f"carrier:{shipment.carrier}",
                            reason=f"{shipment.tracking_no}: {shipment.status.value}",
                            data={"tracking_no": shipment.tracking_no, "status": shipment.status.value,
                                  "node": latest.model_dump(mode="json") if latest else None, "new_nodes": len(fresh)},
                            customer_visible=True)]
        delivered = changed and shipment.status is ShipmentStatus.DELIVERED
        if delivered and returns_flow.is_return_parcel(c, shipment):
            events += returns_flow.received(c, order, now, sla)
        elif delivered and c.status is CaseStatus.WAITING_LOGISTICS:
            moved = [transition(c, CaseStatus.OPEN, now=now, actor="carrier", reason="parcel delivered")]
            events += moved + sla.follow(c, moved, now)
        recorded[:] = events
        return events

    saved = deps.repo.update_case(case.case_id, mutate)
    sla.apply()
    analytics.on_case_events(deps, saved, recorded, now)
    deps.outbound.send_many(outbox.progress_updates(deps, saved, recorded, now))
    if changed:
        text = f"您的包裹 {shipment.tracking_no} 最新状态：{shipment.latest.text if shipment.latest else shipment.status.value}"
        msg = outbox.message_for(deps, saved, OutboundKind.PROGRESS, text,
                                 key=f"ship:{shipment.tracking_no}:{shipment.status.value}", now=now)
        deps.outbound.send_many([msg])


def _open_exception_case(deps: Any, order: Order, shipment: Shipment, now: Any) -> None:
    customer = order.customer
    issue = exception_issue(shipment)
    case = Case(case_id=deps.ids(now), shop=order.shop, customer=customer, channel=customer.channel,
                account=customer.account, created_at=now, updated_at=now, issue=issue, request="info",
                priority=Priority.P2, responsibility="logistics", scenario="experience", phone=order.phone,
                order_no=order.order_no, reasons=[f"carrier exception on {shipment.tracking_no}: {shipment.raw_state}"])
    events = [
        CaseEvent(case_id=case.case_id, at=now, type="created", actor=f"carrier:{shipment.carrier}",
                  reason=f"proactive: carrier reported {shipment.raw_state or shipment.status.value}",
                  data={"to": "new", "label": "已受理", "tracking_no": shipment.tracking_no}, customer_visible=True),
    ]
    sla = SlaPlan(deps)
    events += sla.trigger(case, "opened", now)
    moved = [transition(case, CaseStatus.WAITING_LOGISTICS, now=now, actor="system", reason="waiting on the carrier")]
    events += moved + sla.follow(case, moved, now)
    node = shipment.latest.text if shipment.latest else shipment.raw_state
    text = (f"您好，您的订单 {order.order_no} 的包裹（{shipment.tracking_no}）出现异常：{node}。"
            f"我们已为您登记售后单 {case.case_id}，正在与快递核实，会第一时间告知进展。")
    notice = outbox.message_for(deps, case, OutboundKind.NOTICE, text, key=f"exception:{shipment.tracking_no}", now=now)
    key = f"exception:{shipment.carrier}:{shipment.tracking_no}:{shipment.raw_state}"
    if deps.repo.seen(key) is not None:
        return
    deps.repo.create_case(case, events=events, claim=(key, deps.settings.seen_ttl_s, {"case_id": case.case_id}))
    sla.apply()
    analytics.on_case_events(deps, case, events, now)
    deps.outbound.send_many([notice])
    log.info("proactive case %s for %s %s", case.case_id, shipment.carrier, shipment.tracking_no)
