"""Twilio Messages API: free-text SMS with basic auth."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote, urlencode

from ...accounts import SmsAccount
from .._common.http import HttpClient
from ..errors import SendPermanent, SendRateLimited, SendRetryable

UNSUBSCRIBED = 21610  # the recipient replied STOP


class TwilioSms:
    """Sends one SMS through `/2010-04-01/Accounts/{sid}/Messages.json`."""

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http, self._base = http, base_url.rstrip("/")

    def send(self, account: SmsAccount, *, phone: str, body: str) -> dict[str, Any]:
        """POST one message; returns `{"sid", "status"}`.

        Raises:
            SendRateLimited: HTTP 429.
            SendRetryable: HTTP 5xx.
            SendPermanent: any other error (bad number, unsubscribed recipient, auth).
        """
        sid = account.account_sid or ""
        form = {"To": phone if phone.startswith("+") else f"+86{phone}", "Body": body}
        if account.messaging_service_sid:
            form["MessagingServiceSid"] = account.messaging_service_sid
        else:
            form["From"] = account.from_number or ""
        basic = base64.b64encode(f"{sid}:{account.auth_token or ''}".encode()).decode()
        r = self._http.request(
            "POST", f"{self._base}/2010-04-01/Accounts/{quote(sid)}/Messages.json", body=urlencode(form).encode(),
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        doc = r.json() if r.body.strip().startswith(b"{") else {}
        if r.status == 429:
            raise SendRateLimited("twilio throttled the send", retry_after=60, provider_code=doc.get("code", 429))
        if r.status >= 500:
            raise SendRetryable(f"twilio HTTP {r.status}", provider_code=r.status)
        if r.status >= 300:
            raise SendPermanent(f"twilio: {str(doc.get('message') or r.status)[:120]}", provider_code=doc.get("code", r.status))
        return {"sid": doc.get("sid"), "status": doc.get("status")}
