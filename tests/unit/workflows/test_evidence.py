"""Evidence pack of a 抖店 arbitration case: transcript, order and shipment trace, decisions, agent actions."""

from __future__ import annotations

import io
import json
import zipfile

from chalicelib.domain import Attachment, CaseStatus, Direction, Message
from chalicelib.workflows import evidence, returns
from chalicelib.workflows.returns import ReturnFacts

from .builders import cn, event, make_case, make_order, make_shipment, status_event

CID = "c-dd-9"


def arbitration_case() -> dict:
    order = make_order(phone="13812345678", amount=129.0)
    shipment = make_shipment(cn(2026, 11, 10, 9), delivered_at=cn(2026, 11, 10, 9))
    case = make_case(case_id=CID, channel="doudian", account="demo-dd", issue="damaged", request="return_refund",
                     status=CaseStatus.WAITING_PLATFORM,
                     flags={"aftersale_id": "AS-7001", "evidence_pack": True})
    decision = returns.evaluate(returns.load_rules(None), ReturnFacts(
        request="return_refund", issue="damaged", priority="p2", order=order, shipment=shipment,
        now=cn(2026, 11, 12, 10), goods_intact=None, returns_in_90d=0, shop="shop-a"))
    messages = [
        Message(case_id=CID, message_id="dm-1", direction=Direction.INBOUND, channel="doudian", at=cn(2026, 11, 12, 9),
                text="杯子碎了，电话 13812345678", attachments=(Attachment(kind="image", url="https://img.example/1.jpg"),
                                                          Attachment(kind="video", media_id="v-88"))),
        Message(case_id=CID, message_id="dm-2", direction=Direction.OUTBOUND, channel="doudian",
                at=cn(2026, 11, 12, 10, 1), text="已为您同意退货退款", author="system", delivery="sent"),
        Message(case_id=CID, message_id="dm-3", direction=Direction.OUTBOUND, channel="doudian",
                at=cn(2026, 11, 12, 10, 5), text="内部：快递已理赔", author="agent:7", labels={"internal": True}),
    ]
    events = [
        event(CID, cn(2026, 11, 12, 9, 0, 1), "platform.aftersale", actor="platform:doudian", reason="tag 200",
              aftersale_id="AS-7001", tag=200),
        decision.to_event(CID, cn(2026, 11, 12, 10)),
        event(CID, cn(2026, 11, 12, 10, 4), "note", actor="agent:7", reason="内部备注：客户态度不好"),
        status_event(CID, cn(2026, 11, 13, 8), CaseStatus.OPEN, CaseStatus.WAITING_PLATFORM,
                     reason="platform arbitration")
        .model_copy(update={"actor": "agent:7"}),
    ]
    return {"case": case, "messages": messages, "events": events, "order": order, "shipments": [shipment]}


def test_pack_holds_transcript_trace_and_decisions() -> None:
    pack = evidence.build(**arbitration_case())

    assert pack["schema"] == "shouhou.evidence/1"
    assert pack["case"]["aftersale_id"] == "AS-7001" and pack["case"]["channel"] == "doudian"
    assert [m["message_id"] for m in pack["transcript"]] == ["dm-1", "dm-2"]  # internal note left out
    assert pack["transcript"][0]["text"] == "杯子碎了，电话 138****5678"
    assert [n["text"] for n in pack["shipments"][0]["nodes"]] == ["已揽收", "已签收"]
    assert pack["order"]["order_no"] == "6926112200000012345" and pack["order"]["phone"] == "138****5678"
    [decision] = pack["decisions"]
    assert decision["outcome"] == "auto_approve" and decision["freight_payer"] == "logistics"
    assert {row["rule"] for row in decision["trace"]} >= {"order_known", "fault_window", "amount_threshold"}
    assert [(a["type"], a["actor"]) for a in pack["agent_actions"]] == [("status", "agent:7")]
    assert pack["platform_events"][0]["data"]["aftersale_id"] == "AS-7001"
    assert [m["url"] or m["media_id"] for m in pack["media"]] == ["https://img.example/1.jpg", "v-88"]
    assert any("系统决定：auto_approve" in line for line in pack["summary"])


def test_pack_never_carries_internal_notes() -> None:
    blob = json.dumps(evidence.build(**arbitration_case()), ensure_ascii=False)
    assert "客户态度不好" not in blob and "快递已理赔" not in blob and "13812345678" not in blob


def test_zip_has_pack_json_and_attachment_references() -> None:
    pack = evidence.build(**arbitration_case())
    data = evidence.build_zip(pack)

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["attachments.txt", "pack.json"]
        assert json.loads(zf.read("pack.json").decode("utf-8")) == pack
        refs = zf.read("attachments.txt").decode("utf-8").splitlines()
    assert len(refs) == 3 and "https://img.example/1.jpg" in refs[1] and "v-88" in refs[2]
    assert evidence.build_zip(pack) == data  # deterministic bytes
