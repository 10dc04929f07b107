"""A fake Douyin open API on 127.0.0.1: OAuth refresh, IM send with token checks, scripted error codes.

Also `InMemoryTokenStore`, a TokenStore with conditional-put semantics (put with `expected` succeeds
only while the stored access token is still that one).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from tests.servers.base import FakeServer, JsonHandler


class InMemoryTokenStore:
    """TokenStore port in memory."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        return self.items.get(key)

    def put(self, key: str, value: dict[str, Any], *, expected: str | None = None) -> bool:
        with self._lock:
            current = (self.items.get(key) or {}).get("access_token")
            if expected is not None and current != expected:
                return False
            self.items[key] = dict(value)
            return True


@dataclass
class Recorded:
    """One IM send the server accepted."""

    open_id: str
    token: str
    body: dict[str, Any]


@dataclass
class _State:
    refresh_tokens: dict[str, str]  # client_key -> valid refresh token
    valid: set[str] = field(default_factory=set)
    issued: int = 0
    token_calls: int = 0
    sent: list[Recorded] = field(default_factory=list)
    script: deque[int] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(JsonHandler):
    state: _State
    ensure_ascii = False

    def do_POST(self) -> None:
        body = self.read_body()
        url = urlsplit(self.path)
        if url.path == "/oauth/refresh_token/":
            return self._refresh(dict(parse_qsl(body.decode())))
        if url.path == "/im/send/msg/":
            return self._send(parse_qs(url.query).get("open_id", [""])[0], self.headers.get("access-token", ""), body)
        self.reply_json({"err_no": 404, "err_msg": "not found"}, 404)

    def _refresh(self, form: dict[str, str]) -> None:
        s = self.state
        with s.lock:
            s.token_calls += 1
            if form.get("grant_type") != "refresh_token" or s.refresh_tokens.get(form.get("client_key", "")) != form.get("refresh_token"):
                return self.reply_json({"data": {"error_code": 10010, "description": "refresh_token无效"}, "message": "error"})
            s.issued += 1
            token = f"act.{s.issued}"
            s.valid.add(token)
        self.reply_json({"data": {"access_token": token, "expires_in": 1296000, "refresh_token": form["refresh_token"],
                                  "open_id": "open-biz", "error_code": 0, "description": ""}, "message": "success"})

    def _send(self, open_id: str, token: str, body: bytes) -> None:
        s = self.state
        with s.lock:
            if token not in s.valid:
                return self.reply_json({"data": {"error_code": 2190008, "description": "access_token过期"}, "extra": {"error_code": 2190008}})
            if s.script:
                code = s.script.popleft()
                return self.reply_json({"err_no": code, "err_msg": "scripted", "data": {}}, 429 if code == 429 else 200)
            s.sent.append(Recorded(open_id, token, json.loads(body)))
            n = len(s.sent)
        self.reply_json({"err_no": 0, "err_msg": "", "data": {"msg_id": f"dy-msg-{n}"}})


class FakeDouyinApi(FakeServer[_State]):
    """`with FakeDouyinApi({"client_key": "refresh-token"}) as api:`; point `douyin_api` at `api.url`."""

    handler = _Handler

    def __init__(self, refresh_tokens: dict[str, str]) -> None:
        super().__init__(_State(refresh_tokens=dict(refresh_tokens)))

    def revoke_tokens(self) -> None:
        """Invalidate every issued access token (the next send sees 2190008)."""
        with self.state.lock:
            self.state.valid.clear()

    def answer_next(self, code: int, times: int = 1) -> None:
        """Answer the next `times` authorised sends with this error code (429 also as HTTP 429)."""
        with self.state.lock:
            self.state.script.extend([code] * times)

    @property
    def sent(self) -> list[Recorded]:
        return list(self.state.sent)

    @property
    def token_calls(self) -> int:
        return self.state.token_calls
