"""Manager reports read from the daily aggregates: splits over time, carriers, and service quality."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .buckets import percentile
from .periods import by_period, days_between, prefixed, summed

Data = Mapping[date, Mapping[str, Mapping[str, Any]]]
SPLITS = {"responsibility": "resp", "scenario": "scen", "issue": "issue", "channel": "ch", "priority": "pri"}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def splits(data: Data, start: date, end: date, granularity: str = "day") -> list[dict[str, Any]]:
    """Per period: cases opened, and their split by responsibility, scenario, issue, channel, priority."""
    out = []
    for period, counts in by_period(data, days_between(start, end), "case", granularity).items():
        row: dict[str, Any] = {"period": period, "opened": counts.get("opened", 0)}
        row.update({name: prefixed(counts, prefix) for name, prefix in SPLITS.items()})
        out.append(row)
    return out


def carriers(data: Data, start: date, end: date) -> list[dict[str, Any]]:
    """Per carrier: cases linked to its parcels and their exception and damage shares; parcel exception rate."""
    counts = summed(data, days_between(start, end), "case")
    cases, exc, dmg = prefixed(counts, "car"), prefixed(counts, "cexc"), prefixed(counts, "cdmg")
    parcels, pexc = prefixed(counts, "parcel"), prefixed(counts, "pexc")
    rows = []
    for carrier in sorted(set(cases) | set(parcels)):
        n = cases.get(carrier, 0)
        rows.append({
            "carrier": carrier, "cases": n, "exception_cases": exc.get(carrier, 0), "damage_cases": dmg.get(carrier, 0),
            "exception_share": _rate(exc.get(carrier, 0), n), "damage_share": _rate(dmg.get(carrier, 0), n),
            "parcels": parcels.get(carrier, 0), "parcel_exceptions": pexc.get(carrier, 0),
            "parcel_exception_rate": _rate(pexc.get(carrier, 0), parcels.get(carrier, 0)),
        })
    return sorted(rows, key=lambda r: -r["cases"])


def service(data: Data, start: date, end: date) -> dict[str, Any]:
    """First-response and resolution percentiles, SLA compliance, automation, CSAT and reopen rates."""
    c = summed(data, days_between(start, end), "case")
    frt, res = prefixed(c, "frt"), prefixed(c, "res")
    auto, human = c.get("frt_auto", 0), c.get("frt_human", 0)
    csat = {int(k): v for k, v in prefixed(c, "csat").items() if k.isdigit()}
    answered = sum(csat.values())
    return {
        "opened": c.get("opened", 0), "resolved": c.get("resolved", 0), "reopened": c.get("reopened", 0),
        "reopen_rate": _rate(c.get("reopened", 0), c.get("resolved", 0)),
        "first_response_s": {f"p{p}": percentile(frt, p) for p in (50, 90, 99)} | {"n": sum(frt.values())},
        "resolution_s": {f"p{p}": percentile(res, p) for p in (50, 90, 99)} | {"n": sum(res.values())},
        "automation_rate": _rate(auto, auto + human), "first_answers": {"auto": auto, "human": human},
        "decisions": _decisions(prefixed(c, "dec")),
        "csat": {"n": answered, "average": round(sum(k * v for k, v in csat.items()) / answered, 2) if answered else None,
                 "distribution": {str(k): csat.get(k, 0) for k in range(1, 6)}},
        "sla": _sla(prefixed(c, "sla")),
    }


def _decisions(dec: Mapping[str, int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, n in dec.items():
        kind, _, who = key.partition("|")
        out.setdefault(kind, {"auto": 0, "human": 0})[who] = n
    return out


def _sla(sla: Mapping[str, int]) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for key, n in sla.items():
        clock, policy, outcome = (key.split("|") + ["", "", ""])[:3]
        row = rows.setdefault((clock, policy), {"clock": clock, "policy": policy, "ok": 0, "late": 0})
        row[outcome] = row.get(outcome, 0) + n
    for row in rows.values():
        row["compliance"] = _rate(row["ok"], row["ok"] + row["late"])
    return sorted(rows.values(), key=lambda r: (r["clock"], r["policy"]))
