"""SQS batches with partial failures: each record in its own try; a failed customer's later records fail too."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("shouhou.worker")


def run_batch(records: Iterable[dict[str, Any]], handle: Callable[[dict[str, Any]], Any], *, ordered: bool) -> dict[str, Any]:
    """Run `handle` per record and return `{"batchItemFailures": [...]}` for the event source mapping.

    With `ordered`, once a record of a message group fails, the group's later records in the batch
    are reported failed without running, so SQS FIFO redelivers them in order.
    """
    failures: list[dict[str, str]] = []
    failed_groups: set[str] = set()
    for record in records:
        rid = record["messageId"]
        group = (record.get("attributes") or {}).get("MessageGroupId", "")
        if ordered and group and group in failed_groups:
            failures.append({"itemIdentifier": rid})
            continue
        try:
            handle(record)
        except Exception:  # per-record isolation: log, report, keep going
            log.exception("record %s failed (receive count %s)", rid,
                          (record.get("attributes") or {}).get("ApproximateReceiveCount"))
            failures.append({"itemIdentifier": rid})
            if group:
                failed_groups.add(group)
    return {"batchItemFailures": failures}
