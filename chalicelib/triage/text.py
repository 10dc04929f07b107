"""Text normalisation, contrast weighting and negation checks shared by the rule families."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import add

from .fastre import literal_prefix, split_top
from .resources import load_json

_BOUNDARY = re.compile(r"[,.。!?;:~、\s]")
_TO_LAST_BOUNDARY = re.compile(r"(?s:.*)[,.。!?;:~、\s]")  # its end is the end of the last _BOUNDARY match
_BEFORE_CONTRAST = 0.45


@dataclass(frozen=True)
class Prepared:
    """A normalised message plus where its decisive (post-contrast) part starts."""

    raw: str
    text: str
    contrast_at: int
    chars: frozenset[str]  # characters and character bigrams, for the cue index

    def weight(self, pos: int, before: float = _BEFORE_CONTRAST) -> float:
        """Return the weight of a cue found at ``pos`` (``before`` when it precedes a contrast)."""
        return before if pos < self.contrast_at else 1.0

    def negated(self, pos: int) -> bool:
        """Return True if a negation word immediately precedes ``pos`` in its clause."""
        window = self.text[max(0, pos - 5):pos]
        last = _TO_LAST_BOUNDARY.match(window)
        return (_NEGATION or _negation()).search(window[last.end():] if last else window) is not None


_NEGATION: re.Pattern[str] | None = None


def _negation() -> re.Pattern[str]:
    global _NEGATION
    if _NEGATION is None:
        _NEGATION = re.compile(load_json("issue_rules.json")["negation"])
    return _NEGATION


@lru_cache(maxsize=1)
def _contrast() -> re.Pattern[str]:
    words = load_json("issue_rules.json")["contrast"]
    return re.compile(rf"(?:^|(?<=[,.。!?;:~、\s]))(?:{words})|但是|可是|不过(?!分)|然而")


_ASCII_WORD = re.compile(r"[a-z]{3}")


@lru_cache(maxsize=1)
def _rewrites() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    """A literal prefilter over the two-character prefixes of every typo key, plus the (pattern, replacement) list."""
    raw = load_json("rewrites.json")
    prefixes: set[str] = set()
    for key in raw["typos"]:
        for branch in split_top(key):
            prefix = literal_prefix(branch)
            if len(prefix) < 2:
                raise ValueError(f"rewrites.json: typo pattern {branch!r} must start with two literal characters")
            prefixes.add(re.escape(prefix[:2]))
    pairs = [(k, v) for k, v in raw["typos"].items()]
    pairs += [(rf"(?<![a-z])(?:{k})(?![a-z])", v) for k, v in raw["english"].items()]
    return re.compile("|".join(sorted(prefixes))), [(re.compile(k), v) for k, v in pairs]


def rewrite(text: str) -> str:
    """Rewrite common IME typos (发获, 怀了) and mixed-in English (refund, ship) to the words the rules know."""
    typo, pairs = _rewrites()
    if not typo.search(text) and not _ASCII_WORD.search(text):
        return text
    for pattern, repl in pairs:
        text = pattern.sub(repl, text)
    return text


def normalise(raw: str) -> str:
    """NFKC-fold (full-width to ASCII), lower-case, trim, and rewrite typos and English words."""
    return rewrite(unicodedata.normalize("NFKC", raw).lower().strip())


def prepare(raw: str) -> Prepared:
    """Normalise ``raw`` and locate its last contrast marker (虽然…但是, 不过, 就是…)."""
    text = normalise(raw)
    marks = [m.start() for m in _contrast().finditer(text) if m.start() > 0]
    keys = frozenset([*text, *map(add, text, text[1:])])
    return Prepared(raw=raw, text=text, contrast_at=marks[-1] if marks else 0, chars=keys)
