"""The nightly job: seal each shop's finished report days so that no report read has to."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from .. import analytics

log = logging.getLogger("shouhou.nightly")


def shops(deps: Any) -> list[str]:
    """Every shop the accounts file names (tokens and channel accounts)."""
    found = {e.shop for kind in ("api_token", "webhook", "wechat", "douyin", "doudian", "sms", "kuaidi100")
             for e in deps.accounts.all(kind)}
    return sorted(found)


def seal(deps: Any, now: datetime, *, days: int = 1, only: list[str] | None = None) -> dict[str, int]:
    """Seal the last `days` finished days (the day before yesterday and earlier) of every shop.

    Reading a finished day seals it (chalicelib.analytics); doing it here, once a night, keeps the
    first 90-day report of the morning as fast as the rest.
    """
    today = analytics.day_of(now)
    wanted = [today - timedelta(days=2 + n) for n in range(days)]
    sealed: dict[str, int] = {}
    for shop in only or shops(deps):
        analytics.aggregates(deps).read(shop, wanted, today=today)
        sealed[shop] = len(wanted)
    log.info("sealed %d day(s) for %d shop(s)", days, len(sealed))
    return sealed
