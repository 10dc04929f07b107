"""Weighted regex cue lists per label, with negation and contrast-aware scoring."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fastre import CueIndex, CuePattern, Hit
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
    hypothetical_strong: re.Pattern[str] | None = None  # 如果/万一…: a 'what if' even when the clause says 了
    exempt: frozenset[str] = frozenset()


_BOUNDARY = re.compile(r"[,。!?;~\s]")
_TO_LAST_BOUNDARY = re.compile(r"(?s:.*)[,。!?;~\s]")  # its end is the end of the last _BOUNDARY match
_FACT = re.compile(r"了|已经|收到|到手|用了|买的")


def _hypothetical(text: str, start: int, stop: int, f: Filters) -> bool:
    """Return True when the cue sits in a clause that asks 'what if' rather than reports a fact.

    A strong marker before the cue (万一宝宝用了过敏) decides alone; a weak one (会不会, 有…吗) only when the clause
    states nothing as done (了, 已经, 收到 …).
    """
    last = _TO_LAST_BOUNDARY.match(text, 0, start)
    begin = last.end() if last else 0
    if f.hypothetical_strong is not None and f.hypothetical_strong.search(text, begin, start):
        return True
    end = _BOUNDARY.search(text, stop)
    clause = text[begin:end.end() if end else len(text)]
    return bool(f.hypothetical and f.hypothetical.search(clause)) and not _FACT.search(clause)


class CueLexicon:
    """Compiled ``{label: [[regex, weight], ...]}`` cue lists."""

    def __init__(self, rules: dict[str, list[list[object]]], filters: Filters | None = None) -> None:
        self._rules = [
            (label, CuePattern(str(pat)), float(str(weight)))
            for label, items in rules.items()
            for pat, weight in items
        ]
        self._index = CueIndex([cue for _, cue, _ in self._rules])
        self._f = filters or Filters()
        self.labels = tuple(rules)

    def _skip(self, prep: Prepared, hit: Hit, label: str) -> bool:
        f = self._f
        start, end, _ = hit
        if f.negation and prep.negated(start):
            return True
        if (f.hypothetical or f.hypothetical_strong) and label not in f.exempt and _hypothetical(prep.text, start, end, f):
            return True
        if f.done_after and f.done_after.search(prep.text[end:end + 6]):
            return True
        return bool(f.done_before and f.done_before.search(prep.text[max(0, start - 3):start]))

    def score(self, prep: Prepared) -> Scores:
        """Sum the weights of every cue that matches (one hit per pattern)."""
        out = Scores()
        score, hits_of = out.score, out.hits
        rules, skip, contrast, contrast_at = self._rules, self._skip, self._f.contrast, prep.contrast_at
        for i, hits in self._index.matches(prep.chars, prep.text):
            label, _, weight = rules[i]
            for hit in hits:
                if skip(prep, hit, label):
                    continue
                w = weight * (contrast if hit[0] < contrast_at else 1.0)
                score[label] = score.get(label, 0.0) + w
                hits_of.setdefault(label, []).append(hit[2])
                break
        return out
