"""Triage classifier: ``classify(text) -> Triage`` (jieba/rjieba load lazily on first call)."""

from __future__ import annotations

from .classifier import classify
from .model import Triage
from .taxonomy import derive_responsibility
from .warmup import warm

__all__ = ["Triage", "classify", "derive_responsibility", "warm"]
