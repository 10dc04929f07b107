"""The ``Triage`` value object returned by ``classify``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Triage(BaseModel):
    """Every triage label for one message, with confidences, keywords, entities and reasons."""

    model_config = ConfigDict(frozen=True)

    issue: str
    request: str
    priority: str
    sentiment: str
    sentiment_score: float = Field(ge=-1.0, le=1.0)
    responsibility: str
    scenario: str
    confidence: dict[str, float]
    keywords: list[str]
    entities: dict[str, Any]
    reasons: list[str]
