"""SLA compliance over a period, per clock, per policy and per shop, from the cases' clock states.

A clock cycle counts in the period when it started in it. Outcomes: `met` (in time), `breached`
(the deadline passed, or it was met late), `open` (still running or paused, not yet breached) and
`stopped` (ended unmet before its deadline, e.g. the case was resolved without an answer).
Compliance = met / (met + breached); None when nothing was decided.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from ..domain import Case

OUTCOMES = ("met", "breached", "open", "stopped")


def outcome(cycle: dict[str, Any]) -> str:
    """Classify one clock cycle (a current state or a history entry)."""
    late = float(cycle.get("used_s") or 0) > float(cycle.get("target_s") or 0)
    if cycle.get("breached_at") or (cycle.get("met_at") and late):
        return "breached"
    if cycle.get("met_at"):
        return "met"
    if cycle.get("stopped"):
        return "stopped"
    return "open"


def _cycles(case: Case) -> Iterator[tuple[str, dict[str, Any]]]:
    for clock, state in case.sla.items():
        if not isinstance(state, dict) or "started_at" not in state:
            continue
        for cycle in state.get("history", []):
            yield clock, cycle
        yield clock, state


def _stats(counts: dict[str, int]) -> dict[str, Any]:
    decided = counts["met"] + counts["breached"]
    return {"total": sum(counts[o] for o in OUTCOMES), **{o: counts[o] for o in OUTCOMES},
            "compliance": round(counts["met"] / decided, 4) if decided else None}


def sla_report(cases: Iterable[Case], *, start: datetime, end: datetime, shop: str | None = None) -> dict[str, Any]:
    """Compliance of every clock cycle that started in [start, end), optionally for one shop only."""
    groups: dict[str, dict[str, dict[str, int]]] = {
        g: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0)) for g in ("overall", "by_clock", "by_policy", "by_shop")}
    for case in cases:
        if shop is not None and case.shop != shop:
            continue
        for clock, cycle in _cycles(case):
            started = datetime.fromisoformat(str(cycle["started_at"]))
            if not start <= started < end:
                continue
            o = outcome(cycle)
            for group, key in (("overall", "all"), ("by_clock", clock), ("by_policy", str(cycle.get("policy"))),
                               ("by_shop", case.shop)):
                groups[group][key][o] += 1
    overall = groups.pop("overall")
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "overall": _stats(overall["all"]),
        **{g: {k: _stats(v) for k, v in sorted(groups[g].items())} for g in groups},
    }
