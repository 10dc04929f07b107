"""Measure the hybrid on hand-written text the rules were never tuned on, by k-fold cross-validation.

The pool is one or more whole-message files of ``train/data/written/`` (``issue request sentiment text``)
written without reading the rules. First the rules alone and the shipped model are measured on the pool
(honest only while the pool is not yet in the training corpus). Then, per fold, the second-opinion model is
trained on both corpora minus the pool's held-out fold and the hybrid is scored on that fold for every pair of
thresholds (rule confidence under which the model is asked x model probability it needs). The summed result
picks ``hybrid.py``'s thresholds without touching the dev set or a holdout.

    .venv/bin/python -m train.crossval train/data/written/09_x.txt train/data/written/10_y.txt [--folds 5]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from pathlib import Path

from chalicelib.triage import classify, hybrid
from chalicelib.triage import triage_model as tm
from train import train_triage, triage_corpus, triage_written

AXES = ("issue", "request", "sentiment")
RULE_SURE = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
MODEL_MIN = (0.4, 0.5, 0.6, 0.7, 0.8)


def _pool(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for i, r, s, text in triage_written._rows(path):
            rows.append({"text": re.sub(r"\s+", " ", text).strip(), "issue": triage_written.ISSUE[i],
                         "request": triage_written.REQUEST[r], "sentiment": triage_written.SENT[s]})
    return rows


_SHIPPED_LOAD = tm.load_json
_SHIPPED_THRESHOLDS = hybrid.thresholds


def _use(raw: dict | None) -> None:
    """Make ``classify`` use the model ``raw`` (None: the shipped file)."""
    tm.load_json = (lambda _name: raw) if raw is not None else _SHIPPED_LOAD
    tm.triage_model.cache_clear()


def _set(rule_sure: float, model_min: float) -> None:
    """Use the same thresholds on every axis (``hybrid.combine`` looks ``thresholds`` up at call time)."""
    same = {axis: hybrid.Threshold(rule_sure, model_min) for axis in AXES}
    hybrid.thresholds = lambda: same


def _score(rows: list[dict]) -> dict[str, int]:
    hits = dict.fromkeys(AXES, 0)
    for r in rows:
        t = classify(r["text"])
        for axis in AXES:
            hits[axis] += getattr(t, axis) == r[axis]
    return hits


def _line(name: str, hits: dict[str, int], n: int) -> str:
    return f"{name:<28}" + "".join(f"{hits[a] / n:>10.4f}" for a in AXES) + f"{sum(hits.values()) / (3 * n):>10.4f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularisation of the fold models")
    args = ap.parse_args(argv)
    pool = _pool(args.files)
    n = len(pool)
    print(f"pool: {n} messages from {', '.join(p.name for p in args.files)}")
    print(f"{'':<28}" + "".join(f"{a:>10}" for a in AXES) + f"{'mean':>10}")
    _set(2.0, 2.0)  # never ask the model
    print(_line("rules only", _score(pool), n))
    hybrid.thresholds = _SHIPPED_THRESHOLDS
    print(_line("shipped hybrid (as is)", _score(pool), n))

    texts = {r["text"] for r in pool}
    base = [r for r in triage_corpus.build(20261122) if r["text"] not in texts]
    base += [r for r in triage_written.build(20261122) if r["text"] not in texts]
    order = list(range(n))
    random.Random(args.seed).shuffle(order)
    grid = list(itertools.product(RULE_SURE, MODEL_MIN))
    total = {g: dict.fromkeys(AXES, 0) for g in grid}
    for k in range(args.folds):
        fold = set(order[k::args.folds])
        held = [pool[i] for i in sorted(fold)]
        train = base + [pool[i] for i in range(n) if i not in fold]
        model = {name: exported for name, (exported, _) in train_triage.fit(train, args.c, 0.1).items()}
        _use({"version": "crossval", "axes": model})
        for g in grid:
            _set(*g)
            for axis, v in _score(held).items():
                total[g][axis] += v
    _use(None)
    print(f"cross-validated hybrid ({args.folds} folds; model trained without the held-out fold):")
    for g in sorted(grid, key=lambda g: -sum(total[g].values())):
        print(_line(f"rule<{g[0]} model>={g[1]}", total[g], n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
