"""The shipped model files are exactly what ``make train`` builds from the committed training data.

A change to ``normalise``, the user dictionary, the feature code or the training text must come with the
retrained files; otherwise the shipped weights silently score features that no longer exist."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from train import train_polarity, train_triage, triage_corpus, triage_written


def _same(built: Path, committed: Path) -> None:
    assert built.stat().st_size > 0
    assert filecmp.cmp(built, committed, shallow=False), (
        f"{committed.name} is stale: rebuild it with `make train` and commit it")


def test_templated_corpus_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    assert triage_corpus.main(["--out", str(out)]) == 0
    _same(out, triage_corpus.OUT)


def test_written_corpus_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "written.jsonl"
    assert triage_written.main(["--out", str(out)]) == 0
    _same(out, triage_written.OUT)


def test_triage_model_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "triage_model.json"
    assert train_triage.main(["--out", str(out)]) == 0
    _same(out, train_triage.OUT)


@pytest.mark.skipif(not train_polarity.DEFAULT_DATA.exists(), reason="reviews_train.csv not beside the repo")
def test_polarity_model_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "polarity.json"
    assert train_polarity.main(["--out", str(out)]) == 0
    _same(out, train_polarity.OUT)
