"""Rules first, the trained model as a second opinion where the rules are unsure (issue, request, sentiment class).

Per axis, a rule decision stands when its confidence is at least ``rule_sure`` (a strong cue fired with a clear
margin). Below that — the fallbacks to other/inquiry, issues inferred from the ask, close calls between two cues, a
problem stated with no recognised ask — the linear model of ``triage_model.py`` decides if its softmax probability
is at least ``model_min``. The thresholds are data (``data/hybrid.json``), chosen by ``python -m train.crossval``
on hand-written text the rules were never tuned on; the file records how.

The model is only scored when a rule decision is unsure (the fast path skips it), and the reason names the
model's probability and its strongest feature so every override stays explainable.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from .issue import Decision
from .resources import load_json
from .triage_model import Prediction, model_features, model_grams, triage_model


class Threshold(NamedTuple):
    rule_sure: float  # a rule decision at least this confident stands without asking the model
    model_min: float  # the model's label replaces an unsure rule's when its probability reaches this


@cache
def thresholds() -> dict[str, Threshold]:
    """The per-axis thresholds of ``data/hybrid.json``."""
    return {axis: Threshold(float(t["rule_sure"]), float(t["model_min"]))
            for axis, t in load_json("hybrid.json")["thresholds"].items()}


class SecondOpinion:
    """Lazily computed model predictions for one prepared message (features are built once, on first need).

    Only the axes asked for are scored: the distinct words and char grams are built once per message, and each
    asked axis looks them up in its own rows (``FastAxis``).
    """

    __slots__ = ("_all_feats", "_keys", "_preds", "text", "words")

    def __init__(self, text: str, words: list[str]) -> None:
        self.text = text
        self.words = words
        self._keys: tuple[dict[str, None], dict[str, None]] | None = None
        self._preds: dict[str, Prediction | None] | None = None
        self._all_feats: list[str] | None = None

    @property
    def _feats(self) -> list[str] | None:
        """The full ``model_features`` list (built on demand, once; None until a prediction was asked for)."""
        if self._preds is None:
            return None
        if self._all_feats is None:
            self._all_feats = model_features(self.text, self.words)
        return self._all_feats

    def _distinct(self) -> tuple[dict[str, None], dict[str, None]]:
        """The message's distinct words and char grams, first-seen order (built once, shared by every axis)."""
        keys = self._keys
        if keys is None:
            keys = self._keys = (dict.fromkeys(self.words), dict.fromkeys(model_grams(self.text)))
        return keys

    def predict(self, axis: str) -> Prediction | None:
        """Return the model's prediction on ``axis`` (None if the model file has no such axis)."""
        preds = self._preds
        if preds is None:
            preds = self._preds = {}
        elif axis in preds:
            return preds[axis]
        model = triage_model().fast.get(axis)
        pred = preds[axis] = None if model is None else model.decide(model.score(*self._distinct()))
        return pred

    def support(self, axis: str, label: str) -> str:
        """Return the feature that pushed ``axis`` towards ``label`` most (only built for overrides)."""
        if self._preds is None:
            return ""
        model = triage_model().fast.get(axis)
        return model.support(*self._distinct(), label) if model is not None else ""


def combine(axis: str, rule: Decision, opinion: SecondOpinion, limits: Threshold | None = None) -> Decision:
    """Return ``rule`` when it is sure; otherwise the model's label when the model is confident enough."""
    rule_sure, model_min = limits or thresholds()[axis]
    if rule.confidence >= rule_sure:
        return rule
    pred = opinion.predict(axis)
    if pred is None or pred.label == rule.label or pred.prob < model_min:
        return rule
    feature = opinion.support(axis, pred.label) or "bias"
    why = (f"{axis}={pred.label} (model {pred.prob:.2f}, {feature}): overrides unsure rule "
           f"{axis}={rule.label} ({rule.confidence:.2f})")
    return Decision(pred.label, round(min(0.9, pred.prob), 3), (why,))


NO_PROBLEM = frozenset({"inquiry", "other"})
NO_ACTION = frozenset({"info", "none"})


def combine_issue(rule: Decision, opinion: SecondOpinion, request: str = "info") -> Decision:
    """Issue axis: the model decides when the rule decision is unsure.

    An ask for action (expedite, refund, ...) means there is a problem, so the model may not turn the issue
    into inquiry/other while the request is one.
    """
    got = combine("issue", rule, opinion)
    if got is not rule and got.label in NO_PROBLEM and request not in NO_ACTION:
        return rule
    return got


def combine_request(rule: Decision, opinion: SecondOpinion) -> Decision:
    """Request axis: the model decides when the rule decision is unsure."""
    return combine("request", rule, opinion)


def combine_sentiment(rule: Decision, opinion: SecondOpinion) -> Decision:
    """Sentiment class: the model decides when the rule decision is unsure.

    Only the class changes; ``sentiment_score`` stays the polarity model's valence.
    """
    return combine("sentiment", rule, opinion)
