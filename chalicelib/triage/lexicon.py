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


@dataclass(frozen=True)
class Filters:
    """Optional cue filters: contrast factor, negation, and 'already done' context."""

    contrast: float = 1.0
    negation: bool = False
    done_after: re.Pattern[str] | None = None
    done_before: re.Pattern[str] | None = None
    hypothetical: re.Pattern[str] | None = None
    exempt: frozenset[str] = frozenset()


_BOUNDARY = re.compile(r"[,。!?;~\s]")
_FACT = re.compile(r"了|已经|收到|到手|用了|买的")


def _hypothetical(text: str, m: re.Match[str], pattern: re.Pattern[str]) -> bool:
    """Return True when the cue sits in a clause that asks 'what if' rather than reports a fact."""
    starts = [b.end() for b in _BOUNDARY.finditer(text, 0, m.start())]
    end = _BOUNDARY.search(text, m.end())
    clause = text[starts[-1] if starts else 0:end.end() if end else len(text)]
    return bool(pattern.search(clause)) and not _FACT.search(clause)


class CueLexicon:
    """Compiled ``{label: [[regex, weight], ...]}`` cue lists."""

    def __init__(self, rules: dict[str, list[list[object]]], filters: Filters | None = None) -> None:
        self._rules = [
            (label, re.compile(str(pat)), float(str(weight)))
            for label, items in rules.items()
            for pat, weight in items
        ]
        self._f = filters or Filters()
        self.labels = tuple(rules)

    def _skip(self, prep: Prepared, m: re.Match[str], label: str) -> bool:
        f = self._f
        if f.negation and prep.negated(m.start()):
            return True
        if f.hypothetical and label not in f.exempt and _hypothetical(prep.text, m, f.hypothetical):
            return True
        if f.done_after and f.done_after.search(prep.text[m.end():m.end() + 6]):
            return True
        return bool(f.done_before and f.done_before.search(prep.text[max(0, m.start() - 3):m.start()]))

    def score(self, prep: Prepared) -> Scores:
        """Sum the weights of every cue that matches (one hit per pattern)."""
        out = Scores()
        for label, pattern, weight in self._rules:
            for m in pattern.finditer(prep.text):
                if self._skip(prep, m, label):
                    continue
                w = weight * prep.weight(m.start(), self._f.contrast)
                out.score[label] = out.score.get(label, 0.0) + w
                out.hits.setdefault(label, []).append(m.group(0))
                break
        return out
