"""Fault-first messages and problem reports without the usual keyword (sentences written for these tests)."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        # a fault stated first, then a return/exchange ask: the fault wins, never changed_mind
        ("玻璃花瓶瓶口裂了 退货退款", "damaged"),
        ("收到的台灯发错了款式 我要退货", "wrong_item"),
        ("详情页的尺寸表写错了 帮我换小一号", "not_as_described"),
        ("我选的是灰色的给我发了个粉色 换一下吧", "wrong_item"),
        ("吹风机用着用着烧焦了 退钱", "quality"),
        ("凳子腿断了 不想要了 退了吧", "quality"),
        # no fault at all: still a change of mind
        ("不喜欢这个颜色 退货退款", "changed_mind"),
        ("鞋子小了一码 换大一码", "changed_mind"),
    ],
)
def test_fault_beats_changed_mind(text: str, issue: str) -> None:
    assert classify(text).issue == issue


def test_safety_word_keeps_p1_in_a_return_ask() -> None:
    t = classify("充电宝充着充着烧焦了 退货")
    assert (t.issue, t.priority) == ("quality", "p1")


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("花盆路上摔碎了一个角", "damaged"),
        ("应该是运输的时候磕的 边角都瘪了", "damaged"),
        ("酱油漏了一大半 箱子里都是", "damaged"),
        ("沐浴露漏出来好多", "damaged"),
        ("买的三件套只收到了被套", "missing_item"),
        ("套装只来了裤子 上衣呢", "missing_item"),
        ("会员折扣没生效 按原价扣的", "price"),
        ("满减没减 多付了", "price"),
        ("你们客服回复也太慢了吧", "service"),
        ("之前承诺的补偿到现在还没给", "service"),
        ("叫你们领导来跟我说", "service"),
        ("发消息半天没人回", "service"),
        ("电源线烧黑了", "quality"),
        ("屏幕上有两个坏点", "quality"),
    ],
)
def test_problem_without_familiar_keyword(text: str, issue: str) -> None:
    t = classify(text)
    assert t.issue == issue
    assert t.priority in ("p1", "p2")


def test_speed_complaint_is_shipping() -> None:
    assert classify("这物流速度也太慢了").issue == "shipping"


def test_not_shipped_if_clause_with_cancel_is_changed_mind() -> None:
    assert classify("还没发货的话帮我取消吧，不想要了").issue == "changed_mind"


@pytest.mark.parametrize(
    ("text", "issue"),
    [("快递两天没更新了 怎么回事", "shipping"), ("物流八天没更新了", "lost"), ("你们经理呢？？", "service")],
)
def test_stuck_tracking_and_supervisor(text: str, issue: str) -> None:
    assert classify(text).issue == issue
