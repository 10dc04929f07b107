"""The workers' and the work API's one call each: turn what just happened into aggregate increments.

Recording never fails the journey that calls it: the case is already saved, so an aggregate write
error is logged and dropped (reports then under-count by one, they never block a customer).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..domain import Case, CaseEvent, OutboundKind, OutboundMessage, Shipment, ShipmentStatus
from . import facts
from .dynamo import DynamoAggregates

log = logging.getLogger("shouhou.analytics")
ONCE_TTL_S = 400 * 86400
ANSWERS = {OutboundKind.AUTO_ANSWER: "auto", OutboundKind.AGENT_REPLY: "human"}
EXCEPTIONS = {ShipmentStatus.EXCEPTION, ShipmentStatus.ATTEMPT_FAIL, ShipmentStatus.EXPIRED}


def aggregates(deps: Any) -> Any:
    """The aggregate store of `deps` (an `aggregates=` override, else the Dynamo one on the case table)."""
    if "aggregates" not in deps.overrides:
        deps.overrides["aggregates"] = DynamoAggregates(deps.client("dynamodb"), deps.settings.table_name)
    return deps.overrides["aggregates"]


def on_case_events(deps: Any, case: Case, events: Sequence[CaseEvent], now: datetime) -> None:
    """Count what `events` (saved on `case` just now) mean for the reports: opened, resolved, CSAT, SLA…"""
    if not events:
        return
    try:
        created = any(e.type == "created" for e in events)
        order = deps.repo.get_order(case.shop, case.order_no) if created and case.order_no else None
        store = aggregates(deps)
        for bump in facts.case_facts(case, events, order):
            store.add(case.shop, bump, today=facts.day_of(now))
    except Exception:
        log.exception("analytics: case %s events not counted", case.case_id)


def on_outbound(deps: Any, message: OutboundMessage, state: str, now: datetime) -> None:
    """Count a case's first answer (automated or human) once: first-response time and automation rate."""
    kind = ANSWERS.get(message.kind)
    if state != "sent" or kind is None:
        return
    try:
        if not deps.repo.claim(f"agg:first:{message.case_id}", ONCE_TTL_S, {"kind": kind}):
            return
        case = deps.repo.get_case(message.case_id)
        if case is not None:
            aggregates(deps).add(case.shop, facts.first_response(case, now, kind), today=facts.day_of(now))
    except Exception:
        log.exception("analytics: first response of %s not counted", message.case_id)


def on_shipment(deps: Any, shipment: Shipment, now: datetime) -> None:
    """Count each parcel once per carrier, and its first exception once (per-carrier exception rate)."""
    if not shipment.shop:
        return
    try:
        store = aggregates(deps)
        base = f"agg:parcel:{shipment.carrier}:{shipment.tracking_no}"
        if deps.repo.claim(base, ONCE_TTL_S, {}):
            store.add(shipment.shop, facts.parcel(facts.plain(shipment.carrier), now, exception=False), today=facts.day_of(now))
        if shipment.status in EXCEPTIONS and deps.repo.claim(f"{base}:exc", ONCE_TTL_S, {}):
            store.add(shipment.shop, facts.parcel(facts.plain(shipment.carrier), now, exception=True), today=facts.day_of(now))
    except Exception:
        log.exception("analytics: shipment %s not counted", shipment.tracking_no)
