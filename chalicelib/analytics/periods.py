"""Report periods over shop-local days: days, ISO weeks, and summing daily counters into them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

MAX_DAYS = 366


def days_between(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def period_of(day: date, granularity: str) -> str:
    """The label of the day's period: `2026-11-22`, or the ISO week's Monday `2026-W47`."""
    if granularity == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}"
    return day.isoformat()


def summed(data: Mapping[date, Mapping[str, Mapping[str, Any]]], days: Iterable[date], family: str) -> dict[str, int]:
    """Numeric counters of one family summed over `days`."""
    out: dict[str, int] = {}
    for d in days:
        for k, v in data.get(d, {}).get(family, {}).items():
            if isinstance(v, int):
                out[k] = out.get(k, 0) + v
    return out


def by_period(data: Mapping[date, Mapping[str, Mapping[str, Any]]], days: list[date], family: str,
              granularity: str) -> dict[str, dict[str, int]]:
    """{period: summed counters} in day order."""
    groups: dict[str, list[date]] = {}
    for d in days:
        groups.setdefault(period_of(d, granularity), []).append(d)
    return {p: summed(data, ds, family) for p, ds in groups.items()}


def prefixed(counts: Mapping[str, int], prefix: str) -> dict[str, int]:
    """Counters under `prefix|`, keyed by the rest of their name."""
    head = prefix + "|"
    return {k[len(head):]: v for k, v in counts.items() if k.startswith(head)}
