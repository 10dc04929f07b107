"""render: short Chinese texts with the case number, status label and link; WeChat limits enforced."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.channels.errors import RenderRejected
from chalicelib.channels.wechat import render
from chalicelib.domain import CustomerRef, OutboundKind, OutboundMessage


def make_message(**overrides: Any) -> OutboundMessage:
    fields: dict[str, Any] = {
        "outbound_id": "o-1",
        "case_id": "AS1",
        "shop": "s",
        "channel": "wechat",
        "account": "a",
        "customer": CustomerRef(channel="wechat", account="a", user="oU"),
        "kind": OutboundKind.AGENT_REPLY,
        "text": "已为您补发，单号 YT123。",
        "created_at": datetime(2026, 11, 22, tzinfo=UTC),
    }
    return OutboundMessage.model_validate(fields | overrides)


def test_text_without_status_or_link_is_header_and_body_only() -> None:
    assert render.text(make_message()) == "【客服回复】售后单 AS1\n已为您补发，单号 YT123。"


def test_text_over_2048_bytes_is_rejected() -> None:
    with pytest.raises(RenderRejected):
        render.text(make_message(text="很" * 700))


def test_template_values_are_cut_to_twenty_characters() -> None:
    payload = render.template(make_message(text="这是一段非常长的说明文字，超过了模板消息字段允许的二十个字符"), "TPL")
    value = payload["data"]["keyword3"]["value"]
    assert len(value) == 20 and value.endswith("…")
    assert "url" not in payload and payload["template_id"] == "TPL"
