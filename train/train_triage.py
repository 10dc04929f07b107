"""Train the issue/request/sentiment second-opinion model; export sparse JSON weights.

Training text: ``train/data/triage_train.jsonl`` (sentence frames, ``train/triage_corpus.py``) plus
``train/data/triage_train_written.jsonl`` (hand-written messages, ``train/triage_written.py``).

Multinomial logistic regression (scikit-learn, offline only) over binary features from
``chalicelib.triage.triage_model.model_features`` (segmented words + character 2/3-grams of the normalised
text). Weights under ``--min-weight`` are dropped and the rest rounded, so the runtime scorer in
``chalicelib/triage/triage_model.py`` stays a few dict look-ups. Deterministic: fixed solver, no shuffling.

    .venv/bin/python -m train.train_triage [--c 4.0]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from chalicelib.triage.segment import cut
from chalicelib.triage.text import normalise
from chalicelib.triage.triage_model import model_features

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "train" / "data" / "triage_train.jsonl"
WRITTEN = ROOT / "train" / "data" / "triage_train_written.jsonl"  # hand-written messages (train/triage_written.py)
OUT = ROOT / "chalicelib" / "triage" / "data" / "triage_model.json"
EVAL = {"dev": ROOT.parent / "shared" / "data" / "triage_dev.jsonl", "holdout1": ROOT / "tests" / "data" / "triage_holdout.jsonl"}
VERSION = "triage-model-v3-lr"  # bump when the corpus, features or C change
AXES = ("issue", "request", "sentiment")


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _feats(text: str) -> dict[str, int]:
    norm = normalise(text)
    return dict.fromkeys(model_features(norm, cut(norm)), 1)


def _fit(x, y: list[str], c: float):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    clf.fit(x, y)
    return clf


def _export(clf, names: list[str], min_weight: float) -> dict:
    coef = clf.coef_
    weights: dict[str, list[float]] = {}
    for j, name in enumerate(names):
        col = coef[:, j]
        row: list[float] = []
        for i, v in enumerate(col):
            if abs(v) >= min_weight:
                row += [i, round(float(v), 3)]
        if row:
            weights[name] = row
    return {"labels": [str(k) for k in clf.classes_], "bias": [round(float(b), 4) for b in clf.intercept_],
            "weights": weights}


def fit(rows: list[dict], c: float, min_weight: float) -> dict[str, tuple[dict, Callable[[list[str]], list[str]]]]:
    """Train one model per axis on ``rows``: its exported JSON form and a predict function over raw texts."""
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform([_feats(r["text"]) for r in rows])
    names = list(vec.get_feature_names_out())
    out = {}
    for axis in AXES:
        clf = _fit(x, [r[axis] for r in rows], c)
        out[axis] = (_export(clf, names, min_weight),
                     lambda texts, clf=clf: [str(p) for p in clf.predict(vec.transform([_feats(t) for t in texts]))])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, nargs="+", default=[DATA, WRITTEN])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--c", type=float, default=4.0)
    ap.add_argument("--min-weight", type=float, default=0.1)
    args = ap.parse_args(argv)
    if importlib.util.find_spec("sklearn") is None:
        print("scikit-learn is needed for training: pip install -r requirements-dev.txt", file=sys.stderr)
        return 2
    t0 = time.time()
    rows = [r for path in args.data for r in _load(path)]
    out = {"version": VERSION, "trained_on": f"{' + '.join(p.name for p in args.data)} ({len(rows)} rows)", "C": args.c,
           "min_weight": args.min_weight, "features": "w: words (rjieba/jieba + userdict), c: char 2/3-grams; digits -> 0",
           "eval_model_alone": {}, "axes": {}}
    evals = {name: _load(p) for name, p in EVAL.items() if p.is_file()}
    for axis, (exported, predict) in fit(rows, args.c, args.min_weight).items():
        out["axes"][axis] = exported
        for name, er in evals.items():
            pred = predict([r["text"] for r in er])
            acc = sum(p == r[axis] for p, r in zip(pred, er)) / len(er)
            out["eval_model_alone"].setdefault(name, {})[axis] = round(acc, 4)
        print(f"{axis}: {len(exported['weights'])} features kept; model alone {out['eval_model_alone']}")
    args.out.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
