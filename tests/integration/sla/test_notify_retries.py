"""Escalation notices through the real app: moto's DynamoDB and Scheduler over HTTP, the shop webhook on 127.0.0.1.

The schedule firer plays EventBridge Scheduler: it invokes `sla_check` with each due schedule's Input.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.channels.webhook.verify import verify
from chalicelib.domain import CustomerRef
from chalicelib.domain.models import Case
from chalicelib.local.firer import ScheduleFirer
from chalicelib.sla import apply_timer
from tests.conftest import accounts_toml

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
NOTIFY_SECRET = "whsec_" + base64.b64encode(b"shop-a-escalation-notices-0123").decode()


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def notify_accounts(url: str) -> str:
    return accounts_toml(url) + f'''
[[notify]]
name = "ops"
shop = "shop-a"
kind = "webhook"
url = "{url}/notify/ops"
secret = "{NOTIFY_SECRET}"
'''


@pytest.fixture
def app_deps(deps_for: Any, recorder: Any) -> Any:
    deps = deps_for(notify_accounts(recorder.url))
    deps.overrides["clock"] = Clock(T0)
    return deps


@pytest.fixture
def firer(app_deps: Any) -> ScheduleFirer:
    import app as app_module

    return ScheduleFirer(app_deps.client("scheduler"), app_deps.client("sqs"), app_deps.settings.scheduler_group,
                         {app_deps.settings.sla_target_arn: lambda p: app_module.sla_check(p, None)},
                         clock=lambda: app_deps.clock.now())


def open_complaint(deps: Any) -> str:
    """A complaint opened at T0 with its SLA schedules in Scheduler (tier 1 of first_response: notify:ops)."""
    case_id = f"it{uuid.uuid4().hex[:12]}"
    case = Case(case_id=case_id, shop="shop-a", customer=CustomerRef(channel="webhook", account="erp", user=case_id),
                channel="webhook", account="erp", request="complaint", issue="service", created_at=T0, updated_at=T0)
    upd = deps.sla.on_trigger(case, "opened", T0)
    deps.repo.create_case(case, events=upd.events)
    apply_timer(deps.timer, upd)
    return case_id


def notice_events(deps: Any, case_id: str) -> list[Any]:
    return [e for e in deps.repo.list_events(case_id) if e.type in ("sla.notified", "sla.notify_failed")]


def tick_at(deps: Any, firer: ScheduleFirer, at: datetime) -> list[str]:
    deps.clock.at = at
    return firer.tick()


def retry_schedules(deps: Any) -> list[str]:
    page = deps.client("scheduler").list_schedules(GroupName=deps.settings.scheduler_group, NamePrefix="ntf-")
    return [s["Name"] for s in page["Schedules"]]


def hook_requests(recorder: Any) -> list[dict[str, Any]]:
    return [r for r in recorder.requests if r["path"] == "/notify/ops"]


class TestNoticeRetriesThroughScheduler:
    def test_503_then_200_is_one_delivered_notice_after_the_scheduled_retry(self, app_deps, firer, recorder):
        case_id = open_complaint(app_deps)
        recorder.statuses = [503]
        # WHEN the first-response deadline fires and the shop's webhook answers 503
        fired = tick_at(app_deps, firer, T0 + timedelta(minutes=30, seconds=1))
        assert f"sla-{case_id}-first_response-breach" in fired
        assert len(hook_requests(recorder)) == 1
        retries = retry_schedules(app_deps)
        assert len(retries) == 1
        expr = app_deps.client("scheduler").get_schedule(Name=retries[0], GroupName=app_deps.settings.scheduler_group)
        assert expr["ScheduleExpression"] == "at(2026-11-23T02:31:01)"
        # nothing is sent again before the retry is due
        assert not any(n.startswith("ntf-") for n in tick_at(app_deps, firer, T0 + timedelta(minutes=30, seconds=50)))
        # THEN the scheduled retry delivers it, once
        fired = tick_at(app_deps, firer, T0 + timedelta(minutes=31, seconds=2))
        assert retries[0] in fired
        tick_at(app_deps, firer, T0 + timedelta(minutes=45))
        reqs = hook_requests(recorder)
        assert [r["status"] for r in reqs] == [503, 200]
        assert reqs[0]["headers"]["webhook-id"] == reqs[1]["headers"]["webhook-id"]
        ts = int(reqs[1]["headers"]["webhook-timestamp"])
        assert verify(reqs[1]["raw"], reqs[1]["headers"], [NOTIFY_SECRET], now_s=ts) == reqs[1]["headers"]["webhook-id"]
        body = json.loads(reqs[1]["raw"])
        assert body["type"] == "sla.escalation" and body["data"]["case_id"] == case_id
        events = notice_events(app_deps, case_id)
        assert [(e.type, e.data["attempt"], e.data.get("retry_scheduled")) for e in events] == [
            ("sla.notify_failed", 1, True), ("sla.notified", 2, None)]
        assert retry_schedules(app_deps) == []

    def test_400_is_recorded_and_not_retried(self, app_deps, firer, recorder):
        case_id = open_complaint(app_deps)
        recorder.statuses = [400]
        tick_at(app_deps, firer, T0 + timedelta(minutes=30, seconds=1))
        assert retry_schedules(app_deps) == []
        tick_at(app_deps, firer, T0 + timedelta(hours=1))
        assert [r["status"] for r in hook_requests(recorder)] == [400]
        (event,) = notice_events(app_deps, case_id)
        assert event.type == "sla.notify_failed" and event.data["retry_scheduled"] is False

    def test_the_same_retry_fired_twice_delivers_once(self, app_deps, firer, recorder):
        import app as app_module

        case_id = open_complaint(app_deps)
        recorder.statuses = [503]
        tick_at(app_deps, firer, T0 + timedelta(minutes=30, seconds=1))
        (name,) = retry_schedules(app_deps)
        group = app_deps.settings.scheduler_group
        payload = json.loads(app_deps.client("scheduler").get_schedule(Name=name, GroupName=group)["Target"]["Input"])
        app_deps.clock.at = T0 + timedelta(minutes=32)
        first = app_module.sla_check(payload, None)
        second = app_module.sla_check(payload, None)  # Scheduler is at-least-once
        assert first["sent"] is True and second["duplicate"] is True
        assert [r["status"] for r in hook_requests(recorder)] == [503, 200]
        assert [e.type for e in notice_events(app_deps, case_id)] == ["sla.notify_failed", "sla.notified"]
