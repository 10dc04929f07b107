"""Store errors: vendor errors translated at the adapter edge."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every store error."""


class ConcurrencyConflict(StoreError):
    """Raised when an optimistic write lost a race (the stored version moved on)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"concurrent update of {key}")
        self.key = key


class AlreadyExists(StoreError):
    """Raised when a conditional create finds the item already there."""

    def __init__(self, key: str) -> None:
        super().__init__(f"{key} already exists")
        self.key = key
