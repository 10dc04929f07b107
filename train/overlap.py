"""Check that training text does not copy evaluation text.

Compares every training message with every message of the evaluation files by character-bigram Jaccard
similarity (punctuation, spaces and emoji ignored) and lists the pairs at or above the threshold. The
evaluation files are the dev set (``../shared/data/triage_dev.jsonl``) and the holdouts under ``tests/data/``;
only the similarity and the two ids are printed, never the evaluation sentence, so a writer can run this
without reading the text they must not learn from.

    .venv/bin/python -m train.overlap                       # the two committed training corpora
    .venv/bin/python -m train.overlap train/data/written/09_x.txt   # a written file (``issue request sentiment text``)

Exits 1 when any pair reaches the threshold (default 0.4).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "triage_dev.jsonl"
HOLDOUTS = sorted((ROOT / "tests" / "data").glob("triage_holdout*.jsonl"))
TRAINING = [ROOT / "train" / "data" / "triage_train.jsonl", ROOT / "train" / "data" / "triage_train_written.jsonl"]
_DROP = re.compile(r"[^\w]|_", re.UNICODE)


def letters(text: str) -> str:
    """``text`` lower-cased with punctuation, spaces and symbols removed."""
    return _DROP.sub("", text.lower())


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of ``text`` with punctuation, spaces and symbols removed."""
    t = letters(text) or "".join(text.split())
    return frozenset(t[i:i + 2] for i in range(len(t) - 1)) or frozenset([t])


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def read_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(id, text) pairs of a JSONL file or a written ``issue request sentiment text`` file."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if path.suffix == ".jsonl":
            row = json.loads(line)
            yield str(row.get("id", f"{path.name}:{n}")), row["text"]
        else:
            parts = line.split(None, 3)
            yield f"{path.name}:{n}", parts[-1]


def close_pairs(training: Iterable[tuple[str, str]], evaluation: list[tuple[str, str]],
                threshold: float) -> list[tuple[float, str, str]]:
    """Every (similarity, training id, evaluation id) at or above ``threshold``, highest first."""
    index: dict[str, list[int]] = {}
    grams = []
    for k, (_, text) in enumerate(evaluation):
        g = bigrams(text)
        grams.append(g)
        for b in g:
            index.setdefault(b, []).append(k)
    hits = []
    for tid, text in training:
        g = bigrams(text)
        candidates = {k for b in g for k in index.get(b, ())}
        for k in candidates:
            s = jaccard(g, grams[k])
            if s >= threshold:
                hits.append((s, tid, evaluation[k][0]))
    return sorted(hits, reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, help="training files (default: the two training corpora)")
    ap.add_argument("--threshold", type=float, default=0.4)
    args = ap.parse_args(argv)
    evaluation = [pair for path in [DEV, *HOLDOUTS] if path.exists() for pair in read_texts(path)]
    training = [pair for path in (args.files or TRAINING) for pair in read_texts(path)]
    hits = close_pairs(training, evaluation, args.threshold)
    for s, tid, eid in hits:
        print(f"{s:.2f}  {tid}  ~  {eid}")
    print(f"{len(training)} training texts against {len(evaluation)} evaluation texts: "
          f"{len(hits)} pairs with Jaccard >= {args.threshold}")
    return 1 if hits else 0


if __name__ == "__main__":
    raise SystemExit(main())
