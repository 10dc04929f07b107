"""Aliyun Dysmsapi SendSms (2017-05-25) with the RPC (HMAC-SHA1) signature, without the SDK."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ...accounts import SmsAccount
from .._common.http import HttpClient
from ..errors import SendPermanent, SendRateLimited, SendRetryable

# per-number flow control and API throttling: try again later
_THROTTLED = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling", "isv.DAY_LIMIT_CONTROL"})


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun's POP signature wants it (space → %20, * → %2A, ~ kept)."""
    return quote(value, safe="-_.~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """`METHOD&%2F&` + the encoded, sorted, encoded query."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(method: str, params: Mapping[str, str], secret: str) -> str:
    """base64(HMAC-SHA1(secret + "&", string_to_sign)); any `Signature` param is left out."""
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    mac = hmac.new(f"{secret}&".encode(), string_to_sign(method, unsigned).encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class AliyunSms:
    """Sends one templated SMS; sorts Aliyun codes into SendError subclasses."""

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http, self._url = http, base_url.rstrip("/") + "/"

    def send(
        self, account: SmsAccount, *, phone: str, template: str, params: Mapping[str, str], out_id: str, now: datetime
    ) -> dict[str, Any]:
        """POST SendSms; returns `{"biz_id", "request_id"}`.

        Raises:
            SendRateLimited: flow control or throttling.
            SendRetryable: HTTP 5xx or an `isp.*` (server side) code.
            SendPermanent: any other code (bad number, template, signature, balance).
        """
        form = {
            "AccessKeyId": account.access_key_id or "", "Action": "SendSms", "Format": "JSON",
            "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1", "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0", "Timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25", "PhoneNumbers": phone.lstrip("+"), "SignName": account.sign_name or "",
            "TemplateCode": template, "TemplateParam": json.dumps(dict(params), ensure_ascii=False, separators=(",", ":")),
            "OutId": out_id,
        }
        form["Signature"] = signature("POST", form, account.access_key_secret or "")
        body = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in form.items()).encode()
        r = self._http.request("POST", self._url, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        if r.status >= 500:
            raise SendRetryable(f"aliyun sms HTTP {r.status}", provider_code=r.status)
        try:
            doc = r.json()
        except ValueError as exc:
            raise SendRetryable("aliyun sms answered with non-JSON") from exc
        code = str(doc.get("Code") or "")
        if code == "OK":
            return {"biz_id": doc.get("BizId"), "request_id": doc.get("RequestId")}
        if code in _THROTTLED:
            raise SendRateLimited(f"aliyun sms: {code}", retry_after=60, provider_code=code)
        if code.startswith("isp.") or code == "ServiceUnavailable":
            raise SendRetryable(f"aliyun sms: {code}", provider_code=code)
        raise SendPermanent(f"aliyun sms: {code or r.status}: {str(doc.get('Message') or '')[:120]}", provider_code=code or r.status)
