"""The Monday digest goes to every shop's digest targets, once per week and target; shops without one are skipped."""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.accounts import parse_accounts
from chalicelib.bootstrap import bootstrap
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.webhook.verify import sign, verify
from chalicelib.settings import Settings
from chalicelib.sla.notify import SlaNotifier
from chalicelib.workers.digest import send_weekly
from tests.unit.sla.helpers import InMemoryRepo

MONDAY_0900 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
SECRET = "whsec_" + base64.b64encode(b"shop-a-digest-secret-0123456789").decode()


class EmptyAggregates:
    """No cases yet: every day of every family is empty (what the Dynamo store answers for missing items)."""

    def __init__(self) -> None:
        self.shops: list[str] = []

    def read(self, shop: str, days: list[date], families: Any = ("hot", "case"), *, today: date | None = None) -> dict:
        self.shops.append(shop)
        return {d: {f: {} for f in families} for d in days}

    def examples(self, shop: str, wanted: Any, limit: int = 3) -> dict:
        return {w: [] for w in wanted}


def accounts(url: str) -> Any:
    return parse_accounts(f'''
[[api_token]]
token = "0123456789abcdef-token-d"
shop = "shop-d"

[[notify]]
name = "ops"
shop = "shop-a"
kind = "webhook"
url = "{url}/digest-a"
secret = "{SECRET}"
digest = true

[[notify]]
name = "ops"
shop = "shop-b"
kind = "wecom_robot"
url = "{url}/robot-b?key=k"
digest = true

[[notify]]
name = "ops"
shop = "shop-c"
kind = "webhook"
url = "{url}/escalations-only-c"
''')


def deps_for(url: str, repo: InMemoryRepo | None = None) -> Any:
    acc = accounts(url)
    return bootstrap(Settings(), accounts=acc, aggregates=EmptyAggregates(), repo=repo or InMemoryRepo(),
                     notifier=SlaNotifier(HttpClient(timeout_s=2), acc, signer=sign),
                     clock=type("C", (), {"now": staticmethod(lambda: MONDAY_0900)})())


class TestWeeklyDigestSchedule:
    def test_sends_to_shops_with_a_digest_target_and_skips_the_others(self, recorder, caplog):
        caplog.set_level(logging.INFO, logger="shouhou.digest")
        out = send_weekly(deps_for(recorder.url), MONDAY_0900)
        assert out["week_ending"] == "2026-11-22" and out["skipped"] == ["shop-c", "shop-d"]
        assert {shop: [r["sent"] for r in rs] for shop, rs in out["sent"].items()} == {"shop-a": [True], "shop-b": [True]}
        by_path = {r["path"]: r for r in recorder.requests}
        assert sorted(by_path) == ["/digest-a", "/robot-b?key=k"]
        hook = by_path["/digest-a"]
        doc = json.loads(hook["raw"])
        assert doc["type"] == "report.weekly_digest" and doc["data"]["shop"] == "shop-a"
        assert doc["data"]["text"].startswith("【售后周报】shop-a 2026-11-16 ~ 2026-11-22")
        verify(hook["raw"], hook["headers"], [SECRET], now_s=int(hook["headers"]["webhook-timestamp"]))
        robot = json.loads(by_path["/robot-b?key=k"]["raw"])
        assert robot["msgtype"] == "text" and robot["text"]["content"].startswith("【售后周报】shop-b")
        assert "shop shop-c has no digest target" in caplog.text and "shop shop-d has no digest target" in caplog.text

    def test_a_second_run_for_the_same_week_sends_nothing_again(self, recorder):
        repo = InMemoryRepo()
        send_weekly(deps_for(recorder.url, repo), MONDAY_0900)
        again = send_weekly(deps_for(recorder.url, repo), MONDAY_0900)
        assert len(recorder.requests) == 2
        assert all(r.get("duplicate") for rs in again["sent"].values() for r in rs)

    def test_a_failed_target_is_tried_again_by_a_re_run_and_the_others_are_not(self, recorder):
        repo = InMemoryRepo()
        recorder.statuses = [503]  # the first request (shop-a's webhook) fails
        first = send_weekly(deps_for(recorder.url, repo), MONDAY_0900)
        assert first["sent"]["shop-a"][0]["sent"] is False and first["sent"]["shop-b"][0]["sent"] is True
        second = send_weekly(deps_for(recorder.url, repo), MONDAY_0900)
        assert second["sent"]["shop-a"][0]["sent"] is True and second["sent"]["shop-b"][0].get("duplicate")
        assert [r["path"] for r in recorder.requests] == ["/digest-a", "/robot-b?key=k", "/digest-a"]
