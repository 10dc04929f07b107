"""SLA engine + EventBridge Scheduler + DynamoDB repository against moto's server over HTTP."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.accounts import parse_accounts
from chalicelib.channels._common.http import HttpClient
from chalicelib.domain import CaseEvent, CustomerRef, Priority
from chalicelib.domain.models import Case
from chalicelib.sla import SlaEngine, apply_timer, load_calendars, load_policies
from chalicelib.sla.notify import SlaNotifier
from chalicelib.store import DynamoCaseRepository
from chalicelib.store.scheduler import SchedulerError, SchedulerSlaTimer
from chalicelib.workers.sla import handle_fire

REGION = "us-east-1"
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


class ManualClock:
    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


class World:
    """One test's stack: repository, timer, engine, and the schedules as Scheduler holds them."""

    def __init__(self, endpoint: str, stack: dict[str, str]) -> None:
        session = boto3.session.Session(region_name=REGION)
        self.scheduler = session.client("scheduler", endpoint_url=endpoint)
        self.group = stack["SHOUHOU_SCHEDULER_GROUP"]
        self.repo = DynamoCaseRepository(session.client("dynamodb", endpoint_url=endpoint), stack["SHOUHOU_TABLE_NAME"])
        self.timer = SchedulerSlaTimer(self.scheduler, self.group, stack["SHOUHOU_SLA_TARGET_ARN"],
                                       stack["SHOUHOU_SCHEDULER_ROLE_ARN"])
        self.engine = SlaEngine(policies=load_policies(None), calendars=load_calendars(None))

    def open_case(self, **fields: Any) -> str:
        case_id = f"it{uuid.uuid4().hex[:12]}"
        case = Case(case_id=case_id, shop="shop-a", customer=CustomerRef(channel="webhook", account="erp", user=case_id),
                    channel="webhook", account="erp", created_at=T0, updated_at=T0, **fields)
        upd = self.engine.on_trigger(case, "opened", T0)
        self.repo.create_case(case, events=upd.events)
        apply_timer(self.timer, upd)
        return case_id

    def step(self, case_id: str, trigger: str, now: datetime, *, change: dict[str, Any] | None = None,
             **info: Any) -> Case:
        held: dict[str, Any] = {}

        def mutate(case: Case) -> list[CaseEvent]:
            for k, v in (change or {}).items():
                setattr(case, k, v)
            held["upd"] = self.engine.on_trigger(case, trigger, now, **info)
            return held["upd"].events

        case = self.repo.update_case(case_id, mutate)
        apply_timer(self.timer, held["upd"])
        return case

    def schedules(self, case_id: str) -> dict[str, dict[str, Any]]:
        names = [s["Name"] for s in self.scheduler.list_schedules(GroupName=self.group, NamePrefix=f"sla-{case_id}-")
                 ["Schedules"]]
        return {n: self.scheduler.get_schedule(Name=n, GroupName=self.group) for n in names}

    def at(self, case_id: str) -> dict[str, str]:
        return {n: s["ScheduleExpression"] for n, s in self.schedules(case_id).items()}


@pytest.fixture
def world(moto_endpoint: str, stack: dict[str, str]) -> World:
    return World(moto_endpoint, stack)


class TestComplaintSchedules:
    def test_complaint_gets_named_at_schedules(self, world: World):
        cid = world.open_case(request="complaint", issue="service")
        s = world.schedules(cid)
        assert {n: x["ScheduleExpression"] for n, x in s.items()} == {
            f"sla-{cid}-first_response-warn": "at(2026-11-23T02:24:00)",
            f"sla-{cid}-first_response-breach": "at(2026-11-23T02:30:00)",
            f"sla-{cid}-resolution-warn": "at(2026-11-25T07:42:00)",  # 80 % of 24 business hours
            f"sla-{cid}-resolution-breach": "at(2026-11-26T03:30:00)",  # Thu 11:30 Shanghai
        }
        breach = s[f"sla-{cid}-first_response-breach"]
        assert breach["FlexibleTimeWindow"] == {"Mode": "OFF"} and breach["ActionAfterCompletion"] == "DELETE"
        assert breach["ScheduleExpressionTimezone"] == "UTC"
        assert json.loads(breach["Target"]["Input"]) == {
            "case_id": cid, "clock": "first_response", "stage": "breach", "gen": 1,
            "due": "2026-11-23T02:30:00Z", "at": "2026-11-23T02:30:00Z"}
        assert world.repo.get_case(cid).sla["first_response"]["due"] == "2026-11-23T02:30:00Z"

    def test_answer_in_time_deletes_the_first_response_schedules(self, world: World):
        cid = world.open_case(request="complaint", issue="service")
        world.step(cid, "answered", T0 + timedelta(minutes=5), kind="auto")  # a complaint needs a person
        assert f"sla-{cid}-first_response-breach" in world.at(cid)
        case = world.step(cid, "answered", T0 + timedelta(minutes=12), kind="human")
        assert sorted(world.at(cid)) == [f"sla-{cid}-resolution-breach", f"sla-{cid}-resolution-warn"]
        assert case.sla["first_response"]["met_at"] == "2026-11-23T02:12:00Z"
        assert "sla.met" in [e.type for e in world.repo.list_events(cid)]

    def test_waiting_customer_pauses_and_moves_the_resolution_deadline(self, world: World):
        cid = world.open_case(request="complaint", issue="service")
        world.step(cid, "status", T0 + timedelta(hours=1), old="open", new="waiting_customer")
        assert not any("resolution" in n for n in world.at(cid))
        case = world.step(cid, "status", T0 + timedelta(hours=5), old="waiting_customer", new="open")
        # 1 business hour used; paused Mon 11:00-15:00 Shanghai (2.5 business hours): Thu 11:30 -> Thu 15:30
        assert world.at(cid)[f"sla-{cid}-resolution-breach"] == "at(2026-11-26T07:30:00)"
        assert case.sla["resolution"]["paused_s"] == 4 * 3600 and case.sla["resolution"]["gen"] == 3
        assert [e.type for e in world.repo.list_events(cid) if e.type in ("sla.paused", "sla.resumed")] == [
            "sla.paused", "sla.resumed"]

    def test_priority_raise_replans_the_running_clocks(self, world: World):
        cid = world.open_case(request="reship", issue="missing_item", priority=Priority.P2)
        assert world.at(cid)[f"sla-{cid}-resolution-breach"] == "at(2026-11-26T03:30:00)"  # 24 business hours
        case = world.step(cid, "replan", T0 + timedelta(hours=1), change={"priority": Priority.P1})
        assert world.at(cid)[f"sla-{cid}-resolution-breach"] == "at(2026-11-23T07:30:00)"  # p1: 4 business hours
        s = world.schedules(cid)[f"sla-{cid}-resolution-breach"]
        assert json.loads(s["Target"]["Input"])["gen"] == 2 and case.sla["resolution"]["policy"] == "p1"


class TestFires:
    def _notifier(self, url: str) -> SlaNotifier:
        accounts = parse_accounts(f'[[notify]]\nname = "ops"\nshop = "shop-a"\nkind = "wecom_robot"\nurl = "{url}/robot"\n'
                                  f'[[notify]]\nname = "manager"\nshop = "shop-a"\nkind = "webhook"\nurl = "{url}/hook"\n')
        return SlaNotifier(HttpClient(timeout_s=2), accounts)

    def test_breach_fire_escalates_then_duplicate_and_stale_fires_change_nothing(self, world: World, recorder):
        cid = world.open_case(request="complaint", issue="service")
        payload = json.loads(world.schedules(cid)[f"sla-{cid}-first_response-breach"]["Target"]["Input"])
        kw = {"repo": world.repo, "timer": world.timer, "engine": world.engine, "notifier": self._notifier(recorder.url),
               "clock": ManualClock(T0 + timedelta(minutes=30, seconds=2))}
        out = handle_fire(payload, **kw)
        assert out["actions"] == ["raise_priority", "queue:senior", "notify:ops"]
        case = world.repo.get_case(cid)
        assert (case.priority, case.queue, case.escalated, case.escalation_tier) == (Priority.P1, "senior", True, 1)
        after = world.at(cid)
        assert f"sla-{cid}-first_response-esc2" in after and f"sla-{cid}-first_response-breach" not in after
        assert len(recorder.requests) == 1
        snapshot = (case.version, case.model_dump(), after, len(world.repo.list_events(cid)))

        dup = handle_fire(payload, **kw)
        stale = handle_fire({**payload, "stage": "esc2", "gen": 0}, **kw)
        assert dup["ignored"] and stale["ignored"].startswith("stale")
        case = world.repo.get_case(cid)
        assert (case.version, case.model_dump(), world.at(cid), len(world.repo.list_events(cid))) == snapshot
        assert len(recorder.requests) == 1


class TestSchedulerTimer:
    def test_put_twice_updates_and_delete_is_idempotent(self, world: World):
        name = f"sla-t{uuid.uuid4().hex[:8]}-resolution-breach"
        world.timer.put(name, T0, {"n": 1})
        world.timer.put(name, T0 + timedelta(minutes=5), {"n": 2})
        got = world.scheduler.get_schedule(Name=name, GroupName=world.group)
        assert got["ScheduleExpression"] == "at(2026-11-23T02:05:00)" and json.loads(got["Target"]["Input"]) == {"n": 2}
        world.timer.delete(name)
        world.timer.delete(name)
        assert name not in [s["Name"] for s in world.scheduler.list_schedules(GroupName=world.group)["Schedules"]]

    def test_missing_group_is_a_scheduler_error(self, world: World):
        timer = SchedulerSlaTimer(world.scheduler, "no-such-group", "arn:aws:lambda:us-east-1:123456789012:function:x",
                                  "arn:aws:iam::123456789012:role/x")
        with pytest.raises(SchedulerError):
            timer.put("sla-x-resolution-breach", T0, {})

    def test_refuses_names_over_64_characters(self, world: World):
        with pytest.raises(ValueError):
            world.timer.put("sla-" + "x" * 61, T0, {})
