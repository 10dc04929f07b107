"""Case state machine, customer labels and threading rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import Case, CaseStatus, CustomerRef, InvalidTransition, joins_existing, label, transition

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_case(**overrides):
    base = {"case_id": "C1", "shop": "s", "customer": CustomerRef(channel="webhook", account="erp", user="u"),
            "channel": "webhook", "account": "erp", "created_at": NOW, "updated_at": NOW}
    return Case(**{**base, **overrides})


class TestTransitions:
    def test_waiting_states_return_to_open(self):
        case = make_case(status=CaseStatus.WAITING_CUSTOMER)
        event = transition(case, CaseStatus.OPEN, now=NOW, actor="customer", reason="replied")
        assert case.status is CaseStatus.OPEN
        assert event.data == {"from": "waiting_customer", "to": "open", "label": "处理中"}
        assert event.customer_visible

    def test_closed_is_final(self):
        case = make_case(status=CaseStatus.CLOSED)
        with pytest.raises(InvalidTransition):
            transition(case, CaseStatus.OPEN, now=NOW, actor="agent:a", reason="x")
        assert case.status is CaseStatus.CLOSED

    def test_resolving_stamps_and_reopening_clears_resolution_time(self):
        case = make_case(status=CaseStatus.OPEN)
        transition(case, CaseStatus.RESOLVED, now=NOW, actor="agent:a", reason="done")
        assert case.resolved_at == NOW
        transition(case, CaseStatus.OPEN, now=NOW + timedelta(hours=1), actor="customer", reason="again")
        assert case.resolved_at is None

    def test_a_change_between_statuses_with_the_same_label_is_not_customer_visible(self):
        case = make_case(status=CaseStatus.OPEN)
        event = transition(case, CaseStatus.WAITING_PLATFORM, now=NOW, actor="platform", reason="arbitration")
        assert not event.customer_visible  # both are 处理中 to the customer

    @pytest.mark.parametrize("status,text", [("new", "已受理"), ("open", "处理中"), ("waiting_customer", "等待您的回复"),
                                             ("waiting_logistics", "等待物流"), ("resolved", "已解决")])
    def test_customer_labels(self, status, text):
        assert label(CaseStatus(status)) == text


class TestThreading:
    window = timedelta(days=7)

    def test_no_previous_case_opens_a_new_one(self):
        assert not joins_existing(None, NOW, self.window)

    def test_open_case_is_joined(self):
        assert joins_existing(make_case(status=CaseStatus.WAITING_LOGISTICS), NOW, self.window)

    def test_resolved_within_window_is_joined_and_after_it_is_not(self):
        inside = make_case(status=CaseStatus.RESOLVED, resolved_at=NOW - timedelta(days=7))
        outside = make_case(status=CaseStatus.RESOLVED, resolved_at=NOW - timedelta(days=7, seconds=1))
        assert joins_existing(inside, NOW, self.window)
        assert not joins_existing(outside, NOW, self.window)

    def test_closed_case_is_never_joined(self):
        assert not joins_existing(make_case(status=CaseStatus.CLOSED, resolved_at=NOW), NOW, self.window)
