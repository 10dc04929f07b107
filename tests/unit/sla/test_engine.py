from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import Priority
from chalicelib.sla import SlaUpdate, UnknownTrigger, apply_timer, schedule_name

from .helpers import FAST, RecordingTimer, engine, make_case, sh

T0 = sh(2026, 11, 23, 10, 0)  # a Monday, inside working hours
M = timedelta(minutes=1)
CAL_TIME = """
[[policy]]
name = "calendar_time"
[policy.clocks.first_response]
target = "30m"
[policy.clocks.resolution]
target = "10h"
warn_at = "1h"
escalate = [{ after = "0s", actions = ["notify:ops"] }, { after = "1h", actions = ["assign:boss"] }]
"""


def utc(ts: datetime) -> datetime:
    return ts.astimezone(UTC)


def payload(upd: SlaUpdate, name: str) -> dict:
    return next(p for n, _, p in upd.put if n == name)


class TestOpenComplaint:
    def test_starts_clocks_with_named_schedules_at_their_deadlines(self):
        case, eng = make_case(), engine()
        upd = eng.on_trigger(case, "opened", T0)
        puts = {n: at for n, at, _ in upd.put}
        assert puts == {
            "sla-c1-first_response-warn": utc(T0 + 24 * M),  # 80 % of 30 min, calendar time
            "sla-c1-first_response-breach": utc(T0 + 30 * M),
            "sla-c1-resolution-warn": utc(sh(2026, 11, 25, 15, 42)),  # 80 % of 24 business hours
            "sla-c1-resolution-breach": utc(sh(2026, 11, 26, 11, 30)),
        }
        assert [e.type for e in upd.events] == ["sla.started", "sla.started"]
        assert case.sla["first_response"]["due"] == "2026-11-23T02:30:00Z"
        assert payload(upd, "sla-c1-first_response-breach") == {
            "case_id": "c1", "clock": "first_response", "stage": "breach", "gen": 1,
            "due": "2026-11-23T02:30:00Z", "at": "2026-11-23T02:30:00Z"}
        assert case.priority is Priority.P2  # the engine never touches the case's own fields

    def test_opened_twice_changes_nothing(self):
        case, eng = make_case(), engine()
        eng.on_trigger(case, "opened", T0)
        before = copy.deepcopy(case.sla)
        upd = eng.on_trigger(case, "opened", T0 + M)
        assert upd.put == [] and upd.events == [] and case.sla == before


class TestMeetingResponseClocks:
    def test_human_clock_ignores_automated_answers_and_receipts(self):
        case, eng = make_case(), engine()
        eng.on_trigger(case, "opened", T0)
        for kind in ("auto", "receipt", "progress"):
            upd = eng.on_trigger(case, "answered", T0 + M, kind=kind)
            assert upd.events == [] and upd.delete == []
        assert case.sla["first_response"]["met_at"] is None

    def test_agent_reply_meets_it_and_deletes_its_schedules(self):
        case, eng = make_case(), engine()
        eng.on_trigger(case, "opened", T0)
        upd = eng.on_trigger(case, "answered", T0 + 10 * M, kind="human")
        assert sorted(upd.delete) == ["sla-c1-first_response-breach", "sla-c1-first_response-warn"]
        assert [(e.type, e.data["clock"], e.data["late"]) for e in upd.events] == [("sla.met", "first_response", False)]
        assert case.sla["first_response"]["met_at"] == "2026-11-23T02:10:00Z"
        assert case.sla["first_response"]["pending"] == {}
        assert case.sla["resolution"]["met_at"] is None

    def test_automated_answer_meets_an_inquiry(self):
        case, eng = make_case(issue="inquiry", request="info", priority=Priority.P3), engine()
        eng.on_trigger(case, "opened", T0)
        upd = eng.on_trigger(case, "answered", T0 + timedelta(seconds=3), kind="auto")
        assert case.sla["first_response"]["policy"] == "inquiry"
        assert case.sla["first_response"]["met_at"] is not None
        assert "sla-c1-first_response-breach" in upd.delete

    def test_next_response_restarts_after_each_answer(self):
        case, eng = make_case(), engine()
        eng.on_trigger(case, "opened", T0)
        assert eng.on_trigger(case, "customer_message", T0 + M).events == []  # first response still owed
        eng.on_trigger(case, "answered", T0 + 5 * M, kind="human")
        upd = eng.on_trigger(case, "customer_message", T0 + 20 * M)
        assert [e.type for e in upd.events] == ["sla.started"]
        due = case.sla["next_response"]["due"]
        eng.on_trigger(case, "customer_message", T0 + 30 * M)  # still unanswered: measured from the oldest
        assert case.sla["next_response"]["due"] == due
        eng.on_trigger(case, "answered", T0 + 40 * M, kind="human")
        eng.on_trigger(case, "customer_message", T0 + 90 * M)
        st = case.sla["next_response"]
        assert st["met_at"] is None and st["started_at"] == "2026-11-23T03:30:00Z" and st["gen"] == 2
        assert len(st["history"]) == 1 and st["history"][0]["met_at"] == "2026-11-23T02:40:00Z"


class TestPauseAndResume:
    def test_waiting_customer_moves_the_deadline_by_the_paused_time(self):
        case, eng = make_case(), engine(CAL_TIME)
        eng.on_trigger(case, "opened", T0)
        assert case.sla["resolution"]["due"] == "2026-11-23T12:00:00Z"
        upd = eng.on_trigger(case, "status", T0 + 2 * M * 60, old="open", new="waiting_customer")
        assert sorted(upd.delete) == ["sla-c1-resolution-breach", "sla-c1-resolution-warn"]
        assert case.sla["resolution"]["due"] is None and case.sla["first_response"]["paused_at"] is None
        upd = eng.on_trigger(case, "status", T0 + 5 * M * 60, old="waiting_customer", new="open")
        assert case.sla["resolution"]["due"] == "2026-11-23T15:00:00Z"  # 3 h later
        assert case.sla["resolution"]["paused_s"] == 3 * 3600
        assert {n: at for n, at, _ in upd.put} == {
            "sla-c1-resolution-warn": datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
            "sla-c1-resolution-breach": datetime(2026, 11, 23, 15, 0, tzinfo=UTC)}
        assert [e.type for e in upd.events] == ["sla.resumed"]

    def test_business_clock_shifts_by_paused_business_time(self):
        case, eng = make_case(), engine()
        eng.on_trigger(case, "opened", T0)  # resolution 24 business hours -> Thu 11:30
        eng.on_trigger(case, "status", sh(2026, 11, 23, 16, 0), old="open", new="waiting_logistics")
        eng.on_trigger(case, "status", sh(2026, 11, 23, 16, 30), old="waiting_logistics", new="waiting_customer")
        eng.on_trigger(case, "status", sh(2026, 11, 24, 10, 0), old="waiting_customer", new="open")
        # 3 business hours were paused (16:00-18:00 Mon, 09:00-10:00 Tue): Thu 11:30 -> Thu 16:00
        assert case.sla["resolution"]["due"] == utc(sh(2026, 11, 26, 16, 0)).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestReplan:
    def test_priority_raise_replans_resolution_and_old_fires_are_stale(self):
        case, eng = make_case(request="reship", issue="missing_item"), engine()
        first = eng.on_trigger(case, "opened", T0)
        assert case.sla["resolution"]["policy"] == "p2"
        old = payload(first, "sla-c1-resolution-breach")
        case.priority = Priority.P1
        upd = eng.on_trigger(case, "replan", T0 + 60 * M, reason="priority p2->p1")
        st = case.sla["resolution"]
        assert st["policy"] == "p1" and st["gen"] == 2
        assert st["due"] == utc(sh(2026, 11, 23, 15, 30)).strftime("%Y-%m-%dT%H:%M:%SZ")  # 4 business hours
        assert {n: at for n, at, _ in upd.put}["sla-c1-resolution-breach"] == utc(sh(2026, 11, 23, 15, 30))
        assert "sla.replanned" in [e.type for e in upd.events]
        before = copy.deepcopy(case.sla)
        stale = eng.on_fire(case, old, utc(sh(2026, 11, 26, 12, 0)))
        assert stale.ignored.startswith("stale") and stale.events == [] and case.sla == before

    def test_replan_without_change_does_nothing(self):
        case, eng = make_case(), engine()
        eng.on_trigger(case, "opened", T0)
        upd = eng.on_trigger(case, "replan", T0 + M)
        assert upd.events == [] and upd.put == [] and upd.delete == []


class TestFires:
    def _breached(self):
        case, eng = make_case(), engine(CAL_TIME)
        opened = eng.on_trigger(case, "opened", T0)
        return case, eng, payload(opened, "sla-c1-resolution-breach")

    def test_breach_runs_tier_one_and_schedules_the_next_tier(self):
        case, eng, fire = self._breached()
        upd = eng.on_fire(case, fire, datetime(2026, 11, 23, 12, 0, 1, tzinfo=UTC))
        assert [e.type for e in upd.events] == ["sla.breached", "sla.escalated"]  # the warning folds into it
        assert upd.actions == ["notify:ops"] and upd.escalations[0].policy == "calendar_time"
        assert [(n, at) for n, at, _ in upd.put] == [("sla-c1-resolution-esc2", datetime(2026, 11, 23, 13, 0, tzinfo=UTC))]
        assert sorted(upd.delete) == ["sla-c1-resolution-breach", "sla-c1-resolution-warn"]
        assert case.sla["resolution"]["breached_at"] == "2026-11-23T12:00:00Z" and case.sla["resolution"]["tier"] == 1

    def test_duplicate_fire_changes_nothing(self):
        case, eng, fire = self._breached()
        eng.on_fire(case, fire, datetime(2026, 11, 23, 12, 0, 1, tzinfo=UTC))
        before = copy.deepcopy(case.sla)
        dup = eng.on_fire(case, fire, datetime(2026, 11, 23, 12, 0, 5, tzinfo=UTC))
        assert dup.ignored and dup.events == [] and dup.put == [] and dup.delete == [] and dup.actions == []
        assert case.sla == before

    def test_early_fire_rearms_without_changing_state(self):
        case, eng, fire = self._breached()
        before = copy.deepcopy(case.sla)
        upd = eng.on_fire(case, fire, datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
        assert upd.ignored == "early" and upd.events == []
        assert [n for n, _, _ in upd.put] == ["sla-c1-resolution-breach"]
        assert case.sla == before

    def test_out_of_order_tier_fire_is_ignored(self):
        case, eng, fire = self._breached()
        upd = eng.on_fire(case, {**fire, "stage": "esc2"}, datetime(2026, 11, 23, 13, 0, tzinfo=UTC))
        assert upd.ignored and case.sla["resolution"]["breached_at"] is None

    def test_late_fire_catches_up_every_due_stage_in_order(self):
        case, eng, fire = self._breached()
        upd = eng.on_fire(case, fire, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
        assert [e.type for e in upd.events] == ["sla.breached", "sla.escalated", "sla.escalated"]
        assert upd.actions == ["notify:ops", "assign:boss"] and upd.put == []

    def test_fire_for_a_met_clock_is_ignored(self):
        case, eng = make_case(), engine()
        opened = eng.on_trigger(case, "opened", T0)
        eng.on_trigger(case, "answered", T0 + M, kind="human")
        upd = eng.on_fire(case, payload(opened, "sla-c1-first_response-breach"), T0 + 31 * M)
        assert upd.ignored and upd.events == []

    def test_warning_fires_before_the_deadline(self):
        case, eng = make_case(), engine()
        opened = eng.on_trigger(case, "opened", T0)
        upd = eng.on_fire(case, payload(opened, "sla-c1-first_response-warn"), T0 + 24 * M)
        assert [e.type for e in upd.events] == ["sla.warning"] and upd.put == []
        assert upd.delete == ["sla-c1-first_response-warn"]


class TestResolved:
    def test_resolution_stops_all_clocks_and_deletes_every_schedule(self):
        case, eng, timer = make_case(), engine(), RecordingTimer()
        apply_timer(timer, eng.on_trigger(case, "opened", T0))
        assert len(timer.schedules) == 4
        upd = eng.on_trigger(case, "status", T0 + 60 * M, old="open", new="resolved")
        apply_timer(timer, upd)
        assert timer.schedules == {}
        assert sorted(e.type for e in upd.events) == ["sla.met", "sla.stopped"]
        assert case.sla["resolution"]["met_at"] and case.sla["first_response"]["stopped"]


class TestRegimes:
    def test_wechat_window_restarts_with_each_customer_message(self):
        case = make_case(channel="wechat", request="info", issue="shipping")
        eng = engine()
        eng.on_trigger(case, "opened", T0)
        assert case.sla["wechat_window"]["due"] == "2026-11-25T02:00:00Z"
        upd = eng.on_trigger(case, "customer_message", T0 + 60 * M)
        assert case.sla["wechat_window"]["due"] == "2026-11-25T03:00:00Z"
        assert {n: at for n, at, _ in upd.put}["sla-c1-wechat_window-warn"] == datetime(
            2026, 11, 24, 23, 0, tzinfo=UTC)  # 4 h before the window closes
        eng.on_trigger(case, "answered", T0 + 61 * M, kind="auto")
        assert case.sla["wechat_window"]["met_at"] is not None

    def test_douyin_counts_response_time_from_0800_to_2300(self):
        case = make_case(channel="douyin", request="info", issue="shipping")
        eng = engine()
        eng.on_trigger(case, "opened", sh(2026, 11, 21, 22, 30))  # a Saturday night
        fr = case.sla["first_response"]
        assert fr["calendar"] == "douyin" and fr["policy"] == "p2"
        assert fr["due"] == utc(sh(2026, 11, 22, 8, 30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert case.sla["resolution"]["calendar"] == "default"


class TestMisc:
    def test_unknown_trigger_is_refused(self):
        with pytest.raises(UnknownTrigger):
            engine().on_trigger(make_case(), "coffee", T0)

    def test_schedule_names_stay_within_64_safe_characters(self):
        long_id = "case-" + "x" * 80
        a, b = schedule_name(long_id, "first_response", "breach"), schedule_name(long_id, "first_response", "warn")
        assert len(a) <= 64 and len(b) <= 64 and a != b and a == schedule_name(long_id, "first_response", "breach")
        assert schedule_name("01J9ZC3K8M7Q2W4E6R8T0Y2U4I", "return_review", "esc3") == (
            "sla-01J9ZC3K8M7Q2W4E6R8T0Y2U4I-return_review-esc3")
        assert all(c.isalnum() or c in "-_." for c in schedule_name("中文#id", "resolution", "breach"))

    def test_fast_policy_file_loads(self):
        case, eng = make_case(), engine(path=FAST)
        eng.on_trigger(case, "opened", T0)
        assert case.sla["first_response"]["due"] == "2026-11-23T02:00:04Z"
