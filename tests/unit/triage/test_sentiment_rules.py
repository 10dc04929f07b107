"""Sentiment: sarcasm, praise with complaint, neutral questions and requests, polarity sign."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    "text",
    ["真是谢谢你们了，一个快递走了半个月", "呵呵，又是让我耐心等待", "你们效率真高啊[微笑]等了一周都没发货"],
)
def test_sarcasm_is_negative(text: str) -> None:
    t = classify(text)
    assert t.sentiment == "negative"
    assert t.sentiment_score < 0


@pytest.mark.parametrize("text", ["请问这个有大码吗？", "麻烦帮我查一下物流，谢谢", "订单能改地址吗"])
def test_questions_and_plain_requests_are_neutral(text: str) -> None:
    assert classify(text).sentiment == "neutral"


def test_praise_is_positive() -> None:
    t = classify("衣服质量超好，很满意，下次还来😊")
    assert t.sentiment == "positive"
    assert t.sentiment_score > 0


def test_praise_with_mild_complaint_stays_positive() -> None:
    assert classify("东西不错，就是快递有点慢").sentiment == "positive"


def test_anger_is_negative() -> None:
    assert classify("什么垃圾东西！！！骗子！").sentiment == "negative"


def test_score_is_bounded() -> None:
    for text in ("好评好评好评太好了太满意了", "垃圾垃圾垃圾！！！！骗子骗子"):
        assert -1.0 <= classify(text).sentiment_score <= 1.0
