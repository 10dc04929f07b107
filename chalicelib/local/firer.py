"""Schedule firer: EventBridge Scheduler `at()` schedules, which moto stores but never fires."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

log = logging.getLogger("shouhou-local.firer")

Invoke = Callable[[dict[str, Any]], Any]
MAX_ATTEMPTS = 3


def due_at(expression: str, tz_name: str | None) -> datetime | None:
    """The instant of an `at(yyyy-mm-ddThh:mm:ss)` expression (in its schedule's time zone), else None."""
    if not (expression.startswith("at(") and expression.endswith(")")):
        return None
    try:
        naive = datetime.fromisoformat(expression[3:-1])
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=ZoneInfo(tz_name) if tz_name else UTC)


class ScheduleFirer:
    """Every `interval_s`, invokes due `at()` schedules of one group with their Input, then deletes them.

    Lambda targets whose ARN is in `functions` are called in-process; SQS targets get a message.
    A schedule is fired once: deleted after success (ActionAfterCompletion=DELETE or not; a fired
    one-time schedule never fires again in AWS either) or after MAX_ATTEMPTS failures.
    """

    def __init__(
        self,
        scheduler: Any,
        sqs: Any,
        group: str,
        functions: dict[str, Invoke],
        *,
        interval_s: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._scheduler = scheduler
        self._sqs = sqs
        self._group = group
        self._functions = functions
        self._interval_s = interval_s
        self._clock = clock
        self._attempts: dict[str, int] = {}
        self.fired: list[str] = []

    def run(self, stop: threading.Event) -> None:
        """Fire due schedules until `stop` is set; a failing tick is logged and the loop goes on."""
        while not stop.wait(self._interval_s):
            try:
                self.tick()
            except Exception:  # isolation: the firer survives a bad schedule or a moto hiccup
                log.exception("schedule firer tick failed")

    def tick(self) -> list[str]:
        """Fire every due schedule once; returns the names fired successfully."""
        fired = []
        for name in self._names():
            try:
                schedule = self._scheduler.get_schedule(Name=name, GroupName=self._group)
            except self._scheduler.exceptions.ResourceNotFoundException:
                continue  # an earlier fire in this tick re-planned or met that clock and deleted it
            when = due_at(schedule.get("ScheduleExpression", ""), schedule.get("ScheduleExpressionTimezone"))
            if when is None or when > self._clock() or schedule.get("State") == "DISABLED":
                continue
            if self._fire(name, schedule["Target"]):
                fired.append(name)
        self.fired.extend(fired)
        return fired

    def _names(self) -> list[str]:
        names: list[str] = []
        kwargs: dict[str, Any] = {"GroupName": self._group}
        while True:
            page = self._scheduler.list_schedules(**kwargs)
            names += [s["Name"] for s in page.get("Schedules", [])]
            if not page.get("NextToken"):
                return names
            kwargs["NextToken"] = page["NextToken"]

    def _fire(self, name: str, target: dict[str, Any]) -> bool:
        try:
            self._deliver(target)
        except Exception:  # a failing target is retried, then dropped (Scheduler RetryPolicy)
            self._attempts[name] = attempts = self._attempts.get(name, 0) + 1
            log.exception("schedule %s: target failed (attempt %d/%d)", name, attempts, MAX_ATTEMPTS)
            if attempts >= MAX_ATTEMPTS:
                log.error("schedule %s: giving up after %d attempts", name, attempts)
                self._delete(name)
            return False
        self._delete(name)
        log.info("schedule %s fired", name)
        return True

    def _deliver(self, target: dict[str, Any]) -> None:
        arn, payload = target["Arn"], target.get("Input") or "{}"
        if arn in self._functions:
            self._functions[arn](json.loads(payload))
        elif arn.startswith("arn:aws:sqs:"):
            url = self._sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]
            extra = {}
            group_id = target.get("SqsParameters", {}).get("MessageGroupId")
            if group_id:
                extra = {"MessageGroupId": group_id, "MessageDeduplicationId": "sched-" + hashlib.sha256(payload.encode()).hexdigest()}
            self._sqs.send_message(QueueUrl=url, MessageBody=payload, **extra)
        else:
            raise LookupError(f"no local target for {arn}")

    def _delete(self, name: str) -> None:
        self._attempts.pop(name, None)
        try:
            self._scheduler.delete_schedule(Name=name, GroupName=self._group)
        except self._scheduler.exceptions.ResourceNotFoundException:
            pass  # the handler (or an agent action) already deleted it
