"""抖店 messages → tasks. The only place 抖店 field names meet domain names.

After-sale tags 200–227 become `PlatformEvent(kind="doudian.aftersale")` whose `data` keys are:

| key | type | meaning |
|---|---|---|
| `aftersale_id` | str | 售后单号 (int64 kept as a string) |
| `order_no` | str or None | parent order `p_id` |
| `sub_order_no` | str or None | sub order `s_id` |
| `tag` | int | the push tag (200 申请, 201 同意退款, … 227 同意补寄) |
| `request` | str or None | taxonomy request from `aftersale_type`: return_refund, refund_only, exchange, reship (also cancel, compensation, repair) |
| `aftersale_type` | str or None | the raw type code |
| `aftersale_status` | str or None | the raw status code |
| `refund_amount` | float or None | yuan (the push carries fen) |
| `status_text` | str | Chinese meaning of the tag |
| `arbitration` | bool | tags 212–217 (客服仲裁) |
| `phone` | str | only when the push carries one |
| `text` | str | a short Chinese line for the case timeline |
| `occurred_at` | str or None | ISO time of `update_time` (or `apply_time`) |
| `raw` | dict | the decoded `data`, ints as strings |

`customer` is `CustomerRef(channel="doudian", account=<account>, user=<buyer id, else p_id, else aftersale_id>)`.
Order tags 100–113 become `OrderUpserted` (shipments from `logistics_msg` when present).
Other tags (products, the tag-0 setup check) produce no task.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from ...domain import ChannelId, CustomerRef, Order, ShipmentRef
from ...domain.tasks import OrderUpserted, PlatformEvent
from ..base import TaskT
from ..errors import PayloadInvalid
from .parse import PushMessage

CHANNEL = ChannelId.DOUDIAN.value
_BUYER_KEYS = ("buyer_id", "open_id", "user_id")
_PHONE_KEYS = ("phone", "mobile", "post_tel", "receiver_tel")


@cache
def tables() -> dict[str, Any]:
    """The tag tables of `data/tags.toml` (keys as strings)."""
    return tomllib.loads(resources.files(__package__).joinpath("data/tags.toml").read_text("utf-8"))


def normalise(msg: PushMessage, *, account: str, shop: str) -> TaskT | None:
    """One push message → a task, or None for tags we do not act on.

    Raises:
        PayloadInvalid: an after-sale or order message without its id.
    """
    if 200 <= msg.tag <= 227:
        return _aftersale(msg, account=account, shop=shop)
    if 100 <= msg.tag <= 113:
        return _order(msg, account=account, shop=shop)
    return None


def _aftersale(msg: PushMessage, *, account: str, shop: str) -> PlatformEvent:
    d, t = msg.data, tables()
    aftersale_id = _str(d.get("aftersale_id"))
    if not aftersale_id:
        raise PayloadInvalid(f"message {msg.msg_id}: after-sale without aftersale_id")
    order_no = _str(d.get("p_id"))
    status_text = t["aftersale"].get(str(msg.tag), "售后状态变更")
    amount = _yuan(d.get("refund_amount"))
    data: dict[str, Any] = {
        "aftersale_id": aftersale_id, "order_no": order_no, "sub_order_no": _str(d.get("s_id")), "tag": msg.tag,
        "request": t["aftersale_type"].get(_str(d.get("aftersale_type")) or "", None),
        "aftersale_type": _str(d.get("aftersale_type")), "aftersale_status": _str(d.get("aftersale_status")),
        "refund_amount": amount, "status_text": status_text, "arbitration": msg.tag in t["arbitration"]["tags"],
        "text": _line(status_text, aftersale_id, order_no, amount),
        "occurred_at": _iso(d.get("update_time") or d.get("apply_time")), "raw": d,
    }
    phone = _first(d, _PHONE_KEYS)
    if phone:
        data["phone"] = phone
    user = _first(d, _BUYER_KEYS) or order_no or aftersale_id
    return PlatformEvent(
        dedupe_id=msg.msg_id, channel=CHANNEL, account=account, shop=shop, kind="doudian.aftersale",
        customer=CustomerRef(channel=CHANNEL, account=account, user=user), data=data,
    )


def _order(msg: PushMessage, *, account: str, shop: str) -> OrderUpserted:
    d = msg.data
    order_no = _str(d.get("p_id"))
    if not order_no:
        raise PayloadInvalid(f"message {msg.msg_id}: order message without p_id")
    receiver = d.get("receiver_msg") if isinstance(d.get("receiver_msg"), dict) else {}
    order = Order(
        shop=shop, order_no=order_no,
        customer=CustomerRef(channel=CHANNEL, account=account, user=_first(d, _BUYER_KEYS) or order_no),
        phone=_first(receiver, ("tel",)) or _first(d, _PHONE_KEYS), amount=_yuan(d.get("pay_amount")),
        shipments=_shipments(d), updated_at=_time(d.get("update_time") or d.get("create_time")),
        doudian_tag=msg.tag, status_text=tables()["order"].get(str(msg.tag), "订单状态变更"),
        order_status=_str(d.get("order_status")), sub_orders=[str(s) for s in d.get("s_ids") or []],
    )
    return OrderUpserted(dedupe_id=msg.msg_id, channel=CHANNEL, account=account, shop=shop, order=order)


def _shipments(d: dict[str, Any]) -> list[ShipmentRef]:
    logistics = d.get("logistics_msg")
    entries = logistics if isinstance(logistics, list) else [logistics] if isinstance(logistics, dict) else []
    return [
        ShipmentRef(carrier=_str(e.get("express_company_id")) or "unknown", tracking_no=str(e["logistics_code"]),
                    shipped_at=_time(e.get("logistics_time") or d.get("update_time")))
        for e in entries if isinstance(e, dict) and e.get("logistics_code")
    ]


def _str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _first(d: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((str(d[k]) for k in keys if d.get(k) not in (None, "", "0")), None)


def _yuan(fen: Any) -> float | None:
    try:
        return round(int(str(fen)) / 100, 2)
    except (TypeError, ValueError):
        return None


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (TypeError, ValueError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _iso(value: Any) -> str | None:
    ts = _time(value)
    return ts.isoformat() if ts else None


def _line(status_text: str, aftersale_id: str, order_no: str | None, amount: float | None) -> str:
    parts = [f"抖店售后：{status_text}", f"售后单 {aftersale_id}"]
    if order_no:
        parts.append(f"订单 {order_no}")
    if amount:
        parts.append(f"退款 ¥{amount:.2f}")
    return "，".join(parts)
