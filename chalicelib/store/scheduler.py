"""EventBridge Scheduler adapter for the SlaTimer port: one-time `at()` schedules that fire the sla handler."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .errors import StoreError

MAX_NAME = 64


class SchedulerError(StoreError):
    """Raised when EventBridge Scheduler refuses or fails a schedule change (e.g. a missing group)."""

    def __init__(self, name: str, code: str) -> None:
        super().__init__(f"schedule {name}: {code}")
        self.name = name
        self.code = code


class SchedulerSlaTimer:
    """SlaTimer on EventBridge Scheduler: `put` creates or updates, `delete` ignores missing schedules."""

    def __init__(self, client: Any, group: str, target_arn: str, role_arn: str) -> None:
        self._client = client
        self._group = group
        self._target_arn = target_arn
        self._role_arn = role_arn

    def put(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        """Schedule `payload` for `at` (UTC, to the second) under `name`; replaces a schedule of that name.

        Raises:
            SchedulerError: when Scheduler refuses the schedule or cannot be reached.
            ValueError: when `name` is longer than 64 characters or `at` is naive.
        """
        if len(name) > MAX_NAME:
            raise ValueError(f"schedule name longer than {MAX_NAME}: {name}")
        if at.tzinfo is None:
            raise ValueError("schedule time must be timezone-aware")
        args = self._args(name, at, payload)
        try:
            self._client.create_schedule(**args)
        except ClientError as exc:
            if _code(exc) != "ConflictException":
                raise SchedulerError(name, _code(exc)) from exc
            self._update(args)
        except BotoCoreError as exc:
            raise SchedulerError(name, type(exc).__name__) from exc

    def delete(self, name: str) -> None:
        """Delete a schedule; one that no longer exists (fired and auto-deleted) is fine.

        Raises:
            SchedulerError: on any other failure.
        """
        try:
            self._client.delete_schedule(Name=name, GroupName=self._group)
        except ClientError as exc:
            if _code(exc) != "ResourceNotFoundException":
                raise SchedulerError(name, _code(exc)) from exc
        except BotoCoreError as exc:
            raise SchedulerError(name, type(exc).__name__) from exc

    def _update(self, args: dict[str, Any]) -> None:
        try:
            self._client.update_schedule(**args)
        except (ClientError, BotoCoreError) as exc:
            code = _code(exc) if isinstance(exc, ClientError) else type(exc).__name__
            raise SchedulerError(args["Name"], code) from exc

    def _args(self, name: str, at: datetime, payload: dict[str, Any]) -> dict[str, Any]:
        when = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return {
            "Name": name,
            "GroupName": self._group,
            "ScheduleExpression": f"at({when})",
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "State": "ENABLED",
            "Target": {
                "Arn": self._target_arn,
                "RoleArn": self._role_arn,
                "Input": json.dumps(payload, separators=(",", ":"), sort_keys=True),
                "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 3600},
            },
        }


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code") or exc.response.get("ResponseMetadata", {}).get(
        "HTTPStatusCode", "unknown"))
