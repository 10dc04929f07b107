"""Issue 6: `GET /api/reports/sla` returns compliance per clock and per policy matching a hand-computed fixture."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.analytics import on_case_events
from chalicelib.domain import Case, CaseEvent, CustomerRef
from tests.conftest import TOKEN_A, TOKEN_B

DAY = datetime(2026, 11, 10, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
BEFORE = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)


def make_case(case_id: str, shop: str = "shop-a", sla: dict | None = None) -> Case:
    return Case(case_id=case_id, shop=shop, customer=CustomerRef(channel="webhook", account="erp", user=case_id),
                channel="webhook", account="erp", created_at=DAY, updated_at=DAY, sla=sla or {})


def met(case: Case, clock: str, policy: str, late: bool, at: datetime = DAY) -> CaseEvent:
    return CaseEvent(case_id=case.case_id, at=at, type="sla.met", actor="sla",
                     data={"clock": clock, "policy": policy, "late": late})


def stopped(case: Case, clock: str, policy: str, at: datetime = DAY) -> CaseEvent:
    return CaseEvent(case_id=case.case_id, at=at, type="sla.stopped", actor="sla", data={"clock": clock, "policy": policy})


def test_sla_report_matches_the_hand_computed_fixture(client, app_deps):
    a, b, c = make_case("A"), make_case("B"), make_case("C")
    d = make_case("D", sla={"resolution": {"breached_at": "2026-11-10T03:00:00Z"}})
    other_shop, too_early = make_case("E", shop="shop-b"), make_case("F")
    recorded = [
        (a, [met(a, "first_response", "complaint", False), met(a, "resolution", "complaint", False)]),
        (b, [met(b, "first_response", "complaint", True)]),
        (c, [met(c, "first_response", "default", False), stopped(c, "resolution", "default")]),  # stopped in time
        (d, [stopped(d, "resolution", "default")]),  # stopped after its breach: late
        (other_shop, [met(other_shop, "first_response", "complaint", True)]),
        (too_early, [met(too_early, "first_response", "complaint", True, at=BEFORE)]),
    ]
    for case, events in recorded:
        on_case_events(app_deps, case, events, DAY)

    r = client.http.get("/api/reports/sla?from=2026-11-05&to=2026-11-20", headers={"authorization": f"Bearer {TOKEN_A}"})
    assert r.status_code == 200, r.body
    body = r.json_body
    # by hand: first_response ok A, C / late B → 2/3; resolution ok A / late D → 1/2; overall 3/5
    assert body["compliance"] == 0.6
    assert {c["clock"]: (c["ok"], c["late"], c["compliance"]) for c in body["clocks"]} == {
        "first_response": (2, 1, 0.6667), "resolution": (1, 1, 0.5)}
    assert {(p["clock"], p["policy"]): (p["ok"], p["late"]) for p in body["policies"]} == {
        ("first_response", "complaint"): (1, 1), ("first_response", "default"): (1, 0),
        ("resolution", "complaint"): (1, 0), ("resolution", "default"): (0, 1)}

    other = client.http.get("/api/reports/sla?from=2026-11-05&to=2026-11-20", headers={"authorization": f"Bearer {TOKEN_B}"})
    assert other.json_body["clocks"] == [{"clock": "first_response", "ok": 0, "late": 1, "compliance": 0.0}]
    bad = client.http.get("/api/reports/sla?from=2026-11-20&to=2026-11-05", headers={"authorization": f"Bearer {TOKEN_A}"})
    assert bad.status_code == 422
