"""Builders and an in-memory SlaTimer for SLA unit tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain import Case, CustomerRef, Priority
from chalicelib.sla import SlaEngine, load_calendars, load_policies, parse_policies

SH = ZoneInfo("Asia/Shanghai")
FAST = Path(__file__).resolve().parents[2] / "data" / "policies_fast.toml"


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def make_case(**overrides: Any) -> Case:
    now = overrides.pop("now", datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    fields: dict[str, Any] = {
        "case_id": "c1", "shop": "shop-a", "customer": CustomerRef(channel="webhook", account="erp", user="u1"),
        "channel": "webhook", "account": "erp", "issue": "quality", "request": "complaint",
        "priority": Priority.P2, "created_at": now, "updated_at": now,
    }
    fields.update(overrides)
    return Case(**fields)


def engine(policy_text: str | None = None, *, path: Path | None = None) -> SlaEngine:
    policies = parse_policies(policy_text) if policy_text else load_policies(path)
    return SlaEngine(policies=policies, calendars=load_calendars(None))


class RecordingTimer:
    """An in-memory SlaTimer: the schedules that would exist, by name."""

    def __init__(self) -> None:
        self.schedules: dict[str, tuple[datetime, dict[str, Any]]] = {}

    def put(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        self.schedules[name] = (at, payload)

    def delete(self, name: str) -> None:
        self.schedules.pop(name, None)
