"""CSAT: parsing replies, when to survey, recording the score and the low-score follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain import CaseStatus
from chalicelib.workflows import csat

from .builders import cn, make_case

NOW = cn(2026, 11, 22, 10)
WINDOW = timedelta(hours=48)


@pytest.mark.parametrize(("reply", "score"), [
    ("5", 5), ("５", 5), (" 4 ", 4), ("3分", 3), ("1星", 1), ("5！", 5),
    ("非常满意", 5), ("满意", 4), ("很满意！", 5), ("不满意", 2), ("很不满意", 1), ("非常不满意", 1),
    ("一般", 3), ("还行吧", 3), ("不太满意", 2), ("差评", 1), ("好评", 5), ("差不多", 3),
    ("😡 差", 1), ("👍", 5), ("👍🏻👍🏻", 5), ("👎", 1), ("😊", 4), ("5 非常满意", 5), ("4，满意", 4),
])
def test_parses_ratings(reply: str, score: int) -> None:
    assert csat.parse(reply) == score


@pytest.mark.parametrize("reply", [
    "", "   ", "0", "6", "10分", "好的收到", "我的快递到哪了？", "订单号 6926112200000012345",
    "👍 但是很差", "1 非常满意", "满意" * 30,
])
def test_non_ratings_are_none(reply: str) -> None:
    assert csat.parse(reply) is None


class TestShouldSurvey:
    def test_resolved_inside_window(self) -> None:
        case = make_case(status=CaseStatus.RESOLVED, last_customer_message_at=NOW - timedelta(hours=47))
        assert csat.should_survey(case, NOW, WINDOW) == (True, "ok")

    def test_outside_channel_window_is_skipped_with_reason(self) -> None:
        case = make_case(status=CaseStatus.RESOLVED, last_customer_message_at=NOW - timedelta(hours=49))
        ok, reason = csat.should_survey(case, NOW, WINDOW)
        assert (ok, reason) == (False, "outside_channel_window")
        event = csat.skip_event(case, reason, NOW)
        assert event.type == "csat.skipped" and event.reason == reason and case.flags["csat_skipped"] == reason

    def test_open_case_is_not_surveyed(self) -> None:
        assert csat.should_survey(make_case(status=CaseStatus.OPEN), NOW, WINDOW) == (False, "not_resolved")

    def test_no_second_survey(self) -> None:
        case = make_case(status=CaseStatus.RESOLVED, last_customer_message_at=NOW - timedelta(hours=1))
        csat.survey_event(case, NOW)
        assert csat.should_survey(case, NOW, WINDOW) == (False, "already_surveyed")

    def test_survey_text_asks_for_1_to_5(self) -> None:
        assert "1-5" in csat.survey_text(make_case())


class TestApply:
    def test_good_score_is_recorded_without_follow_up(self) -> None:
        case = make_case(status=CaseStatus.RESOLVED)
        events = csat.apply(case, csat.parse("非常满意") or 0, NOW)
        assert case.flags["csat"]["score"] == 5 and "csat_followup" not in case.flags
        assert [e.type for e in events] == ["csat.received"] and case.status is CaseStatus.RESOLVED

    def test_low_score_creates_the_follow_up_and_reopens(self) -> None:
        case = make_case(status=CaseStatus.RESOLVED, resolved_at=NOW - timedelta(hours=1))
        events = csat.apply(case, csat.parse("😡 差") or 0, NOW)
        assert case.flags["csat"]["score"] == 1 and case.flags["csat_followup"] is True
        assert [e.type for e in events] == ["csat.received", "csat.followup", "status"]
        assert case.status is CaseStatus.OPEN and events[2].data["to"] == "open"
        assert "抱歉" in csat.followup_text(case)

    def test_score_2_is_low_and_3_is_not(self) -> None:
        two, three = make_case(status=CaseStatus.CLOSED), make_case(status=CaseStatus.CLOSED)
        csat.apply(two, 2, NOW)
        csat.apply(three, 3, NOW)
        assert two.flags.get("csat_followup") is True and "csat_followup" not in three.flags

    def test_second_score_changes_nothing(self) -> None:
        case = make_case(status=CaseStatus.RESOLVED)
        csat.apply(case, 5, NOW)
        assert csat.apply(case, 1, NOW + timedelta(minutes=1)) == []
        assert case.flags["csat"]["score"] == 5 and "csat_followup" not in case.flags

    def test_out_of_range_score_raises(self) -> None:
        with pytest.raises(ValueError):
            csat.apply(make_case(), 9, NOW)
