"""A Kuaidi100 push `param` (a full snapshot, newest node first) → one normalised Shipment.

`status` is our ShipmentStatus; `raw_state` keeps Kuaidi100's code (`lastResult.state`, e.g. "0",
"209", "14"), or "abort" when the push says tracking stopped; each node keeps its `statusCode` as
`raw_code`. Times are Asia/Shanghai wall-clock times (UTC+8, no DST since 1991).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any

from ...domain import Shipment, ShipmentNode, ShipmentStatus
from ..errors import PayloadInvalid
from .states import lookup, push_state

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def parse(param: str, *, shop: str, now: datetime) -> tuple[Shipment, str]:
    """The shipment and its dedupe id: sha256 of (nu, com, newest node time, state).

    Raises:
        PayloadInvalid: `param` is not JSON, or `lastResult` lacks `nu`/`com`, or a node time is bad.
    """
    try:
        doc = json.loads(param)
        last = doc["lastResult"]
        nu, com = str(last["nu"]).strip(), str(last["com"]).strip()
    except (ValueError, KeyError, TypeError) as exc:
        raise PayloadInvalid("param is not a Kuaidi100 push with lastResult.nu and com") from exc
    if not nu or not com:
        raise PayloadInvalid("empty tracking number or company")
    nodes = [_node(n) for n in last.get("data") or [] if isinstance(n, dict)]
    state = str(last.get("state") or "")
    pushed = push_state(str(doc.get("status") or ""))
    current = pushed or lookup(state)
    delivered = max((n.time for n in nodes if n.status is ShipmentStatus.DELIVERED), default=None)
    if current.status is ShipmentStatus.DELIVERED and delivered is None:
        delivered = max((n.time for n in nodes), default=now)
    shipment = Shipment(
        carrier=str(doc.get("comNew") or com) if doc.get("autoCheck") == "1" else com,
        tracking_no=nu, status=current.status, raw_state=current.code, shop=shop, events=nodes,
        delivered_at=delivered if current.status is ShipmentStatus.DELIVERED else None, updated_at=now,
    )
    newest = (last.get("data") or [{}])[0]
    key = "|".join([nu, com, str(newest.get("time", "")) if isinstance(newest, dict) else "", current.code])
    return shipment, hashlib.sha256(key.encode()).hexdigest()


def _node(n: dict[str, Any]) -> ShipmentNode:
    raw = str(n.get("statusCode") or "") or None
    text_time = str(n.get("ftime") or n.get("time") or "")
    try:
        at = datetime.strptime(text_time, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except ValueError as exc:
        raise PayloadInvalid(f"bad node time {text_time[:32]!r}") from exc
    return ShipmentNode(
        time=at, place=str(n.get("areaName") or n.get("location") or ""), text=str(n.get("context") or ""),
        status=lookup(raw).status if raw else _by_name(str(n.get("status") or "")), raw_code=raw,
    )


_NAMES = {"在途": "0", "揽收": "1", "疑难": "2", "签收": "3", "退签": "4", "派件": "5", "退回": "6", "转投": "7",
          "清关": "8", "拒签": "14"}


def _by_name(name: str) -> ShipmentStatus | None:
    """A node without `statusCode` (resultv2 < 4) still names its state in Chinese."""
    return lookup(_NAMES[name]).status if name in _NAMES else None
