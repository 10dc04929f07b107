"""The weekly digest: built from a shop's report aggregates and posted to its notify targets.

`GET /api/reports/digest` and `POST /api/reports/digest/send` (api.reports) build and post one
shop's digest on request; `send_weekly` is the Monday 09:00 (Asia/Shanghai) schedule, which sends
last week's digest to every shop's digest targets (`[[notify]]` entries with `digest = true`).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta
from typing import Any

from .. import analytics
from ..analytics import digest as digest_text
from ..analytics import report, spikes
from ..analytics.periods import days_between
from ..channels.errors import SendError
from .nightly import shops as account_shops

log = logging.getLogger("shouhou.digest")
EXAMPLE_SPIKES = 10  # spikes that get example messages
DIGEST_TTL_S = 30 * 24 * 3600  # a week's digest is sent once per target; the marker outlives any re-run

__all__ = ["digest_targets", "hot_issues", "post", "send_weekly", "weekly"]


def hot_issues(deps: Any, shop: str, start: date, end: date, granularity: str = "day") -> dict[str, Any]:
    """Top issue × SKU and keywords per day/week and the spikes (vs the trailing 14 days), with examples."""
    store = analytics.aggregates(deps)
    today = analytics.day_of(deps.clock.now())
    data = store.read(shop, days_between(start - timedelta(days=spikes.BASELINE_DAYS), end), ("hot",), today=today)
    out = spikes.hot_issues(data, start, end, granularity=granularity)
    shown = out["spikes"][:EXAMPLE_SPIKES]
    found = store.examples(shop, [(date.fromisoformat(s["day"]), s["counter"]) for s in shown])
    for s in shown:
        s["examples"] = found[(date.fromisoformat(s["day"]), s["counter"])]
    return out


def weekly(deps: Any, shop: str, end: date) -> dict[str, Any]:
    """The digest of the 7 shop-local days ending `end`: `{shop, from, to, text}`."""
    start = end - timedelta(days=6)
    hot = hot_issues(deps, shop, start, end)
    today = analytics.day_of(deps.clock.now())
    data = analytics.aggregates(deps).read(shop, days_between(start, end), ("case",), today=today)
    svc = report.service(data, start, end)
    return {"shop": shop, "from": start.isoformat(), "to": end.isoformat(),
            "text": digest_text.weekly_text(shop, start, end, hot["spikes"], svc)}


def post(deps: Any, target: Any, digest: dict[str, Any]) -> dict[str, Any]:
    """Post one digest to one notify target (WeCom robot text, or a JSON webhook, signed when it has a secret).

    Raises:
        SendRetryable: when the target cannot be reached.
    """
    event = {"type": "report.weekly_digest", "data": {"shop": digest["shop"], "text": digest["text"]}}
    key = "\x00".join((digest["shop"], target.name, digest["from"], digest["to"]))
    message_id = "dig_" + hashlib.sha256(key.encode()).hexdigest()[:24]
    return dict(deps.notifier.post(target, digest["text"], event, message_id))


def digest_targets(deps: Any, shop: str) -> list[Any]:
    """The shop's notify targets that take the weekly digest (`digest = true`)."""
    return [t for t in deps.accounts.all("notify") if t.shop == shop and t.digest]


def send_weekly(deps: Any, now: datetime) -> dict[str, Any]:
    """Send last week (Monday to Sunday before `now`, shop-local) to every shop's digest targets, once each."""
    end = analytics.day_of(now) - timedelta(days=1)
    every = sorted(set(account_shops(deps)) | {t.shop for t in deps.accounts.all("notify")})
    sent: dict[str, list[dict[str, Any]]] = {}
    skipped: list[str] = []
    for shop in every:
        targets = digest_targets(deps, shop)
        if not targets:
            log.info("weekly digest: shop %s has no digest target ([[notify]] with digest = true); skipped", shop)
            skipped.append(shop)
            continue
        try:
            digest = weekly(deps, shop, end)
        except Exception:  # per-shop isolation: one shop's failure does not stop the others' digests
            log.exception("weekly digest: shop %s: cannot build the digest", shop)
            sent[shop] = [{"target": t.name, "sent": False, "reason": "digest not built"} for t in targets]
            continue
        sent[shop] = [_send_once(deps, t, digest) for t in targets]
    log.info("weekly digest %s: sent to %d shop(s), %d skipped", end.isoformat(), len(sent), len(skipped))
    return {"week_ending": end.isoformat(), "sent": sent, "skipped": skipped}


def _send_once(deps: Any, target: Any, digest: dict[str, Any]) -> dict[str, Any]:
    key = f"digest:{digest['shop']}:{target.name}:{digest['to']}"
    if not deps.repo.claim(key, DIGEST_TTL_S):
        return {"target": target.name, "sent": False, "duplicate": True}
    try:
        result = post(deps, target, digest)
    except SendError as exc:
        result = {"target": target.name, "sent": False, "reason": type(exc).__name__}
    if not result.get("sent"):
        deps.repo.release(key)  # a re-run of the schedule may try this target again
        log.warning("weekly digest: shop %s target %s not delivered: %s", digest["shop"], target.name,
                    result.get("reason"))
    return result
