"""Acceptance bars of the triage classifier on the shared evaluation sets (measured, never trained on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.triage.evaluate import Report, evaluate_jsonl, evaluate_reviews

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DEV = DATA / "triage_dev.jsonl"
REVIEWS = DATA / "reviews_sentiment_2000.csv"

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared evaluation data not found at {DATA}")


@pytest.fixture(scope="module")
def dev() -> Report:
    return evaluate_jsonl(DEV)


@pytest.mark.parametrize(("axis", "bar"), [("issue", 0.92), ("request", 0.88), ("sentiment", 0.88)])
def test_axis_accuracy(dev: Report, axis: str, bar: float) -> None:
    assert dev.accuracy[axis] >= bar, f"{axis} accuracy {dev.accuracy[axis]:.4f} < {bar}"


def test_p1_recall_and_precision(dev: Report) -> None:
    assert dev.p1_recall >= 0.97, f"p1 recall {dev.p1_recall:.4f}"
    assert dev.p1_precision >= 0.80, f"p1 precision {dev.p1_precision:.4f}"


def test_entity_exact_match(dev: Report) -> None:
    assert dev.entity_exact >= 0.95, f"entity exact-match {dev.entity_exact:.4f}"


def test_review_polarity() -> None:
    rep = evaluate_reviews(REVIEWS)
    assert rep.polarity_accuracy is not None and rep.polarity_accuracy >= 0.90, f"polarity {rep.polarity_accuracy}"
