"""Priority axis: p1 triggers (safety, legal/public threat, high value, angry repetition), else p2/p3."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .issue import Decision
from .resources import load_json
from .taxonomy import taxonomy
from .text import Prepared


@dataclass(frozen=True)
class _Triggers:
    safety: re.Pattern[str]
    legal: re.Pattern[str]
    repetition: re.Pattern[str]
    anger: re.Pattern[str]
    high_value: float
    lost_items: re.Pattern[str]


@lru_cache(maxsize=1)
def _triggers() -> _Triggers:
    raw = load_json("priority_rules.json")
    return _Triggers(
        safety=re.compile(raw["safety"]),
        legal=re.compile(raw["legal"]),
        repetition=re.compile(raw["repetition"]),
        anger=re.compile(raw["anger"]),
        high_value=float(raw["high_value_threshold"]),
        lost_items=re.compile(raw["lost_high_value_items"]),
    )


def _first(pattern: re.Pattern[str], prep: Prepared) -> str | None:
    for m in pattern.finditer(prep.text):
        if not prep.negated(m.start()):
            return m.group(0)
    return None


def safety_hit(prep: Prepared, issue: str) -> str | None:
    """Return the safety/health cue of a fault message, if any."""
    if issue in taxonomy().no_fault_issues:
        return None
    return _first(_triggers().safety, prep)


_UNSET: Any = object()


def _p1_reasons(prep: Prepared, issue: str, request: str, entities: dict[str, Any], safety: str | None) -> list[str]:
    trig, tax = _triggers(), taxonomy()
    fault = issue not in tax.no_fault_issues
    acts = tax.request_tier.get(request, 0) >= 2
    reasons: list[str] = []
    if hit := (safety_hit(prep, issue) if safety is _UNSET else safety):
        reasons.append(f"priority=p1: safety/health '{hit}'")
    if hit := _first(trig.legal, prep):
        reasons.append(f"priority=p1: legal/public threat '{hit}'")
    amount = entities.get("amount")
    if isinstance(amount, (int, float)) and amount > trig.high_value and (fault or acts):
        reasons.append(f"priority=p1: high value {amount} with a fault or claim")
    elif issue == "lost" and (item := trig.lost_items.search(prep.text)):
        reasons.append(f"priority=p1: high-value goods '{item.group(0)}' lost")
    rep = trig.repetition.search(prep.text)
    if rep and (anger := trig.anger.search(prep.text)):
        reasons.append(f"priority=p1: repeated chasing '{rep.group(0)}' with anger '{anger.group(0)}'")
    return reasons


def classify_priority(prep: Prepared, issue: str, request: str, entities: dict[str, Any],
                      safety: str | None = _UNSET) -> Decision:
    """Return p1 on any trigger, p2 for a fault or an ask for action, else p3.

    ``safety`` is ``safety_hit(prep, issue)`` when the caller already has it.
    """
    reasons = _p1_reasons(prep, issue, request, entities, safety)
    if reasons:
        return Decision("p1", min(0.97, 0.8 + 0.07 * len(reasons)), tuple(reasons))
    tax = taxonomy()
    if issue not in tax.no_fault_issues:
        return Decision("p2", 0.8, (f"priority=p2: fault issue {issue}",))
    if tax.request_tier.get(request, 0) >= 2:
        return Decision("p2", 0.7, (f"priority=p2: asks for action ({request})",))
    return Decision("p3", 0.8, (f"priority=p3: {issue} with request {request}",))
