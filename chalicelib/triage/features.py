"""Sparse binary features (words + character bigrams) shared by training and scoring."""

from __future__ import annotations

import re

_SKIP = re.compile(r"^[\W\d_]+$")
MAX_CHARS = 300


def features(text: str, words: list[str]) -> set[str]:
    """Return the feature set of a normalised ``text`` and its segmented ``words``."""
    feats = {f"w:{w}" for w in words if not _SKIP.match(w)}
    clipped = text[:MAX_CHARS]
    feats.update(f"c:{clipped[i:i + 2]}" for i in range(len(clipped) - 1))
    return feats
