"""Ops reports (`GET /api/reports/…`): hot issues, splits, carriers, service quality, CSV export, digest.

Every report reads the shop's daily aggregate items (chalicelib.analytics), never the cases themselves;
only the CSV export pages through the shop's cases, one page per request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..accounts import ApiToken
from ..analytics import aggregates, day_of, report
from ..analytics.periods import MAX_DAYS, days_between
from ..workers import digest
from .errors import PathNotFound, RequestInvalid

DEFAULT_DAYS = 30
CSV_FIELDS = ("case_id", "created_at", "status", "channel", "issue", "request", "priority", "responsibility",
              "scenario", "sentiment", "order_no", "assignee", "escalated", "resolved_at", "keywords")


class Period(BaseModel):
    """`from`/`to` (shop-local days, inclusive) and `granularity`; defaults to the last 30 days."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")
    granularity: Literal["day", "week"] = "day"
    cursor: str | None = None
    limit: int = Field(default=500, ge=1, le=1000)
    target: str = "ops"

    @model_validator(mode="after")
    def _range(self) -> Period:
        if self.start and self.end and (self.end - self.start).days + 1 > MAX_DAYS:
            raise ValueError(f"a period spans at most {MAX_DAYS} days")
        if self.start and self.end and self.end < self.start:
            raise ValueError("to is before from")
        return self

    def bounds(self, today: date) -> tuple[date, date]:
        end = self.end or today
        return self.start or end - timedelta(days=DEFAULT_DAYS - 1), end


def _period(query: Mapping[str, str], now: datetime) -> tuple[Period, date, date]:
    p = Period.model_validate(dict(query))
    start, end = p.bounds(day_of(now))
    return p, start, end


def hot_issues(deps: Any, token: ApiToken, query: Mapping[str, str]) -> dict[str, Any]:
    """Top issue × SKU and keywords per day/week and the spikes (today vs the trailing 14 days), with examples.

    Raises:
        ValidationError: on a bad `from`, `to` or `granularity` (→ 422 naming the field).
    """
    p, start, end = _period(query, deps.clock.now())
    return digest.hot_issues(deps, token.shop, start, end, p.granularity)


def overview(deps: Any, token: ApiToken, query: Mapping[str, str]) -> dict[str, Any]:
    """Splits over time, per-carrier rates and service quality for the period.

    Raises:
        ValidationError: on a bad period (→ 422).
    """
    p, start, end = _period(query, deps.clock.now())
    data = aggregates(deps).read(token.shop, days_between(start, end), ("case",), today=day_of(deps.clock.now()))
    return {"from": start.isoformat(), "to": end.isoformat(), "granularity": p.granularity,
            "splits": report.splits(data, start, end, p.granularity), "carriers": report.carriers(data, start, end),
            "service": report.service(data, start, end)}


def sla_compliance(deps: Any, token: ApiToken, query: Mapping[str, str]) -> dict[str, Any]:
    """SLA compliance of the token's shop over the period: per clock, and per clock and policy.

    A clock counts once when it is met (on time or late) or when it stops after its deadline; a
    clock stopped before it was owed counts neither way.

    Raises:
        ValidationError: on a bad period (→ 422).
    """
    _, start, end = _period(query, deps.clock.now())
    data = aggregates(deps).read(token.shop, days_between(start, end), ("case",), today=day_of(deps.clock.now()))
    rows = report.service(data, start, end)["sla"]
    clocks: dict[str, dict[str, Any]] = {}
    for row in rows:
        c = clocks.setdefault(row["clock"], {"clock": row["clock"], "ok": 0, "late": 0})
        c["ok"] += row["ok"]
        c["late"] += row["late"]
    for c in clocks.values():
        c["compliance"] = round(c["ok"] / (c["ok"] + c["late"]), 4) if c["ok"] + c["late"] else None
    total_ok, total = sum(c["ok"] for c in clocks.values()), sum(c["ok"] + c["late"] for c in clocks.values())
    return {"shop": token.shop, "from": start.isoformat(), "to": end.isoformat(),
            "compliance": round(total_ok / total, 4) if total else None,
            "clocks": sorted(clocks.values(), key=lambda c: c["clock"]), "policies": rows}


def weekly_digest(deps: Any, token: ApiToken, query: Mapping[str, str]) -> dict[str, Any]:
    """The digest text of the 7 days ending `to` (default today) for the shop's notify target.

    Raises:
        ValidationError: on a bad period (→ 422).
    """
    p = Period.model_validate(dict(query))
    out = digest.weekly(deps, token.shop, p.end or day_of(deps.clock.now()))
    return {"target": p.target, "text": out["text"]}


def send_digest(deps: Any, token: ApiToken, query: Mapping[str, str]) -> dict[str, Any]:
    """Post the weekly digest to the shop's notify target (WeCom robot text, or a JSON webhook, signed if it has a secret).

    Raises:
        RequestInvalid: when the shop has no such notify target.
    """
    p = Period.model_validate(dict(query))
    target = deps.accounts.notify_target(token.shop, p.target)
    if target is None:
        raise RequestInvalid(f"no notify target {p.target!r} for this shop")
    out = digest.weekly(deps, token.shop, p.end or day_of(deps.clock.now()))
    r = digest.post(deps, target, out)
    return {"target": p.target, "text": out["text"], "delivered": bool(r.get("sent")), "status": r.get("status")}


def export_csv(deps: Any, token: ApiToken, query: Mapping[str, str]) -> tuple[str, str | None]:
    """One page of the period's cases as CSV (newest first) and the cursor of the next page (None at the end).

    Raises:
        ValidationError: on a bad period or limit (→ 422); RequestInvalid: on a foreign cursor.
    """
    p, start, end = _period(query, deps.clock.now())
    rows, cursor = [], p.cursor
    while len(rows) < p.limit:
        try:
            cases, cursor = deps.repo.list_cases(token.shop, order="newest", limit=p.limit - len(rows), cursor=cursor)
        except (ValueError, TypeError) as exc:
            raise RequestInvalid("invalid cursor") from exc
        rows += [c for c in cases if start <= day_of(c.created_at) <= end]
        if cursor is None or (cases and day_of(cases[-1].created_at) < start):
            cursor = None
            break
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for c in rows:
        d = c.model_dump(mode="json")
        w.writerow([" ".join(d["keywords"]) if f == "keywords" else ("" if d.get(f) is None else d[f]) for f in CSV_FIELDS])
    return buf.getvalue(), cursor


def build(deps: Any, token: ApiToken, name: str, query: Mapping[str, str]) -> dict[str, Any]:
    """Dispatch `GET /api/reports/{name}`.

    Raises:
        PathNotFound: for an unknown report; ValidationError: for a bad period (→ 422).
    """
    builders = {"hot-issues": hot_issues, "overview": overview, "digest": weekly_digest, "sla": sla_compliance}
    if name not in builders:
        raise PathNotFound(f"unknown report {name[:40]!r}")
    return builders[name](deps, token, query)
