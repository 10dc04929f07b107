"""Ask detection and precedence: complaint > money/goods/action > expedite > info > none."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("杯子把手断了，我要退货退款", "return_refund"),
        ("还没发货的话帮我取消订单", "cancel"),
        ("鞋子小了，能换大一码吗", "exchange"),
        ("少了一个盖子，麻烦补发一个", "reship"),
        ("吸尘器不转了，能上门维修吗", "repair"),
        ("杯子碎了一个，给我补偿点吧", "compensation"),
        ("快递到哪了？", "info"),
        ("东西很好用，好评", "none"),
        ("包裹一直没到，帮我催一下", "expedite"),
    ],
)
def test_single_asks(text: str, ask: str) -> None:
    assert classify(text).request == ask


class TestPrecedence:
    def test_complaint_beats_refund(self) -> None:
        assert classify("质量太差了，退款，不然我就投诉你们").request == "complaint"

    def test_refund_beats_expedite(self) -> None:
        assert classify("衣服破了个洞，赶紧给我退货").request == "return_refund"

    def test_expedite_beats_info(self) -> None:
        assert classify("为什么还没发货？快点发").request == "expedite"

    def test_policy_question_is_info_not_a_refund(self) -> None:
        t = classify("退货地址在哪里？")
        assert (t.issue, t.request) == ("inquiry", "info")

    def test_refund_already_received_is_not_an_ask(self) -> None:
        assert classify("退款已经收到了，谢谢，服务很好").request == "none"

    def test_unshipped_refund_is_refund_only(self) -> None:
        assert classify("包裹丢了，退钱吧").request == "refund_only"
