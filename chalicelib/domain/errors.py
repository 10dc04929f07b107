"""Domain errors: raised by pure rules, mapped to HTTP codes only in api/errors.py."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error the domain raises."""


class CaseNotFound(DomainError):
    """Raised when a case id does not exist (or belongs to another shop)."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"case {case_id} not found")
        self.case_id = case_id


class InvalidTransition(DomainError):
    """Raised when a case status change is not allowed by the state machine."""

    def __init__(self, case_id: str, current: str, target: str) -> None:
        super().__init__(f"case {case_id}: {current} -> {target} is not allowed")
        self.case_id = case_id
        self.current = current
        self.target = target


class DuplicateMessage(DomainError):
    """Raised when a channel message id has already been processed."""

    def __init__(self, message_id: str) -> None:
        super().__init__(f"message {message_id} already processed")
        self.message_id = message_id
