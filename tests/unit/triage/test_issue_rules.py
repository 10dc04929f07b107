"""Issue keyword rules, negation and contrast (sentences written for these tests)."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("买的电风扇插上电一点反应都没有，开不了机", "quality"),
        ("我下单三天了还没发货，什么时候能发", "shipping"),
        ("物流显示已签收，可我根本没有收到包裹", "lost"),
        ("台灯的灯罩到手就碎了，外箱也压扁了", "damaged"),
        ("我买的是蓝色的杯子，收到的是粉色的", "wrong_item"),
        ("说好的赠品没收到，少发了一个收纳袋", "missing_item"),
        ("跟详情页的图片差别太大了，色差严重", "not_as_described"),
        ("拍错了，不想要了", "changed_mind"),
        ("昨天刚买今天就降价了，能价保吗", "price"),
        ("麻烦开一张专票，抬头是公司", "invoice"),
        ("你们客服什么态度，问三句回一句", "service"),
        ("请问这款电饭煲保修多久？", "inquiry"),
        ("恭喜您中奖了，点击链接领取", "other"),
    ],
)
def test_issue_keywords(text: str, issue: str) -> None:
    assert classify(text).issue == issue


class TestNegation:
    def test_negated_quality_is_a_change_of_mind(self) -> None:
        # GIVEN the customer explicitly says it is not a quality problem
        t = classify("不是质量问题哈，就是颜色不喜欢，想退")
        assert t.issue == "changed_mind"
        assert t.responsibility == "customer"

    def test_no_quality_problem_at_all(self) -> None:
        assert classify("东西没有任何质量问题，只是买多了，能退一个吗").issue == "changed_mind"

    def test_rhetorical_question_is_not_negation(self) -> None:
        assert classify("等了十多天，包裹是不是被人冒领了").issue == "lost"


class TestContrast:
    def test_clause_after_but_decides(self) -> None:
        t = classify("虽然包装挺好的，但是打开发现少了一个配件")
        assert t.issue == "missing_item"

    def test_praise_then_complaint_is_not_positive(self) -> None:
        t = classify("客服态度不错，但是这个吹风机用了两天就坏了")
        assert t.issue == "quality"
        assert t.sentiment != "positive"


class TestHypothetical:
    def test_what_if_question_is_an_inquiry(self) -> None:
        assert classify("如果用了过敏怎么办？").issue == "inquiry"

    def test_question_about_a_property_is_an_inquiry(self) -> None:
        t = classify("这个水杯会不会有塑料味？")
        assert t.issue == "inquiry"
        assert t.priority == "p3"


class TestDerivedFields:
    def test_scenario_and_responsibility_follow_the_taxonomy(self) -> None:
        t = classify("收到的衣服发错颜色了")
        assert (t.responsibility, t.scenario) == ("merchant", "product")
