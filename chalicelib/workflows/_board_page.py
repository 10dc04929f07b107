"""HTML of the customer's progress page (and its error pages): escaped fragments in one template."""

from __future__ import annotations

import string
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from chalicelib.domain import (
    CaseEvent,
    CaseStatus,
    Direction,
    Message,
    Order,
    Shipment,
    ShipmentNode,
    label,
)

from ._texts import carrier_name, fmt_time, load_template, text, texts

if TYPE_CHECKING:
    from chalicelib.domain import Case

    from .board import Stage

APPROVED = frozenset({"auto_approve", "approved"})
_MESSAGE_LIMIT = 200


def render(
    stages: list[Stage], case: Case, events: list[CaseEvent], messages: list[Message],
    order: Order | None, shipments: list[Shipment], now: datetime,
) -> str:
    """The whole page; every value that came from data is escaped here."""
    parts = [_stages_html(stages), _order_html(order), _instructions_html(events), _timeline_html(events, messages),
             _shipments_html(shipments)]
    footer = f"更新于 {escape(fmt_time(now))}"
    return _page(text("board", "title"), "\n".join(p for p in parts if p), footer)


def render_error(status: int) -> str:
    """The page shown for a wrong or expired link (403) or an unknown case (404)."""
    key = "forbidden" if status == 403 else "not_found"
    title = text("board", f"{key}_title")
    body = f'<section class="error" data-status="{status}"><p>{escape(text("board", f"{key}_body"))}</p></section>'
    return _page(title, body, "")


def _page(title: str, body: str, footer: str) -> str:
    return string.Template(load_template("board.html")).substitute(title=escape(title), body=body, footer=footer)


def _stages_html(stages: list[Stage]) -> str:
    items = []
    current = None
    for s in stages:
        aria = ' aria-current="step"' if s.current else ""
        when = f"<time>{escape(fmt_time(s.at))}</time>" if s.at and s.state != "todo" else ""
        items.append(f'<li class="stage {s.state}" data-stage="{s.key}"{aria}>{escape(s.label)}{when}</li>')
        current = s if s.current else current
    nxt = ""
    if current is not None and current.next_step:
        due_text = text("board", "due", due=fmt_time(current.due)) if current.due else ""
        due = f' <span class="due">{escape(due_text)}</span>' if due_text else ""
        nxt = f'<p class="next">{escape(current.next_step)}{due}</p>'
    return f'<section class="progress"><ol class="stages">{"".join(items)}</ol>{nxt}</section>'


def _order_html(order: Order | None) -> str:
    if order is None:
        return ""
    names = "、".join(item.name or item.sku for item in order.items)
    masked = f"…{order.order_no[-6:]}" if len(order.order_no) > 6 else order.order_no
    return f'<section class="order"><p>订单 {escape(masked)}　{escape(names)}</p></section>'


def _instructions_html(events: list[CaseEvent]) -> str:
    approved = [e for e in events if e.customer_visible and e.type == "decision.return"
                and e.data.get("outcome") in APPROVED and e.data.get("instructions")]
    if not approved:
        return ""
    latest = max(approved, key=lambda e: e.at)
    return (f'<section class="instructions"><h2>{escape(text("board", "instructions"))}</h2>'
            f'<p>{escape(str(latest.data["instructions"]))}</p></section>')


def _timeline_html(events: list[CaseEvent], messages: list[Message]) -> str:
    items: list[tuple[datetime, str, str]] = []
    for e in events:
        line = _event_text(e) if e.customer_visible else None
        if line:
            items.append((e.at, e.type, line))
    for m in messages:
        if _shown(m):
            items.append((m.at, "reply", text("board", "agent_reply", text=m.text[:_MESSAGE_LIMIT])))
    items.sort(key=lambda item: item[0], reverse=True)
    rows = "".join(f'<li data-type="{escape(kind)}"><time class="at">{escape(fmt_time(at))}</time>{escape(line)}</li>'
                   for at, kind, line in items)
    rows = rows or f'<li>{escape(text("board", "no_timeline"))}</li>'
    title = escape(text("board", "timeline"))
    return f'<section class="timeline-box"><h2>{title}</h2><ul class="timeline">{rows}</ul></section>'


def _event_text(e: CaseEvent) -> str | None:
    """What the customer reads for a visible event; never its `reason` (which may be internal)."""
    if e.type in ("status", "created"):
        to = e.data.get("label") or _label_of(e.data.get("to"))
        return text("board", "status_update", label=to) if to else None
    template = texts("events").get(e.type)
    if template is not None:
        try:
            return str(template).format(**e.data) or None
        except (KeyError, IndexError, ValueError):
            return None
    customer_text = e.data.get("customer_text")
    return str(customer_text) if customer_text else None


def _label_of(status: Any) -> str | None:
    try:
        return label(CaseStatus(status))
    except ValueError:
        return None


def _shown(m: Message) -> bool:
    """Replies the customer was sent by a person; never notes, internal or failed messages."""
    return (m.direction is Direction.OUTBOUND and m.author.startswith("agent:") and m.kind == "text"
            and m.delivery != "failed" and not m.labels.get("internal") and bool(m.text))


def _shipments_html(shipments: list[Shipment]) -> str:
    if not shipments:
        return ""
    statuses = texts("shipment_status")
    blocks = []
    for s in shipments:
        nodes = "".join(_node_html(n) for n in sorted(s.events, key=lambda n: n.time, reverse=True))
        head = f"{carrier_name(s.carrier)} {s.tracking_no} · {statuses.get(s.status.value, s.status.value)}"
        attrs = f'data-tracking="{escape(s.tracking_no)}" data-status="{escape(s.status.value)}"'
        blocks.append(f'<article class="shipment" {attrs}><header>{escape(head)}</header>'
                      f'<ol class="nodes">{nodes}</ol></article>')
    return f'<section class="shipments"><h2>{escape(text("board", "shipments"))}</h2>{"".join(blocks)}</section>'


def _node_html(n: ShipmentNode) -> str:
    where = " ".join(p for p in (n.place, n.text) if p)
    return f'<li><time class="at">{escape(fmt_time(n.time))}</time>{escape(where)}</li>'
