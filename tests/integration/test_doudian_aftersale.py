"""Issue 7: a 抖店 after-sale decided by an agent is agreed through the 抖店 after-sale API, once, signed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.conftest import REGION, TOKEN_A
from tests.servers.doudian_api import FakeDoudianOpenApi

V = json.loads((Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "vectors.json").read_text())["doudian"][0]
ACCOUNTS = f"""
[[api_token]]
token = "{TOKEN_A}"
shop = "shop-a"
agent = "alice"

[[doudian]]
account = "dd"
shop = "shop-a"
app_key = "{V['app_key']}"
app_secret = "{V['app_secret']}"
shop_id = "1234567"
operate_types = {{ agree = 201, refuse = 202 }}
"""


@pytest.fixture
def openapi() -> Any:
    with FakeDoudianOpenApi(V["app_secret"]) as api:
        yield api


@pytest.fixture
def app_deps(moto_endpoint: str, settings_for: Any, openapi: FakeDoudianOpenApi) -> Any:
    import app as app_module
    from chalicelib.bootstrap import bootstrap

    deps = bootstrap(settings_for(ACCOUNTS, doudian_api=openapi.url), endpoint_url=moto_endpoint,
                     session=boto3.session.Session(region_name=REGION))
    app_module.use(deps)
    return deps


def test_agent_approval_agrees_the_aftersale_once(client: Any, app_deps: Any, pumps: Any, openapi: Any) -> None:
    headers = {"Content-Type": "application/json", **V["headers"]}
    assert client.http.post("/doudian/dd", body=V["body"].encode(), headers=headers).status_code == 200
    pumps.drain()
    auth = {"authorization": f"Bearer {TOKEN_A}", "Content-Type": "application/json"}
    (case,) = client.http.get("/api/cases", headers=auth).json_body["cases"]
    assert case["flags"]["aftersale_id"] == "7000000000000000001"

    decision = json.dumps({"decision": "approve", "reason": "商品未发出，同意退款"})
    for _ in range(2):  # a replay under the same Idempotency-Key changes nothing
        r = client.http.post(f"/api/cases/{case['case_id']}/returns/decision", body=decision,
                             headers={**auth, "Idempotency-Key": "k-1"})
        assert r.status_code == 200, r.body

    ops = [c for c in openapi.calls if c["path"] == "/afterSale/operate"]
    assert len(ops) == 1 and ops[0]["signed"] and ops[0]["query"]["method"] == "afterSale.operate"
    assert ops[0]["body"] == {"items": [{"aftersale_id": "7000000000000000001", "reason": "商品未发出，同意退款"}], "type": 201}
    timeline = client.http.get(f"/api/cases/{case['case_id']}", headers=auth).json_body["timeline"]
    assert [e["data"]["decision"] for e in timeline if e["type"] == "platform.operated"] == ["agree"]
