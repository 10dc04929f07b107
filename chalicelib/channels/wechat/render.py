"""OutboundMessage → WeChat / WeCom payloads: short Chinese texts with the case number, status and link."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from ...domain import OutboundMessage
from ..errors import RenderRejected

_DATA = Path(__file__).parent / "data"


@cache
def texts() -> dict[str, Any]:
    """The text table (`data/texts.toml`)."""
    return tomllib.loads((_DATA / "texts.toml").read_text(encoding="utf-8"))


def text(message: OutboundMessage) -> str:
    """The text of a customer-service or WeCom message.

    Raises:
        RenderRejected: over the byte limit of a WeChat text message.
    """
    t = texts()
    head = t["line"]["case_with_status" if message.status_label else "case"].format(
        case_id=message.case_id, status_label=message.status_label
    )
    lines = [t["prefix"].get(message.kind.value, "") + head, message.text.strip()]
    if message.board_url:
        lines.append(t["line"]["link"].format(board_url=message.board_url))
    out = "\n".join(line for line in lines if line)
    if len(out.encode()) > t["max_bytes"]:
        raise RenderRejected(f"wechat text is {len(out.encode())} bytes, over {t['max_bytes']}")
    return out


def custom(message: OutboundMessage) -> dict[str, Any]:
    """A `message/custom/send` text payload."""
    return {"touser": message.customer.user, "msgtype": "text", "text": {"content": text(message)}}


def wecom(message: OutboundMessage, agent_id: int) -> dict[str, Any]:
    """A WeCom `message/send` text payload."""
    return {"touser": message.customer.user, "msgtype": "text", "agentid": agent_id, "text": {"content": text(message)}}


def kf(message: OutboundMessage, open_kfid: str) -> dict[str, Any]:
    """A 微信客服 `kf/send_msg` text payload: to the external_userid, from the 客服账号 they wrote to."""
    return {"touser": message.customer.user, "open_kfid": open_kfid, "msgtype": "text", "text": {"content": text(message)}}


def _cut(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def template(message: OutboundMessage, template_id: str) -> dict[str, Any]:
    """A `message/template/send` payload; `client_msg_id` makes WeChat drop a retried duplicate."""
    t = texts()["template"]
    values = {"case_id": message.case_id, "status_label": message.status_label or "", "text": message.text}
    data = {k: {"value": _cut(v.format(**values), t["max_chars"])} for k, v in t["fields"].items()}
    payload: dict[str, Any] = {
        "touser": message.customer.user, "template_id": template_id, "client_msg_id": message.outbound_id[:64],
        "data": data,
    }
    if message.board_url:
        payload["url"] = message.board_url
    return payload
