"""Evaluate ``classify`` on a labelled JSONL file (dev-set format) or a reviews CSV (polarity).

Usage: python -m chalicelib.triage.evaluate FILE [--errors AXIS]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .classifier import classify
from .metrics import accuracy, confusion, macro_f1, precision_recall
from .taxonomy import taxonomy

AXES = ("issue", "request", "priority", "sentiment")
_REVIEW_COLUMNS = {"category", "label", "review"}


class MalformedFile(ValueError):
    """Raised when an evaluation file does not follow the expected format."""


@dataclass
class Report:
    """Per-axis metrics of one evaluation run."""

    n: int = 0
    accuracy: dict[str, float] = field(default_factory=dict)
    macro_f1: dict[str, float] = field(default_factory=dict)
    p1_precision: float = 0.0
    p1_recall: float = 0.0
    entity_exact: float = 0.0
    polarity_accuracy: float | None = None
    lines: list[str] = field(default_factory=list)


def _check_row(row: Any, lineno: int) -> dict[str, Any]:
    tax = taxonomy()
    allowed = {"issue": tax.issues, "request": tax.requests, "priority": tax.priorities, "sentiment": tax.sentiments}
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise MalformedFile(f"line {lineno}: expected an object with a string 'text'")
    for axis, labels in allowed.items():
        if row.get(axis) not in labels:
            raise MalformedFile(f"line {lineno}: '{axis}' is {row.get(axis)!r}, expected one of {', '.join(labels)}")
    if not isinstance(row.get("entities", {}), dict):
        raise MalformedFile(f"line {lineno}: 'entities' must be an object")
    return row


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read and validate a dev-set style JSONL file.

    Raises:
        MalformedFile: on invalid JSON, missing fields or unknown labels.
    """
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(_check_row(json.loads(line), lineno))
        except json.JSONDecodeError as exc:
            raise MalformedFile(f"line {lineno}: invalid JSON ({exc.msg})") from exc
    if not rows:
        raise MalformedFile("no rows")
    return rows


def _same_entities(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    norm = lambda d: {k: (float(v) if k == "amount" else str(v).upper()) for k, v in d.items()}
    return norm(gold) == norm(pred)


def evaluate_jsonl(path: Path, errors: str | None = None) -> Report:
    """Classify every row of a JSONL file and compute the per-axis metrics."""
    rows = load_jsonl(path)
    preds = [classify(r["text"]) for r in rows]
    rep = Report(n=len(rows))
    for axis in AXES:
        gold = [r[axis] for r in rows]
        got = [getattr(p, axis) for p in preds]
        rep.accuracy[axis], rep.macro_f1[axis] = accuracy(gold, got), macro_f1(gold, got)
        if errors == axis:
            rep.lines += [f"{r.get('id', '?')}\tgold={g}\tpred={q}\t{r['text']}\t{p.reasons}"
                          for r, g, q, p in zip(rows, gold, got, preds) if g != q]
    gold_pri, pred_pri = [r["priority"] for r in rows], [p.priority for p in preds]
    rep.p1_precision, rep.p1_recall = precision_recall(gold_pri, pred_pri, "p1")
    same = [_same_entities(r.get("entities", {}), p.entities) for r, p in zip(rows, preds)]
    rep.entity_exact = sum(same) / len(rows)
    if errors == "entities":
        rep.lines += [f"{r.get('id')}\tgold={r.get('entities')}\tpred={p.entities}\t{r['text']}"
                      for r, p, ok in zip(rows, preds, same) if not ok]
    labels = taxonomy().issues
    rep.lines.insert(0, confusion([r["issue"] for r in rows], [p.issue for p in preds], labels))
    return rep


def evaluate_reviews(path: Path) -> Report:
    """Binary polarity accuracy (sign of ``sentiment_score``) on a reviews CSV.

    Raises:
        MalformedFile: when the CSV lacks the ``label``/``review`` columns or has other labels.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not _REVIEW_COLUMNS <= set(reader.fieldnames):
            raise MalformedFile(f"CSV header must include {sorted(_REVIEW_COLUMNS)}, got {reader.fieldnames}")
        rows = list(reader)
    if not rows:
        raise MalformedFile("no rows")
    ok = 0
    for lineno, row in enumerate(rows, 2):
        if row["label"] not in ("positive", "negative"):
            raise MalformedFile(f"line {lineno}: label must be positive or negative, got {row['label']!r}")
        ok += (classify(row["review"] or "").sentiment_score > 0) == (row["label"] == "positive")
    return Report(n=len(rows), polarity_accuracy=ok / len(rows))


def render(rep: Report) -> str:
    """Format a report for the terminal."""
    if rep.polarity_accuracy is not None:
        return f"reviews: {rep.n}\npolarity accuracy (sign of sentiment_score): {rep.polarity_accuracy:.4f}"
    out = [f"messages: {rep.n}", f"{'axis':<10} {'accuracy':>9} {'macro-F1':>9}"]
    out += [f"{a:<10} {rep.accuracy[a]:>9.4f} {rep.macro_f1[a]:>9.4f}" for a in AXES]
    out += [f"p1 precision {rep.p1_precision:.4f}  recall {rep.p1_recall:.4f}",
            f"entity exact-match {rep.entity_exact:.4f}", "", "issue confusion (rows gold, columns predicted):"]
    return "\n".join(out + rep.lines)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; exits 2 with a message on a malformed or missing file."""
    ap = argparse.ArgumentParser(prog="python -m chalicelib.triage.evaluate", description=__doc__)
    ap.add_argument("file", type=Path)
    ap.add_argument("--errors", choices=[*AXES, "entities"], help="also list the rows wrong on this axis")
    args = ap.parse_args(argv)
    try:
        if not args.file.is_file():
            raise MalformedFile("file not found")
        rep = evaluate_reviews(args.file) if args.file.suffix.lower() == ".csv" else evaluate_jsonl(args.file, args.errors)
    except (MalformedFile, UnicodeDecodeError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(render(rep))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
