"""Douyin webhook envelopes → tasks: the verify_webhook handshake and IM messages.

`content` arrives as an object or as a JSON string; both are accepted. Only `im_receive_msg`
becomes a task; `im_send_msg` (our own sends echoed back, or agents typing in the Douyin app),
`im_enter_direct_msg`, `authorize` and other events are acknowledged and dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ...domain import Attachment, ChannelId, CustomerRef, InboundMessage
from ...domain.tasks import MessageReceived
from ..errors import PayloadInvalid

# message_type -> (kind, placeholder text shown on the timeline)
_KINDS: dict[str, tuple[str, str]] = {
    "image": ("image", "[图片]"),
    "user_local_image": ("image", "[图片]"),
    "video": ("video", "[视频]"),
    "user_local_video": ("video", "[视频]"),
    "emoji": ("emoji", "[表情]"),
    "retain_consult_card": ("card", "[留资卡片]"),
    "other": ("other", "[暂不支持的消息]"),
}
_MEDIA_URL_KEYS = ("resource_url", "image_url", "video_url", "url")


@dataclass(frozen=True)
class Envelope:
    """The common Douyin webhook envelope with `content` already decoded."""

    event: str
    from_user_id: str
    to_user_id: str
    client_key: str
    content: dict[str, Any]


def parse(body: bytes) -> Envelope:
    """Decode the envelope.

    Raises:
        PayloadInvalid: when the body or its `content` is not a JSON object, or `event` is missing.
    """
    try:
        doc = json.loads(body)
        content = doc.get("content") or {}
        if isinstance(content, str):
            content = json.loads(content)
    except (ValueError, AttributeError) as exc:
        raise PayloadInvalid("body is not a Douyin webhook JSON object") from exc
    if not isinstance(content, dict) or not isinstance(doc.get("event"), str):
        raise PayloadInvalid("missing event or content is not an object")
    return Envelope(
        event=doc["event"], from_user_id=str(doc.get("from_user_id") or ""), to_user_id=str(doc.get("to_user_id") or ""),
        client_key=str(doc.get("client_key") or ""), content=content,
    )


def challenge(env: Envelope) -> str:
    """The exact handshake answer `{"challenge":N}` (N echoed as received).

    Raises:
        PayloadInvalid: when the challenge is missing.
    """
    value = env.content.get("challenge")
    if value is None or isinstance(value, (dict, list, bool)):
        raise PayloadInvalid("verify_webhook without a challenge")
    return json.dumps({"challenge": value}, separators=(",", ":"))


def message_task(env: Envelope, *, msg_id: str, account: str, shop: str, now: datetime) -> MessageReceived:
    """One `im_receive_msg` → MessageReceived from the sending user (`from_user_id`).

    Raises:
        PayloadInvalid: when the sender or the message id is missing.
    """
    c = env.content
    server_id = str(c.get("server_message_id") or "")
    dedupe = msg_id or server_id
    if not env.from_user_id or not dedupe:
        raise PayloadInvalid("im_receive_msg without from_user_id or message id")
    mtype = str(c.get("message_type") or "text")
    kind, text, attachments = _body(mtype, c)
    message = InboundMessage(
        channel=ChannelId.DOUYIN, account=account, shop=shop, message_id=server_id or dedupe,
        customer=CustomerRef(channel=ChannelId.DOUYIN.value, account=account, user=env.from_user_id),
        kind=kind, text=text, attachments=attachments, received_at=_created(c.get("create_time"), now),
        meta={
            "conversation_id": str(c.get("conversation_short_id") or ""),
            "server_message_id": server_id,
            "conversation_type": c.get("conversation_type"),
            "message_type": mtype,
            "nick_name": _nick(c, env.from_user_id),
        },
    )
    return MessageReceived(dedupe_id=dedupe, channel=ChannelId.DOUYIN.value, account=account, shop=shop, message=message)


def _body(mtype: str, c: dict[str, Any]) -> tuple[str, str, tuple[Attachment, ...]]:
    if mtype == "text":
        return "text", str(c.get("text") or ""), ()
    kind, placeholder = _KINDS.get(mtype, ("other", f"[{mtype}]"))
    if kind in ("image", "video", "emoji"):
        url = next((str(c[k]) for k in _MEDIA_URL_KEYS if c.get(k)), None)
        return kind, placeholder, (Attachment(kind=kind, url=url, meta={"message_type": mtype}),)
    return kind, placeholder, ()


def _created(value: Any, now: datetime) -> datetime:
    try:
        ms = int(value)
    except (TypeError, ValueError):
        return now
    return datetime.fromtimestamp(ms / 1000 if ms > 10**11 else ms, UTC)


def _nick(c: dict[str, Any], open_id: str) -> str:
    for info in c.get("user_infos") or ():
        if isinstance(info, dict) and info.get("open_id") == open_id:
            return str(info.get("nick_name") or "")
    return ""
