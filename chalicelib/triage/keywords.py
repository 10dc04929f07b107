"""Hot-issue keywords: domain terms and cue words first, then other content words."""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import load_lines

TOP_K = 5
_CONTENT = re.compile(r"^[\u4e00-\u9fffa-z][\u4e00-\u9fffa-z0-9]+$")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(load_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def _domain() -> frozenset[str]:
    return frozenset(line.split()[0] for line in load_lines("userdict.txt"))


def extract_keywords(words: list[str], cue_hits: list[str], k: int = TOP_K) -> list[str]:
    """Rank segmented ``words``: domain words and words inside matched cues, then the rest."""
    stop, domain = _stopwords(), _domain()
    cue_text = "|".join(cue_hits)
    ranked: dict[str, float] = {}
    for pos, word in enumerate(words):
        if word in stop or word in ranked or not _CONTENT.match(word) or word.isascii() and len(word) < 3:
            continue
        score = 1.0 + 0.1 * min(len(word), 4) - 0.001 * pos
        if word in domain:
            score += 2.0
        if word in cue_text:
            score += 1.0
        ranked[word] = score
    return [w for w, _ in sorted(ranked.items(), key=lambda x: -x[1])[:k]]
