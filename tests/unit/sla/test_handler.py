from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from chalicelib.channels._common.http import HttpClient
from chalicelib.domain import Priority
from chalicelib.sla import apply_timer
from chalicelib.sla.notify import SlaNotifier
from chalicelib.workers.sla import handle_fire

from .helpers import (
    Accounts,
    InMemoryRepo,
    ManualClock,
    RecordingTimer,
    engine,
    make_case,
)

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def opened_complaint(recorder_url: str, **overrides):
    eng, timer = engine(), RecordingTimer()
    case = make_case(**overrides)
    apply_timer(timer, eng.on_trigger(case, "opened", T0))
    repo = InMemoryRepo(case)
    accounts = Accounts({("shop-a", "ops"): ("wecom_robot", f"{recorder_url}/cgi-bin/webhook/send?key=k"),
                         ("shop-a", "manager"): ("webhook", f"{recorder_url}/shop-hook")})
    notifier = SlaNotifier(HttpClient(timeout_s=2), accounts)
    return eng, timer, repo, notifier


def fire(name, timer, repo, eng, notifier, at):
    payload = timer.schedules[name][1]
    return handle_fire(payload, repo=repo, timer=timer, engine=eng, notifier=notifier, clock=ManualClock(at))


class TestEscalation:
    def test_breach_escalates_notifies_and_schedules_the_next_tier(self, recorder):
        eng, timer, repo, notifier = opened_complaint(recorder.url)
        out = fire("sla-c1-first_response-breach", timer, repo, eng, notifier, T0 + timedelta(minutes=30))
        case = repo.cases["c1"]
        # GIVEN a complaint nobody answered WHEN its first-response deadline fires THEN tier 1 is applied
        assert out["actions"] == ["raise_priority", "queue:senior", "notify:ops"]
        assert (case.priority, case.queue, case.escalated, case.escalation_tier) == (Priority.P1, "senior", True, 1)
        actions = [e for e in repo.events if e.type == "sla.action"]
        assert [(e.data["action"], e.data["clock"], e.data["policy"], e.data["tier"]) for e in actions] == [
            ("raise_priority", "first_response", "complaint", 1), ("queue:senior", "first_response", "complaint", 1),
            ("notify:ops", "first_response", "complaint", 1)]
        assert actions[0].data["from"] == "p2" and actions[0].data["to"] == "p1"
        # the priority raise re-planned the clocks under the p1 policy (resolution: 4 business hours)
        assert case.sla["resolution"]["policy"] == "p1"
        assert case.sla["resolution"]["due"] == "2026-11-23T07:30:00Z"
        assert timer.schedules["sla-c1-resolution-breach"][0] == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
        # the next tier of the firing clock is scheduled (p1 policy: 30 min past the deadline)
        assert "sla-c1-first_response-esc2" in timer.schedules
        assert "sla-c1-first_response-breach" not in timer.schedules
        # the WeCom group robot got a text message naming the case and the clock
        assert len(recorder.requests) == 1 and recorder.requests[0]["path"] == "/cgi-bin/webhook/send?key=k"
        body = recorder.json_bodies()[0]
        assert body["msgtype"] == "text" and "c1" in body["text"]["content"] and "首次响应" in body["text"]["content"]
        assert [e.data["sent"] for e in repo.events if e.type == "sla.notified"] == [True]

    def test_duplicate_fire_changes_nothing(self, recorder):
        eng, timer, repo, notifier = opened_complaint(recorder.url)
        payload = timer.schedules["sla-c1-first_response-breach"][1]
        clock = ManualClock(T0 + timedelta(minutes=30))
        handle_fire(payload, repo=repo, timer=timer, engine=eng, notifier=notifier, clock=clock)
        before = (repo.cases["c1"].model_dump(), len(repo.events), dict(timer.schedules), len(recorder.requests))
        clock.at += timedelta(seconds=20)
        out = handle_fire(payload, repo=repo, timer=timer, engine=eng, notifier=notifier, clock=clock)
        assert out["ignored"]
        assert (repo.cases["c1"].model_dump(), len(repo.events), dict(timer.schedules), len(recorder.requests)) == before

    def test_second_tier_notifies_the_shop_webhook(self, recorder):
        eng, timer, repo, notifier = opened_complaint(recorder.url, priority=Priority.P3, request="complaint")
        fire("sla-c1-first_response-breach", timer, repo, eng, notifier, T0 + timedelta(minutes=30))
        assert repo.cases["c1"].priority is Priority.P2  # p3 -> p2
        out = fire("sla-c1-first_response-esc2", timer, repo, eng, notifier, T0 + timedelta(minutes=60))
        assert out["actions"] == ["notify:manager"] and repo.cases["c1"].escalation_tier == 2
        hook = [r for r in recorder.requests if r["path"] == "/shop-hook"]
        assert len(hook) == 1 and json.loads(hook[0]["body"])["type"] == "sla.escalation"
        assert json.loads(hook[0]["body"])["data"]["tier"] == 2

    def test_failed_or_unknown_targets_are_recorded(self, recorder):
        eng, timer, repo, _ = opened_complaint(recorder.url)
        recorder.statuses = [500]
        notifier = SlaNotifier(HttpClient(timeout_s=2), Accounts(
            {("shop-a", "ops"): ("wecom_robot", f"{recorder.url}/robot")}))
        out = fire("sla-c1-first_response-breach", timer, repo, eng, notifier, T0 + timedelta(minutes=30))
        assert out["notified"][0]["sent"] is False and out["notified"][0]["status"] == 500
        assert [e.type for e in repo.events if e.type.startswith("sla.notif")] == ["sla.notify_failed"]

    def test_warning_is_recorded_without_actions(self, recorder):
        eng, timer, repo, notifier = opened_complaint(recorder.url)
        out = fire("sla-c1-first_response-warn", timer, repo, eng, notifier, T0 + timedelta(minutes=24))
        assert out["events"] == ["sla.warning"] and out["actions"] == [] and recorder.requests == []
        assert repo.cases["c1"].escalated is False


def test_fire_for_a_missing_case_is_ignored(recorder):
    eng, timer, repo, notifier = opened_complaint(recorder.url)
    out = handle_fire({"case_id": "nope", "clock": "resolution", "stage": "breach", "gen": 1}, repo=repo,
                      timer=timer, engine=eng, notifier=notifier, clock=ManualClock(T0))
    assert out == {"case_id": "nope", "ignored": "case not found"}
