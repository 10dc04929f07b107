"""The nightly job seals finished days of every shop, so reports never pay for it on the first read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalicelib.accounts import parse_accounts
from chalicelib.bootstrap import bootstrap
from chalicelib.settings import Settings
from chalicelib.workers.nightly import seal, shops


class RecordingAggregates:
    def __init__(self) -> None:
        self.reads: list[tuple[str, list[date], date | None]] = []

    def read(self, shop: str, days: list[date], families: Any = None, *, today: date | None = None) -> dict:
        self.reads.append((shop, list(days), today))
        return {}


ACCOUNTS = parse_accounts('''
[[api_token]]
token = "0123456789abcdef-token"
shop = "shop-a"
[[webhook]]
account = "erp"
shop = "shop-b"
secret = "whsec_x"
''')


def test_seals_the_day_before_yesterday_for_every_shop():
    agg = RecordingAggregates()
    deps = bootstrap(Settings(), accounts=ACCOUNTS, aggregates=agg)
    assert shops(deps) == ["shop-a", "shop-b"]
    now = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # 00:30 on the 23rd in Shanghai
    assert seal(deps, now) == {"shop-a": 1, "shop-b": 1}
    assert agg.reads == [("shop-a", [date(2026, 11, 21)], date(2026, 11, 23)),
                         ("shop-b", [date(2026, 11, 21)], date(2026, 11, 23))]
