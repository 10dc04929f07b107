from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain import Priority
from chalicelib.sla import PolicyInvalid, load_policies, parse_policies
from chalicelib.sla.durations import DurationInvalid, parse_duration, warn_threshold

from .helpers import make_case

CATCH_ALL = '\n[[policy]]\nname = "rest"\n[policy.clocks.resolution]\ntarget = "1d"\n'


class TestDurations:
    @pytest.mark.parametrize("text,seconds", [("90s", 90), ("30m", 1800), ("4h", 14400), ("2d", 172800),
                                              ("1h30m", 5400), ("0s", 0)])
    def test_parses(self, text, seconds):
        assert parse_duration(text) == timedelta(seconds=seconds)

    @pytest.mark.parametrize("text", ["", "4", "h", "-1h", "4 hours", "4h-", "1w"])
    def test_rejects(self, text):
        with pytest.raises(DurationInvalid):
            parse_duration(text)

    def test_warn_as_share_or_before_deadline(self):
        assert warn_threshold("80%", timedelta(minutes=30)) == timedelta(minutes=24)
        assert warn_threshold("30m", timedelta(hours=4)) == timedelta(hours=3, minutes=30)
        with pytest.raises(DurationInvalid):
            warn_threshold("120%", timedelta(hours=1))


class TestShippedDefaults:
    @pytest.mark.parametrize("fields,policy,clock,target,human", [
        ({"request": "complaint"}, "complaint", "first_response", timedelta(minutes=30), True),
        ({"request": "complaint", "priority": Priority.P1}, "p1", "resolution", timedelta(hours=4), False),
        ({"request": "reship", "priority": Priority.P2}, "p2", "resolution", timedelta(hours=24), False),
        ({"issue": "other", "request": "none", "priority": Priority.P3}, "p3", "resolution", timedelta(hours=72), False),
        ({"issue": "inquiry", "request": "info", "priority": Priority.P3}, "inquiry", "first_response", timedelta(hours=1), False),
        ({"issue": "quality", "request": "return_refund"}, "return", "return_review", timedelta(hours=72), False),
        ({"request": "reship", "flags": {"cross_border": True}}, "cross_border", "resolution", timedelta(hours=24), False),
        ({"request": "info", "issue": "shipping", "flags": {"live_stream": True}}, "live_stream", "first_response",
         timedelta(hours=2), False),
    ])
    def test_design_table(self, fields, policy, clock, target, human):
        plan = load_policies(None).resolve(make_case(**fields))
        spec = plan.clocks[clock]
        assert (plan.policy, spec.target, spec.human) == (policy, target, human)

    def test_p1_runs_return_review_only_for_return_requests(self):
        policies = load_policies(None)
        assert "return_review" in policies.resolve(make_case(priority=Priority.P1, request="return_refund")).clocks
        assert "return_review" not in policies.resolve(make_case(priority=Priority.P1, request="complaint")).clocks

    def test_regimes_lay_over_the_policy(self):
        plan = load_policies(None).resolve(make_case(channel="douyin"))
        assert plan.policy == "complaint" and plan.regimes == ("douyin_hours",)
        fr = plan.clocks["first_response"]
        assert (fr.calendar, fr.business_hours, fr.target, fr.human) == ("douyin", True, timedelta(minutes=30), True)
        for channel in ("wechat", "wecom", "wecom_kf"):  # every channel with WeChat's 48 h reply limit
            wx = load_policies(None).resolve(make_case(channel=channel))
            assert wx.clocks["wechat_window"].policy == "wechat_window", channel
        assert "wechat_window" not in load_policies(None).resolve(make_case(channel="sms")).clocks

    def test_policy_file_argument_replaces_the_defaults(self, tmp_path):
        f = tmp_path / "p.toml"
        f.write_text(CATCH_ALL, encoding="utf-8")
        assert [p.name for p in load_policies(f).policies] == ["rest"]


class TestFileErrors:
    @pytest.mark.parametrize("text", [
        '[[policy]]\nname = "x"\nmatch = { colour = ["red"] }' + CATCH_ALL,
        '[[policy]]\nname = "x"\n[policy.clocks.resolution]\ntarget = "soon"' + CATCH_ALL,
        '[[policy]]\nname = "x"\n[policy.clocks.resolution]\ntarget = "1h"\ncolour = 1' + CATCH_ALL,
        '[[policy]]\nname = "x"\n[policy.clocks.resolution]\ntarget = "1h"\nescalate = [{after="0s", actions=["fax:ops"]}]'
        + CATCH_ALL,
        '[[policy]]\nname = "x"\n[policy.clocks.custom]\ntarget = "1h"' + CATCH_ALL,
        '[[policy]]\nname = "x"\n[policy.clocks.resolution]\ntarget = "1h"\nhuman = "yes"' + CATCH_ALL,
        '[[policy]]\nname = "only"\nmatch = { request = ["complaint"] }\n[policy.clocks.resolution]\ntarget = "1h"',
        'not toml [',
    ])
    def test_rejects_with_a_message(self, text):
        with pytest.raises(PolicyInvalid):
            parse_policies(text)

    def test_missing_file(self, tmp_path):
        with pytest.raises(PolicyInvalid):
            load_policies(tmp_path / "nope.toml")


def test_a_regime_does_not_add_a_clock_the_policy_lacks_unless_it_sets_a_target():
    from datetime import UTC, datetime

    from chalicelib.domain import Case, CustomerRef
    from chalicelib.sla import parse_policies

    policies = parse_policies("""
[[policy]]
name = "regime"
overlay = true
match = { channel = ["douyin"] }
[policy.clocks.next_response]
business_hours = true

[[policy]]
name = "all"
[policy.clocks.first_response]
target = "1h"
""")
    now = datetime(2026, 11, 22, tzinfo=UTC)
    case = Case(case_id="c", shop="s", customer=CustomerRef(channel="douyin", account="a", user="u"),
                channel="douyin", account="a", created_at=now, updated_at=now)
    plan = policies.resolve(case)
    assert set(plan.clocks) == {"first_response"}
