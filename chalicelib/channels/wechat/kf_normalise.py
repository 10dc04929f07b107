"""`kf/sync_msg` items → `MessageReceived`: the one place 微信客服 field names meet domain names.

`origin` 3 is the customer (kept), 4 a system event such as enter_session (logged, dropped),
5 a servicer writing from WeCom's own client (logged, dropped: shouhou records its own replies only).
The customer is the external_userid on the account; the msgid is the dedupe id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from ...domain import Attachment, ChannelId, CustomerRef, InboundMessage
from ...domain.tasks import MessageReceived

_log = logging.getLogger(__name__)

CUSTOMER, SYSTEM, SERVICER = 3, 4, 5
Body = tuple[str, str, tuple[Attachment, ...]]  # kind, text, attachments


def _part(item: Mapping[str, Any], name: str) -> dict[str, Any]:
    part = item.get(name)
    return part if isinstance(part, dict) else {}


def _text(item: Mapping[str, Any]) -> Body:
    return "text", str(_part(item, "text").get("content", "")), ()


def _media(kind: str) -> Callable[[Mapping[str, Any]], Body]:
    def body(item: Mapping[str, Any]) -> Body:
        meta = {"format": "amr"} if kind == "voice" else {}  # we ask sync_msg for voice_format 0 (amr)
        return kind, "", (Attachment(kind=kind, media_id=_part(item, kind).get("media_id") or None, meta=meta),)

    return body


def _location(item: Mapping[str, Any]) -> Body:
    p = _part(item, "location")
    meta = {"lat": p.get("latitude"), "lng": p.get("longitude"), "label": p.get("name"), "address": p.get("address")}
    text = " ".join(str(v) for v in (p.get("name"), p.get("address")) if v)
    return "location", text, (Attachment(kind="location", meta=meta),)


def _link(item: Mapping[str, Any]) -> Body:
    p = _part(item, "link")
    text = "\n".join(str(v) for v in (p.get("title"), p.get("desc")) if v)
    return "link", text, (Attachment(kind="link", url=p.get("url") or None, meta={"title": p.get("title")}),)


MESSAGES: dict[str, Callable[[Mapping[str, Any]], Body]] = {
    "text": _text,
    "image": _media("image"),
    "voice": _media("voice"),
    "video": _media("video"),
    "file": _media("file"),
    "location": _location,
    "link": _link,
}


def _card(item: Mapping[str, Any]) -> Body:
    """Other customer message types (business_card, miniprogram, channels_shop_order …) kept as a reference."""
    msgtype = str(item.get("msgtype", ""))
    scalars = {k: v for k, v in _part(item, msgtype).items() if isinstance(v, (str, int, float)) and len(str(v)) <= 200}
    return msgtype or "unknown", "", (Attachment(kind="card", meta={"msgtype": msgtype, **scalars}),)


def normalise(item: Mapping[str, Any], *, account: str, shop: str, now: datetime) -> MessageReceived | None:
    """One `msg_list` item → a task, or None for what is not a customer's message (logged on purpose).

    `now` stands in for a missing or unreadable send_time.
    """
    origin, msgid = item.get("origin"), str(item.get("msgid") or "")
    if origin != CUSTOMER:
        level = logging.DEBUG if origin == SYSTEM else logging.INFO
        _log.log(level, "wecom_kf: origin %s %s %s on %s not queued", origin, item.get("msgtype"), msgid, account)
        return None
    user = str(item.get("external_userid") or "")
    if not msgid or not user:
        _log.warning("wecom_kf: customer message without msgid or external_userid on %s dropped", account)
        return None
    kind, text, attachments = MESSAGES.get(str(item.get("msgtype")), _card)(item)
    channel = ChannelId.WECOM_KF
    message = InboundMessage(
        channel=channel, account=account, shop=shop, message_id=msgid,
        customer=CustomerRef(channel=channel.value, account=account, user=user), kind=kind, text=text,
        attachments=attachments, received_at=_sent_at(item, now), meta={"open_kfid": item.get("open_kfid"), "origin": 3},
    )
    return MessageReceived(dedupe_id=msgid, channel=channel.value, account=account, shop=shop, message=message)


def _sent_at(item: Mapping[str, Any], now: datetime) -> datetime:
    try:
        sent = int(item.get("send_time") or 0)
        return datetime.fromtimestamp(sent, UTC) if sent > 0 else now
    except (TypeError, ValueError, OverflowError, OSError):
        return now
