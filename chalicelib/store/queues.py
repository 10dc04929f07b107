"""SQS adapters: the inbound FIFO task queue and the outbound delivery queue."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ..domain import OutboundMessage


class SqsTaskQueue:
    """Inbound FIFO: group = customer key, deduplication id = the channel's message id."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send_many(self, items: Sequence[tuple[str, str, str]]) -> None:
        """Send (body, group, dedupe_id) items in as few calls as possible (10 per batch).

        Raises:
            RuntimeError: when SQS refused any entry (the caller must not ACK the provider).
        """
        for start in range(0, len(items), 10):
            batch = items[start:start + 10]
            r = self._sqs.send_message_batch(QueueUrl=self._url, Entries=[
                {"Id": str(i), "MessageBody": body, "MessageGroupId": group[:128],
                 "MessageDeduplicationId": _dedupe(dedupe)}
                for i, (body, group, dedupe) in enumerate(batch)
            ])
            if r.get("Failed"):
                raise RuntimeError(f"SQS refused {len(r['Failed'])} of {len(batch)} tasks: {r['Failed'][0].get('Code')}")

    def send(self, body: str, *, group: str, dedupe_id: str) -> None:
        self.send_many([(body, group, dedupe_id)])


def _dedupe(value: str) -> str:
    return value if len(value) <= 128 and value.isascii() and value.isprintable() else hashlib.sha256(value.encode()).hexdigest()


class SqsOutboundQueue:
    """Outbound standard queue: one OutboundMessage JSON per message."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, message: OutboundMessage, *, delay_s: int = 0) -> None:
        self._sqs.send_message(QueueUrl=self._url, MessageBody=message.model_dump_json(), DelaySeconds=min(delay_s, 900))

    def send_many(self, messages: Sequence[OutboundMessage]) -> None:
        """Send several messages, 10 per call."""
        for start in range(0, len(messages), 10):
            batch = messages[start:start + 10]
            r = self._sqs.send_message_batch(QueueUrl=self._url, Entries=[
                {"Id": str(i), "MessageBody": m.model_dump_json()} for i, m in enumerate(batch)])
            if r.get("Failed"):
                raise RuntimeError(f"SQS refused {len(r['Failed'])} outbound messages")

    def retry_later(self, receipt_handle: str, delay_s: int) -> None:
        """Back-off: hide a failed message for `delay_s` before its next attempt."""
        self._sqs.change_message_visibility(QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=min(delay_s, 43200))
