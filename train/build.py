"""Rebuild every trained triage data file (``make train`` runs ``python -m train.build``)."""

from __future__ import annotations

from train import train_polarity


def main() -> int:
    """Train the polarity model and write ``chalicelib/triage/data/polarity.json``."""
    return train_polarity.main([])


if __name__ == "__main__":
    raise SystemExit(main())
