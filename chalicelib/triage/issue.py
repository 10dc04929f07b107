"""Issue axis: weighted cue scoring with negation and contrast, then a fallback to inquiry/other."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import CueLexicon, Filters, Scores
from .resources import load_json
from .taxonomy import taxonomy
from .text import Prepared

FALLBACK = ("inquiry", "other")
MIN_FAULT = 1.8
# A product fault beats "no reason" (changed_mind) even when its cue is weak: "杯子裂了 退货" is a fault first.
PRODUCT_FAULTS = ("damaged", "wrong_item", "missing_item", "quality", "not_as_described")
MIN_PRODUCT_FAULT = 1.2
FAULT_OVER_NO_REASON = 0.8  # confidence of "a fault cue beside a no-reason cue": the model may not undo it


@dataclass(frozen=True)
class Decision:
    """One axis decision: label, confidence in [0, 1] and human-readable reasons."""

    label: str
    confidence: float
    reasons: tuple[str, ...]


@lru_cache(maxsize=1)
def _lexicon() -> CueLexicon:
    raw = load_json("issue_rules.json")
    filters = Filters(contrast=float(raw["contrast_factor"]), negation=True,
                      hypothetical=re.compile(raw["hypothetical"]),
                      hypothetical_strong=re.compile(raw["hypothetical_strong"]), exempt=frozenset(FALLBACK))
    return CueLexicon(raw["rules"], filters)


def _weak_product_fault(scores: Scores) -> tuple[float, str] | None:
    """Return the strongest product-fault score that is too weak to win alone but still names a fault."""
    found = [(scores.score.get(k, 0.0), k) for k in PRODUCT_FAULTS if scores.score.get(k, 0.0) >= MIN_PRODUCT_FAULT]
    return max(found) if found else None


def fallback_from_request(issue: Decision, request: str, scores: Scores | None = None) -> Decision:
    """When no issue cue fired, infer the issue from the ask (repair means a fault, cancel a change of mind).

    A weak product-fault cue (裂了, 断了) outranks the ask: a return or exchange after a fault is not changed_mind.
    """
    if issue.label not in FALLBACK or issue.confidence >= 0.75:
        return issue
    mapped = load_json("issue_rules.json")["request_fallback"].get(request)
    if mapped is None:
        return issue
    weak = _weak_product_fault(scores) if scores is not None else None
    if weak is not None and mapped in ("changed_mind", "quality", "missing_item"):
        value, label = weak
        cues = ", ".join(dict.fromkeys(scores.hits[label])) if scores is not None else ""
        return Decision(label, 0.55, (f"issue={label} ({value:.1f}): weak fault cue {cues} with request {request}",))
    return Decision(mapped, 0.5, (f"issue={mapped}: no issue cue, inferred from request {request}",))


@lru_cache(maxsize=1)
def _question() -> re.Pattern[str]:
    return re.compile(load_json("request_rules.json")["question"])


def _margin(top: float, second: float) -> float:
    return round(min(0.99, 0.5 + 0.5 * (top - second) / (top + 1.0)), 3)


def _fallback(prep: Prepared, scores: Scores) -> Decision:
    inquiry = scores.score.get("inquiry", 0.0)
    other = scores.score.get("other", 0.0)
    question = bool(_question().search(prep.text))
    if other > inquiry + (1.0 if question else 0.0) or not (question or inquiry):
        hits = scores.hits.get("other", [])
        return Decision("other", 0.75 if hits else 0.55, (f"issue=other: {', '.join(hits) or 'no fault or question cue'}",))
    hits = scores.hits.get("inquiry", [])
    why = ", ".join(hits) if hits else "question with no fault cue"
    return Decision("inquiry", 0.75 if inquiry >= 1.5 else 0.6, (f"issue=inquiry: {why}",))


def issue_scores(prep: Prepared) -> Scores:
    """Return the raw cue scores of every issue label."""
    return _lexicon().score(prep)


def classify_issue(prep: Prepared) -> tuple[Decision, Scores]:
    """Pick the issue label for a prepared message."""
    scores = issue_scores(prep)
    no_fault = set(FALLBACK)
    faults = sorted(((v, k) for k, v in scores.score.items() if k not in no_fault), reverse=True)
    inquiry = scores.score.get("inquiry", 0.0)
    other = scores.score.get("other", 0.0)
    weak = not faults or faults[0][0] < MIN_FAULT or other >= max(3.0, faults[0][0])
    # a question about the rules loses to a stated change of mind ("买大了，退货运费谁出？" is a return)
    if weak or (inquiry >= faults[0][0] and faults[0][1] != "changed_mind" and _question().search(prep.text)):
        product = _weak_product_fault(scores)
        if product is None or product[0] <= max(other, inquiry):
            return _fallback(prep, scores), scores
        faults = [product]  # a lone weak product-fault cue (杯子有裂缝) still reports a fault
    top, label = faults[0]
    floor = 0.0
    if label == "changed_mind" and (weak := _weak_product_fault(scores)) is not None:
        top, label = weak  # the fault wins; changed_mind means no fault at all (TAXONOMY.md), so this is sure
        faults = [f for f in faults if f[1] != "changed_mind"]
        floor = FAULT_OVER_NO_REASON
    second = next((v for v, k in faults if k != label), 0.0)
    if label not in taxonomy().issues:
        raise ValueError(f"issue_rules.json names an unknown issue: {label}")
    cues = ", ".join(dict.fromkeys(scores.hits[label]))
    return Decision(label, max(floor, _margin(top, second)), (f"issue={label} ({top:.1f}): {cues}",)), scores
