"""A fake WeChat / WeCom API on 127.0.0.1: issues tokens, checks them, records messages, answers scripted errcodes.

微信客服: `kf_pages(open_kfid, pages)` queues msg_list pages that `kf/sync_msg` serves by cursor
("" → page 0, "c<n>" → page n, has_more while pages remain); `kf/send_msg` records replies.

Also `InMemoryTokenStore`, a TokenStore with the same conditional-put semantics as `DynamoTokenStore`.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.servers.base import FakeServer, JsonHandler

TOKEN_PATHS = ("/cgi-bin/stable_token", "/cgi-bin/gettoken")
KF_SEND, KF_SYNC = "/cgi-bin/kf/send_msg", "/cgi-bin/kf/sync_msg"
MESSAGE_PATHS = ("/cgi-bin/message/custom/send", "/cgi-bin/message/template/send", "/cgi-bin/message/send", KF_SEND)


@dataclass
class Recorded:
    """One request the server answered."""

    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    answer: dict[str, Any]


@dataclass
class _State:
    apps: dict[str, str]  # appid / corpid -> secret
    current: dict[str, str] = field(default_factory=dict)  # appid -> valid token
    valid: set[str] = field(default_factory=set)
    issued: int = 0
    script: dict[str, deque[int]] = field(default_factory=lambda: defaultdict(deque))
    log: list[Recorded] = field(default_factory=list)
    kf: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)  # open_kfid -> msg_list pages
    kf_tokens: set[str] = field(default_factory=set)  # callback Tokens sync_msg still accepts
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(JsonHandler):
    state: _State

    def do_GET(self) -> None:
        self._handle({})

    def do_POST(self) -> None:
        raw = self.read_body()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {"_unparsed": raw.decode(errors="replace")}
        self._handle(body)

    def _handle(self, body: dict[str, Any]) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.state.lock:
            answer = self._answer(url.path, query, body)
            self.state.log.append(Recorded(self.command, url.path, query, body, answer))
        self.reply_json(answer)

    def _answer(self, path: str, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        s = self.state
        if path == "/cgi-bin/stable_token":
            return self._token(body.get("appid", ""), body.get("secret", ""), bool(body.get("force_refresh")))
        if path == "/cgi-bin/gettoken":
            return self._token(query.get("corpid", ""), query.get("corpsecret", ""), False)
        if path not in (*MESSAGE_PATHS, KF_SYNC):
            return {"errcode": 404, "errmsg": "no such api"}
        if query.get("access_token") not in s.valid:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if s.script[path]:
            code = s.script[path].popleft()
            return {"errcode": code, "errmsg": f"scripted {code}"}
        if path == KF_SYNC:
            return self._kf_sync(body)
        answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        if path != "/cgi-bin/message/custom/send":
            answer["msgid"] = 1000 + len(s.log)
        return answer

    def _kf_sync(self, body: dict[str, Any]) -> dict[str, Any]:
        s = self.state
        if body.get("token") and body["token"] not in s.kf_tokens:
            return {"errcode": 95007, "errmsg": "invalid msg token"}
        pages = s.kf.get(str(body.get("open_kfid")))
        if pages is None:
            return {"errcode": 95000, "errmsg": "invalid open_kfid"}
        cursor = str(body.get("cursor") or "")
        n = int(cursor[1:]) if cursor.startswith("c") else 0
        msg_list = pages[n] if n < len(pages) else []
        return {"errcode": 0, "errmsg": "ok", "next_cursor": f"c{min(n + 1, len(pages))}",
                "has_more": 1 if n + 1 < len(pages) else 0, "msg_list": msg_list}

    def _token(self, app: str, secret: str, force: bool) -> dict[str, Any]:
        s = self.state
        if s.apps.get(app) != secret or not secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if force or app not in s.current:
            s.issued += 1
            if force and app in s.current:
                s.valid.discard(s.current[app])
            s.current[app] = f"tok-{app}-{s.issued}"
            s.valid.add(s.current[app])
        return {"access_token": s.current[app], "expires_in": 7200}


class FakeWechatApi(FakeServer[_State]):
    """Start with `with FakeWechatApi({"wx…": "secret"}) as api:`; point settings at `api.url`."""

    handler = _Handler

    def __init__(self, apps: dict[str, str]) -> None:
        super().__init__(_State(apps=dict(apps)))

    def answer_next(self, path: str, errcode: int, times: int = 1) -> None:
        """Answer the next `times` calls to `path` with `errcode` (after the token check)."""
        with self.state.lock:
            self.state.script[path].extend([errcode] * times)

    def kf_pages(self, open_kfid: str, pages: list[list[dict[str, Any]]], *, token: str = "") -> None:
        """Serve these msg_list pages from `kf/sync_msg` for `open_kfid`; `token` is a valid callback Token."""
        with self.state.lock:
            self.state.kf[open_kfid] = [list(p) for p in pages]
            if token:
                self.state.kf_tokens.add(token)

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (as if another system had force-refreshed)."""
        with self.state.lock:
            self.state.valid.clear()
            self.state.current.clear()

    @property
    def token_calls(self) -> int:
        return sum(1 for r in self.state.log if r.path in TOKEN_PATHS)

    def delivered(self, path: str | None = None) -> list[Recorded]:
        """Messages accepted (errcode 0), optionally on one path."""
        return [r for r in self.state.log if r.path in MESSAGE_PATHS and r.answer.get("errcode") == 0
                and (path is None or r.path == path)]

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.state.log if r.path == path]


class InMemoryTokenStore:
    """TokenStore port in memory, with DynamoTokenStore's conditional-put semantics."""

    def __init__(self) -> None:
        self._docs: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.puts = 0

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            doc = self._docs.get(key)
            return dict(doc) if doc else None

    def put(self, key: str, value: dict[str, Any], *, expected: str | None = None) -> bool:
        """`expected=None`: always; `""`: only if none yet; a token: only if the stored one is still it."""
        with self._lock:
            stored = self._docs.get(key)
            if expected == "" and stored is not None:
                return False
            if expected and stored is not None and stored.get("access_token") != expected:
                return False
            self._docs[key] = dict(value)
            self.puts += 1
            return True
