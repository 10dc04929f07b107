from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.sla.report import sla_report

from .helpers import make_case

START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


def cycle(policy: str, started: str, target_s: float, **kw: object) -> dict:
    return {"clock": "x", "policy": policy, "target_s": target_s, "business_hours": False, "calendar": "default",
            "started_at": started, "used_s": kw.pop("used_s", 0.0), **kw}


def fixture_cases() -> list:
    a = make_case(case_id="A", shop="shop-a", sla={
        "first_response": cycle("complaint", "2026-11-02T01:00:00Z", 1800, used_s=600, met_at="2026-11-02T01:10:00Z"),
        "resolution": cycle("complaint", "2026-11-02T01:00:00Z", 86400, used_s=90000,
                            breached_at="2026-11-03T01:00:00Z", met_at="2026-11-04T01:00:00Z"),
    })
    b = make_case(case_id="B", shop="shop-a", sla={
        # met late before its breach fire arrived: counts as breached
        "first_response": cycle("complaint", "2026-11-10T01:00:00Z", 1800, used_s=2000, met_at="2026-11-10T01:33:20Z"),
        "resolution": cycle("complaint", "2026-11-10T01:00:00Z", 86400, used_s=100,
                            running_since="2026-11-10T01:00:00Z", due="2026-11-11T01:00:00Z"),
    })
    c = make_case(case_id="C", shop="shop-b", sla={
        "first_response": cycle("p2", "2026-11-20T01:00:00Z", 3600, used_s=60, stopped="2026-11-20T01:01:00Z"),
        "resolution": cycle("p2", "2026-11-20T01:00:00Z", 86400, used_s=7200, met_at="2026-11-20T03:00:00Z"),
        "next_response": cycle("p2", "2026-11-20T02:00:00Z", 3600, breached_at="2026-11-20T03:00:00Z", history=[
            cycle("p2", "2026-11-20T01:10:00Z", 3600, used_s=100, met_at="2026-11-20T01:11:40Z"),
            cycle("p2", "2026-11-20T01:30:00Z", 3600, used_s=100, met_at="2026-11-20T01:31:40Z"),
        ]),
    })
    d = make_case(case_id="D", shop="shop-b", sla={  # started before the period: not counted
        "first_response": cycle("p2", "2026-10-31T23:59:59Z", 3600, breached_at="2026-11-01T00:59:59Z"),
    })
    return [a, b, c, d]


def test_hand_computed_compliance():
    r = sla_report(fixture_cases(), start=START, end=END)
    assert r["overall"] == {"total": 9, "met": 4, "breached": 3, "open": 1, "stopped": 1, "compliance": 0.5714}
    assert r["by_clock"] == {
        "first_response": {"total": 3, "met": 1, "breached": 1, "open": 0, "stopped": 1, "compliance": 0.5},
        "next_response": {"total": 3, "met": 2, "breached": 1, "open": 0, "stopped": 0, "compliance": 0.6667},
        "resolution": {"total": 3, "met": 1, "breached": 1, "open": 1, "stopped": 0, "compliance": 0.5},
    }
    assert r["by_policy"] == {
        "complaint": {"total": 4, "met": 1, "breached": 2, "open": 1, "stopped": 0, "compliance": 0.3333},
        "p2": {"total": 5, "met": 3, "breached": 1, "open": 0, "stopped": 1, "compliance": 0.75},
    }
    assert r["by_shop"]["shop-a"] == r["by_policy"]["complaint"] and r["by_shop"]["shop-b"] == r["by_policy"]["p2"]


def test_one_shop_and_an_empty_period():
    assert sla_report(fixture_cases(), start=START, end=END, shop="shop-b")["overall"]["total"] == 5
    empty = sla_report(fixture_cases(), start=END, end=datetime(2027, 1, 1, tzinfo=UTC))
    assert empty["overall"] == {"total": 0, "met": 0, "breached": 0, "open": 0, "stopped": 0, "compliance": None}
    assert empty["by_clock"] == {}
