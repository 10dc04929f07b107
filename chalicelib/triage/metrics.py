"""Accuracy, macro-F1, confusion tables and binary precision/recall for the evaluation CLI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the share of exact matches."""
    return sum(g == p for g, p in zip(gold, pred)) / max(1, len(gold))


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the unweighted mean F1 over the labels present in gold or pred."""
    labels = sorted(set(gold) | set(pred))
    f1s = []
    for label in labels:
        p, r = precision_recall(gold, pred, label)
        f1s.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    return sum(f1s) / max(1, len(f1s))


def precision_recall(gold: Sequence[str], pred: Sequence[str], label: str) -> tuple[float, float]:
    """Return (precision, recall) of one label; 1.0 when the denominator is empty."""
    tp = sum(g == label and p == label for g, p in zip(gold, pred))
    n_pred = sum(p == label for p in pred)
    n_gold = sum(g == label for g in gold)
    return (tp / n_pred if n_pred else 1.0, tp / n_gold if n_gold else 1.0)


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> str:
    """Render a gold-by-predicted confusion table as text."""
    counts = Counter(zip(gold, pred))
    short = [lab[:6] for lab in labels]
    width = max(len(lab) for lab in labels) + 1
    lines = ["gold \\ pred".ljust(width) + " ".join(s.rjust(6) for s in short)]
    for g in labels:
        lines.append(g.ljust(width) + " ".join(str(counts.get((g, p), "") or ".").rjust(6) for p in labels))
    return "\n".join(lines)
