"""DouyinInbound: the published vector byte for byte, the handshake, IM messages, echoes and bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from douyin_builders import im_event, make_account, signed_request

from chalicelib.channels.base import RawRequest
from chalicelib.channels.douyin import DouyinInbound, sign
from chalicelib.channels.errors import PayloadInvalid, SignatureInvalid
from chalicelib.domain import ChannelId
from chalicelib.domain.tasks import MessageReceived

VECTORS = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["douyin"]
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def receive(request: RawRequest, **account: Any) -> Any:
    return DouyinInbound().receive(request, make_account(**account), NOW, tolerance_s=300)


@pytest.mark.parametrize("v", VECTORS, ids=lambda v: v["name"])
def test_vector_signature_and_exact_response(v: dict[str, Any]) -> None:
    body = v["body"].encode()
    assert sign(v["client_secret"], body) == v["signature"]
    request = RawRequest("POST", "demo-dy", {"x-douyin-signature": v["signature"]}, {}, body)
    result = receive(request, client_secret=v["client_secret"])
    assert result.ack.body == v["expected_response"]
    assert result.ack.status == 200 and result.tasks == ()


def test_challenge_inside_a_json_string_content_is_echoed() -> None:
    body = {"event": "verify_webhook", "client_key": "abc", "content": "{ \"challenge\": 987654 }"}
    assert receive(signed_request(body)).ack.body == '{"challenge":987654}'


@pytest.mark.parametrize("signature", ["", "0" * 40, sign("other_secret", b"{}")])
def test_rejects_missing_or_wrong_signature(signature: str) -> None:
    request = signed_request(im_event({"message_type": "text", "text": "hi"}), signature=signature)
    with pytest.raises(SignatureInvalid):
        receive(request)


def test_rejects_body_changed_after_signing() -> None:
    good = signed_request(im_event({"message_type": "text", "text": "你好"}), msg_id="m1")
    tampered = RawRequest("POST", "demo-dy", good.headers, {}, good.body.replace("你好".encode(), "再见".encode()))
    with pytest.raises(SignatureInvalid):
        receive(tampered)


@pytest.mark.parametrize("body", [b"not json", b"[1,2]", b'{"content":{}}', b'{"event":"im_receive_msg","content":"{bad"}'])
def test_malformed_bodies_are_payload_invalid(body: bytes) -> None:
    with pytest.raises(PayloadInvalid):
        receive(signed_request(body))


def test_text_message_becomes_message_received() -> None:
    content = {"conversation_short_id": "conv-9", "server_message_id": "srv-1", "conversation_type": 1,
               "message_type": "text", "text": "快递三天没动了", "create_time": 1763776800000,
               "user_infos": [{"open_id": "open-user-1", "nick_name": "小王"}]}
    result = receive(signed_request(im_event(content), msg_id="hdr-1"))
    (task,) = result.tasks
    assert isinstance(task, MessageReceived)
    assert task.dedupe_id == "hdr-1"
    m = task.message
    assert m.channel is ChannelId.DOUYIN and m.text == "快递三天没动了" and m.kind == "text"
    assert m.customer.key == "douyin#demo-dy#open-user-1"
    assert m.message_id == "srv-1" and m.shop == "shop-a"
    assert m.received_at == datetime.fromtimestamp(1763776800, UTC)
    assert m.meta["conversation_id"] == "conv-9" and m.meta["nick_name"] == "小王"
    assert result.ack.body == "{}"


def test_content_as_json_string_is_accepted() -> None:
    content = json.dumps({"server_message_id": "srv-2", "message_type": "text", "text": "在吗"}, ensure_ascii=False)
    (task,) = receive(signed_request(im_event(content))).tasks
    assert task.message.text == "在吗" and task.dedupe_id == "srv-2"  # no Msg-Id header: server id


@pytest.mark.parametrize(("mtype", "kind", "text", "attached"), [
    ("image", "image", "[图片]", True), ("user_local_video", "video", "[视频]", True), ("emoji", "emoji", "[表情]", True),
    ("retain_consult_card", "card", "[留资卡片]", False), ("other", "other", "[暂不支持的消息]", False),
])
def test_non_text_messages_become_placeholders(mtype: str, kind: str, text: str, attached: bool) -> None:
    content = {"server_message_id": f"srv-{mtype}", "message_type": mtype, "resource_url": "https://p.douyin/x.jpg"}
    (task,) = receive(signed_request(im_event(content), msg_id=f"h-{mtype}")).tasks
    assert (task.message.kind, task.message.text) == (kind, text)
    assert bool(task.message.attachments) is attached
    if attached:
        assert task.message.attachments[0].url == "https://p.douyin/x.jpg"


@pytest.mark.parametrize("event", ["im_send_msg", "im_enter_direct_msg", "authorize"])
def test_echoes_and_other_events_are_acknowledged_without_tasks(event: str) -> None:
    content = {"server_message_id": "srv-3", "message_type": "text", "text": "我们已收到", "source": "abc"}
    result = receive(signed_request(im_event(content, event=event), msg_id="h-3"))
    assert result.tasks == () and result.ack.status == 200


def test_redelivery_three_times_gives_the_same_dedupe_id() -> None:
    request = signed_request(im_event({"server_message_id": "srv-4", "message_type": "text", "text": "退货"}), msg_id="h-4")
    ids = {receive(request).tasks[0].dedupe_id for _ in range(3)}
    assert ids == {"h-4"}


def test_message_without_any_id_is_rejected() -> None:
    with pytest.raises(PayloadInvalid):
        receive(signed_request(im_event({"message_type": "text", "text": "hi"})))
