"""Sentiment axis: tone cues, sarcasm, politeness and form decide the class; the polarity model adds valence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .fastre import CueIndex, CuePattern
from .issue import Decision
from .polarity import polarity_model
from .resources import load_json
from .taxonomy import taxonomy
from .text import Prepared

_LOGIT_CLIP = 4.0
Cues = tuple[tuple[CuePattern, float], ...]


@dataclass(frozen=True)
class _Config:
    sarcasm: re.Pattern[str]
    sarcasm_weak: re.Pattern[str]
    negative: Cues
    positive: Cues
    neg_index: CueIndex
    pos_index: CueIndex
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
    cues = lambda key: tuple((CuePattern(p), float(w)) for p, w in raw[key])
    neg, pos = cues("negative"), cues("positive")
    return _Config(sarcasm=re.compile(raw["sarcasm"]), sarcasm_weak=re.compile(raw["sarcasm_weak"]), negative=neg,
                   positive=pos, neg_index=CueIndex([c for c, _ in neg]), pos_index=CueIndex([c for c, _ in pos]),
                   polite=re.compile(raw["polite"]), curt=re.compile(raw["curt_ask"]),
                   soft=re.compile(raw["soft"]), softened=re.compile(raw["softened"]), p=raw)


def _sum(prep: Prepared, cues: Cues, index: CueIndex, hits: list[str], *, positive: bool) -> tuple[float, float]:
    """Return (cue total, negated-positive total) for one cue family, up to two hits per cue."""
    total = flipped = 0.0
    softened = bool(_config().softened.search(prep.text[prep.contrast_at:])) if prep.contrast_at else False
    for i, alts in index.candidates(prep.chars).items():
        cue, weight = cues[i]
        for start, _, found in cue.hits(prep.text, alts)[:2]:
            w = weight * (1.0 if softened else prep.weight(start))
            if positive and prep.negated(start):
                flipped += w
                hits.append(f"不{found}")
                continue
            total += w
            hits.append(found)
    return total, flipped


@dataclass(frozen=True)
class Tone:
    """Explicit tone cues of one message: praise, negated praise, negative words, and what matched."""

    pos: float
    flipped: float
    explicit: float
    hits: tuple[str, ...]
    sarcastic: bool

    @property
    def positive(self) -> bool:
        """Return True when praise clearly dominates (used by the request axis)."""
        return self.pos - self.explicit >= float(_config().p["positive_threshold"])


def tone(prep: Prepared) -> Tone:
    """Score the explicit tone cues of a message once."""
    cfg = _config()
    hits: list[str] = []
    pos, flipped = _sum(prep, cfg.positive, cfg.pos_index, hits, positive=True)
    explicit, _ = _sum(prep, cfg.negative, cfg.neg_index, hits, positive=False)
    explicit += flipped * float(cfg.p["negated_positive_factor"])
    return Tone(pos, flipped, explicit, tuple(hits), cfg.sarcasm.search(prep.text) is not None)


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


def classify_sentiment(prep: Prepared, feats: set[str], ctx: Context, cues: Tone) -> SentimentResult:
    """Return the sentiment class (negative/neutral/positive) and a signed valence score."""
    cfg, p = _config(), _config().p
    logit = max(-_LOGIT_CLIP, min(_LOGIT_CLIP, polarity_model().logit(feats)))
    neg_hits: list[str] = []
    pos, explicit = cues.pos, cues.explicit
    neg = explicit + _structure(prep, ctx, cfg, neg_hits)
    polite = min(float(p["polite_cap"]), float(p["polite_weight"]) * len(cfg.polite.findall(prep.text)))
    valence = pos - neg + float(p["polarity_weight"]) * logit
    reasons = [(f"tone +{pos:.1f}/-{neg:.1f} polite {polite:.1f} [{' '.join(cues.hits + tuple(neg_hits)) or '-'}]; "
               f"polarity model {logit:+.2f}")]
    sarcasm = cfg.sarcasm.search(prep.text)
    if sarcasm is None and (weak := cfg.sarcasm_weak.search(prep.text)):
        sarcasm = weak if ((neg > 0 and neg >= pos) or len(prep.text) <= 6) else None
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
