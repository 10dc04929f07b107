"""Small trained second opinion for the issue and request axes: linear models scored in plain Python.

``data/triage_model.json`` (written by ``train/train_triage.py``) holds, per axis, the label list, one bias per
label and a sparse weight row per feature (``[label_index, weight, label_index, weight, ...]``). Features are the
segmented words (``w:``) plus character 1/2/3-grams (``c:``) of the normalised text, so the model shares the
classifier's normalisation and segmentation. No numpy or scikit-learn at runtime.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import load_json

MODEL_FILE = "triage_model.json"
MAX_CHARS = 160
_SKIP = re.compile(r"^[\W\d_]+$")
_DIGITS = re.compile(r"\d")


def model_features(text: str, words: list[str]) -> list[str]:
    """Return the feature strings of a normalised ``text`` and its segmented ``words`` (duplicates allowed)."""
    clipped = _DIGITS.sub("0", text[:MAX_CHARS])
    feats = [f"w:{w}" for w in words if not _SKIP.match(w)]
    n = len(clipped)
    feats += [f"c:{clipped[i:i + k]}" for k in (1, 2, 3) for i in range(n - k + 1)]
    return feats


@dataclass(frozen=True)
class Prediction:
    """The model's label, its softmax probability, the runner-up and the feature that pushed the label most."""

    label: str
    prob: float
    second: str
    feature: str


@dataclass(frozen=True)
class AxisModel:
    """Multinomial logistic regression for one axis."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, list[float]]

    def scores(self, feats: list[str]) -> list[float]:
        """Return one logit per label (each distinct feature counted once, summed in first-seen order so the
        result does not depend on the process's string-hash seed)."""
        out = list(self.bias)
        w = self.weights
        for f in dict.fromkeys(feats):
            row = w.get(f)
            if row is not None:
                for i in range(0, len(row), 2):
                    out[int(row[i])] += row[i + 1]
        return out

    def predict(self, feats: list[str]) -> Prediction:
        """Return the best label with its probability and the strongest supporting feature."""
        logits = self.scores(feats)
        order = sorted(range(len(logits)), key=logits.__getitem__, reverse=True)
        top = logits[order[0]]
        z = sum(math.exp(v - top) for v in logits)
        best = order[0]
        return Prediction(self.labels[best], round(1.0 / z, 4), self.labels[order[1]], self._support(feats, best))

    def _support(self, feats: list[str], label: int) -> str:
        best, name = 0.0, ""
        for f in dict.fromkeys(feats):
            row = self.weights.get(f)
            if row is None:
                continue
            for i in range(0, len(row), 2):
                if int(row[i]) == label and row[i + 1] > best:
                    best, name = row[i + 1], f
        return name


@dataclass(frozen=True)
class TriageModel:
    """The exported models (``issue`` and ``request``) and their provenance."""

    version: str
    axes: dict[str, AxisModel]

    def predict(self, axis: str, feats: list[str]) -> Prediction | None:
        """Predict ``axis`` or return None when the file has no model for it."""
        model = self.axes.get(axis)
        return model.predict(feats) if model is not None else None


@lru_cache(maxsize=1)
def triage_model() -> TriageModel:
    """Load ``data/triage_model.json`` once."""
    raw = load_json(MODEL_FILE)
    axes = {name: AxisModel(labels=tuple(m["labels"]), bias=tuple(float(b) for b in m["bias"]), weights=m["weights"])
            for name, m in raw["axes"].items()}
    return TriageModel(version=str(raw["version"]), axes=axes)
