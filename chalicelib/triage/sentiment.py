"""Sentiment axis: tone cues, sarcasm, politeness and form decide the class; the polarity model adds valence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .issue import Decision
from .polarity import polarity_model
from .resources import load_json
from .taxonomy import taxonomy
from .text import Prepared

_LOGIT_CLIP = 4.0
Cues = tuple[tuple[re.Pattern[str], float], ...]


@dataclass(frozen=True)
class _Config:
    sarcasm: re.Pattern[str]
    sarcasm_weak: re.Pattern[str]
    negative: Cues
    positive: Cues
    polite: re.Pattern[str]
    curt: re.Pattern[str]
    soft: re.Pattern[str]
    softened: re.Pattern[str]
    p: dict[str, Any]


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment decision plus its signed score in [-1, 1]."""

    decision: Decision
    score: float


@dataclass(frozen=True)
class Context:
    """What the other axes found, used as tone evidence."""

    issue: str
    request: str
    safety: bool


@lru_cache(maxsize=1)
def _config() -> _Config:
    raw = load_json("sentiment_rules.json")
    cues = lambda key: tuple((re.compile(p), float(w)) for p, w in raw[key])  # noqa: E731
    return _Config(sarcasm=re.compile(raw["sarcasm"]), sarcasm_weak=re.compile(raw["sarcasm_weak"]), negative=cues("negative"), positive=cues("positive"),
                   polite=re.compile(raw["polite"]), curt=re.compile(raw["curt_ask"]),
                   soft=re.compile(raw["soft"]), softened=re.compile(raw["softened"]), p=raw)


def _sum(prep: Prepared, cues: Cues, hits: list[str], *, positive: bool) -> tuple[float, float]:
    """Return (cue total, negated-positive total) for one cue family, up to two hits per cue."""
    total = flipped = 0.0
    softened = bool(_config().softened.search(prep.text[prep.contrast_at:])) if prep.contrast_at else False
    for pattern, weight in cues:
        for m in list(pattern.finditer(prep.text))[:2]:
            w = weight * (1.0 if softened else prep.weight(m.start()))
            if positive and prep.negated(m.start()):
                flipped += w
                hits.append(f"不{m.group(0)}")
                continue
            total += w
            hits.append(m.group(0))
    return total, flipped


def positive_tone(prep: Prepared) -> bool:
    """Return True when praise/thanks cues clearly dominate (used by the request axis)."""
    cfg = _config()
    pos, _ = _sum(prep, cfg.positive, [], positive=True)
    neg, _ = _sum(prep, cfg.negative, [], positive=False)
    return pos - neg >= float(cfg.p["positive_threshold"]) and not cfg.sarcasm.search(prep.text)


def _structure(prep: Prepared, ctx: Context, cfg: _Config, hits: list[str]) -> float:
    """Negative evidence from the other axes: fault, complaint, safety and curt demands."""
    p, fault = cfg.p, ctx.issue not in taxonomy().no_fault_issues and ctx.issue != "changed_mind"
    neg = 0.0
    if fault:
        neg += float(p["fault_weight"])
        hits.append(f"fault:{ctx.issue}")
    if ctx.request == "complaint":
        neg += float(p["complaint_weight"])
        hits.append("complaint")
    if ctx.safety:
        neg += float(p["safety_weight"])
        hits.append("safety")
    asks = taxonomy().request_tier.get(ctx.request, 0) == 3
    short = len(prep.text) <= int(p["curt_short_chars"])
    gentle = cfg.polite.search(prep.text) or cfg.soft.search(prep.text)
    if fault and asks and not gentle and (short or cfg.curt.search(prep.text)):
        neg += float(p["curt_weight"])
        hits.append("curt demand")
    return neg


def classify_sentiment(prep: Prepared, feats: set[str], ctx: Context) -> SentimentResult:
    """Return the sentiment class (negative/neutral/positive) and a signed valence score."""
    cfg, p = _config(), _config().p
    logit = max(-_LOGIT_CLIP, min(_LOGIT_CLIP, polarity_model().logit(feats)))
    neg_hits: list[str] = []
    pos_hits: list[str] = []
    pos, flipped = _sum(prep, cfg.positive, pos_hits, positive=True)
    explicit, _ = _sum(prep, cfg.negative, neg_hits, positive=False)
    explicit += flipped * float(p["negated_positive_factor"])
    neg = explicit + _structure(prep, ctx, cfg, neg_hits)
    polite = min(float(p["polite_cap"]), float(p["polite_weight"]) * len(cfg.polite.findall(prep.text)))
    valence = pos - neg + float(p["polarity_weight"]) * logit
    reasons = [f"tone +{pos:.1f}/-{neg:.1f} polite {polite:.1f} [{' '.join(pos_hits + neg_hits) or '-'}]; "
               f"polarity model {logit:+.2f}"]
    sarcasm = cfg.sarcasm.search(prep.text)
    if sarcasm is None and (weak := cfg.sarcasm_weak.search(prep.text)):
        sarcasm = weak if (neg > 0 or len(prep.text) <= 6) else None
    if sarcasm:
        label = "negative"
        reasons.insert(0, f"sentiment=negative: sarcasm '{sarcasm.group(0)}'")
    elif pos - explicit >= float(p["positive_threshold"]) and ctx.request != "complaint" and not ctx.safety:
        label = "positive"
    elif -valence - polite >= float(p["negative_threshold"]):
        label = "negative"
    else:
        label = "neutral"
    score = math.tanh(float(p["score_cue_weight"]) * (pos - explicit) + float(p["score_polarity_weight"]) * logit)
    if sarcasm:
        score = min(score, -0.5)
    elif abs(logit) < float(p["force_sign_below"]):
        score = min(score, -0.05) if label == "negative" else max(score, 0.05) if label == "positive" else score
    margin = abs(valence) if label != "neutral" else float(p["negative_threshold"]) - abs(valence)
    conf = round(min(0.95, 0.55 + 0.15 * max(0.0, margin)), 3)
    return SentimentResult(Decision(label, conf, tuple(reasons)), round(score, 4))
