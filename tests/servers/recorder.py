"""A catch-all receiver on 127.0.0.1 for callbacks and notifications: records every POST, answers scripted statuses."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.servers.base import FakeServer, JsonHandler


class _Handler(JsonHandler):
    state: Recorder

    def do_POST(self) -> None:
        body = self.read_body()
        rec = self.state
        status = rec.statuses.pop(0) if rec.statuses else 200
        answer = rec.answers.pop(0) if rec.answers else {}
        rec.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body.decode(), "raw": body, "status": status, "at": time.monotonic()})
        self.reply_json(answer, status)


class Recorder(FakeServer["Recorder"]):
    """`with Recorder() as rec:`; `rec.requests` holds path, headers, body, status and monotonic `at` per POST."""

    handler = _Handler

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []  # consumed one per request; then 200
        self.answers: list[dict[str, Any]] = []  # JSON bodies, consumed one per request; then {}
        super().__init__(self)

    def json_bodies(self) -> list[Any]:
        return [json.loads(r["body"]) for r in self.requests]
