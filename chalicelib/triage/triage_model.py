"""Small trained second opinion for the issue, request and sentiment axes: linear models scored in plain Python.

``data/triage_model.json`` (written by ``train/train_triage.py``) holds, per axis, the label list, one bias per
label and a sparse weight row per feature (``[label_index, weight, label_index, weight, ...]``). Features are the
segmented words (``w:``) plus character 2/3-grams (``c:``) of the normalised text, so the model shares the
classifier's normalisation and segmentation. No numpy or scikit-learn at runtime.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add, sub

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
    feats += [f"c:{clipped[i:i + k]}" for k in (2, 3) for i in range(n - k + 1)]
    return feats


def model_grams(text: str) -> list[str]:
    """Return the character 2-grams then 3-grams of ``text`` as ``model_features`` builds them, without the ``c:``
    prefix (the fast scorer keys its char-gram rows by the bare gram)."""
    clipped = _DIGITS.sub("0", text[:MAX_CHARS])
    grams = list(map(add, clipped, clipped[1:]))
    return grams + list(map(add, grams, clipped[2:]))


@dataclass(frozen=True)
class Prediction:
    """The model's label, its softmax probability and the runner-up label."""

    label: str
    prob: float
    second: str


@dataclass(frozen=True)
class AxisModel:
    """Multinomial logistic regression for one axis; ``weights`` maps a feature to its ``(label, weight)`` pairs."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]

    def scores(self, feats: list[str]) -> list[float]:
        """Return one logit per label (each distinct feature counted once, summed in first-seen order so the
        result does not depend on the process's string-hash seed)."""
        out = list(self.bias)
        w = self.weights
        for f in dict.fromkeys(feats):
            row = w.get(f)
            if row is not None:
                for i, v in row:
                    out[i] += v
        return out

    def decide(self, logits: list[float]) -> Prediction:
        """Turn this axis's logits into a prediction (softmax probability of the best label)."""
        order = sorted(range(len(logits)), key=logits.__getitem__, reverse=True)
        top = logits[order[0]]
        z = sum(math.exp(v - top) for v in logits)
        return Prediction(self.labels[order[0]], round(1.0 / z, 4), self.labels[order[1]])

    def predict(self, feats: list[str]) -> Prediction:
        """Return the best label with its probability."""
        return self.decide(self.scores(feats))

    def support(self, feats: list[str], label: str) -> str:
        """Return the present feature with the largest weight towards ``label`` (for the reason string)."""
        want, best, name = self.labels.index(label), 0.0, ""
        for f in dict.fromkeys(feats):
            for i, v in self.weights.get(f, ()):
                if i == want and v > best:
                    best, name = v, f
        return name


class FastAxis:
    """One axis laid out for the per-message scorer: word rows and char-gram rows in two dicts keyed by the bare
    word / gram, holding only non-empty rows of this axis (built from ``AxisModel`` at load time).

    A message's distinct words and grams are visited in ``model_features`` first-seen order (words, then 2-grams,
    then 3-grams), so ``score`` adds each label's weights in exactly the order ``AxisModel.scores`` does and the
    floats come out identical.
    """

    __slots__ = ("bias", "grams", "labels", "words")

    def __init__(self, model: AxisModel) -> None:
        self.labels = model.labels
        self.bias = model.bias
        self.words: dict[str, tuple[tuple[int, float], ...]] = {}
        self.grams: dict[str, tuple[tuple[int, float], ...]] = {}
        for f, row in model.weights.items():
            if not row:
                continue
            if f.startswith("w:"):
                if not _SKIP.match(f[2:]):  # model_features never emits such a word
                    self.words[f[2:]] = row
            elif f.startswith("c:"):
                self.grams[f[2:]] = row

    def score(self, words: dict[str, None], grams: dict[str, None]) -> list[float]:
        """Return one logit per label from a message's distinct ``words`` and ``grams`` (first-seen order, as
        ``dict.fromkeys`` keeps them): the same sums in the same order as ``AxisModel.scores``."""
        out = list(self.bias)
        for row in filter(None, map(self.words.get, words)):
            for i, v in row:
                out[i] += v
        for row in filter(None, map(self.grams.get, grams)):
            for i, v in row:
                out[i] += v
        return out

    def decide(self, logits: list[float]) -> Prediction:
        """``AxisModel.decide`` without the sort: best = first maximum, runner-up = first maximum of the rest."""
        top = max(logits)
        first = logits.index(top)
        rest = logits.copy()
        rest[first] = -math.inf
        z = sum(map(math.exp, map(sub, logits, repeat(top))))  # exp(v - top), summed in order
        return Prediction(self.labels[first], round(1.0 / z, 4), self.labels[rest.index(max(rest))])

    def support(self, words: dict[str, None], grams: dict[str, None], label: str) -> str:
        """``AxisModel.support`` over the message's distinct words and grams (features without a row cannot win)."""
        want, best, name = self.labels.index(label), 0.0, ""
        for w in words:
            for i, v in self.words.get(w, ()):
                if i == want and v > best:
                    best, name = v, "w:" + w
        for g in grams:
            for i, v in self.grams.get(g, ()):
                if i == want and v > best:
                    best, name = v, "c:" + g
        return name


@dataclass(frozen=True)
class TriageModel:
    """The exported models (``issue``, ``request``, ``sentiment``) and their provenance.

    ``joint`` merges every axis's rows under one key per feature (label index offset per axis), so one pass of
    dict look-ups scores all axes at once.
    """

    version: str
    axes: dict[str, AxisModel]
    joint: dict[str, tuple[tuple[int, float], ...]]
    offsets: dict[str, int]
    fast: dict[str, FastAxis]

    def predict(self, axis: str, feats: list[str]) -> Prediction | None:
        """Predict ``axis`` or return None when the file has no model for it."""
        model = self.axes.get(axis)
        return model.predict(feats) if model is not None else None

    def predict_all(self, feats: list[str]) -> dict[str, Prediction]:
        """Predict every axis in one pass over the features."""
        out: list[float] = []
        for m in self.axes.values():
            out += m.bias
        w = self.joint
        for f in dict.fromkeys(feats):
            row = w.get(f)
            if row is not None:
                for i, v in row:
                    out[i] += v
        return {name: m.decide(out[self.offsets[name]:self.offsets[name] + len(m.labels)]) for name, m in self.axes.items()}


def _pairs(row: list[float], offset: int = 0) -> tuple[tuple[int, float], ...]:
    return tuple((int(row[i]) + offset, float(row[i + 1])) for i in range(0, len(row), 2))


@lru_cache(maxsize=1)
def triage_model() -> TriageModel:
    """Load ``data/triage_model.json`` once (rows are stored flat: ``[label, weight, label, weight, ...]``)."""
    raw = load_json(MODEL_FILE)
    axes: dict[str, AxisModel] = {}
    joint: dict[str, tuple[tuple[int, float], ...]] = {}
    offsets: dict[str, int] = {}
    offset = 0
    for name, m in raw["axes"].items():
        axes[name] = AxisModel(labels=tuple(m["labels"]), bias=tuple(float(b) for b in m["bias"]),
                               weights={f: _pairs(r) for f, r in m["weights"].items()})
        offsets[name] = offset
        for f, r in m["weights"].items():
            joint[f] = joint.get(f, ()) + _pairs(r, offset)
        offset += len(m["labels"])
    fast = {name: FastAxis(m) for name, m in axes.items()}
    return TriageModel(version=str(raw["version"]), axes=axes, joint=joint, offsets=offsets, fast=fast)
