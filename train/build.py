"""Rebuild every trained triage data file (``make train`` runs ``python -m train.build``)."""

from __future__ import annotations

from train import train_polarity, train_triage


def main() -> int:
    """Train the polarity model (``data/polarity.json``) and the issue/request second opinion (``data/triage_model.json``)."""
    return train_polarity.main([]) or train_triage.main([])


if __name__ == "__main__":
    raise SystemExit(main())
