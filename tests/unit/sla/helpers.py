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


class InMemoryRepo:
    """The part of CaseRepository the sla handler uses, with the same optimistic-version behaviour."""

    def __init__(self, *cases: Case) -> None:
        self.cases = {c.case_id: c.model_copy(deep=True) for c in cases}
        self.events: list[Any] = []
        self.claims: dict[str, dict[str, Any]] = {}

    def claim(self, key: str, ttl_s: int, doc: dict[str, Any] | None = None) -> bool:
        if key in self.claims:
            return False
        self.claims[key] = dict(doc or {})
        return True

    def release(self, key: str) -> None:
        self.claims.pop(key, None)

    def get_case(self, case_id: str) -> Case | None:
        c = self.cases.get(case_id)
        return c.model_copy(deep=True) if c else None

    def update_case(self, case_id: str, mutate: Any, *, attempts: int = 8) -> Case:
        from chalicelib.domain import CaseNotFound

        case = self.get_case(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        self.events += list(mutate(case))
        case.version += 1
        self.cases[case_id] = case.model_copy(deep=True)
        return case

    def add_events(self, events: Any) -> None:
        self.events += list(events)


class ManualClock:
    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


class Accounts:
    """notify_target lookups over (shop, name) -> (kind, url[, secret])."""

    def __init__(self, targets: dict[tuple[str, str], tuple[str, ...]]) -> None:
        self._targets = targets

    def notify_target(self, shop: str, name: str) -> Any:
        from chalicelib.accounts import NotifyTarget

        t = self._targets.get((shop, name))
        if not t:
            return None
        return NotifyTarget(name=name, shop=shop, kind=t[0], url=t[1], secret=t[2] if len(t) > 2 else None)
