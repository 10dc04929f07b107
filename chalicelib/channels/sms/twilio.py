"""Twilio inbound SMS: form post signed with X-Twilio-Signature over the configured public URL."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ...accounts import SmsAccount
from .._common.signing import require_any
from ..base import Ack, IngressResult, RawRequest
from ..errors import PayloadInvalid, SignatureInvalid
from .guard import check_source
from .mo import mo_task, normalise_phone

ACK = Ack(body='<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")
_DEFAULT_PORTS = {"https": 443, "http": 80}


def compute_signature(auth_token: str, url: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """base64(HMAC-SHA1(auth_token, url + each sorted name + each of its sorted, distinct values))."""
    s = url
    for name in sorted(params):
        values = params[name]
        for value in sorted(set([values] if isinstance(values, str) else values)):
            s += name + value
    return base64.b64encode(hmac.new(auth_token.encode(), s.encode(), hashlib.sha1).digest()).decode()


def _url_variants(url: str) -> list[str]:
    """The URL as configured, with its default port added, and with any port removed (as twilio-python)."""
    parts = urlsplit(url)
    with_port = parts.netloc if parts.port else f"{parts.netloc}:{_DEFAULT_PORTS.get(parts.scheme, 443)}"
    without = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
    return list(dict.fromkeys([url, urlunsplit(parts._replace(netloc=with_port)), urlunsplit(parts._replace(netloc=without))]))


def verify(url: str, params: Mapping[str, Sequence[str]], signature: str, auth_token: str) -> None:
    """Check X-Twilio-Signature for a form post to `url`, in constant time.

    Raises:
        SignatureInvalid: missing signature, no public URL, or no URL variant matches.
    """
    if not signature or not urlsplit(url).hostname:
        raise SignatureInvalid("missing signature or public_url")
    require_any([compute_signature(auth_token, u, params) for u in _url_variants(url)], [signature])


class TwilioSmsInbound:
    """`POST /sms/twilio/{account}`: one MessageReceived per message, deduped on MessageSid; TwiML ACK."""

    section = "sms"

    def receive(self, request: RawRequest, account: SmsAccount, now: datetime, *, tolerance_s: int) -> IngressResult:
        """Verify the signature over `public_url` and every posted parameter, then normalise.

        Raises:
            SignatureInvalid: bad signature, or the account lacks auth_token/public_url, or IP not allowed.
            PayloadInvalid: not a form, or MessageSid/From missing.
        """
        if not account.auth_token or not account.public_url:
            raise SignatureInvalid(f"sms account {account.account} has no auth_token/public_url")
        try:
            params = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as exc:
            raise PayloadInvalid("body is not a UTF-8 form") from exc
        verify(account.public_url, params, request.headers.get("x-twilio-signature", ""), account.auth_token)
        check_source(request, account.allow_ips)
        sid, sender = _one(params, "MessageSid"), _one(params, "From")
        if not sid or not sender:
            raise PayloadInvalid("MessageSid and From are required")
        count = _one(params, "NumMedia")
        media = [_one(params, f"MediaUrl{i}") for i in range(min(int(count), 10) if count.isdigit() else 0)]
        task = mo_task(
            provider="twilio", message_id=sid, phone=normalise_phone(sender), text=_one(params, "Body"),
            received_at=now, account=account.account, shop=account.shop,
            meta={"to": _one(params, "To"), "media_urls": [m for m in media if m]},
        )
        return IngressResult(ack=ACK, tasks=(task,))


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[0]
