"""Rule families added in session 2: 'what if' questions are inquiries, and the signs of a lost parcel."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "万一孩子穿了起疹子，可以退吗",       # 万一 decides even though the clause says 穿了
        "要是用了一个月就坏了，能换新的吗",
        "假如收到发现尺码不对，怎么处理",
        "还没下单，买完降价的话会补差价吗",
        "你们家有运费险吗",
        "支持七天无理由吗？",
        "运费险是自动带的吗，要自己买吗",
        "退货的运费谁出呀",
    ],
)
def test_what_if_and_policy_questions_are_inquiries(text: str) -> None:
    t = classify(text)
    assert (t.issue, t.request, t.priority) == ("inquiry", "info", "p3"), t.reasons


def test_a_fact_is_still_a_fault() -> None:
    t = classify("孩子穿了起疹子，退货")
    assert t.issue == "quality" and t.request == "return_refund"


@pytest.mark.parametrize(
    "text",
    [
        "一直没收到货，物流显示已签收",            # 没收到 before 已签收
        "显示妥投了，可我家门口什么都没有",
        "取件码显示已使用，柜子里没东西",
        "快递说放在楼下门卫了，我去问了没有",
        "十几天了物流都不更新",
        "二十天了还在同一个转运中心",
    ],
)
def test_signs_of_a_lost_parcel(text: str) -> None:
    assert classify(text).issue == "lost", classify(text).reasons


def test_a_slow_parcel_is_still_shipping() -> None:
    assert classify("物流两天没更新了，正常吗").issue == "shipping"


def test_a_price_claim_stays_price() -> None:
    assert classify("昨天买的今天就降价了，能价保吗").issue == "price"
