from __future__ import annotations

import pytest

from chalicelib.workers.automation import goods_intact


@pytest.mark.parametrize("text,expected", [
    ("吊牌还在没穿过", True), ("未拆封，想退", True), ("穿过一次不合适", False), ("已经拆了用过", False),
    ("想退货", None), ("没穿过但是洗过", False),
])
def test_goods_intact_reads_negations(text, expected):
    assert goods_intact(text) is expected
