"""The Monday digest schedule through the real app: Chalice's scheduled function, moto's DynamoDB over HTTP,
the shops' digest targets on 127.0.0.1."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import analytics
from chalicelib.channels.webhook.verify import verify
from chalicelib.domain import Case, CaseEvent, CustomerRef
from tests.conftest import ROOT, TOKEN_A, accounts_toml

MONDAY_0900 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
DIGEST_SECRET = "whsec_" + base64.b64encode(b"shop-a-weekly-digest-0123456789").decode()


def digest_accounts(url: str) -> str:
    """shop-a takes the digest on its signed webhook; shop-b has an escalation target only."""
    return accounts_toml(url) + f'''
[[notify]]
name = "ops"
shop = "shop-a"
kind = "webhook"
url = "{url}/digest"
secret = "{DIGEST_SECRET}"
digest = true

[[notify]]
name = "ops"
shop = "shop-b"
kind = "wecom_robot"
url = "{url}/robot-b"
'''


@pytest.fixture
def app_deps(deps_for: Any, recorder: Any) -> Any:
    deps = deps_for(digest_accounts(recorder.url))
    deps.overrides["clock"] = type("C", (), {"now": staticmethod(lambda: MONDAY_0900)})()
    return deps


def seed_week(deps: Any, shop: str, n: int) -> None:
    """`n` cases opened last Tuesday, counted by the analytics recorder as the triage worker does."""
    at = MONDAY_0900 - timedelta(days=6)
    for i in range(n):
        case = Case(case_id=f"{shop}-{i}", shop=shop, customer=CustomerRef(channel="webhook", account="erp", user=f"u{i}"),
                    channel="webhook", account="erp", issue="quality", created_at=at, updated_at=at)
        analytics.on_case_events(deps, case, [CaseEvent(case_id=case.case_id, at=at, type="created", actor="customer",
                                                        data={"to": "new"})], at)


def run_schedule() -> Any:
    """Invoke the scheduled function the way its CloudWatch rule does."""
    from chalice.test import Client

    import app as app_module

    with Client(app_module.app, stage_name="local", project_dir=str(ROOT)) as client:
        event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=["arn:aws:events:us-east-1:123456789012:rule/weekly_digest"])
        return client.lambda_.invoke("weekly_digest", event).payload


class TestWeeklyDigestSchedule:
    def test_sends_last_weeks_digest_to_shops_with_a_target_and_skips_the_others(self, app_deps, recorder):
        seed_week(app_deps, "shop-a", 3)
        out = run_schedule()
        assert out["week_ending"] == "2026-11-22" and out["skipped"] == ["shop-b"]
        (req,) = recorder.requests
        assert req["path"] == "/digest"
        verify(req["raw"], req["headers"], [DIGEST_SECRET], now_s=int(req["headers"]["webhook-timestamp"]))
        text = json.loads(req["raw"])["data"]["text"]
        assert text.splitlines()[0] == "【售后周报】shop-a 2026-11-16 ~ 2026-11-22"
        assert text.splitlines()[1].startswith("新增工单 3，")

    def test_a_second_delivery_of_the_same_schedule_sends_nothing_again(self, app_deps, recorder):
        run_schedule()
        again = run_schedule()  # EventBridge invokes at least once
        assert len(recorder.requests) == 1 and again["sent"]["shop-a"][0]["duplicate"] is True


class TestSendOnRequest:
    def test_the_api_sends_the_same_signed_digest_to_a_named_target(self, client, recorder):
        r = client.http.post("/api/reports/digest/send?target=ops&to=2026-11-22",
                             headers={"authorization": f"Bearer {TOKEN_A}"})
        assert r.status_code == 200 and r.json_body["delivered"] is True and r.json_body["status"] == 200
        (req,) = recorder.requests
        verify(req["raw"], req["headers"], [DIGEST_SECRET], now_s=int(req["headers"]["webhook-timestamp"]))
        assert json.loads(req["raw"])["data"]["text"] == r.json_body["text"]

    def test_an_unknown_target_is_a_client_error(self, client, recorder):
        r = client.http.post("/api/reports/digest/send?target=nobody", headers={"authorization": f"Bearer {TOKEN_A}"})
        assert r.status_code == 400 and recorder.requests == []
