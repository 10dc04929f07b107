"""After-sales workflows: tracking answers, return rules, progress board, CSAT, evidence packs.

Pure: each takes domain objects and returns decisions, texts and events; none calls AWS.
"""

from __future__ import annotations

__all__ = ["board", "csat", "evidence", "returns", "tracking"]
