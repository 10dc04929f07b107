"""Standard Webhooks: the published vector, rotation, tolerance, and event parsing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.channels.errors import PayloadInvalid, ReplayRejected, SignatureInvalid
from chalicelib.channels.webhook import sign, verify
from chalicelib.channels.webhook.parse import parse
from chalicelib.domain.tasks import MessageReceived, OrderUpserted, ShipmentUpdated

VECTORS = Path(__file__).resolve().parents[5] / "shared" / "fixtures" / "vectors.json"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def vectors():
    if not VECTORS.exists():
        pytest.skip(f"{VECTORS} not present")
    return json.loads(VECTORS.read_text())["standard_webhooks"]


def test_published_vectors_sign_and_verify_byte_for_byte():
    for v in vectors():
        body = v["body"].encode()
        assert sign(v["secret"], v["webhook_id"], v["webhook_timestamp"], body) == v["signature"]
        headers = {"webhook-id": v["webhook_id"], "webhook-timestamp": v["webhook_timestamp"],
                   "webhook-signature": v["signature"]}
        assert verify(body, headers, [v["secret"]], now_s=int(v["webhook_timestamp"]) + 10) == v["webhook_id"]


def _headers(secret, body, ts=1_700_000_000, mid="msg_1"):
    return {"webhook-id": mid, "webhook-timestamp": str(ts), "webhook-signature": sign(secret, mid, ts, body)}


SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"


def test_any_active_secret_verifies_during_rotation():
    body = b'{"a":1}'
    headers = _headers(OLD, body)
    assert verify(body, headers, [SECRET, OLD], now_s=1_700_000_000) == "msg_1"
    with pytest.raises(SignatureInvalid):
        verify(body, headers, [SECRET], now_s=1_700_000_000)


def test_any_presented_signature_may_match():
    body = b"{}"
    headers = _headers(SECRET, body)
    headers["webhook-signature"] = "v1,bm9wZQ== " + headers["webhook-signature"]
    assert verify(body, headers, [SECRET], now_s=1_700_000_000)


def test_a_changed_body_fails():
    headers = _headers(SECRET, b'{"a":1}')
    with pytest.raises(SignatureInvalid):
        verify(b'{"a":2}', headers, [SECRET], now_s=1_700_000_000)


@pytest.mark.parametrize("skew", [-301, 301])
def test_timestamps_outside_five_minutes_either_way_are_rejected(skew):
    body = b"{}"
    with pytest.raises(ReplayRejected):
        verify(body, _headers(SECRET, body), [SECRET], now_s=1_700_000_000 + skew)


def test_missing_headers_are_rejected():
    with pytest.raises(SignatureInvalid):
        verify(b"{}", {}, [SECRET], now_s=1_700_000_000)


class TestParse:
    def parse(self, event):
        return parse(json.dumps(event, ensure_ascii=False).encode(), msg_id="m", account="erp", shop="s", now=NOW)

    def test_message_with_a_shop_customer_id(self):
        task = self.parse({"type": "message.received", "data": {"message_id": "m-1", "customer": "cust-42",
                                                                "text": "杯子碎了", "extra": 1}})
        assert isinstance(task, MessageReceived)
        assert task.message.customer.key == "webhook#erp#cust-42"
        assert task.message.meta == {"extra": 1}
        assert task.group == "webhook#erp#cust-42"

    def test_order_links_a_channel_identity(self):
        task = self.parse({"type": "order.upserted", "data": {
            "order_no": "6926112200000012345", "customer": {"channel": "wechat", "account": "demo-oa", "user": "oABC"},
            "amount": 199.0, "items": [{"sku": "CUP-1", "name": "保温杯", "qty": 1, "price": 199.0, "tags": []}],
            "shipments": [{"carrier": "yuantong", "tracking_no": "YT0000000000000"}]}})
        assert isinstance(task, OrderUpserted)
        assert task.order.customer.key == "wechat#demo-oa#oABC" and task.order.shop == "s"

    def test_delivered_shipment_records_delivery_time(self):
        task = self.parse({"type": "shipment.updated", "data": {
            "carrier": "yuantong", "tracking_no": "YT1", "status": "Delivered",
            "events": [{"time": "2026-11-22T09:30:00+08:00", "place": "杭州", "text": "已签收"}]}})
        assert isinstance(task, ShipmentUpdated)
        assert task.shipment.delivered_at.isoformat() == "2026-11-22T09:30:00+08:00"

    @pytest.mark.parametrize("body", [b"[]", b"not json", b'{"type": "nope", "data": {}}',
                                      b'{"type": "message.received", "data": {"customer": "x"}}',
                                      b'{"type": "shipment.updated", "data": {"carrier": "x", "tracking_no": "1", "status": "Teleported"}}'])
    def test_bad_events_are_payload_invalid(self, body):
        with pytest.raises(PayloadInvalid):
            parse(body, msg_id="m", account="erp", shop="s", now=NOW)
