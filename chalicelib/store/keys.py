"""Single-table key layout (DESIGN.md §4); the only place that spells keys."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime


def iso(ts: datetime) -> str:
    """Sortable UTC timestamp with microseconds."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def customer_pk(customer_key: str) -> str:
    return f"CUST#{customer_key}"


def seen_pk(key: str) -> str:
    return f"SEEN#{key}"


def order_pk(shop: str, order_no: str) -> str:
    return f"ORDER#{shop}#{order_no}"


def shipment_pk(carrier: str, tracking_no: str) -> str:
    return f"SHIP#{carrier}#{tracking_no}"


def shard(case_id: str, shards: int) -> int:
    """Stable shard of a case for the queue-view GSIs (spreads a hot shop over N partitions)."""
    return int(hashlib.md5(case_id.encode()).hexdigest()[:8], 16) % shards


def queue_pk(shop: str, n: int) -> str:
    return f"Q#{shop}#{n}"


URGENCY = {"p1": "1", "p2": "2", "p3": "3"}


def urgency_sk(priority: str, due: str | None, case_id: str) -> str:
    """Most urgent first: priority, then the next SLA deadline (none = last)."""
    return f"{URGENCY.get(priority, '9')}#{due or '9999'}#{case_id}"
