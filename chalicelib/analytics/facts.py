"""What a batch of case events adds to the daily aggregates (pure: case, events and order in, bumps out).

Counter names are `<kind>|<dim>…`; each lands in one family item of the shop's day:
  case  — opened, channel/priority/issue/responsibility/scenario splits, resolution and first-response
          histograms, reopen, CSAT, SLA outcomes per clock and policy, per-carrier case and parcel counts
  hot   — issue × SKU, keywords and SKU × keyword (the hot-issue report), product names (`n|<sku>`)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..domain import Case, CaseEvent, CaseStatus, Order
from .buckets import bucket

CN = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no DST: a fixed offset is exact
DONE = {CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value}
EXCEPTION_ISSUES = {"shipping", "lost"}
DAMAGE_ISSUES = {"damaged"}
MAX_KEYWORDS = 5
NO_SKU = "-"


def day_of(ts: datetime) -> date:
    """The shop-local (China) calendar day of a timestamp."""
    return ts.astimezone(CN).date()


@dataclass
class Bump:
    """Counter increments (and product names) for one (day, family) item, plus example texts."""

    day: date
    family: str
    ref: str = ""  # the case behind the examples
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)  # counter → text, kept while the count is small

    def add(self, key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by


def case_facts(case: Case, events: Sequence[CaseEvent], order: Order | None) -> list[Bump]:
    """Every aggregate increment that `events` (just saved on `case`) cause."""
    bumps: dict[tuple[date, str], Bump] = {}

    def at(ts: datetime, family: str) -> Bump:
        key = (day_of(ts), family)
        return bumps.setdefault(key, Bump(key[0], family, case.case_id))

    text = next((str(e.data.get("text", "")) for e in events if e.type == "message"), "")
    for e in events:
        if e.type == "created":
            _opened(case, order, text, at(case.created_at, "case"), at(case.created_at, "hot"))
        elif e.type == "status":
            _status(case, e, at(e.at, "case"))
        elif e.type == "csat.received" and isinstance(e.data.get("score"), int):
            b = at(e.at, "case")
            b.add(f"csat|{e.data['score']}")
        elif e.type in ("sla.met", "sla.stopped"):
            _sla(case, e, at(e.at, "case"))
        elif e.type.startswith("decision."):
            at(e.at, "case").add(f"dec|{e.type.removeprefix('decision.')}|{_actor_kind(e.actor)}")
    return [b for b in bumps.values() if b.counts or b.names]


def _opened(case: Case, order: Order | None, text: str, c: Bump, hot: Bump) -> None:
    c.add("opened")
    c.add(f"ch|{case.channel}")
    c.add(f"pri|{case.priority.value}")
    for kind, value in (("issue", case.issue), ("resp", case.responsibility), ("scen", case.scenario)):
        c.add(f"{kind}|{value or 'unknown'}")
    _hot(case, order, text, hot)
    carrier = _carrier(order)
    if carrier:
        c.add(f"car|{carrier}")
        if case.issue in EXCEPTION_ISSUES:
            c.add(f"cexc|{carrier}")
        if case.issue in DAMAGE_ISSUES:
            c.add(f"cdmg|{carrier}")


def _hot(case: Case, order: Order | None, text: str, hot: Bump) -> None:
    issue = case.issue or "unknown"
    skus = [(plain(i.sku), i.name) for i in order.items] if order else []
    for sku, name in skus or [(NO_SKU, "")]:
        hot.add(f"is|{issue}|{sku}")
        if text:
            hot.examples.setdefault(f"is|{issue}|{sku}", text)
        if name:
            hot.names[f"n|{sku}"] = name
    for kw in [plain(k) for k in case.keywords[:MAX_KEYWORDS]]:
        hot.add(f"kw|{kw}")
        if text:
            hot.examples.setdefault(f"kw|{kw}", text)
        for sku, _ in skus:
            hot.add(f"sk|{sku}|{kw}")


def _status(case: Case, e: CaseEvent, c: Bump) -> None:
    old, new = str(e.data.get("from", "")), str(e.data.get("to", ""))
    if new in DONE and old not in DONE:
        c.add("resolved")
        c.add(f"res|{bucket((e.at - case.created_at).total_seconds())}")
    elif old == CaseStatus.RESOLVED.value and new not in DONE:
        c.add("reopened")


def _sla(case: Case, e: CaseEvent, c: Bump) -> None:
    clock, policy = e.data.get("clock"), e.data.get("policy")
    raw = case.sla.get(str(clock)) if clock else None
    breached = bool(e.data.get("late")) or bool(isinstance(raw, dict) and raw.get("breached_at"))
    if e.type == "sla.stopped" and not breached:
        return  # a clock stopped in time (the case resolved before it was owed) is neither met nor missed
    c.add(f"sla|{clock}|{policy}|{'late' if breached else 'ok'}")


def first_response(case: Case, at: datetime, kind: str) -> Bump:
    """The first reply of a case (kind "auto" or "human"): its delay bucket, on the reply's day."""
    b = Bump(day_of(at), "case")
    b.add(f"frt|{bucket((at - case.created_at).total_seconds())}")
    b.add(f"frt_{kind}")
    return b


def parcel(carrier: str, at: datetime, *, exception: bool) -> Bump:
    """A parcel seen (or its first exception) for a carrier's exception rate."""
    b = Bump(day_of(at), "case")
    b.add(f"{'pexc' if exception else 'parcel'}|{carrier}")
    return b


def _carrier(order: Order | None) -> str | None:
    return plain(order.shipments[-1].carrier) if order and order.shipments else None


def _actor_kind(actor: str) -> str:
    return "human" if actor.startswith("agent:") else "auto"


def merge(bumps: Iterable[Bump]) -> list[Bump]:
    """Fold bumps of the same (day, family) together (bulk loads write each item once)."""
    out: dict[tuple[date, str], Bump] = {}
    for b in bumps:
        m = out.setdefault((b.day, b.family), Bump(b.day, b.family))
        for k, v in b.counts.items():
            m.add(k, v)
        m.names.update(b.names)
        for k, v in b.examples.items():
            m.examples.setdefault(k, v)
    return list(out.values())


def plain(value: Any) -> str:
    """A counter dimension made safe for the `|`-separated names."""
    return str(value).replace("|", "/").replace("#", "＃")
