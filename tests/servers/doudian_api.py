"""A fake 抖店 OpenAPI gateway on 127.0.0.1: checks each request's signature as the gateway documents it,
issues a shop token, records after-sale operations."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.servers.base import FakeServer, JsonHandler

TOKEN = "dd-token"


class _Handler(JsonHandler):
    state: FakeDoudianOpenApi

    def do_POST(self) -> None:
        api = self.state
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = self.read_body().decode()
        text = (f"{api.app_secret}app_key{q.get('app_key')}method{q.get('method')}param_json{body}"
                f"timestamp{q.get('timestamp')}v{q.get('v')}{api.app_secret}")
        expected = hmac.new(api.app_secret.encode(), text.encode(), hashlib.sha256).hexdigest()
        signed = hmac.compare_digest(expected, q.get("sign", ""))
        api.calls.append({"path": url.path, "query": q, "body": json.loads(body), "signed": signed})
        if not signed:
            self.reply_json({"code": 40003, "msg": "sign error"})
        elif url.path == "/token/create":
            self.reply_json({"code": 10000, "data": {"access_token": TOKEN, "expires_in": 7200}})
        elif q.get("access_token") != TOKEN:
            self.reply_json({"code": 40004, "msg": "invalid access_token"})
        else:
            self.reply_json({"code": 10000, "data": {}, "log_id": "L1"})


class FakeDoudianOpenApi(FakeServer["FakeDoudianOpenApi"]):
    """`with FakeDoudianOpenApi(app_secret) as api:`; point `doudian_api` at `api.url`; `api.calls` records requests."""

    handler = _Handler

    def __init__(self, app_secret: str) -> None:
        self.app_secret = app_secret
        self.calls: list[dict[str, Any]] = []
        super().__init__(self)
