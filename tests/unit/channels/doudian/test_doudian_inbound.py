"""DoudianInbound: the vector byte for byte, int64 ids kept exact, after-sale and order tags, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.accounts import DoudianAccount
from chalicelib.channels.base import RawRequest
from chalicelib.channels.doudian import DoudianInbound, sign
from chalicelib.channels.errors import PayloadInvalid, SignatureInvalid
from chalicelib.domain.tasks import OrderUpserted, PlatformEvent

V = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["doudian"][0]
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ACCOUNT = DoudianAccount(account="demo-dd", shop="shop-a", app_key=V["app_key"], app_secret=V["app_secret"])


def push(messages: list[dict[str, Any]] | dict[str, Any]) -> RawRequest:
    """A push signed with the production signer; each message's `data` is JSON-encoded as 抖店 does."""
    items = messages if isinstance(messages, list) else [messages]
    encoded = [{**m, "data": m["data"] if isinstance(m["data"], str) else json.dumps(m["data"], ensure_ascii=False)} for m in items]
    body = json.dumps(encoded if isinstance(messages, list) else encoded[0], ensure_ascii=False).encode()
    return RawRequest("POST", "demo-dd", {"app-id": ACCOUNT.app_key, "event-sign": sign(ACCOUNT.app_key, ACCOUNT.app_secret, body)}, {}, body)


def receive(request: RawRequest) -> Any:
    return DoudianInbound().receive(request, ACCOUNT, NOW, tolerance_s=300)


def test_vector_verifies_and_answers_exactly() -> None:
    body = V["body"].encode()
    assert sign(V["app_key"], V["app_secret"], body) == V["headers"]["event-sign"]
    result = receive(RawRequest("POST", "demo-dd", V["headers"], {}, body))
    assert result.ack.body == V["expected_response"]
    (task,) = result.tasks
    assert isinstance(task, PlatformEvent) and task.kind == "doudian.aftersale"
    assert task.dedupe_id == "7000000000000000000"
    d = task.data
    assert d["aftersale_id"] == "7000000000000000001"  # beyond 2**53: exact, as a string
    assert d["order_no"] == "5000000000000000000" and d["tag"] == 200
    assert d["request"] == "return_refund" and d["refund_amount"] == 19.9
    assert d["status_text"] == "买家发起售后申请" and d["arbitration"] is False
    assert "7000000000000000001" in d["text"] and "¥19.90" in d["text"]
    assert "phone" not in d
    assert task.customer is not None and task.customer.key == "doudian#demo-dd#5000000000000000000"


@pytest.mark.parametrize("headers", [
    {"app-id": "wrong", "event-sign": V["headers"]["event-sign"]},
    {"app-id": V["app_key"], "event-sign": "0" * 32},
    {"app-id": V["app_key"]},
    {"event-sign": V["headers"]["event-sign"]},
])
def test_rejects_wrong_app_id_or_sign(headers: dict[str, str]) -> None:
    with pytest.raises(SignatureInvalid):
        receive(RawRequest("POST", "demo-dd", headers, {}, V["body"].encode()))


def test_hmac_sha256_sign_method_is_accepted_when_announced() -> None:
    body = V["body"].encode()
    headers = {"app-id": V["app_key"], "sign-method": "hmac-sha256",
               "event-sign": sign(V["app_key"], V["app_secret"], body, method="hmac-sha256")}
    assert len(receive(RawRequest("POST", "demo-dd", headers, {}, body)).tasks) == 1


def test_setup_check_tag_0_is_acknowledged_without_tasks() -> None:
    result = receive(push({"tag": "0", "msg_id": "", "data": "{}"}))
    assert result.tasks == () and result.ack.body == '{"code":0,"msg":"success"}'


def test_one_push_with_several_messages_gives_several_tasks() -> None:
    result = receive(push([
        {"tag": "212", "msg_id": "m-212", "data": {"aftersale_id": 7000000000000000099, "p_id": 5000000000000000009, "aftersale_type": 1}},
        {"tag": "206", "msg_id": "m-206", "data": {"aftersale_id": 7000000000000000098, "p_id": 5000000000000000008,
                                                   "aftersale_type": 3, "refund_amount": 12345, "post_tel": "13800000000"}},
        {"tag": "400", "msg_id": "m-400", "data": {"product_id": 1}},
    ]))
    arb, done = result.tasks
    assert arb.data["arbitration"] is True and arb.data["request"] == "refund_only"
    assert arb.data["aftersale_id"] == "7000000000000000099"
    assert done.data["arbitration"] is False and done.data["request"] == "exchange"
    assert done.data["refund_amount"] == 123.45 and done.data["phone"] == "13800000000"
    assert [t.dedupe_id for t in result.tasks] == ["m-212", "m-206"]


def test_single_object_body_is_accepted() -> None:
    result = receive(push({"tag": "227", "msg_id": "m-227", "data": {"aftersale_id": 1, "p_id": 2, "aftersale_type": 7}}))
    assert result.tasks[0].data["request"] == "reship" and result.tasks[0].data["status_text"] == "商家同意补寄申请"


def test_seller_shipped_becomes_order_upserted_with_shipment() -> None:
    data = {"p_id": 6926112200000012345, "s_ids": [6926112200000012346], "order_status": 3, "shop_id": 1, "update_time": 1763776800,
            "logistics_msg": {"express_company_id": "yuantong", "logistics_code": "YT0000000000000"},
            "receiver_msg": {"name": "王*", "tel": "138****0000", "addr": "浙江省"}}
    (task,) = receive(push({"tag": "102", "msg_id": "m-102", "data": data})).tasks
    assert isinstance(task, OrderUpserted)
    order = task.order
    assert order.order_no == "6926112200000012345" and order.shop == "shop-a"
    assert [(s.carrier, s.tracking_no) for s in order.shipments] == [("yuantong", "YT0000000000000")]
    assert order.shipments[0].shipped_at == datetime.fromtimestamp(1763776800, UTC)
    assert order.model_extra is not None and order.model_extra["sub_orders"] == ["6926112200000012346"]
    assert order.customer is not None and not isinstance(order.customer, str) and order.customer.user == "6926112200000012345"


@pytest.mark.parametrize("body", [b"nope", b"[]", b"[1]", b'[{"tag":"x","msg_id":"1","data":"{}"}]',
                                  b'[{"tag":"200","data":"{}"}]', b'[{"tag":"200","msg_id":"1","data":"{bad"}]'])
def test_malformed_pushes_are_payload_invalid(body: bytes) -> None:
    request = RawRequest("POST", "demo-dd", {"app-id": ACCOUNT.app_key, "event-sign": sign(ACCOUNT.app_key, ACCOUNT.app_secret, body)}, {}, body)
    with pytest.raises(PayloadInvalid):
        receive(request)


def test_after_sale_without_id_is_payload_invalid() -> None:
    with pytest.raises(PayloadInvalid):
        receive(push({"tag": "201", "msg_id": "m-1", "data": {"p_id": 1}}))


def test_redelivery_three_times_gives_the_same_dedupe_ids() -> None:
    request = RawRequest("POST", "demo-dd", V["headers"], {}, V["body"].encode())
    assert {receive(request).tasks[0].dedupe_id for _ in range(3)} == {"7000000000000000000"}
