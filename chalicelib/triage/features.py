"""Sparse binary features shared by training and scoring: words, word bigrams, character 2/3-grams."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

_SKIP = re.compile(r"^[\W\d_]+$")
MAX_CHARS = 300
DEFAULT_KINDS = ("w", "c2")


def features(text: str, words: list[str], kinds: Sequence[str] = DEFAULT_KINDS) -> set[str]:
    """Return the feature set of a normalised ``text`` and its segmented ``words``."""
    skip = _SKIP.match
    content = [w for w in words if not skip(w)]
    feats: set[str] = set()
    # Lists, not sets, are added: the same insertion order keeps the set's iteration order (and so the float sum).
    if "w" in kinds:
        feats.update(["w:" + w for w in content])
    if "wb" in kinds:
        feats.update([f"b:{a}|{b}" for a, b in itertools.pairwise(content)])
    clipped = text[:MAX_CHARS]
    if "c2" in kinds:
        feats.update(["c:" + clipped[i:i + 2] for i in range(len(clipped) - 1)])
    if "c3" in kinds:
        feats.update(["t:" + clipped[i:i + 3] for i in range(len(clipped) - 2)])
    return feats
