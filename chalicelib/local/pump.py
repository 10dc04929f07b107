"""Queue pump: what Lambda's SQS event source mapping does, for one queue and one in-process handler."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("shouhou-local.pump")

Handler = Callable[[dict[str, Any], Any], Any]
ContextFactory = Callable[[], Any]


def lambda_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One SQS message as Lambda hands it to a function (camelCase record, lower-case attribute values)."""
    attrs = dict(message.get("Attributes", {}))
    body = message["Body"]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": body,
        "attributes": attrs,
        "messageAttributes": {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": value.get("BinaryValue"),
                "stringListValues": value.get("StringListValues", []),
                "binaryListValues": value.get("BinaryListValues", []),
                "dataType": value["DataType"],
            }
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(body.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def failed_ids(response: Any, records: list[dict[str, Any]]) -> set[str]:
    """Message ids the handler reported as failed; an unreadable response fails the whole batch (as Lambda does)."""
    all_ids = {r["messageId"] for r in records}
    if response is None:
        return set()
    if not isinstance(response, dict) or not isinstance(response.get("batchItemFailures", []), list):
        log.error("handler returned %r, not {'batchItemFailures': [...]}; failing the batch", type(response))
        return all_ids
    ids = set()
    for item in response.get("batchItemFailures", []):
        ident = item.get("itemIdentifier") if isinstance(item, dict) else None
        if ident not in all_ids:  # Lambda treats an unknown or empty identifier as a whole-batch failure
            log.error("batchItemFailures names %r, not a record of this batch; failing the batch", ident)
            return all_ids
        ids.add(ident)
    return ids


class SqsPump:
    """Long-polls one queue, invokes the handler with a Lambda SQS event, deletes what did not fail.

    Failed records stay in the queue; they become visible again after `retry_after_s` (Lambda waits the
    queue's visibility timeout, 6 min here, which is too slow to watch locally) and, after maxReceiveCount
    receives, SQS's redrive policy moves them to the dead-letter queue.
    """

    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: Handler,
        context_factory: ContextFactory,
        *,
        region: str,
        name: str,
        batch_size: int = 10,
        wait_s: int = 1,
        retry_after_s: int = 5,
    ) -> None:
        self._sqs = sqs
        self._queue_url = queue_url
        self._handler = handler
        self._context_factory = context_factory
        self._region = region
        self.name = name
        self._batch_size = batch_size
        self._wait_s = wait_s
        self._retry_after_s = retry_after_s
        self._queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.processed = 0
        self.failed = 0

    def run(self, stop: threading.Event) -> None:
        """Pump until `stop` is set; one bad batch (or a broken handler) never stops the loop."""
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # per-batch isolation: log and keep pumping
                log.exception("%s: pump tick failed", self.name)
                stop.wait(1.0)

    def tick(self) -> int:
        """Receive one batch and process it; returns the number of messages received."""
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url,
            MaxNumberOfMessages=self._batch_size,
            WaitTimeSeconds=self._wait_s,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if messages:
            self._process([lambda_record(m, self._queue_arn, self._region) for m in messages])
        return len(messages)

    def _process(self, records: list[dict[str, Any]]) -> None:
        try:
            response = self._handler({"Records": records}, self._context_factory())
        except Exception:  # a raising handler fails the whole batch, like a Lambda error
            log.exception("%s: handler raised; %d record(s) will be retried", self.name, len(records))
            response = {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records]}
        failed = failed_ids(response, records)
        done = [r for r in records if r["messageId"] not in failed]
        retry = [r for r in records if r["messageId"] in failed]
        for start in range(0, len(done), 10):
            chunk = done[start : start + 10]
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(chunk)],
            )
        for r in retry:
            self._sqs.change_message_visibility(
                QueueUrl=self._queue_url, ReceiptHandle=r["receiptHandle"], VisibilityTimeout=self._retry_after_s
            )
        self.processed += len(done)
        self.failed += len(retry)
        if retry:
            log.warning("%s: %d of %d record(s) failed, retrying in %ss", self.name, len(retry), len(records),
                        self._retry_after_s)
