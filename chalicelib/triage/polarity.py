"""Binary valence model: a linear model over ``features`` scored in plain Python."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from .resources import load_json


@dataclass(frozen=True)
class PolarityModel:
    """Exported logistic-regression weights (positive logit means positive valence)."""

    version: str
    bias: float
    weights: dict[str, float]
    kinds: tuple[str, ...]

    def logit(self, feats: set[str]) -> float:
        """Return the raw logit for a feature set."""
        return self.bias + sum(map(self.weights.get, feats, repeat(0.0)))  # same order and sum as a generator

    def top(self, feats: set[str], n: int = 3) -> list[tuple[str, float]]:
        """Return the ``n`` features that moved the logit most."""
        ranked = sorted(((f, self.weights[f]) for f in feats if f in self.weights), key=lambda x: -abs(x[1]))
        return ranked[:n]


@lru_cache(maxsize=1)
def polarity_model() -> PolarityModel:
    """Load ``data/polarity.json`` once."""
    raw = load_json("polarity.json")
    kinds = tuple(raw.get("features", ("w", "c2")))
    return PolarityModel(version=str(raw["version"]), bias=float(raw["bias"]), weights=raw["weights"], kinds=kinds)


def squash(x: float) -> float:
    """Map a logit to (-1, 1)."""
    return math.tanh(x / 2.0)
