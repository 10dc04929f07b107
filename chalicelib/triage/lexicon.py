"""Weighted regex cue lists per label, with negation and contrast-aware scoring."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Prepared


@dataclass
class Scores:
    """Per-label scores and the cue strings that produced them."""

    score: dict[str, float] = field(default_factory=dict)
    hits: dict[str, list[str]] = field(default_factory=dict)

    def best(self) -> tuple[str, float] | None:
        """Return the top label and its score, or None if nothing scored."""
        live = [(v, k) for k, v in self.score.items() if v > 0]
        if not live:
            return None
        value, label = max(live)
        return label, value


class CueLexicon:
    """Compiled ``{label: [[regex, weight], ...]}`` cue lists."""

    def __init__(self, rules: dict[str, list[list[object]]], *, use_negation: bool) -> None:
        self._rules = [
            (label, re.compile(str(pat)), float(str(weight)))
            for label, items in rules.items()
            for pat, weight in items
        ]
        self._use_negation = use_negation
        self.labels = tuple(rules)

    def score(self, prep: Prepared, *, contrast: bool = True) -> Scores:
        """Sum the weights of every cue that matches (one hit per pattern)."""
        out = Scores()
        for label, pattern, weight in self._rules:
            for m in pattern.finditer(prep.text):
                if self._use_negation and prep.negated(m.start()):
                    continue
                w = weight * (prep.weight(m.start()) if contrast else 1.0)
                out.score[label] = out.score.get(label, 0.0) + w
                out.hits.setdefault(label, []).append(m.group(0))
                break
        return out
