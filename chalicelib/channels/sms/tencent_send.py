"""Tencent Cloud SMS SendSms (API 3.0, 2021-01-11) with the TC3-HMAC-SHA256 signature, without the SDK."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ...accounts import SmsAccount
from .._common.http import HttpClient
from ..errors import SendError, SendPermanent, SendRateLimited, SendRetryable

CONTENT_TYPE = "application/json; charset=utf-8"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def tc3_authorization(secret_id: str, secret_key: str, *, service: str, host: str, payload: bytes, timestamp: int) -> str:
    """The `Authorization` header for a JSON POST to `/` (content-type;host signed)."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join([
        "POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", "content-type;host",
        hashlib.sha256(payload).hexdigest(),
    ])
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={sig}"


class TencentSms:
    """Sends one templated SMS; sorts Tencent codes into SendError subclasses."""

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http, self._url = http, base_url.rstrip("/") + "/"

    def send(
        self, account: SmsAccount, *, phone: str, template: str, params: Sequence[str], out_id: str, now: datetime
    ) -> dict[str, Any]:
        """POST SendSms; returns `{"serial_no", "request_id"}`.

        Raises:
            SendRateLimited: a `LimitExceeded.*` frequency limit (daily limits are permanent).
            SendRetryable: HTTP 5xx, `InternalError.*`, `RequestLimitExceeded`.
            SendPermanent: anything else (number, template, signature, auth).
        """
        e164 = phone if phone.startswith("+") else f"+86{phone}"
        payload = json.dumps({
            "PhoneNumberSet": [e164], "SmsSdkAppId": account.sdk_app_id, "SignName": account.sign_name,
            "TemplateId": template, "TemplateParamSet": list(params), "SessionContext": out_id,
        }, ensure_ascii=False, separators=(",", ":")).encode()
        ts = int(now.timestamp())
        host = urlsplit(self._url).netloc
        auth = tc3_authorization(account.secret_id or "", account.secret_key or "", service="sms", host=host, payload=payload, timestamp=ts)
        headers = {
            "Authorization": auth, "Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(ts), "X-TC-Version": "2021-01-11", "X-TC-Region": account.region,
        }
        r = self._http.request("POST", self._url, body=payload, headers=headers)
        if r.status >= 500:
            raise SendRetryable(f"tencent sms HTTP {r.status}", provider_code=r.status)
        try:
            resp = r.json().get("Response") or {}
        except (ValueError, AttributeError) as exc:
            raise SendRetryable("tencent sms answered with non-JSON") from exc
        code = str((resp.get("Error") or {}).get("Code") or "")
        status = (resp.get("SendStatusSet") or [{}])[0]
        code = code or ("" if str(status.get("Code")) == "Ok" else str(status.get("Code") or "NoStatus"))
        if not code:
            return {"serial_no": status.get("SerialNo"), "request_id": resp.get("RequestId")}
        raise _error(code)


def _error(code: str) -> SendError:
    if code == "RequestLimitExceeded" or code.startswith("InternalError"):
        return SendRetryable(f"tencent sms: {code}", provider_code=code)
    if code.startswith("LimitExceeded") and "Daily" not in code:
        return SendRateLimited(f"tencent sms: {code}", retry_after=60, provider_code=code)
    return SendPermanent(f"tencent sms: {code}", provider_code=code)
