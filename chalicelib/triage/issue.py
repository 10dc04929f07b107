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
                      hypothetical=re.compile(raw["hypothetical"]), exempt=frozenset(FALLBACK))
    return CueLexicon(raw["rules"], filters)


def fallback_from_request(issue: Decision, request: str) -> Decision:
    """When no issue cue fired, infer the issue from the ask (repair means a fault, cancel a change of mind)."""
    if issue.label not in FALLBACK or issue.confidence >= 0.75:
        return issue
    mapped = load_json("issue_rules.json")["request_fallback"].get(request)
    if mapped is None:
        return issue
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
    if weak or (inquiry >= faults[0][0] and _question().search(prep.text)):
        return _fallback(prep, scores), scores
    top, label = faults[0]
    second = faults[1][0] if len(faults) > 1 else 0.0
    if label not in taxonomy().issues:
        raise ValueError(f"issue_rules.json names an unknown issue: {label}")
    cues = ", ".join(dict.fromkeys(scores.hits[label]))
    return Decision(label, _margin(top, second), (f"issue={label} ({top:.1f}): {cues}",)), scores
