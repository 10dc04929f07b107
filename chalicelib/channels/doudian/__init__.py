"""抖店 (Doudian) message push: order tags 100–113 and after-sale tags 200–227 in; no buyer IM out."""

from __future__ import annotations

from datetime import datetime

from ...accounts import DoudianAccount
from ..base import Ack, IngressResult, RawRequest, TaskT
from .normalise import normalise
from .parse import PushMessage, parse
from .verify import sign, verify

ACK = Ack(body='{"code":0,"msg":"success"}')


class DoudianInbound:
    """verify → parse → normalise for `POST /doudian/{account}`; one push may carry several tasks."""

    section = "doudian"

    def receive(
        self, request: RawRequest, account: DoudianAccount, now: datetime, *, tolerance_s: int
    ) -> IngressResult:
        """Verify the push, then normalise each message (the tag-0 setup check yields no task).

        Raises:
            SignatureInvalid: wrong app-id or event-sign.
            PayloadInvalid: malformed body or a message missing its ids.
        """
        verify(request.body, request.headers, account.app_key, account.app_secret)
        tasks: list[TaskT] = []
        for msg in parse(request.body):
            task = normalise(msg, account=account.account, shop=account.shop)
            if task is not None:
                tasks.append(task)
        return IngressResult(ack=ACK, tasks=tuple(tasks))


__all__ = ["ACK", "DoudianInbound", "PushMessage", "sign", "verify"]
