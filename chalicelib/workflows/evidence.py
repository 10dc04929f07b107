"""Evidence pack for platform arbitration (淘宝介入 / 抖店仲裁): transcript, traces, decisions, actions."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from chalicelib.domain import Case, CaseEvent, Message, Order, Shipment, label

from ._texts import carrier_name, fmt_time, text, texts

__all__ = ["SCHEMA", "build", "build_zip"]

SCHEMA = "shouhou.evidence/1"
_INTERNAL_TYPES = frozenset({"note"})
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same pack always zips to the same bytes


def build(
    case: Case, messages: Iterable[Message], events: Iterable[CaseEvent], order: Order | None,
    shipments: Iterable[Shipment],
) -> dict[str, Any]:
    """Everything an arbitrator asks for, JSON-ready; internal notes stay out, phone numbers are masked."""
    msgs = sorted((m for m in messages if not _internal_message(m)), key=lambda m: m.at)
    evs = sorted((e for e in events if e.type not in _INTERNAL_TYPES), key=lambda e: e.at)
    parcels = list(shipments)
    return {
        "schema": SCHEMA,
        "case": _case(case),
        "summary": _summary(case, order, parcels, evs),
        "transcript": [_message(m) for m in msgs],
        "media": [_media(m, i, a) for m in msgs for i, a in enumerate(m.attachments)],
        "order": _order(order),
        "shipments": [_shipment(s) for s in parcels],
        "decisions": [_decision(e) for e in evs if e.type.startswith("decision.")],
        "agent_actions": [_event(e) for e in evs if e.actor.startswith("agent:")],
        "platform_events": [_event(e) for e in evs if e.actor.startswith("platform")],
        "timeline": [_event(e) for e in evs],
    }


def build_zip(pack: dict[str, Any]) -> bytes:
    """A zip of ``pack.json`` and ``attachments.txt`` (one media reference per line, no bytes)."""
    lines = ["# at\tmessage_id\tkind\turl\tmedia_id"]
    keys = ("at", "message_id", "kind", "url", "media_id")
    lines += ["\t".join(str(m.get(k) or "") for k in keys) for m in pack["media"]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in (("pack.json", json.dumps(pack, ensure_ascii=False, indent=2, sort_keys=True)),
                           ("attachments.txt", "\n".join(lines) + "\n")):
            zf.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), body.encode("utf-8"))
    return buffer.getvalue()


def _case(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id, "shop": case.shop, "channel": case.channel, "account": case.account,
        "aftersale_id": case.flags.get("aftersale_id"), "status": case.status.value, "status_label": label(case.status),
        "issue": case.issue, "request": case.request, "priority": case.priority.value,
        "responsibility": case.responsibility, "order_no": case.order_no, "created_at": _iso(case.created_at),
        "resolved_at": _iso(case.resolved_at),
    }


def _summary(case: Case, order: Order | None, shipments: list[Shipment], events: list[CaseEvent]) -> list[str]:
    unknown = text("evidence", "unknown")
    lines = [text("evidence", "case", case_id=case.case_id, at=fmt_time(case.created_at),
                  request=case.request or unknown, issue=case.issue or unknown)]
    if order is not None:
        lines.append(text("evidence", "order", order_no=order.order_no, amount=order.amount or 0,
                          paid=fmt_time(order.paid_at) or unknown))
    for s in shipments:
        state = texts("shipment_status").get(s.status.value, s.status.value)
        signed = text("evidence", "signed", at=fmt_time(s.delivered_at)) if s.delivered_at else ""
        lines.append(text("evidence", "shipment", carrier=carrier_name(s.carrier), tracking_no=s.tracking_no,
                          status=state, signed=signed))
    for e in events:
        if e.type.startswith("decision."):
            who = text("evidence", "agent" if e.actor.startswith("agent:") else "system")
            lines.append(text("evidence", "decision", at=fmt_time(e.at), who=who, outcome=e.data.get("outcome", ""),
                              reason=e.data.get("customer_text") or e.reason))
    return lines


def _message(m: Message) -> dict[str, Any]:
    return {"at": _iso(m.at), "direction": m.direction.value, "author": m.author, "channel": m.channel,
            "kind": m.kind, "text": _mask(m.text), "message_id": m.message_id,
            "attachments": [a.url or a.media_id for a in m.attachments], "delivery": m.delivery}


def _media(m: Message, index: int, a: Any) -> dict[str, Any]:
    return {"at": _iso(m.at), "message_id": m.message_id, "index": index, "kind": a.kind, "url": a.url,
            "media_id": a.media_id, "author": m.author}


def _order(order: Order | None) -> dict[str, Any] | None:
    if order is None:
        return None
    dumped = order.model_dump(mode="json", exclude={"customer"})
    dumped["phone"] = _mask(order.phone or "") or None
    return dumped


def _shipment(s: Shipment) -> dict[str, Any]:
    nodes = sorted(s.events, key=lambda n: n.time)
    return {"carrier": s.carrier, "carrier_name": carrier_name(s.carrier), "tracking_no": s.tracking_no,
            "status": s.status.value, "delivered_at": _iso(s.delivered_at),
            "nodes": [{"time": _iso(n.time), "place": n.place, "text": n.text,
                       "status": n.status.value if n.status else None} for n in nodes]}


def _decision(e: CaseEvent) -> dict[str, Any]:
    return {"at": _iso(e.at), "type": e.type, "actor": e.actor, "outcome": e.data.get("outcome"),
            "reason": e.reason, "customer_text": e.data.get("customer_text"), "rule": e.data.get("rule"),
            "trace": e.data.get("trace", []), "freight_payer": e.data.get("freight_payer")}


def _event(e: CaseEvent) -> dict[str, Any]:
    return {"at": _iso(e.at), "type": e.type, "actor": e.actor, "reason": e.reason,
            "data": json.loads(json.dumps(e.data, ensure_ascii=False, default=str))}


def _internal_message(m: Message) -> bool:
    return bool(m.labels.get("internal")) or m.kind == "note"


def _mask(value: str) -> str:
    return _PHONE.sub(r"\1****\2", value)


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
