"""Feedback analytics: incremental per-shop daily aggregates, and the reports read from them.

Writers (one call per hook point): `on_case_events(deps, case, events, now)` after a case save,
`on_outbound(deps, message, state, now)` after a delivery, `on_shipment(deps, shipment, now)` after a
tracking update. Readers: `reports.build(...)`, `spikes.hot_issues(...)`, `digest.weekly_text(...)`.
"""

from __future__ import annotations

from .dynamo import DynamoAggregates
from .facts import Bump, case_facts, day_of
from .recorder import aggregates, on_case_events, on_outbound, on_shipment

__all__ = [
    "Bump", "DynamoAggregates", "aggregates", "case_facts", "day_of", "on_case_events", "on_outbound", "on_shipment",
]
