"""Aliyun SMS MO (SmsUp) HTTP batch push: a JSON array, unsigned; guarded by path token and IP allowlist."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from ...accounts import SmsAccount
from ..base import Ack, IngressResult, RawRequest
from ..errors import PayloadInvalid
from .guard import check_token
from .mo import mo_task, normalise_phone

ACK = Ack(body='{"code":0,"msg":"接收成功"}')
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


class AliyunSmsInbound:
    """`POST /sms/aliyun/{account}?token=…`: one MessageReceived per MO item, deduped on `sequence_id`."""

    section = "sms"

    def receive(self, request: RawRequest, account: SmsAccount, now: datetime, *, tolerance_s: int) -> IngressResult:
        """Check the path token, then normalise every item of the batch.

        Raises:
            SignatureInvalid: bad path token or source IP.
            PayloadInvalid: not a JSON array of MO items with phone_number and sequence_id.
        """
        check_token(request, account)
        try:
            doc = json.loads(request.body, parse_int=str)
        except ValueError as exc:
            raise PayloadInvalid("body is not JSON") from exc
        items = [doc] if isinstance(doc, dict) else doc
        if not isinstance(items, list) or not items:
            raise PayloadInvalid("SmsUp push must be a non-empty array")
        tasks = tuple(_task(item, account, now) for item in items)
        return IngressResult(ack=ACK, tasks=tasks)


def _task(item: Any, account: SmsAccount, now: datetime) -> Any:
    if not isinstance(item, dict) or not item.get("phone_number") or item.get("sequence_id") in (None, ""):
        raise PayloadInvalid("SmsUp item without phone_number or sequence_id")
    return mo_task(
        provider="aliyun", message_id=str(item["sequence_id"]), phone=normalise_phone(str(item["phone_number"])),
        text=str(item.get("content") or ""), received_at=_sent(item.get("send_time"), now),
        account=account.account, shop=account.shop,
        meta={"dest_code": str(item.get("dest_code") or ""), "sign_name": str(item.get("sign_name") or "")},
    )


def _sent(value: Any, now: datetime) -> datetime:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        return now
