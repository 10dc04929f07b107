"""AWS adapters: DynamoDB repository, SQS queues, token cache, counters, scheduler timer."""

from __future__ import annotations

from .dynamo import DynamoCaseRepository
from .errors import AlreadyExists, ConcurrencyConflict, StoreError
from .queues import SqsOutboundQueue, SqsTaskQueue
from .tokens import DynamoCounters, DynamoTokenStore

__all__ = [
    "AlreadyExists", "ConcurrencyConflict", "DynamoCaseRepository", "DynamoCounters", "DynamoTokenStore",
    "SqsOutboundQueue", "SqsTaskQueue", "StoreError",
]
