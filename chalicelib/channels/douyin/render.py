"""OutboundMessage → Douyin IM reply payload (`POST /im/send/msg/`).

The text content schema `{"msg_type": 1, "text": {"text": …}}` is [UNCERTAIN] in protocols.md §2.1;
confirm against the official "发送私信消息" page before going live.
"""

from __future__ import annotations

from typing import Any

from ...domain import OutboundMessage
from ..errors import RenderRejected

MAX_TEXT = 1000


def text_of(message: OutboundMessage) -> str:
    """The text a customer sees: the message, then the progress-page link when there is one."""
    return f"{message.text}\n查看进度：{message.board_url}" if message.board_url else message.text


def render(message: OutboundMessage, *, conversation_id: str, reply_to: str | None) -> dict[str, Any]:
    """The IM send body replying in one conversation.

    Raises:
        RenderRejected: empty text, or longer than MAX_TEXT characters.
    """
    text = text_of(message).strip()
    if not text or len(text) > MAX_TEXT:
        raise RenderRejected(f"douyin text must be 1..{MAX_TEXT} characters")
    payload: dict[str, Any] = {
        "conversation_id": conversation_id,
        "to_user_id": message.customer.user,
        "scene": "im_reply_msg",
        "content": {"msg_type": 1, "text": {"text": text}},
    }
    if reply_to:
        payload["msg_id"] = reply_to
    return payload
