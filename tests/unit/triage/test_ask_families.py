"""Shipping questions, urging, money/goods asks and typo/English rewrites (sentences written for these tests)."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify
from chalicelib.triage.text import normalise


@pytest.mark.parametrize(
    "text",
    ["明天能送到吗", "几点能派送", "你们发的哪家快递呀", "我这单走的什么快递", "still没ship吗"],
)
def test_shipping_question_is_shipping_info(text: str) -> None:
    t = classify(text)
    assert (t.issue, t.request) == ("shipping", "info")
    assert t.priority == "p2"


def test_presale_carrier_question_stays_inquiry() -> None:
    assert classify("你们一般发什么快递？能发顺丰吗").issue == "inquiry"


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("怎么还没发？？", "shipping"),
        ("到底哪天能到", "shipping"),
        ("不是说好的当日达吗 东西呢", "shipping"),
        ("转人工！！", "service"),
        ("你们这物流速度真是感人", "shipping"),
    ],
)
def test_urging_is_expedite(text: str, issue: str) -> None:
    t = classify(text)
    assert (t.issue, t.request) == (issue, "expedite")


def test_sarcastic_speed_is_negative() -> None:
    t = classify("这发货速度真是感人啊👍")
    assert (t.request, t.sentiment) == ("expedite", "negative")


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("昨天买的今天便宜了五十，麻烦退个差价", "compensation"),
        ("降价了 帮我保一下价", "compensation"),
        ("赠品漏了 给我补一个", "reship"),
        ("wrong colour, pls exchange", "exchange"),
        ("refund please", "refund_only"),
        ("会员价没算上 补一下", "compensation"),
    ],
)
def test_request_cues(text: str, ask: str) -> None:
    assert classify(text).request == ask


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("还没发获吗", "还没发货吗"),
        ("东西怀了", "东西坏了"),
        ("她怀了宝宝", "她怀了宝宝"),
        ("pls refund asap", "请 退款 尽快"),
        ("shipping fee", "shipping fee"),
        ("订单号1234567890123456", "订单号1234567890123456"),
    ],
)
def test_rewrites(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_typo_still_reports_the_fault() -> None:
    t = classify("刚收到的电水壶就怀了")
    assert (t.issue, t.priority) == ("quality", "p2")
