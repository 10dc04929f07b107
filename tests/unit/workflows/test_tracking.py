"""Tracking answers: normalised status, latest node, next step; not shipped; unknown."""

from __future__ import annotations

from chalicelib.domain import ShipmentNode, ShipmentStatus
from chalicelib.workflows import tracking

from .builders import cn, make_order, make_shipment

NOW = cn(2026, 11, 22, 10)


class TestShipped:
    def test_in_transit_names_status_latest_node_and_next_step(self) -> None:
        shipment = make_shipment(events=[
            ShipmentNode(time=cn(2026, 11, 20, 18), place="杭州转运中心", text="已揽收"),
            ShipmentNode(time=cn(2026, 11, 21, 6, 5), place="上海转运中心", text="到达"),
        ])

        answer = tracking.answer(make_order(), shipment, NOW)

        assert answer.found and not answer.needs_agent
        assert answer.status == "运输中"
        assert "圆通速递 YT0000000000000" in answer.text
        assert "11月21日 06:05 上海转运中心 到达" in answer.text  # latest node in China time
        assert "派送网点" in answer.text  # expected next step

    def test_delivered(self) -> None:
        answer = tracking.answer(None, make_shipment(cn(2026, 11, 21, 9, 30)), NOW)
        assert answer.status == "已签收" and "11月21日 09:30 上海 已签收" in answer.text

    def test_carrier_exception_is_answered_but_needs_an_agent(self) -> None:
        answer = tracking.answer(make_order(), make_shipment(status=ShipmentStatus.EXCEPTION), NOW)
        assert answer.found and answer.needs_agent and answer.status == "物流异常"

    def test_shipped_without_trace_yet(self) -> None:
        answer = tracking.answer(make_order(), None, NOW)
        assert answer.found and answer.reason == "shipped_no_trace" and "YT0000000000000" in answer.text


class TestNotShipped:
    def test_promised_ship_by_is_quoted(self) -> None:
        order = make_order(shipments=[], promised_ship_by=cn(2026, 11, 23, 18))
        answer = tracking.answer(order, None, NOW)
        assert answer.found and answer.status == "未发货" and "11月23日 18:00" in answer.text
        assert not answer.needs_agent

    def test_overdue_promise_apologises_and_needs_an_agent(self) -> None:
        order = make_order(shipments=[], promised_ship_by=cn(2026, 11, 21, 18))
        answer = tracking.answer(order, None, NOW)
        assert answer.reason == "ship_overdue" and answer.needs_agent and "超过承诺" in answer.text


class TestUnknown:
    def test_nothing_known_says_so_and_keeps_case_open(self) -> None:
        answer = tracking.answer(None, None, NOW)
        assert not answer.found and answer.status is None and "人工" in answer.text


def test_auto_resolve_text_invites_a_reply() -> None:
    assert "回复" in tracking.resolved_text()
