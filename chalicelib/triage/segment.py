"""Word segmentation with the domain user dictionary, imported lazily on first use."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import cache
from typing import Any

from .resources import load_lines

Cutter = Callable[[str], list[str]]


def _user_words() -> list[tuple[str, int | None, str | None]]:
    """Return (word, freq, tag) triples from ``data/userdict.txt``."""
    words: list[tuple[str, int | None, str | None]] = []
    for line in load_lines("userdict.txt"):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        words.append((parts[0], freq, tag))
    return words


def _rjieba() -> Cutter:
    mod: Any = importlib.import_module("rjieba")
    for word, freq, tag in _user_words():
        mod.add_word(word, freq, tag)
    cut: Cutter = mod.cut
    return cut


def _jieba() -> Cutter:
    mod: Any = importlib.import_module("jieba")
    mod.setLogLevel(logging.WARNING)
    mod.initialize()
    for word, freq, tag in _user_words():
        mod.add_word(word, freq, tag)
    lcut: Callable[..., list[str]] = mod.lcut
    return lambda text: lcut(text)


@cache
def backend(name: str = "auto") -> tuple[str, Cutter]:
    """Return ``(name, cut)``: rjieba when installed (same cuts, ~25x faster), else jieba.

    Raises:
        ImportError: if the requested backend is not installed.
    """
    if name in ("auto", "rjieba"):
        try:
            return "rjieba", _rjieba()
        except ImportError:
            if name == "rjieba":
                raise
    return "jieba", _jieba()


def cut(text: str) -> list[str]:
    """Segment ``text`` into words (loads the segmenter on first call)."""
    return backend()[1](text)
