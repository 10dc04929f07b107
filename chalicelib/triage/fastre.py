"""Fast cue matching: split each pattern into its top-level alternatives and index them by first character.

A literal alternative is found with ``str.find``; any other runs its regex only when its literal prefix
(or one of its possible first characters) occurs in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

Chars = frozenset[str] | None  # None means "could start with anything"
Hit = tuple[int, int, str]
_META = set("\\.^$*+?{}[]()|")


def _in(av: Any) -> Chars:
    """First characters of a character class, or None when it is open-ended."""
    chars: set[str] = set()
    for sub_op, sub_av in av:
        if sub_op is C.LITERAL:
            chars.add(chr(sub_av))
        elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 64:
            chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
        else:
            return None
    return frozenset(chars)


def _branch(av: Any) -> tuple[Chars, bool]:
    out: set[str] = set()
    nullable = False
    for branch in av[1]:
        chars_b, null_b = _seq(branch)
        if chars_b is None:
            return None, False
        out |= chars_b
        nullable = nullable or null_b
    return frozenset(out), nullable


def _item(op: Any, av: Any) -> tuple[Chars, bool]:
    """Return (first characters, can match empty) of one parsed regex item."""
    if op is C.LITERAL:
        return frozenset({chr(av)}), False
    if op is C.IN:
        return _in(av), False
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset(), True
    if op is C.SUBPATTERN:
        return _seq(av[-1])
    if op is C.BRANCH:
        return _branch(av)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        chars_r, null_r = _seq(av[2])
        return chars_r, null_r or av[0] == 0
    return None, False


def _seq(items: Any) -> tuple[Chars, bool]:
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _item(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return frozenset(out), False
    return frozenset(out), True


def first_chars(pattern: str) -> Chars:
    """Return the characters a match of ``pattern`` can start with, or None if unknown/any."""
    chars, nullable = _seq(P.parse(pattern))
    return None if nullable or chars is None else chars


def split_top(pattern: str) -> list[str]:
    """Split a regex on its top-level ``|`` (outside groups and character classes)."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def literal_prefix(branch: str) -> str:
    """Return the leading literal characters that every match of ``branch`` starts with."""
    out = []
    for i, ch in enumerate(branch):
        if ch in _META:
            break
        if i + 1 < len(branch) and branch[i + 1] in "?*{":
            break
        out.append(ch)
    return "".join(out)


class Cue:
    """One alternative of a cue pattern, with its prefilter."""

    __slots__ = ("first", "literal", "pattern", "prefix")

    def __init__(self, branch: str) -> None:
        prefix = literal_prefix(branch)
        self.literal = branch if prefix == branch and branch else None
        self.prefix = prefix
        self.pattern = None if self.literal else re.compile(branch)
        self.first = frozenset(prefix[0]) if prefix else first_chars(branch)

    def hits(self, text: str) -> Iterator[Hit]:
        """Yield (start, end, matched text) of every match in ``text``."""
        if self.literal is not None:
            pos = text.find(self.literal)
            while pos >= 0:
                yield pos, pos + len(self.literal), self.literal
                pos = text.find(self.literal, pos + 1)
        elif self.pattern is not None and (not self.prefix or self.prefix in text):
            for m in self.pattern.finditer(text):
                yield m.start(), m.end(), m.group(0)


class CuePattern:
    """A cue regex matched alternative by alternative, earliest match first."""

    def __init__(self, pattern: str) -> None:
        self.source = pattern
        self.alternatives = [Cue(b) for b in split_top(pattern)]

    def hits(self, text: str, which: list[int] | None = None) -> list[Hit]:
        """Return all matches of the (selected) alternatives, ordered by position."""
        alts = self.alternatives if which is None else [self.alternatives[i] for i in which]
        if len(alts) == 1:
            return list(alts[0].hits(text))
        return sorted(h for alt in alts for h in alt.hits(text))


class CueIndex:
    """Maps each possible first character to the (pattern, alternative) pairs that can start with it."""

    def __init__(self, patterns: list[CuePattern]) -> None:
        always: list[tuple[int, int]] = []
        by_key: dict[str, list[tuple[int, int]]] = {}
        for i, pat in enumerate(patterns):
            for j, alt in enumerate(pat.alternatives):
                if len(alt.prefix) >= 2:
                    by_key.setdefault(alt.prefix[:2], []).append((i, j))
                elif alt.first is None:
                    always.append((i, j))
                else:
                    for ch in alt.first:
                        by_key.setdefault(ch, []).append((i, j))
        self._always = always
        self._by_key = by_key

    def candidates(self, keys: frozenset[str]) -> dict[int, list[int]]:
        """Return {pattern index: [alternative indices]} that may match a text with these chars and bigrams."""
        found: dict[int, list[int]] = {}
        get = self._by_key.get
        for i, j in self._always:
            found.setdefault(i, []).append(j)
        for key in keys:
            for i, j in get(key, ()):
                found.setdefault(i, []).append(j)
        return dict(sorted(found.items()))
