"""Priority triggers: safety, legal/public threats, high value, angry repetition."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "充电器插上就冒烟了，差点着火，退货",
        "孩子用了这个爽身粉全身过敏起疹子",
        "面包里吃出了虫子，要求赔偿",
    ],
)
def test_safety_is_p1(text: str) -> None:
    assert classify(text).priority == "p1"


@pytest.mark.parametrize("text", ["再不退款我就打12315", "我已经联系律师了", "不处理就发微博曝光你们"])
def test_legal_or_public_threat_is_p1(text: str) -> None:
    t = classify(text)
    assert t.priority == "p1"
    assert any("legal" in r for r in t.reasons)


def test_high_value_fault_is_p1() -> None:
    assert classify("3999买的投影仪用了两天就黑屏了，给我换").priority == "p1"


def test_high_value_question_is_not_p1() -> None:
    assert classify("这款3999元的投影仪有现货吗？").priority == "p3"


def test_angry_repetition_is_p1() -> None:
    assert classify("第三次问了！！！我的退款到底什么时候到！！").priority == "p1"


def test_safety_word_in_a_pre_sale_question_is_not_p1() -> None:
    assert classify("孕妇可以用吗？").priority == "p3"


def test_plain_fault_is_p2_and_praise_is_p3() -> None:
    assert classify("拉链坏了，能换一个吗").priority == "p2"
    assert classify("东西很好，已经推荐给朋友了").priority == "p3"
