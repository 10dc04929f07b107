"""Ports: what the journeys need from the outside world, typed with domain types only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from .models import Case, CaseEvent, Message, Order, OutboundMessage, Shipment

Mutation = Callable[[Case], Sequence[CaseEvent]]


class Clock(Protocol):
    """Where `now` comes from (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


class CaseRepository(Protocol):
    """Cases, their messages and timelines, orders, shipments (single DynamoDB table in AWS)."""

    def claim(self, key: str, ttl_s: int) -> bool:
        """Record `key` as seen; True the first time, False on every repeat (dedupe)."""
        ...

    def release(self, key: str) -> None:
        """Forget a claim so that a failed task can be retried."""
        ...

    def get_case(self, case_id: str) -> Case | None: ...

    def get_customer_case(self, customer_key: str) -> Case | None:
        """The case the customer's open-case pointer names (it may be resolved)."""
        ...

    def create_case(self, case: Case, *, events: Sequence[CaseEvent] = (), messages: Sequence[Message] = ()) -> None:
        """Create a case, point the customer at it, and add its first messages and events atomically."""
        ...

    def save_case(
        self, case: Case, *, events: Sequence[CaseEvent] = (), messages: Sequence[Message] = ()
    ) -> Case:
        """Write `case` if nobody changed it since it was read (its `version`); returns the saved case.

        Raises:
            ConcurrencyConflict: when the stored version moved on.
        """
        ...

    def update_case(self, case_id: str, mutate: Mutation, *, attempts: int = 8) -> Case:
        """Read, apply `mutate` (which returns the events to record), save; retry on conflicts.

        Raises:
            CaseNotFound: when the case does not exist.
            ConcurrencyConflict: when every attempt lost a race.
        """
        ...

    def add_events(self, events: Iterable[CaseEvent]) -> None: ...

    def put_message(self, message: Message) -> None: ...

    def list_messages(self, case_id: str) -> list[Message]: ...

    def list_events(self, case_id: str) -> list[CaseEvent]: ...

    def list_cases(
        self,
        shop: str,
        *,
        filters: dict[str, str] | None = None,
        order: str = "newest",
        limit: int = 50,
        cursor: str | None = None,
    ) -> tuple[list[Case], str | None]:
        """A page of a shop's cases, newest or most urgent first, and the cursor of the next page."""
        ...

    def put_order(self, order: Order) -> None: ...

    def get_order(self, shop: str, order_no: str) -> Order | None: ...

    def put_shipment(self, shipment: Shipment) -> None: ...

    def get_shipment(self, carrier: str, tracking_no: str) -> Shipment | None: ...

    def find_shipment(self, tracking_no: str) -> Shipment | None:
        """A shipment by tracking number alone (carrier unknown)."""
        ...


class TaskQueue(Protocol):
    """The inbound FIFO queue: one task per channel delivery."""

    def send(self, body: str, *, group: str, dedupe_id: str) -> None: ...


class OutboundQueue(Protocol):
    """The outbound queue: progress updates and replies waiting to be delivered."""

    def send(self, message: OutboundMessage, *, delay_s: int = 0) -> None: ...


class OutboundSender(Protocol):
    """Delivers one outbound message on one channel; raises a `SendError` subclass on failure."""

    def send(self, message: OutboundMessage, case: Case | None = None) -> dict[str, Any]: ...


class SlaTimer(Protocol):
    """One-time schedules that fire the SLA handler (EventBridge Scheduler `at()` in AWS)."""

    def put(self, name: str, at: datetime, payload: dict[str, Any]) -> None: ...

    def delete(self, name: str) -> None: ...


class TokenStore(Protocol):
    """Shared cache of channel access tokens (one per channel account, across all Lambdas)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any], *, expected: str | None = None) -> bool:
        """Store `value`; with `expected`, only if the stored token is still that one (no storms)."""
        ...
