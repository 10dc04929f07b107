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


def _runs(items: Any, out: list[str]) -> bool:
    """Collect into ``out`` the literal runs every match of ``items`` contains; False when unsure (flags)."""
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        out.append("".join(run))
        run = []
        if op is C.SUBPATTERN:
            if av[1] or av[2] or not _runs(av[-1], out):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and not _runs(av[2], out):
            return False
    out.append("".join(run))
    return True


def required_literal(pattern: str) -> str:
    """Return the longest literal text that every match of ``pattern`` contains ("" when none is known).

    A cheap ``in`` test on it skips a regex search that cannot succeed.
    """
    parsed = P.parse(pattern)
    runs: list[str] = []
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) or not _runs(parsed, runs):
        return ""
    return max(runs, key=len, default="")


def _is_digit_class(op: Any, av: Any) -> bool:
    """True when the item matches only characters that ``\\d`` matches."""
    if op is C.LITERAL:
        return chr(av) in "0123456789"
    if op is not C.IN:
        return False
    for sub_op, sub_av in av:
        if sub_op is C.LITERAL and chr(sub_av) in "0123456789":
            continue
        if sub_op is C.RANGE and 0x30 <= sub_av[0] <= sub_av[1] <= 0x39:
            continue
        if sub_op is C.CATEGORY and sub_av is C.CATEGORY_DIGIT:
            continue
        return False
    return True


def _mandatory_digit(items: Any) -> bool:
    for op, av in items:
        if _is_digit_class(op, av):
            return True
        if op is C.SUBPATTERN and not av[1] and not av[2] and _mandatory_digit(av[-1]):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and _mandatory_digit(av[2]):
            return True
    return False


def needs_digit(pattern: str) -> bool:
    """Return True when every match of ``pattern`` contains a character that ``\\d`` matches."""
    parsed = P.parse(pattern)
    return not parsed.state.flags & (re.IGNORECASE | re.VERBOSE) and _mandatory_digit(parsed)


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

    __slots__ = ("first", "literal", "needs", "pattern", "prefix")

    def __init__(self, branch: str) -> None:
        prefix = literal_prefix(branch)
        self.literal = branch if prefix == branch and branch else None
        self.prefix = prefix
        self.pattern = None if self.literal else re.compile(branch)
        self.first = frozenset(prefix[0]) if prefix else first_chars(branch)
        self.needs = required_literal(branch) if self.pattern is not None else ""

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
        # The scan tables: each key's (pattern index, literal, length, regex, prefix) per alternative, so ``matches``
        # runs literal alternatives with one ``str.find`` and never builds per-alternative generators.
        entry = lambda i, j: _entry(i, patterns[i].alternatives[j])
        self._scan_always = tuple(entry(i, j) for i, j in always)
        self._scan = {key: tuple(entry(i, j) for i, j in pairs) for key, pairs in by_key.items()}
        self._keys = frozenset(by_key)

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

    def matches(self, keys: frozenset[str], text: str) -> list[tuple[int, list[Hit]]]:
        """Return ``[(pattern index, hits)]`` in pattern order for the patterns that match ``text``.

        The same as ``CuePattern.hits(text, alts)`` for every ``(i, alts)`` of ``candidates(keys)``, leaving out
        patterns without a hit: hits ordered by position, an alternative listed once per key it was found under.
        """
        found: dict[int, list[Hit]] = {}
        merged: set[int] = set()
        scan = self._scan
        groups = [scan[key] for key in self._keys.intersection(keys)]
        if self._scan_always:
            groups.append(self._scan_always)
        for group in groups:
            for i, literal, size, pattern, prefix, needs in group:
                if literal is not None:
                    pos = text.find(literal)
                    if pos < 0:
                        continue
                    hits = [(pos, pos + size, literal)]
                    pos = text.find(literal, pos + 1)
                    while pos >= 0:
                        hits.append((pos, pos + size, literal))
                        pos = text.find(literal, pos + 1)
                elif (pattern is not None and (not prefix or prefix in text) and needs in text
                      and pattern.search(text) is not None):
                    hits = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
                else:
                    continue
                have = found.get(i)
                if have is None:
                    found[i] = hits
                else:
                    have += hits
                    merged.add(i)
        for i in merged:
            found[i].sort()
        return sorted(found.items())


def _entry(i: int, alt: Cue) -> tuple[int, str | None, int, re.Pattern[str] | None, str, str]:
    return i, alt.literal, len(alt.literal or ""), alt.pattern, alt.prefix, alt.needs
