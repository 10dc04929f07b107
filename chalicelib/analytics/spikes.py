"""Hot issues: issue × SKU and keyword counts per day or week, and spikes against a trailing baseline."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from .facts import NO_SKU
from .periods import by_period, days_between, prefixed

BASELINE_DAYS = 14
MIN_COUNT = 5
MIN_RATIO = 3.0
WARM_DAYS = 7  # a day is judged only once the shop has this many active days in its baseline
BASELINE_FLOOR = 0.5  # a counter never seen before compares against half a case a day, not zero
Data = Mapping[date, Mapping[str, Mapping[str, Any]]]


@cache
def labels() -> dict[str, Any]:
    """Chinese labels of issues and report words (data/labels.json)."""
    return json.loads((Path(__file__).parent / "data" / "labels.json").read_text(encoding="utf-8"))


@dataclass
class Spike:
    """One counter that jumped on one day: what, how much, against what, and why (examples)."""

    day: str
    counter: str
    kind: str  # issue_sku | keyword
    count: int
    baseline: float
    ratio: float
    label: str
    issue: str | None = None
    sku: str | None = None
    product: str | None = None
    keywords: list[str] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def spikes_on(data: Data, day: date, *, min_count: int = MIN_COUNT, min_ratio: float = MIN_RATIO,
              baseline_days: int = BASELINE_DAYS) -> list[Spike]:
    """Counters of `day` at least `min_count` and `min_ratio` × their trailing daily mean (biggest first).

    The baseline is the mean over the active days (any hot counter) among the `baseline_days` before
    `day`; with fewer than `WARM_DAYS` active days there is no baseline and no spike.
    """
    today = data.get(day, {}).get("hot", {})
    before = [day - timedelta(days=n) for n in range(1, baseline_days + 1)]
    active = sum(1 for d in before if data.get(d, {}).get("hot"))
    if active < min(WARM_DAYS, baseline_days):
        return []  # a new shop (or a gap in the data): no baseline yet, so nothing can be a spike
    found = []
    for counter, count in today.items():
        if not isinstance(count, int) or count < min_count or not counter.startswith(("is|", "kw|")):
            continue
        mean = sum(int(data.get(d, {}).get("hot", {}).get(counter, 0)) for d in before) / active
        ratio = count / max(mean, BASELINE_FLOOR)
        if ratio >= min_ratio:
            found.append(_spike(today, day, counter, count, mean, ratio))
    return sorted(found, key=lambda s: (-s.ratio, -s.count))


def _spike(today: Mapping[str, Any], day: date, counter: str, count: int, mean: float, ratio: float) -> Spike:
    words = labels()
    parts = counter.split("|")
    times = f"×{ratio:.1f} {words['spike']['today']}"
    if parts[0] == "kw":
        return Spike(day.isoformat(), counter, "keyword", count, round(mean, 2), round(ratio, 2),
                     f"“{parts[1]}” {times}", keywords=[parts[1]])
    issue, sku = parts[1], parts[2]
    product = str(today.get(f"n|{sku}") or (words["spike"]["no_sku"] if sku == NO_SKU else sku))
    kws = sorted(prefixed({k: v for k, v in today.items() if isinstance(v, int)}, f"sk|{sku}").items(),
                 key=lambda kv: (-kv[1], kv[0]))
    top = [k for k, _ in kws[:3]]
    issue_zh = words["issue"].get(issue, issue)
    label = " ".join(x for x in (product, top[0] if top else "", issue_zh) if x) + f" {times}"
    return Spike(day.isoformat(), counter, "issue_sku", count, round(mean, 2), round(ratio, 2), label,
                 issue=issue, sku=None if sku == NO_SKU else sku, product=product, keywords=top)


def hot_issues(data: Data, start: date, end: date, *, granularity: str = "day", top: int = 10,
               min_count: int = MIN_COUNT, min_ratio: float = MIN_RATIO) -> dict[str, Any]:
    """Top issue × SKU and keywords per period, and the spikes of each day in the range."""
    days = days_between(start, end)
    names: dict[str, str] = {}
    for d in days:
        names.update({k: v for k, v in data.get(d, {}).get("hot", {}).items() if k.startswith("n|")})
    periods = []
    for period, counts in by_period(data, days, "hot", granularity).items():
        periods.append({"period": period, "issue_sku": _top_issue_sku(counts, names, top),
                        "keywords": _top(prefixed(counts, "kw"), top)})
    spikes = [s.as_dict() for d in days for s in spikes_on(data, d, min_count=min_count, min_ratio=min_ratio)]
    return {"granularity": granularity, "from": start.isoformat(), "to": end.isoformat(), "periods": periods,
            "spikes": spikes}


def _top(counts: Mapping[str, int], n: int) -> list[dict[str, Any]]:
    return [{"key": k, "count": v} for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _top_issue_sku(counts: Mapping[str, int], names: Mapping[str, str], n: int) -> list[dict[str, Any]]:
    rows = []
    for row in _top(prefixed(counts, "is"), n):
        issue, _, sku = row["key"].partition("|")
        rows.append({"issue": issue, "sku": None if sku == NO_SKU else sku, "product": names.get(f"n|{sku}"),
                     "count": row["count"]})
    return rows
