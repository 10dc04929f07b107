"""Duration histograms: fixed buckets that add up across days, and percentiles read from them."""

from __future__ import annotations

from collections.abc import Mapping

# upper bounds in seconds; the last bucket is open-ended ("inf")
BOUNDS: tuple[int, ...] = (60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 259200, 604800)


def bucket(seconds: float) -> str:
    """The bucket label of a duration: its upper bound in seconds, or "inf"."""
    for bound in BOUNDS:
        if seconds <= bound:
            return str(bound)
    return "inf"


def percentile(hist: Mapping[str, int], p: float) -> float | None:
    """The upper bound of the bucket holding the p-th percentile (seconds); None for no data.

    The open-ended bucket reports twice the last bound, so the answer stays a number.
    """
    total = sum(hist.values())
    if total <= 0:
        return None
    need = p / 100 * total
    seen = 0
    for label in [*map(str, BOUNDS), "inf"]:
        seen += hist.get(label, 0)
        if seen >= need:
            return float(label) if label != "inf" else float(BOUNDS[-1] * 2)
    return float(BOUNDS[-1] * 2)
