"""Kuaidi100 subscription push: one full tracking snapshot in → one ShipmentUpdated task.

`raw_state` on the emitted Shipment is Kuaidi100's code; `states.proactive_issue(raw_state)` says
whether it warrants a proactive case and with which issue (see `data/states.toml`).
"""

from __future__ import annotations

from datetime import datetime

from ...accounts import Kuaidi100Account
from ...domain import ChannelId
from ...domain.tasks import ShipmentUpdated
from ..base import Ack, IngressResult, RawRequest
from .parse import parse
from .states import lookup, proactive_issue
from .verify import form, sign, verify

ACK = Ack(body='{"result":true,"returnCode":"200","message":"成功"}')


class Kuaidi100Inbound:
    """verify → parse for `POST /logistics/kuaidi100/{account}`."""

    section = "kuaidi100"

    def receive(
        self, request: RawRequest, account: Kuaidi100Account, now: datetime, *, tolerance_s: int
    ) -> IngressResult:
        """Verify `sign`, then emit the snapshot as one ShipmentUpdated.

        Raises:
            SignatureInvalid: missing or wrong sign.
            PayloadInvalid: not a form, or `param` is not a push snapshot.
        """
        param, presented = form(request.body)
        verify(param, presented, account.salt)
        shipment, dedupe_id = parse(param, shop=account.shop, now=now)
        task = ShipmentUpdated(
            dedupe_id=dedupe_id, channel=ChannelId.KUAIDI100.value, account=account.account, shop=account.shop,
            shipment=shipment,
        )
        return IngressResult(ack=ACK, tasks=(task,))


__all__ = ["ACK", "Kuaidi100Inbound", "lookup", "proactive_issue", "sign", "verify"]
