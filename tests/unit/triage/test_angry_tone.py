"""Angry tone without swear words, and weak fault cues standing alone (sentences written for these tests)."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "说好三天到 现在一周了？？",
        "又是这样！！",
        "明明是你们的问题 赔钱",
        "这不是骗人吗 图片跟实物差那么多",
        "你们寄的什么东西 立刻退钱",
        "怎么做事的 发个货都能发错",
    ],
)
def test_angry_without_swearing_is_negative(text: str) -> None:
    assert classify(text).sentiment == "negative"


@pytest.mark.parametrize("text", ["杯口有个缺口 麻烦退款哦，谢谢", "请问怎么退款呀"])
def test_polite_ask_is_not_negative(text: str) -> None:
    assert classify(text).sentiment != "negative"


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("收到的碗有裂缝 麻烦退钱", "damaged"),
        ("收到了，谢谢", "other"),
        ("才用了两天就离不开了", "other"),
    ],
)
def test_lone_weak_fault_cue(text: str, issue: str) -> None:
    assert classify(text).issue == issue
