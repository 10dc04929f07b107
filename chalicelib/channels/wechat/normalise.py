"""`WechatXml` → domain tasks: the one place WeChat field names meet domain names."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from ...domain import Attachment, ChannelId, CustomerRef, InboundMessage
from ...domain.tasks import MessageReceived, PlatformEvent
from ..base import TaskT
from ..errors import PayloadInvalid
from .parse import WechatXml

_log = logging.getLogger(__name__)
_DATA = Path(__file__).parent / "data"

Body = tuple[str, tuple[Attachment, ...]]  # text, attachments


@cache
def events() -> dict[str, dict[str, Any]]:
    """The event table (`data/events.toml`): Event → {task, keep}."""
    return tomllib.loads((_DATA / "events.toml").read_text(encoding="utf-8"))


def dedupe_id(msg: WechatXml) -> str:
    """`MsgId` for messages; FromUserName + CreateTime + Event for events (WeChat's own rule)."""
    if msg.msg_type == "event":
        return f"{msg.from_user}#{msg.create_time}#{msg.event}"
    return msg.msg_id


def _text(m: WechatXml) -> Body:
    return m.get("Content"), ()


def _image(m: WechatXml) -> Body:
    return "", (Attachment(kind="image", url=m.get("PicUrl") or None, media_id=m.get("MediaId") or None),)


def _voice(m: WechatXml) -> Body:
    meta = {"format": m.get("Format")} | ({"recognition": m.get("Recognition")} if m.get("Recognition") else {})
    return m.get("Recognition"), (Attachment(kind="voice", media_id=m.get("MediaId") or None, meta=meta),)


def _video(m: WechatXml) -> Body:
    meta = {"thumb_media_id": m.get("ThumbMediaId"), "msg_type": m.msg_type}
    return "", (Attachment(kind="video", media_id=m.get("MediaId") or None, meta=meta),)


def _location(m: WechatXml) -> Body:
    meta = {"lat": m.get("Location_X"), "lng": m.get("Location_Y"), "scale": m.get("Scale"), "label": m.get("Label")}
    return m.get("Label"), (Attachment(kind="location", meta=meta),)


def _link(m: WechatXml) -> Body:
    meta = {"title": m.get("Title"), "description": m.get("Description")}
    text = "\n".join(t for t in (m.get("Title"), m.get("Description")) if t)
    return text, (Attachment(kind="link", url=m.get("Url") or None, meta=meta),)


MESSAGES: dict[str, Callable[[WechatXml], Body]] = {
    "text": _text,
    "image": _image,
    "voice": _voice,
    "video": _video,
    "shortvideo": _video,
    "location": _location,
    "link": _link,
}


def normalise(msg: WechatXml, *, channel: ChannelId, account: str, shop: str) -> TaskT | None:
    """One push → one task, or None for what carries no customer request (logged on purpose).

    Raises:
        PayloadInvalid: a message push without MsgId (it could not be deduplicated).
    """
    customer = CustomerRef(channel=channel.value, account=account, user=msg.from_user)
    if msg.msg_type == "event":
        return _event(msg, channel=channel, account=account, shop=shop, customer=customer)
    body = MESSAGES.get(msg.msg_type)
    if body is None:
        _log.info("wechat: unsupported message type %r on %s acknowledged, not queued", msg.msg_type, account)
        return None
    if not msg.msg_id:
        raise PayloadInvalid("message without MsgId")
    text, attachments = body(msg)
    message = InboundMessage(
        channel=channel, account=account, shop=shop, message_id=msg.msg_id, customer=customer,
        kind="video" if msg.msg_type == "shortvideo" else msg.msg_type, text=text, attachments=attachments,
        received_at=datetime.fromtimestamp(msg.create_time, UTC), meta=_meta(msg),
    )
    return MessageReceived(dedupe_id=msg.msg_id, channel=channel.value, account=account, shop=shop, message=message)


def _meta(msg: WechatXml) -> dict[str, Any]:
    meta = {"to_user": msg.to_user, "msg_type": msg.msg_type}
    if msg.get("AgentID"):
        meta["agent_id"] = msg.get("AgentID")
    return meta


def _event(msg: WechatXml, *, channel: ChannelId, account: str, shop: str, customer: CustomerRef) -> TaskT | None:
    rule = events().get(msg.event)
    if rule is None:
        _log.info("wechat: unknown event %r on %s acknowledged, not queued", msg.event, account)
        return None
    if not rule["task"]:
        _log.info("wechat: event %r on %s carries no request; acknowledged, not queued", msg.event, account)
        return None
    data = {"event": msg.event, "at": msg.create_time, **_meta(msg)}
    data |= {k: msg.get(k) for k in rule["keep"] if msg.get(k)}
    return PlatformEvent(
        dedupe_id=dedupe_id(msg), channel=channel.value, account=account, shop=shop,
        kind=f"{channel.value}.{rule['task']}", customer=customer, data=data,
    )
