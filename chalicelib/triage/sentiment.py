"""Sentiment axis: tone cues, sarcasm, politeness and form decide the class; the polarity model adds valence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .fastre import CueIndex, CuePattern
from .issue import Decision
from .polarity import polarity_model
from .resources import load_json
from .taxonomy import taxonomy
from .text import _BEFORE_CONTRAST, Prepared

_LOGIT_CLIP = 4.0
_UNCHECKED: Any = object()
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
    num: dict[str, float]  # the numeric parameters of ``p`` as floats, converted once


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
                   soft=re.compile(raw["soft"]), softened=re.compile(raw["softened"]), p=raw,
                   num={k: float(v) for k, v in raw.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})


def _sum(prep: Prepared, cues: Cues, index: CueIndex, hits: list[str], *, positive: bool) -> tuple[float, float]:
    """Return (cue total, negated-positive total) for one cue family, up to two hits per cue."""
    total = flipped = 0.0
    softened = bool(_config().softened.search(prep.text[prep.contrast_at:])) if prep.contrast_at else False
    contrast_at = prep.contrast_at
    for i, found_hits in index.matches(prep.chars, prep.text):
        weight = cues[i][1]
        for start, _, found in found_hits[:2]:
            w = weight * (1.0 if softened or start >= contrast_at else _BEFORE_CONTRAST)
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
    # the sarcasm match behind ``sarcastic`` (None: no sarcasm cue) when ``tone`` found it, so it is searched once
    sarcasm: re.Match[str] | None = field(default=_UNCHECKED, compare=False, repr=False)

    @property
    def positive(self) -> bool:
        """Return True when praise clearly dominates (used by the request axis)."""
        return self.pos - self.explicit >= _config().num["positive_threshold"]


def tone(prep: Prepared) -> Tone:
    """Score the explicit tone cues of a message once."""
    cfg = _config()
    hits: list[str] = []
    pos, flipped = _sum(prep, cfg.positive, cfg.pos_index, hits, positive=True)
    explicit, _ = _sum(prep, cfg.negative, cfg.neg_index, hits, positive=False)
    explicit += flipped * cfg.num["negated_positive_factor"]
    sarcasm = cfg.sarcasm.search(prep.text)
    return Tone(pos, flipped, explicit, tuple(hits), sarcasm is not None, sarcasm)


def _structure(prep: Prepared, ctx: Context, cfg: _Config, hits: list[str], polite: int | None = None) -> float:
    """Negative evidence from the other axes: fault, complaint, safety and curt demands.

    ``polite`` is the number of polite cues when the caller already counted them.
    """
    num, tax = cfg.num, taxonomy()
    fault = ctx.issue not in tax.no_fault_issues and ctx.issue != "changed_mind"
    neg = 0.0
    if fault:
        neg += num["fault_weight"]
        hits.append(f"fault:{ctx.issue}")
    if ctx.request == "complaint":
        neg += num["complaint_weight"]
        hits.append("complaint")
    if ctx.safety:
        neg += num["safety_weight"]
        hits.append("safety")
    if fault and tax.request_tier.get(ctx.request, 0) == 3:
        text = prep.text
        gentle = (polite if polite is not None else cfg.polite.search(text)) or cfg.soft.search(text)
        if not gentle and (len(text) <= int(cfg.p["curt_short_chars"]) or cfg.curt.search(text)):
            neg += num["curt_weight"]
            hits.append("curt demand")
    return neg


def classify_sentiment(prep: Prepared, feats: set[str], ctx: Context, cues: Tone) -> SentimentResult:
    """Return the sentiment class (negative/neutral/positive) and a signed valence score."""
    cfg = _config()
    p = cfg.num
    text = prep.text
    logit = max(-_LOGIT_CLIP, min(_LOGIT_CLIP, polarity_model().logit(feats)))
    neg_hits: list[str] = []
    pos, explicit = cues.pos, cues.explicit
    n_polite = len(cfg.polite.findall(text))
    neg = explicit + _structure(prep, ctx, cfg, neg_hits, n_polite)
    polite = min(p["polite_cap"], p["polite_weight"] * n_polite)
    valence = pos - neg + p["polarity_weight"] * logit
    reasons = [(f"tone +{pos:.1f}/-{neg:.1f} polite {polite:.1f} [{' '.join(cues.hits + tuple(neg_hits)) or '-'}]; "
               f"polarity model {logit:+.2f}")]
    sarcasm = cues.sarcasm if cues.sarcasm is not _UNCHECKED else cfg.sarcasm.search(text)
    if sarcasm is None and (weak := cfg.sarcasm_weak.search(text)):
        sarcasm = weak if ((neg > 0 and neg >= pos) or len(text) <= 6) else None
    if sarcasm:
        label = "negative"
        reasons.insert(0, f"sentiment=negative: sarcasm '{sarcasm.group(0)}'")
    elif pos - explicit >= p["positive_threshold"] and ctx.request != "complaint" and not ctx.safety:
        label = "positive"
    elif -valence - polite >= p["negative_threshold"]:
        label = "negative"
    else:
        label = "neutral"
    score = math.tanh(p["score_cue_weight"] * (pos - explicit) + p["score_polarity_weight"] * logit)
    if sarcasm:
        score = min(score, -0.5)
    elif abs(logit) < p["force_sign_below"]:
        score = min(score, -0.05) if label == "negative" else max(score, 0.05) if label == "positive" else score
    margin = abs(valence) if label != "neutral" else p["negative_threshold"] - abs(valence)
    conf = round(min(0.95, 0.55 + 0.15 * max(0.0, margin)), 3)
    return SentimentResult(Decision(label, conf, tuple(reasons)), round(score, 4))
