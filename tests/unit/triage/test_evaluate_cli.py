"""The evaluation CLI: metrics on a small labelled file and a clear failure on malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.triage.evaluate import main


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def row(**over: object) -> str:
    base = {"id": "t-1", "text": "拍错了，不想要了，帮我取消", "channel": "sms", "issue": "changed_mind",
            "request": "cancel", "priority": "p2", "sentiment": "neutral", "entities": {}}
    return json.dumps({**base, **over}, ensure_ascii=False)


def test_prints_metrics_for_a_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ok.jsonl", row() + "\n" + row(id="t-2", text="请问保修多久", issue="inquiry",
                                                             request="info", priority="p3") + "\n")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "issue" in out and "macro-F1" in out and "p1 precision" in out and "entity exact-match" in out


@pytest.mark.parametrize("bad", ["{not json", row(issue="broken"), json.dumps({"id": "x"})])
def test_malformed_jsonl_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    path = write(tmp_path, "bad.jsonl", bad + "\n")
    assert main([str(path)]) != 0
    assert "error" in capsys.readouterr().err


def test_reviews_csv_gives_polarity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "r.csv", "id,category,label,review\nr1,衣服,positive,质量很好很满意\nr2,衣服,negative,太差了退货\n")
    assert main([str(path)]) == 0
    assert "polarity accuracy" in capsys.readouterr().out


def test_csv_without_review_column_fails(tmp_path: Path) -> None:
    assert main([str(write(tmp_path, "r.csv", "a,b\n1,2\n"))]) == 2
