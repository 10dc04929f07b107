"""Rebuild every generated training file and trained triage data file (``make train`` runs ``python -m train.build``).

Order matters: the two training corpora are written from their sources first, then the models are trained on them.
Every step is deterministic, and ``tests/quality/test_models_reproducible.py`` checks the committed files are
exactly what this builds.
"""

from __future__ import annotations

from train import train_polarity, train_triage, triage_corpus, triage_written


def main() -> int:
    """Write the templated and hand-written corpora, then train polarity.json and triage_model.json."""
    for step in (triage_corpus.main, triage_written.main, train_polarity.main, train_triage.main):
        if rc := step([]):
            return rc
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
