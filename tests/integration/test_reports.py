"""Issue 8: reports read from aggregates that the recorder maintains (seeded through the recorder, not by hand)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest

from chalicelib import analytics
from chalicelib.accounts import ApiToken
from chalicelib.api import reports as reports_api
from chalicelib.domain import Case, CaseEvent, CustomerRef, Order, OrderItem, ShipmentRef
from tests.conftest import REGION, TOKEN_A, TOKEN_B, WEBHOOK_SECRET
from tests.signing import message_event, signed_webhook

AUTH_A = {"authorization": f"Bearer {TOKEN_A}"}
SHOP = "shop-a"
FIRST_DAY = date(2026, 10, 20)
DAYS = 30
SPIKE_DAY = date(2026, 11, 12)
SPIKE_SKU = "DW-200"
SKUS = [(f"SKU-{n:02d}", f"商品{n:02d}") for n in range(19)] + [(SPIKE_SKU, "洗碗机")]
ISSUES = {"quality": ["漏水", "异响", "不工作"], "damaged": ["破损", "压坏"], "shipping": ["没动", "催发货"],
          "wrong_item": ["发错", "颜色"], "changed_mind": ["不想要", "尺码"]}
CARRIERS = ["yuantong", "zto", "sf"]


def _case(n: int, day: date, sku_index: int, issue: str, keywords: list[str]) -> tuple[Case, list[CaseEvent]]:
    at = datetime(day.year, day.month, day.day, 2 + n % 10, n % 60, tzinfo=UTC)  # 10:00–19:59 in China
    case = Case(case_id=f"S{n:06d}", shop=SHOP, customer=CustomerRef(channel="webhook", account="erp", user=f"u{n}"),
                channel="webhook", account="erp", issue=issue, keywords=keywords, order_no=f"O-{sku_index}",
                responsibility="merchant" if issue != "damaged" else "logistics", scenario="product",
                created_at=at, updated_at=at)
    text = "洗碗机漏水了，厨房地板都湿了" if keywords[0] == "漏水" and sku_index == len(SKUS) - 1 else f"{issue} 第{n}单"
    events = [CaseEvent(case_id=case.case_id, at=at, type="created", actor="customer", data={"to": "new"}),
              CaseEvent(case_id=case.case_id, at=at, type="message", actor="customer", data={"text": text})]
    return case, events


def seeded_cases() -> list[tuple[Case, list[CaseEvent]]]:
    """≥2,000 cases over 30 days spread evenly over 20 SKUs and 5 issues, plus 25 漏水 cases of DW-200 on one day."""
    out, n = [], 0
    for d in range(DAYS):
        day = FIRST_DAY + timedelta(days=d)
        for i in range(68):
            n += 1
            issue = list(ISSUES)[(n // len(SKUS)) % len(ISSUES)]
            out.append(_case(n, day, n % len(SKUS), issue, [ISSUES[issue][n % len(ISSUES[issue])]]))
        if day == SPIKE_DAY:
            for _ in range(25):
                n += 1
                out.append(_case(n, day, len(SKUS) - 1, "quality", ["漏水"]))
    return out


def seed(deps) -> int:
    for i, (sku, name) in enumerate(SKUS):
        deps.repo.put_order(Order(shop=SHOP, order_no=f"O-{i}", items=[OrderItem(sku=sku, name=name)],
                                  shipments=[ShipmentRef(carrier=CARRIERS[i % 3], tracking_no=f"T{i}")]))
    cases = seeded_cases()
    for case, events in cases:  # serially: moto's server is not safe under concurrent writes to one item
        analytics.on_case_events(deps, case, events, case.created_at)
    return len(cases)


@pytest.fixture(scope="module")
def seeded(moto_endpoint):
    """One stack seeded once for the module: (deps, number of cases)."""
    from chalicelib.bootstrap import bootstrap
    from chalicelib.local.resources import create_resources
    from chalicelib.settings import Settings

    stack = create_resources(moto_endpoint, REGION, prefix=f"r{uuid.uuid4().hex[:8]}-")
    values = {k.removeprefix("SHOUHOU_").lower(): v for k, v in stack.items()
              if k.removeprefix("SHOUHOU_").lower() in Settings.model_fields}
    deps = bootstrap(Settings(**values), endpoint_url=moto_endpoint, session=boto3.session.Session(region_name=REGION))
    return deps, seed(deps)


TOKEN = ApiToken(token="x" * 20, shop=SHOP, agent="mgr", role="manager")


class TestHotIssues:
    def test_a_spike_on_one_sku_is_named_on_its_day_and_not_on_others(self, seeded):
        app_deps, total = seeded
        assert total >= 2000
        period = {"from": FIRST_DAY.isoformat(), "to": (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat()}
        out = reports_api.hot_issues(app_deps, TOKEN, period)

        by_day = {}
        for s in out["spikes"]:
            by_day.setdefault(s["day"], []).append(s)
        assert set(by_day) == {SPIKE_DAY.isoformat()}, {d: [s["label"] for s in v] for d, v in by_day.items()}
        spikes = by_day[SPIKE_DAY.isoformat()]
        sku = next(s for s in spikes if s["kind"] == "issue_sku")
        assert sku["sku"] == SPIKE_SKU and sku["product"] == "洗碗机" and sku["issue"] == "quality"
        assert sku["keywords"][0] == "漏水" and "洗碗机 漏水" in sku["label"] and "×" in sku["label"]
        assert sku["count"] >= 25 and sku["ratio"] >= 3
        assert any("漏水" in e["text"] for e in sku["examples"]) and all(e["case_id"] for e in sku["examples"])
        assert any(s["kind"] == "keyword" and s["keywords"] == ["漏水"] for s in spikes)

    def test_weekly_counts_sum_the_days_and_the_digest_leads_with_the_spike(self, seeded):
        app_deps, total = seeded
        period = {"from": FIRST_DAY.isoformat(), "to": (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat(),
                  "granularity": "week"}
        weeks = reports_api.hot_issues(app_deps, TOKEN, period)["periods"]
        assert sum(r["count"] for w in weeks for r in w["issue_sku"]) <= total
        assert sum(k["count"] for w in weeks for k in w["keywords"] if k["key"] == "漏水") > 25
        overview = reports_api.overview(app_deps, TOKEN, period)
        assert sum(p["opened"] for p in overview["splits"]) == total
        assert {c["carrier"] for c in overview["carriers"]} == set(CARRIERS)
        dmg = {c["carrier"]: c["damage_share"] for c in overview["carriers"]}
        assert all(0 < v < 1 for v in dmg.values())
        digest = reports_api.weekly_digest(app_deps, TOKEN, {"to": (SPIKE_DAY + timedelta(days=2)).isoformat()})
        assert "洗碗机 漏水" in digest["text"].splitlines()[4]


class TestSealedDays:
    def test_a_late_write_to_a_sealed_day_is_not_lost(self, seeded):
        deps, _ = seeded
        store = analytics.aggregates(deps)
        day, today = FIRST_DAY + timedelta(days=3), FIRST_DAY + timedelta(days=40)
        before = store.read(SHOP, [day], ("case",), today=today)[day]["case"]["opened"]
        assert store.read(SHOP, [day], ("case",), today=today)[day]["case"]["opened"] == before  # now from the seal
        store.add(SHOP, analytics.Bump(day, "case", counts={"opened": 1}), today=today)
        assert store.read(SHOP, [day], ("case",), today=today)[day]["case"]["opened"] == before + 1


class TestThroughTheApp:
    def test_a_worked_case_shows_in_the_service_report_and_the_csv(self, client, pumps, recorder):
        headers, body = signed_webhook(WEBHOOK_SECRET, message_event("杯子碎了，补发一个", customer=f"c-{uuid.uuid4().hex[:6]}"))
        client.http.post("/webhooks/erp", headers=headers, body=body)
        pumps.drain()
        case_id = client.http.get("/api/cases", headers=AUTH_A).json_body["cases"][0]["case_id"]
        post = lambda action, b: client.http.post(f"/api/cases/{case_id}/{action}",
                                                  headers={**AUTH_A, "content-type": "application/json"}, body=json.dumps(b))
        assert post("reply", {"text": "马上补发"}).status_code == 200
        pumps.drain()
        assert post("resolve", {}).status_code == 200
        pumps.drain()

        r = client.http.get("/api/reports/overview", headers=AUTH_A)
        assert r.status_code == 200, r.body
        svc = r.json_body["service"]
        assert svc["opened"] == 1 and svc["resolved"] == 1 and svc["resolution_s"]["n"] == 1
        assert svc["first_answers"]["human"] + svc["first_answers"]["auto"] == 1
        assert svc["first_response_s"]["p50"] is not None
        assert any(row["ok"] + row["late"] >= 1 for row in svc["sla"])

        csv_r = client.http.get("/api/reports/cases.csv", headers=AUTH_A)
        rows = list(csv.DictReader(io.StringIO(csv_r.body.decode())))
        assert [row["case_id"] for row in rows] == [case_id] and rows[0]["status"] == "resolved"
        other = client.http.get("/api/reports/cases.csv", headers={"authorization": f"Bearer {TOKEN_B}"})
        assert list(csv.DictReader(io.StringIO(other.body.decode()))) == []

    def test_bad_periods_are_422_and_unknown_reports_404(self, client):
        r = client.http.get("/api/reports/hot-issues?from=2026-13-01", headers=AUTH_A)
        assert r.status_code == 422 and "from" in r.json_body["detail"]
        assert client.http.get("/api/reports/hot-issues?granularity=year", headers=AUTH_A).status_code == 422
        assert client.http.get("/api/reports/overview?from=2024-01-01&to=2026-01-01", headers=AUTH_A).status_code == 422
        assert client.http.get("/api/reports/nope", headers=AUTH_A).status_code == 404
        assert client.http.get("/api/reports/overview").status_code == 401
