"""`POST /doudian/{account}` through the real Chalice app and moto: the vector, dedupe, and a case from tag 200."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

V = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["doudian"][0]
ACCOUNTS = f"""
[[doudian]]
account = "demo-dd"
shop = "shop-a"
app_key = "{V['app_key']}"
app_secret = "{V['app_secret']}"
"""


@pytest.fixture
def app_deps(deps_for: Any) -> Any:
    """Overrides conftest's app_deps: the real app with a 抖店 account."""
    return deps_for(ACCOUNTS)


def post(client: Any, headers: dict[str, str]) -> Any:
    return client.http.post("/doudian/demo-dd", body=V["body"].encode(), headers={"Content-Type": "application/json", **headers})


def test_vector_three_times_is_one_case_with_the_platform_request(client: Any, app_deps: Any, pumps: Any) -> None:
    for _ in range(3):
        r = post(client, V["headers"])
        assert r.status_code == 200 and r.body.decode() == V["expected_response"]
    pumps.drain()
    case = app_deps.repo.get_customer_case("doudian#demo-dd#5000000000000000000")
    assert case is not None and case.request == "return_refund"
    assert case.flags["aftersale_id"] == "7000000000000000001" and case.order_no == "5000000000000000000"
    assert [e.type for e in app_deps.repo.list_events(case.case_id)].count("platform.aftersale") == 1


def test_wrong_sign_is_rejected(client: Any, app_deps: Any) -> None:
    assert post(client, {**V["headers"], "event-sign": "0" * 32}).status_code == 401
    assert post(client, {**V["headers"], "app-id": "123"}).status_code == 401
