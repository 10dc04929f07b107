"""Issue 7: a 抖店 after-sale decided by an agent is agreed through the 抖店 after-sale API, once, signed."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from tests.conftest import REGION, TOKEN_A

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


class FakeDoudianOpenApi:
    """Checks every request's signature the way the 抖店 gateway documents it, issues a token, records operations."""

    def __init__(self, app_key: str, app_secret: str) -> None:
        self.calls: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                text = (f"{app_secret}app_key{q.get('app_key')}method{q.get('method')}param_json{body}"
                        f"timestamp{q.get('timestamp')}v{q.get('v')}{app_secret}")
                ok = hmac.compare_digest(hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).hexdigest(),
                                         q.get("sign", ""))
                outer.calls.append({"path": url.path, "query": q, "body": json.loads(body), "signed": ok})
                if not ok:
                    answer = {"code": 40003, "msg": "sign error"}
                elif url.path == "/token/create":
                    answer = {"code": 10000, "data": {"access_token": "dd-token", "expires_in": 7200}}
                elif q.get("access_token") != "dd-token":
                    answer = {"code": 40004, "msg": "token"}
                else:
                    answer = {"code": 10000, "data": {}, "log_id": "L1"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def openapi() -> Any:
    api = FakeDoudianOpenApi(V["app_key"], V["app_secret"])
    yield api
    api.server.shutdown()


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
