"""``classify``: run every axis over one message and assemble the ``Triage``."""

from __future__ import annotations

import dataclasses

from .entities import extract_entities
from .features import features
from .hybrid import SecondOpinion, combine_issue, combine_request, combine_sentiment
from .issue import classify_issue, fallback_from_request
from .keywords import extract_keywords
from .model import Triage
from .polarity import polarity_model
from .priority import classify_priority, safety_hit
from .request import classify_request, request_scores
from .segment import cut
from .sentiment import Context, classify_sentiment, tone
from .taxonomy import derive_responsibility, derive_scenario
from .text import prepare


def classify(text: str) -> Triage:
    """Label one customer message on every triage axis (pure; loads data files lazily once)."""
    prep = prepare(text)
    words = cut(prep.text)
    entities = extract_entities(prep.text)
    issue, issue_scores = classify_issue(prep)
    policy = issue.label == "inquiry" and issue.confidence >= 0.75
    cues = tone(prep)
    positive = cues.positive and not cues.sarcastic
    req_scores = request_scores(prep)
    request = classify_request(prep, issue.label, positive, policy, req_scores)
    issue = fallback_from_request(issue, request.label, issue_scores)
    # second opinion (hybrid.py): the trained model decides only where the rules are unsure
    opinion = SecondOpinion(prep.text, words)
    second = combine_issue(issue, opinion, request.label)
    if second.label != issue.label:
        request = classify_request(prep, second.label, positive, policy, req_scores)
    issue, request = second, combine_request(request, opinion)
    safety = safety_hit(prep, issue.label)
    priority = classify_priority(prep, issue.label, request.label, entities, safety)
    ctx = Context(issue=issue.label, request=request.label, safety=safety is not None)
    senti = classify_sentiment(prep, features(prep.text, words, polarity_model().kinds), ctx, cues)
    decision = combine_sentiment(senti.decision, opinion)
    if decision is not senti.decision:
        senti = dataclasses.replace(senti, decision=decision)
    cue_hits = [h for hits in issue_scores.hits.values() for h in hits]
    return Triage(
        issue=issue.label,
        request=request.label,
        priority=priority.label,
        sentiment=senti.decision.label,
        sentiment_score=senti.score,
        responsibility=derive_responsibility(issue.label, None),
        scenario=derive_scenario(issue.label),
        confidence={
            "issue": issue.confidence,
            "request": request.confidence,
            "priority": priority.confidence,
            "sentiment": senti.decision.confidence,
        },
        keywords=extract_keywords(words, cue_hits),
        entities=entities,
        reasons=[*issue.reasons, *request.reasons, *priority.reasons, *senti.decision.reasons],
    )
