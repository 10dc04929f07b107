"""Tracking answers in the customer's channel, self-resolution, progress page and evidence routes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import TOKEN_A, WEBHOOK_SECRET
from tests.signing import message_event, signed_webhook

AUTH = {"authorization": f"Bearer {TOKEN_A}"}
ORDER_NO = "6926112200000012345"


def send(client, event):
    headers, body = signed_webhook(WEBHOOK_SECRET, event)
    r = client.http.post("/webhooks/erp", headers=headers, body=body)
    assert r.status_code == 202, r.body


def seed_order_and_shipment(client, pumps, customer="c-track"):
    send(client, {"type": "order.upserted", "data": {
        "order_no": ORDER_NO, "customer": customer, "amount": 199.0, "paid_at": "2026-11-20T10:00:00+08:00",
        "items": [{"sku": "CUP-1", "name": "保温杯", "qty": 1, "price": 199.0}],
        "shipments": [{"carrier": "yuantong", "tracking_no": "YT0000000000000", "shipped_at": "2026-11-20T18:00:00+08:00"}]}})
    send(client, {"type": "shipment.updated", "data": {
        "carrier": "yuantong", "tracking_no": "YT0000000000000", "status": "InTransit", "order_no": ORDER_NO,
        "events": [{"time": "2026-11-21T09:30:00+08:00", "place": "杭州转运中心", "text": "快件已到达杭州转运中心"}]}})
    pumps.drain()


def the_case(client):
    cases = client.http.get("/api/cases", headers=AUTH).json_body["cases"]
    assert len(cases) == 1, cases
    return client.http.get(f"/api/cases/{cases[0]['case_id']}", headers=AUTH).json_body


class TestTrackingAnswer:
    def test_where_is_my_parcel_is_answered_with_the_latest_node_and_resolves_later(self, client, pumps, recorder, app_deps):
        seed_order_and_shipment(client, pumps)
        send(client, message_event(f"我的快递到哪了 订单号 {ORDER_NO}", customer="c-track"))
        pumps.drain()

        answers = [b for b in recorder.json_bodies() if b["data"]["kind"] == "auto_answer"]
        assert len(answers) == 1
        assert "杭州" in answers[0]["data"]["text"]
        detail = the_case(client)
        decision = [e for e in detail["timeline"] if e["type"] == "decision.tracking"]
        assert decision and decision[0]["data"]["found"] is True
        assert detail["case"]["status"] != "resolved"

        # WHEN the follow-up window passes with no reply, the scheduled check resolves the case
        import app as app_module
        from chalicelib.local.firer import ScheduleFirer

        later = datetime.now(UTC) + timedelta(seconds=app_deps.settings.auto_resolve_after_s + 60)
        app_deps.overrides["clock"] = type("C", (), {"now": staticmethod(lambda: later)})()
        firer = ScheduleFirer(app_deps.client("scheduler"), app_deps.client("sqs"), app_deps.settings.scheduler_group,
                              {app_deps.settings.sla_target_arn: lambda p: app_module.sla_check(p, None)},
                              clock=lambda: later)
        fired = firer.tick()
        assert any(n.startswith("auto-") for n in fired)
        pumps.drain()
        detail = the_case(client)
        assert detail["case"]["status"] == "resolved"
        assert [b["data"]["status_label"] for b in recorder.json_bodies() if b["data"]["kind"] == "progress"][-1] == "已解决"

    def test_unknown_order_says_so_and_stays_open(self, client, pumps, recorder):
        send(client, message_event("我的快递到哪了", customer="c-nothing"))
        pumps.drain()
        detail = the_case(client)
        decision = [e for e in detail["timeline"] if e["type"] == "decision.tracking"]
        assert decision and decision[0]["data"]["found"] is False
        assert detail["case"]["status"] in ("new", "open")


class TestBoardAndEvidence:
    def test_board_link_from_the_update_opens_the_page_and_a_tampered_one_is_403(self, client, pumps, recorder):
        send(client, message_event("衣服尺码不对，想换大一号", customer="c-board"))
        pumps.drain()
        url = recorder.json_bodies()[0]["data"]["board_url"]
        path = url.split("127.0.0.1:8000", 1)[1]
        r = client.http.get(path)
        assert r.status_code == 200 and "已受理" in r.body.decode()
        tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
        assert client.http.get(tampered).status_code == 403

    def test_evidence_pack_has_transcript_and_decisions(self, client, pumps):
        send(client, message_event("我的快递到哪了", customer="c-ev"))
        pumps.drain()
        case_id = the_case(client)["case"]["case_id"]
        pack = client.http.get(f"/api/cases/{case_id}/evidence", headers=AUTH).json_body
        assert [m["text"] for m in pack["transcript"] if m.get("direction") == "in"] == ["我的快递到哪了"]
        assert any(d["type"] == "decision.tracking" for d in pack["decisions"])
        z = client.http.get(f"/api/cases/{case_id}/evidence?format=zip", headers={**AUTH, "accept": "application/zip"})
        assert z.status_code == 200 and z.body[:2] == b"PK"
        assert client.http.get(f"/api/cases/{case_id}/evidence?format=pdf", headers=AUTH).status_code == 400


class TestReturns:
    def seed(self, client, pumps, customer, delivered):
        send(client, {"type": "order.upserted", "data": {
            "order_no": "7000000000000000001", "customer": customer, "amount": 89.0,
            "items": [{"sku": "TEE-1", "name": "T恤", "qty": 1, "price": 89.0, "tags": []}],
            "shipments": [{"carrier": "yuantong", "tracking_no": "YT1000000000001"}]}})
        send(client, {"type": "shipment.updated", "data": {
            "carrier": "yuantong", "tracking_no": "YT1000000000001", "status": "Delivered", "order_no": "7000000000000000001",
            "events": [{"time": delivered.isoformat(), "place": "上海", "text": "已签收"}]}})
        pumps.drain()

    def test_seven_day_return_inside_the_window_is_approved_with_instructions(self, client, pumps, recorder):
        self.seed(client, pumps, "c-ret", datetime.now(UTC) - timedelta(days=3))
        send(client, message_event("衣服不想要了，七天无理由退货，吊牌还在没穿过", customer="c-ret",
                                   order_no="7000000000000000001"))
        pumps.drain()
        detail = the_case(client)
        decision = [e for e in detail["timeline"] if e["type"] == "decision.return"]
        assert decision, [e["type"] for e in detail["timeline"]]
        assert decision[0]["data"]["outcome"] == "auto_approve"
        assert decision[0]["data"]["trace"], "the decision must carry its trace"
        assert detail["case"]["status"] == "waiting_customer"
        replies = [b["data"]["text"] for b in recorder.json_bodies() if b["data"]["kind"] == "auto_answer"]
        assert replies and decision[0]["data"]["customer_text"] in replies[0]
        # the return-review clock was met by the decision
        assert detail["case"]["sla"].get("return_review", {}).get("met_at") or "return_review" not in detail["case"]["sla"]

    def test_outside_the_window_is_not_auto_approved(self, client, pumps):
        self.seed(client, pumps, "c-late-ret", datetime.now(UTC) - timedelta(days=12))
        send(client, message_event("不想要了，想退货，没拆封", customer="c-late-ret", order_no="7000000000000000001"))
        pumps.drain()
        decision = [e for e in the_case(client)["timeline"] if e["type"] == "decision.return"]
        assert decision and decision[0]["data"]["outcome"] != "auto_approve"


class TestReturnJourney:
    def test_approved_return_is_shipped_back_received_and_refunded(self, client, pumps, recorder):
        # GIVEN an approved 7-day return
        TestReturns().seed(client, pumps, "c-walk", datetime.now(UTC) - timedelta(days=2))
        send(client, message_event("不想要了，七天无理由退货，没拆封", customer="c-walk", order_no="7000000000000000001"))
        pumps.drain()
        assert the_case(client)["case"]["status"] == "waiting_customer"
        # WHEN the customer sends the parcel back and says its number
        send(client, message_event("已经寄回了，圆通单号 YT7000000000123", customer="c-walk"))
        pumps.drain()
        detail = the_case(client)
        assert detail["case"]["status"] == "waiting_logistics"
        assert detail["case"]["request"] == "return_refund"  # the labels of the return stay
        assert detail["case"]["flags"]["return_shipment"]["tracking_no"] == "YT7000000000123"
        # AND the carrier reports it delivered to the shop
        send(client, {"type": "shipment.updated", "data": {
            "carrier": "yuantong", "tracking_no": "YT7000000000123", "status": "Delivered",
            "events": [{"time": datetime.now(UTC).isoformat(), "place": "杭州仓", "text": "已签收"}]}})
        pumps.drain()
        # THEN the arrival and the refund step are on the timeline and the case is resolved
        detail = the_case(client)
        types = [e["type"] for e in detail["timeline"]]
        assert types.index("return.shipped") < types.index("return.received") < types.index("refund")
        assert [e["data"]["amount"] for e in detail["timeline"] if e["type"] == "refund"] == [89.0]
        assert detail["case"]["status"] == "resolved"
        labels = [b["data"]["status_label"] for b in recorder.json_bodies() if b["data"]["kind"] == "progress"]
        assert labels[-2:] == ["等待物流", "已解决"] or labels[-1] == "已解决"
