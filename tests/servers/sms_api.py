"""A fake SMS API on 127.0.0.1 speaking Aliyun SendSms, Tencent SendSms and Twilio Messages.

It checks each provider's authentication with its own, independent implementation of the signature
(Aliyun RPC HMAC-SHA1 over the form, Tencent TC3-HMAC-SHA256, Twilio basic auth), records what it
accepted, and answers scripted provider codes. Also `InMemoryCounters`, the counter port for tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, quote


class InMemoryCounters:
    """`incr(key, ttl_s) -> int` and `get(key) -> int`, like DynamoCounters (TTL recorded, not enforced)."""

    def __init__(self) -> None:
        self.values: dict[str, int] = defaultdict(int)
        self.ttls: dict[str, int] = {}
        self._lock = threading.Lock()

    def incr(self, key: str, ttl_s: int) -> int:
        with self._lock:
            self.values[key] += 1
            self.ttls[key] = ttl_s
            return self.values[key]

    def get(self, key: str) -> int:
        return self.values.get(key, 0)


@dataclass
class Sent:
    """One accepted SMS."""

    provider: str
    phone: str
    template: str | None
    params: Any
    body: str | None
    raw: dict[str, Any]


@dataclass
class _State:
    secrets: dict[str, str]  # access key id / secret id / account sid -> secret
    sent: list[Sent] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    script: dict[str, deque[tuple[int, str]]] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)


def _aliyun_ok(form: dict[str, str], secrets: dict[str, str]) -> bool:
    enc = lambda s: quote(s, safe="~")
    pairs = sorted((k, v) for k, v in form.items() if k != "Signature")
    canon = "&".join(enc(k) + "=" + enc(v) for k, v in pairs)
    secret = secrets.get(form.get("AccessKeyId", ""), "")
    digest = hmac.new((secret + "&").encode(), ("POST&%2F&" + enc(canon)).encode(), hashlib.sha1).digest()
    return bool(secret) and hmac.compare_digest(base64.b64encode(digest).decode(), form.get("Signature", ""))


def _tencent_ok(headers: dict[str, str], body: bytes, secrets: dict[str, str]) -> bool:
    auth = headers.get("authorization", "")
    try:
        cred = auth.split("Credential=")[1].split(",")[0]
        secret_id, date, service, _ = cred.split("/")
        presented = auth.split("Signature=")[1]
    except (IndexError, ValueError):
        return False
    ts = headers.get("x-tc-timestamp", "0")
    if datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d") != date or secret_id not in secrets:
        return False
    creq = (f"POST\n/\n\ncontent-type:{headers.get('content-type')}\nhost:{headers.get('host')}\n\n"
            f"content-type;host\n{hashlib.sha256(body).hexdigest()}")
    sts = f"TC3-HMAC-SHA256\n{ts}\n{date}/{service}/tc3_request\n{hashlib.sha256(creq.encode()).hexdigest()}"
    k = ("TC3" + secrets[secret_id]).encode()
    for part in (date, service, "tc3_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(k, sts.encode(), hashlib.sha256).hexdigest(), presented)


class _Handler(BaseHTTPRequestHandler):
    state: _State

    def log_message(self, *args: Any) -> None:
        return

    def _reply(self, status: int, doc: dict[str, Any]) -> None:
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _scripted(self, provider: str) -> tuple[int, str] | None:
        with self.state.lock:
            q = self.state.script[provider]
            return q.popleft() if q else None

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if self.path.startswith("/2010-04-01/Accounts/"):
            self._twilio(headers, body)
        elif "x-tc-action" in headers:
            self._tencent(headers, body)
        else:
            self._aliyun(body)

    def _aliyun(self, body: bytes) -> None:
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        if not _aliyun_ok(form, self.state.secrets):
            self.state.rejected.append("aliyun")
            return self._reply(400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"})
        scripted = self._scripted("aliyun")
        if scripted:
            return self._reply(scripted[0], {"Code": scripted[1], "Message": "scripted"})
        self.state.sent.append(Sent("aliyun", form["PhoneNumbers"], form["TemplateCode"], json.loads(form["TemplateParam"]), None, form))
        self._reply(200, {"Code": "OK", "BizId": f"biz-{len(self.state.sent)}", "RequestId": "req"})

    def _tencent(self, headers: dict[str, str], body: bytes) -> None:
        if not _tencent_ok(headers, body, self.state.secrets):
            self.state.rejected.append("tencent")
            return self._reply(200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}, "RequestId": "r"}})
        doc = json.loads(body)
        scripted = self._scripted("tencent")
        if scripted:
            return self._reply(scripted[0], {"Response": {"SendStatusSet": [{"Code": scripted[1]}], "RequestId": "r"}})
        self.state.sent.append(Sent("tencent", doc["PhoneNumberSet"][0], doc["TemplateId"], doc["TemplateParamSet"], None, doc))
        self._reply(200, {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": f"sn-{len(self.state.sent)}"}], "RequestId": "r"}})

    def _twilio(self, headers: dict[str, str], body: bytes) -> None:
        sid = self.path.split("/")[3]
        expected = "Basic " + base64.b64encode(f"{sid}:{self.state.secrets.get(sid, '')}".encode()).decode()
        if sid not in self.state.secrets or not hmac.compare_digest(headers.get("authorization", ""), expected):
            self.state.rejected.append("twilio")
            return self._reply(401, {"code": 20003, "message": "Authenticate"})
        scripted = self._scripted("twilio")
        if scripted:
            return self._reply(scripted[0], {"code": int(scripted[1]), "message": "scripted"})
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        self.state.sent.append(Sent("twilio", form["To"], None, None, form["Body"], form))
        self._reply(201, {"sid": f"SM{len(self.state.sent)}", "status": "queued"})


class FakeSmsApi:
    """`with FakeSmsApi({"LTAI…": "secret", "AKID…": "key", "AC…": "auth"}) as api:`; every provider base URL = api.url."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.state = _State(secrets=dict(secrets))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Handler,), {"state": self.state}))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer_next(self, provider: str, code: str, *, status: int = 200, times: int = 1) -> None:
        """Answer the next `times` authenticated sends of `provider` with this provider code and HTTP status."""
        with self.state.lock:
            self.state.script[provider].extend([(status, code)] * times)

    @property
    def sent(self) -> list[Sent]:
        return list(self.state.sent)
