"""Public contract: fields, frozen model, responsibility derivation, lazy jieba."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from chalicelib.triage import Triage, classify, derive_responsibility
from chalicelib.triage.taxonomy import taxonomy

ROOT = Path(__file__).resolve().parents[3]


def test_fields_are_the_published_ones() -> None:
    assert list(Triage.model_fields) == [
        "issue", "request", "priority", "sentiment", "sentiment_score", "responsibility", "scenario",
        "confidence", "keywords", "entities", "reasons",
    ]


def test_triage_is_frozen() -> None:
    t = classify("快递三天没动了")
    with pytest.raises(pydantic.ValidationError):
        t.issue = "other"  # type: ignore[misc]


def test_labels_come_from_the_taxonomy() -> None:
    t = classify("洗碗机漏水，能换新的吗")
    tax = taxonomy()
    assert t.issue in tax.issues and t.request in tax.requests
    assert t.priority in tax.priorities and t.sentiment in tax.sentiments
    assert set(t.confidence) == {"issue", "request", "priority", "sentiment"}
    assert all(0.0 <= v <= 1.0 for v in t.confidence.values())
    assert t.reasons


def test_keywords_include_domain_terms() -> None:
    assert "漏水" in classify("洗碗机漏水，能换新的吗").keywords


@pytest.mark.parametrize(
    ("issue", "shipped", "who"),
    [("shipping", False, "merchant"), ("shipping", True, "logistics"), ("shipping", None, "logistics"),
     ("damaged", None, "logistics"), ("changed_mind", True, "customer"), ("inquiry", None, "none")],
)
def test_derive_responsibility(issue: str, shipped: bool | None, who: str) -> None:
    assert derive_responsibility(issue, shipped) == who


def test_unknown_issue_is_rejected() -> None:
    with pytest.raises(ValueError):
        derive_responsibility("nonsense", None)


def test_import_does_not_load_jieba() -> None:
    code = "import sys, chalicelib.triage; assert 'jieba' not in sys.modules and 'rjieba' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_empty_text_is_classified() -> None:
    assert classify("").issue == "other"
