"""Kuaidi100Inbound: the vector byte for byte, case-insensitive sign, state mapping, snapshot dedupe."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.accounts import Kuaidi100Account
from chalicelib.channels.base import RawRequest
from chalicelib.channels.errors import PayloadInvalid, SignatureInvalid
from chalicelib.channels.kuaidi100 import Kuaidi100Inbound, proactive_issue, sign
from chalicelib.domain import ShipmentStatus

V = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["kuaidi100"][0]
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ACCOUNT = Kuaidi100Account(account="demo-k100", shop="shop-a", key="k", salt=V["salt"])
CST = timezone(timedelta(hours=8))


def request(param: str, signature: str | None = None) -> RawRequest:
    fields = {"param": param, "sign": sign(param, ACCOUNT.salt) if signature is None else signature}
    return RawRequest("POST", "demo-k100", {"content-type": "application/x-www-form-urlencoded"}, {}, urlencode(fields).encode())


def receive(req: RawRequest) -> Any:
    return Kuaidi100Inbound().receive(req, ACCOUNT, NOW, tolerance_s=300)


def snapshot(state: str, nodes: list[tuple[str, str, str | None]], status: str = "polling", **extra: Any) -> str:
    data = [{"time": t, "ftime": t, "context": text, "areaName": "浙江,杭州市", **({"statusCode": code} if code else {})}
            for t, text, code in nodes]
    doc = {"status": status, "message": "", "autoCheck": "0", "comOld": "", "comNew": "",
           "lastResult": {"message": "ok", "nu": "YT1", "com": "yuantong", "state": state, "ischeck": "0", "data": data}, **extra}
    return json.dumps(doc, ensure_ascii=False)


def test_vector_sign_and_exact_ack() -> None:
    assert sign(V["param"], V["salt"]) == V["sign"]
    result = receive(request(V["param"], V["sign"]))
    assert result.ack.body == V["expected_response"]
    (task,) = result.tasks
    s = task.shipment
    assert (s.carrier, s.tracking_no, s.status, s.raw_state) == ("yuantong", "YT0000000000000", ShipmentStatus.IN_TRANSIT, "0")
    assert s.events[0].time == datetime(2024, 1, 2, 10, 0, tzinfo=CST)
    assert s.events[0].text == "[广州市] 快件已到达 广州转运中心" and s.events[0].place == "广东,广州市"
    assert s.delivered_at is None and s.shop == "shop-a"


def test_lower_case_sign_is_accepted() -> None:
    assert len(receive(request(V["param"], V["sign"].lower())).tasks) == 1


@pytest.mark.parametrize("signature", ["", "F" * 32, sign(V["param"], "other-salt")])
def test_rejects_missing_or_wrong_sign(signature: str) -> None:
    with pytest.raises(SignatureInvalid):
        receive(request(V["param"], signature))


def test_rejects_param_changed_after_signing() -> None:
    with pytest.raises(SignatureInvalid):
        receive(request(V["param"].replace("YT0000000000000", "YT0000000000001"), V["sign"]))


@pytest.mark.parametrize("body", [b"param=1&param=2&sign=x", b"sign=abc", b"\xff\xfe", b"garbage"])
def test_malformed_forms_are_payload_invalid(body: bytes) -> None:
    with pytest.raises(PayloadInvalid):
        receive(RawRequest("POST", "demo-k100", {}, {}, body))


@pytest.mark.parametrize("param", ["not json", '{"lastResult":{"nu":"","com":"x"}}', '{"status":"polling"}'])
def test_signed_but_unusable_param_is_payload_invalid(param: str) -> None:
    with pytest.raises(PayloadInvalid):
        receive(request(param))


def test_signed_snapshot_is_delivered_with_delivered_at() -> None:
    param = snapshot("3", [("2026-11-22 09:30:00", "已签收，本人签收", "301"), ("2026-11-21 18:00:00", "派件中", "5")], status="shutdown")
    s = receive(request(param)).tasks[0].shipment
    assert s.status is ShipmentStatus.DELIVERED
    assert s.delivered_at == datetime(2026, 11, 22, 9, 30, tzinfo=CST)
    assert [n.raw_code for n in s.events] == ["301", "5"]
    assert [n.status for n in s.events] == [ShipmentStatus.DELIVERED, ShipmentStatus.OUT_FOR_DELIVERY]


@pytest.mark.parametrize(("state", "status", "issue"), [
    ("14", ShipmentStatus.EXCEPTION, "shipping"), ("2", ShipmentStatus.EXCEPTION, "lost"),
    ("209", ShipmentStatus.EXCEPTION, "damaged"), ("6", ShipmentStatus.EXCEPTION, "shipping"),
    ("4", ShipmentStatus.EXCEPTION, "shipping"), ("501", ShipmentStatus.AVAILABLE_FOR_PICKUP, None),
    ("5", ShipmentStatus.OUT_FOR_DELIVERY, None), ("101", ShipmentStatus.INFO_RECEIVED, None),
    ("0", ShipmentStatus.IN_TRANSIT, None), ("299", ShipmentStatus.EXCEPTION, "lost"),
])
def test_states_map_to_status_and_proactive_issue(state: str, status: ShipmentStatus, issue: str | None) -> None:
    s = receive(request(snapshot(state, [("2026-11-22 08:00:00", "节点", None)]))).tasks[0].shipment
    assert (s.status, s.raw_state) == (status, state)
    assert proactive_issue(s.raw_state) == issue


def test_abort_push_is_an_exception_with_raw_state_abort() -> None:
    s = receive(request(snapshot("0", [("2026-11-01 08:00:00", "已揽收", None)], status="abort", message="60天无变化"))).tasks[0].shipment
    assert (s.status, s.raw_state) == (ShipmentStatus.EXCEPTION, "abort")
    assert proactive_issue("abort") == "lost"


def test_redelivery_three_times_gives_the_same_dedupe_id_and_news_change_it() -> None:
    first = snapshot("0", [("2026-11-22 08:00:00", "到达杭州", None)])
    ids = {receive(request(first)).tasks[0].dedupe_id for _ in range(3)}
    newer = snapshot("5", [("2026-11-22 09:00:00", "派件中", None), ("2026-11-22 08:00:00", "到达杭州", None)])
    assert len(ids) == 1
    assert receive(request(newer)).tasks[0].dedupe_id not in ids
