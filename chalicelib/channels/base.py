"""What every inbound channel adapter takes and gives: a raw request in, tasks and an ACK out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..domain.tasks import MessageReceived, OrderUpserted, PlatformEvent, ShipmentUpdated

TaskT = MessageReceived | OrderUpserted | ShipmentUpdated | PlatformEvent


@dataclass(frozen=True)
class RawRequest:
    """An HTTP request as received, before anything is parsed; header names are lower-case."""

    method: str
    account: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes
    source_ip: str | None = None
    path: str = ""


@dataclass(frozen=True)
class Ack:
    """The exact response a provider expects."""

    body: str = ""
    status: int = 200
    content_type: str = "application/json"


@dataclass(frozen=True)
class IngressResult:
    """What ingress enqueues (one SQS call for all tasks) and what it answers."""

    ack: Ack
    tasks: tuple[TaskT, ...] = field(default=())


class InboundAdapter(Protocol):
    """verify → parse → normalise for one channel (or SMS provider)."""

    section: str  # the accounts-file section its accounts live in

    def receive(self, request: RawRequest, account: Any, now: datetime, *, tolerance_s: int) -> IngressResult:
        """Verify and normalise one request.

        Raises:
            SignatureInvalid, ReplayRejected, PayloadInvalid: on bad input.
        """
        ...
