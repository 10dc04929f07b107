"""Escalation notices, once each: send an attempt, record it on the timeline, schedule the next on a
retryable failure (1 min, 5 min, 30 min through EventBridge Scheduler, never by sleeping here). A retry
that fires after the case was resolved or closed is recorded as skipped and not sent.

Each attempt claims the dedupe marker `notice:<notice id>:<attempt>` before it sends, so a retry
fire that Scheduler delivers twice sends once. An attempt is therefore at most once: a Lambda that
dies mid-send does not resend that attempt.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol

from ..channels.errors import SendError, SendRetryable
from ..domain import CaseEvent, CaseStatus
from ..domain.ports import CaseRepository, Clock, SlaTimer
from ..sla.notify import KIND, Notice, retry_delay, retry_schedule_name
from ..store.errors import StoreError

log = logging.getLogger("shouhou.sla")
DONE = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})  # retries for these cases are not sent
NOTICE_TTL_S = 2 * 24 * 3600  # retries end within 40 minutes; the markers outlive them comfortably

__all__ = ["KIND", "Notifier", "deliver", "handle"]


class Notifier(Protocol):
    def notify(self, shop: str, target_name: str, text: str, data: dict[str, Any] | None = None, *,
               notice_id: str | None = None) -> dict[str, Any]: ...


def deliver(notice: Notice, attempt: int, *, repo: CaseRepository, timer: SlaTimer, notifier: Notifier,
            clock: Clock) -> dict[str, Any]:
    """Send attempt `attempt` (1 = first) of a notice once; record it; schedule the next one if it may help."""
    key = f"notice:{notice.notice_id}:{attempt}"
    if not repo.claim(key, NOTICE_TTL_S):
        return {"target": notice.target, "notice_id": notice.notice_id, "attempt": attempt, "duplicate": True}
    try:
        result = notifier.notify(notice.shop, notice.target, notice.text, notice.data, notice_id=notice.notice_id)
    except SendError as exc:  # transport errors (HttpClient raises SendRetryable)
        log.warning("case %s: notify %s attempt %d failed: %s", notice.case_id, notice.target, attempt, exc)
        result = {"target": notice.target, "sent": False, "reason": type(exc).__name__,
                  "retryable": isinstance(exc, SendRetryable)}
    now = clock.now()
    result = {**result, "notice_id": notice.notice_id, "attempt": attempt}
    if not result.get("sent"):
        result["retry_scheduled"] = False
        if result.get("retryable"):
            result.update(_schedule_retry(notice, attempt, result.get("retry_after"), timer, now))
    repo.add_events([_event(notice, result, now)])
    return result


def handle(deps: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """A notice retry fire (`kind = sla_notify`): the next attempt of one notice (a malformed fire is ignored)."""
    try:
        notice = Notice.from_payload(payload)
    except ValueError as exc:  # retrying a fire that can never work would only repeat this
        log.error("ignored a notice retry fire: %s", exc)
        return {"ignored": str(exc)}
    attempt = int(payload.get("attempt", 2))
    case = deps.repo.get_case(notice.case_id)
    if case is not None and case.status in DONE:  # the escalation no longer calls for anyone
        result = {"target": notice.target, "notice_id": notice.notice_id, "attempt": attempt, "sent": False,
                  "skipped": f"case {case.status.value}"}
        log.info("case %s: notify %s attempt %d skipped, the case is %s", notice.case_id, notice.target, attempt,
                 case.status.value)
        deps.repo.add_events([_event(notice, result, deps.clock.now())])
        return result
    return deliver(notice, attempt, repo=deps.repo, timer=deps.timer, notifier=deps.notifier, clock=deps.clock)


def _schedule_retry(notice: Notice, attempt: int, retry_after: Any, timer: SlaTimer, now: datetime) -> dict[str, Any]:
    delay = retry_delay(attempt, int(retry_after) if retry_after else None)
    if delay is None:
        return {"retry_scheduled": False, "gave_up": True}
    at = now + delay
    try:
        timer.put(retry_schedule_name(notice.notice_id, attempt + 1), at, notice.retry_payload(attempt + 1))
    except (StoreError, ValueError) as exc:  # recorded: without a schedule this notice stops here
        log.error("case %s: cannot schedule notify %s retry: %s", notice.case_id, notice.target, exc)
        return {"retry_scheduled": False, "retry_error": type(exc).__name__}
    return {"retry_scheduled": True, "retry_at": at.isoformat()}


def _event(notice: Notice, result: dict[str, Any], now: datetime) -> CaseEvent:
    d = notice.data
    sent = bool(result.get("sent"))
    tail = "" if sent or not result.get("retry_scheduled") else f"; retry at {result['retry_at']}"
    kind = "sla.notified" if sent else "sla.notify_skipped" if result.get("skipped") else "sla.notify_failed"
    if result.get("skipped"):
        tail = f"; not sent: {result['skipped']}"
    return CaseEvent(
        case_id=notice.case_id, at=now, type=kind, actor="sla",
        reason=(f"{d.get('clock')} escalation tier {d.get('tier')} ({d.get('policy')}): notify {notice.target}, "
                f"attempt {result['attempt']}{tail}"),
        data={**d, **result})
