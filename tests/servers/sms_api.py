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
from typing import Any
from urllib.parse import parse_qsl, quote

from tests.servers.base import FakeServer, JsonHandler


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


class _Handler(JsonHandler):
    state: _State

    def _scripted(self, provider: str) -> tuple[int, str] | None:
        with self.state.lock:
            q = self.state.script[provider]
            return q.popleft() if q else None

    def do_POST(self) -> None:
        body = self.read_body()
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
            return self.reply_json({"Code": "SignatureDoesNotMatch", "Message": "bad signature"}, 400)
        scripted = self._scripted("aliyun")
        if scripted:
            return self.reply_json({"Code": scripted[1], "Message": "scripted"}, scripted[0])
        self.state.sent.append(Sent("aliyun", form["PhoneNumbers"], form["TemplateCode"], json.loads(form["TemplateParam"]), None, form))
        self.reply_json({"Code": "OK", "BizId": f"biz-{len(self.state.sent)}", "RequestId": "req"}, 200)

    def _tencent(self, headers: dict[str, str], body: bytes) -> None:
        if not _tencent_ok(headers, body, self.state.secrets):
            self.state.rejected.append("tencent")
            return self.reply_json({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}, "RequestId": "r"}}, 200)
        doc = json.loads(body)
        scripted = self._scripted("tencent")
        if scripted:
            return self.reply_json({"Response": {"SendStatusSet": [{"Code": scripted[1]}], "RequestId": "r"}}, scripted[0])
        self.state.sent.append(Sent("tencent", doc["PhoneNumberSet"][0], doc["TemplateId"], doc["TemplateParamSet"], None, doc))
        self.reply_json({"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": f"sn-{len(self.state.sent)}"}], "RequestId": "r"}}, 200)

    def _twilio(self, headers: dict[str, str], body: bytes) -> None:
        sid = self.path.split("/")[3]
        expected = "Basic " + base64.b64encode(f"{sid}:{self.state.secrets.get(sid, '')}".encode()).decode()
        if sid not in self.state.secrets or not hmac.compare_digest(headers.get("authorization", ""), expected):
            self.state.rejected.append("twilio")
            return self.reply_json({"code": 20003, "message": "Authenticate"}, 401)
        scripted = self._scripted("twilio")
        if scripted:
            return self.reply_json({"code": int(scripted[1]), "message": "scripted"}, scripted[0])
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        self.state.sent.append(Sent("twilio", form["To"], None, None, form["Body"], form))
        self.reply_json({"sid": f"SM{len(self.state.sent)}", "status": "queued"}, 201)


class FakeSmsApi(FakeServer[_State]):
    """`with FakeSmsApi({"LTAI…": "secret", "AKID…": "key", "AC…": "auth"}) as api:`; every provider base URL = api.url."""

    handler = _Handler

    def __init__(self, secrets: dict[str, str]) -> None:
        super().__init__(_State(secrets=dict(secrets)))

    def answer_next(self, provider: str, code: str, *, status: int = 200, times: int = 1) -> None:
        """Answer the next `times` authenticated sends of `provider` with this provider code and HTTP status."""
        with self.state.lock:
            self.state.script[provider].extend([(status, code)] * times)

    @property
    def sent(self) -> list[Sent]:
        return list(self.state.sent)
