"""Entity patterns: orders, tracking numbers by carrier, mobiles (not 400 numbers or tax ids), amounts."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify
from chalicelib.triage.entities import extract_entities, parse_cn_number
from chalicelib.triage.text import normalise


def ents(text: str) -> dict[str, object]:
    return extract_entities(normalise(text))


@pytest.mark.parametrize(
    ("text", "tracking"),
    [
        ("顺丰单号SF123456789012查一下", "SF123456789012"),
        ("yt1234567890123 到哪了", "YT1234567890123"),
        ("极兔 JT0001234567890 一直不动", "JT0001234567890"),
        ("中通 78123456789012 显示签收", "78123456789012"),
    ],
)
def test_tracking_numbers(text: str, tracking: str) -> None:
    assert ents(text).get("tracking_no") == tracking


def test_order_number_of_16_to_19_digits() -> None:
    assert ents("订单号：1234567890123456 还没发")["order_no"] == "1234567890123456"


def test_prefixed_order_number() -> None:
    assert ents("订单DD202611220001234 帮我看下")["order_no"] == "DD202611220001234"


def test_mobile_with_separators() -> None:
    assert ents("回电 138-1234-5678")["phone"] == "13812345678"


@pytest.mark.parametrize("text", ["客服热线400-820-8820", "请拨4008208820", "税号 91440300MA5F12345X 开专票", "税号913101151234567890"])
def test_400_numbers_and_tax_ids_are_not_phones(text: str) -> None:
    assert "phone" not in ents(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("多收了我¥25.5", 25.5), ("退我30块钱", 30), ("花了2999元买的", 2999), ("三千五的手机", 3500), ("降了80", 80)],
)
def test_amounts(text: str, amount: float) -> None:
    assert ents(text)["amount"] == amount


@pytest.mark.parametrize("text", ["穿39码", "等了15天", "3月5号下的单", "身高170"])
def test_non_money_numbers_are_not_amounts(text: str) -> None:
    assert "amount" not in ents(text)


def test_chinese_numerals() -> None:
    assert [parse_cn_number(s) for s in ("两千五", "三百", "一万二", "十五")] == [2500, 300, 12000, 15]


def test_classify_exposes_entities() -> None:
    t = classify("订单 9876543210987654 的耳机坏了，电话 13900001111")
    assert t.entities == {"order_no": "9876543210987654", "phone": "13900001111"}


def test_sf_numbers_of_thirteen_digits() -> None:
    # SF Express numbers are SF + 12 digits in older waybills and SF + 13 digits now
    assert extract_entities("顺丰单号sf1402938475612，帮我查下")["tracking_no"] == "SF1402938475612"
