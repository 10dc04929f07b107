"""Sentiment axis: tone cues, sarcasm and form decide the class; the polarity model adds valence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .issue import Decision
from .polarity import polarity_model
from .resources import load_json
from .text import Prepared

_LOGIT_CLIP = 4.0


@dataclass(frozen=True)
class _Config:
    sarcasm: re.Pattern[str]
    cues: tuple[tuple[re.Pattern[str], float], ...]
    polarity_weight: float
    neutral_band: float
    question_band: float


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment decision plus its signed score in [-1, 1]."""

    decision: Decision
    score: float


@lru_cache(maxsize=1)
def _config() -> _Config:
    raw = load_json("sentiment_rules.json")
    return _Config(
        sarcasm=re.compile(raw["sarcasm"]),
        cues=tuple((re.compile(p), float(w)) for p, w in raw["cues"]),
        polarity_weight=float(raw["polarity_weight"]),
        neutral_band=float(raw["neutral_band"]),
        question_band=float(raw["question_band"]),
    )


def _cue_score(prep: Prepared, cfg: _Config) -> tuple[float, list[str]]:
    total, hits = 0.0, []
    for pattern, weight in cfg.cues:
        for m in pattern.finditer(prep.text):
            w = weight * prep.weight(m.start())
            if prep.negated(m.start()):
                if weight < 0:
                    continue
                w = -0.8 * w
            total += w
            hits.append(f"{m.group(0)}({w:+.1f})")
            break
    return total, hits


def classify_sentiment(prep: Prepared, feats: set[str], question: bool) -> SentimentResult:
    """Return the sentiment class (negative/neutral/positive) and a signed valence score."""
    cfg, model = _config(), polarity_model()
    logit = max(-_LOGIT_CLIP, min(_LOGIT_CLIP, model.logit(feats)))
    cues, hits = _cue_score(prep, cfg)
    combined = cues + cfg.polarity_weight * logit
    reasons = [f"sentiment cues {cues:+.1f}: {' '.join(hits) or '-'}; polarity model {logit:+.2f}"]
    if sarcasm := cfg.sarcasm.search(prep.text):
        combined = min(combined, -2.0) - 1.0
        reasons.insert(0, f"sentiment=negative: sarcasm '{sarcasm.group(0)}'")
    band = cfg.question_band if question else cfg.neutral_band
    if combined <= -band:
        label = "negative"
    elif combined >= band:
        label = "positive"
    else:
        label = "neutral"
    score = math.tanh((cues + logit) / 3.0)
    if label == "negative":
        score = min(score, -0.05)
    elif label == "positive":
        score = max(score, 0.05)
    conf = round(min(0.95, 0.5 + abs(abs(combined) - band) / (2 * band + 2)), 3)
    return SentimentResult(Decision(label, conf, tuple(reasons)), round(score, 4))
