"""p1 triggers and unit-less amounts (sentences written for these tests)."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "iPad显示已经签收了，我家根本没人收到过",
        "单反相机物流写着签收了 可我压根没见到",
        "莫名其妙多扣了2680 马上退给我",
        "电视4599的 开机就黑屏",
        "不给解决我就去税务局反映你们偷税",
        "我要举报你们虚假宣传",
        "这事我已经说了四遍了 还是没人管",
    ],
)
def test_p1(text: str) -> None:
    assert classify(text).priority == "p1"


@pytest.mark.parametrize(
    "text",
    [
        "耳机显示签收了但我没收到",  # lost, but nothing of high value named
        "扣了88 怎么回事",
        "多扣了35 麻烦退一下",
        "问了两次了 什么时候发货",  # repetition without anger
    ],
)
def test_not_p1(text: str) -> None:
    assert classify(text).priority == "p2"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("莫名其妙多扣了2680 马上退给我", 2680),
        ("花了1560买的 两天就坏了", 1560),
        ("价格是459 第二天就降了", 459),
        ("买的时候699 现在599", 699),
        ("退86给我就行", 86),
        ("买的2999的洗碗机 漏水", 2999),
    ],
)
def test_unitless_amount_in_money_context(text: str, amount: int) -> None:
    assert classify(text).entities.get("amount") == amount


@pytest.mark.parametrize(
    "text",
    [
        "订单号6029384756102938 退款怎么还没到",
        "退款到13912345678这个号绑定的账户",
        "买了3件 退1件",
        "买的时候是2023年",
        "快递单号SF123456789012 还没到",
    ],
)
def test_no_amount_from_codes_counts_or_dates(text: str) -> None:
    assert "amount" not in classify(text).entities


def test_unitless_charge_is_a_price_issue() -> None:
    t = classify("扣了158 怎么回事")
    assert (t.issue, t.request) == ("price", "info")


@pytest.mark.parametrize(
    ("text", "amount"),
    [("两千多买的洗衣机 收到就不转 退货", 2000), ("4000多的相机 镜头裂了", 4000), ("包裹被冒领了 货值3500", 3500)],
)
def test_approximate_and_declared_amounts(text: str, amount: int) -> None:
    assert classify(text).entities.get("amount") == amount


def test_count_with_duo_is_not_an_amount() -> None:
    assert "amount" not in classify("买了2000多件 还差一些").entities


def test_declared_value_of_a_lost_parcel_is_p1() -> None:
    t = classify("包裹被冒领了 货值3500")
    assert (t.issue, t.priority) == ("lost", "p1")


@pytest.mark.parametrize("text", ["瓜子一股哈喇味，放坏了吧，退钱", "牛奶过期了还发给我，孩子差点喝了", "汤锅掉漆掉到汤里，这还敢吃吗"])
def test_spoiled_or_unsafe_food_is_p1(text: str) -> None:
    assert classify(text).priority == "p1", classify(text).reasons
