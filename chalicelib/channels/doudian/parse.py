"""抖店 push body → messages: a JSON array (or a single object) of `{tag, msg_id, data}`.

`data` is itself a JSON string. Every integer is kept as its decimal string (`parse_int=str`):
ids are int64 and exceed 2**53, so nothing downstream ever rounds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import PayloadInvalid


@dataclass(frozen=True)
class PushMessage:
    """One message of a push; `data` values keep int64 ids as strings."""

    tag: int
    msg_id: str
    data: dict[str, Any]


def _loads(text: str | bytes) -> Any:
    return json.loads(text, parse_int=str)


def parse(body: bytes) -> list[PushMessage]:
    """Decode a push into its messages.

    Raises:
        PayloadInvalid: not JSON, not an array/object of messages, a bad tag, or a missing msg_id.
    """
    try:
        doc = _loads(body)
    except ValueError as exc:
        raise PayloadInvalid("body is not JSON") from exc
    items = [doc] if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise PayloadInvalid("push must be a non-empty array of messages")
    return [_message(item) for item in items]


def _message(item: Any) -> PushMessage:
    if not isinstance(item, dict):
        raise PayloadInvalid("push message is not an object")
    try:
        tag = int(str(item.get("tag")))
    except ValueError as exc:
        raise PayloadInvalid("push message has no numeric tag") from exc
    msg_id = str(item.get("msg_id") or "")
    if tag == 0:  # the setup check: acknowledge whatever it carries
        return PushMessage(tag=0, msg_id=msg_id, data={})
    if not msg_id:
        raise PayloadInvalid("push message has no msg_id")
    raw = item.get("data")
    try:
        data = _loads(raw) if isinstance(raw, (str, bytes)) and raw else (raw or {})
    except ValueError as exc:
        raise PayloadInvalid(f"message {msg_id}: data is not JSON") from exc
    if not isinstance(data, dict):
        raise PayloadInvalid(f"message {msg_id}: data is not an object")
    return PushMessage(tag=tag, msg_id=msg_id, data=data)
