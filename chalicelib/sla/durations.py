"""Durations and warning offsets as the policy file spells them: "90s", "30m", "4h", "2d", "80%"."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


class DurationInvalid(ValueError):
    """Raised when a duration or warning offset is not of the form "90s", "30m", "4h", "2d" (or "80%")."""


def parse_duration(text: str) -> timedelta:
    """Parse "90s", "30m", "4h", "2d" or a sum like "1h30m".

    Raises:
        DurationInvalid: on anything else, including negative or empty values.
    """
    s = str(text).strip().lower()
    pos, total = 0, 0.0
    for m in _PART.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if not s or pos != len(s):
        raise DurationInvalid(f"not a duration: {text!r} (use e.g. '90s', '30m', '4h', '2d')")
    return timedelta(seconds=total)


def warn_threshold(text: str, target: timedelta) -> timedelta:
    """How much of `target` is used up when the warning fires.

    `"80%"` warns after 80 % of the target; a duration (`"30m"`) warns that long before the deadline.

    Raises:
        DurationInvalid: on a malformed value or a share outside 0–100 %.
    """
    s = str(text).strip()
    if s.endswith("%"):
        try:
            share = float(s[:-1])
        except ValueError as exc:
            raise DurationInvalid(f"not a share: {text!r}") from exc
        if not 0 <= share <= 100:
            raise DurationInvalid(f"warn_at share outside 0-100%: {text!r}")
        return target * (share / 100)
    return max(target - parse_duration(s), timedelta(0))
