"""Tencent Cloud SMS reply callback (短信回复): one JSON object, unsigned; no message id, so we hash one."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from ...accounts import SmsAccount
from ..base import Ack, IngressResult, RawRequest
from ..errors import PayloadInvalid
from .guard import check_token
from .mo import mo_task, normalise_phone

ACK = Ack(body='{"result":0,"errmsg":"OK"}')


def reply_id(nationcode: str, mobile: str, time: str, text: str) -> str:
    """The dedupe id of a reply: sha256(nationcode|mobile|time|text) (protocols.md §0)."""
    return hashlib.sha256(f"{nationcode}|{mobile}|{time}|{text}".encode()).hexdigest()


class TencentSmsInbound:
    """`POST /sms/tencent/{account}?token=…`: one MessageReceived per reply."""

    section = "sms"

    def receive(self, request: RawRequest, account: SmsAccount, now: datetime, *, tolerance_s: int) -> IngressResult:
        """Check the path token, then normalise the reply (an array of replies is accepted too).

        Raises:
            SignatureInvalid: bad path token or source IP.
            PayloadInvalid: not JSON, or a reply without mobile.
        """
        check_token(request, account)
        try:
            doc = json.loads(request.body, parse_int=str)
        except ValueError as exc:
            raise PayloadInvalid("body is not JSON") from exc
        items = doc if isinstance(doc, list) else [doc]
        return IngressResult(ack=ACK, tasks=tuple(_task(item, account, now) for item in items))


def _task(item: Any, account: SmsAccount, now: datetime) -> Any:
    if not isinstance(item, dict) or not item.get("mobile"):
        raise PayloadInvalid("reply without mobile")
    nationcode, mobile = str(item.get("nationcode") or "86"), str(item["mobile"])
    text, sent = str(item.get("text") or ""), str(item.get("time") or "")
    return mo_task(
        provider="tencent", message_id=reply_id(nationcode, mobile, sent, text),
        phone=normalise_phone(mobile, nationcode), text=text, received_at=_sent(sent, now),
        account=account.account, shop=account.shop,
        meta={"extend": str(item.get("extend") or ""), "sign_name": str(item.get("sign") or "")},
    )


def _sent(value: str, now: datetime) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        return now
