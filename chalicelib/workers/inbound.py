"""The inbound queue consumer: parse the envelope, dedupe, dispatch by task type."""

from __future__ import annotations

from typing import Any

from ..domain.tasks import MessageReceived, OrderUpserted, PlatformEvent, ShipmentUpdated, TaskEnvelope
from . import logistics, platform, triage
from .batch import run_batch


def handle_task(deps: Any, body: str) -> str:
    """One task, exactly once in effect (redeliveries are recognised by their dedupe key)."""
    task = TaskEnvelope.model_validate_json(body).task
    if isinstance(task, MessageReceived):
        return triage.on_message(deps, task)
    key = triage.task_key(task)
    if deps.repo.seen(key) is not None:
        return "duplicate"
    if isinstance(task, OrderUpserted):
        result = logistics.on_order(deps, task)
    elif isinstance(task, ShipmentUpdated):
        result = logistics.on_shipment(deps, task)
    else:
        assert isinstance(task, PlatformEvent)
        result = platform.on_event(deps, task)
    deps.repo.claim(key, deps.settings.seen_ttl_s)
    return result


def handle_batch(deps: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The SQS FIFO batch: per-record isolation, per-customer order kept on failure."""
    return run_batch(records, lambda r: handle_task(deps, r["body"]), ordered=True)
