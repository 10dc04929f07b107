"""The customer-service window (OA and 微信客服): 5 messages in the 48 h after the customer's last message."""

from __future__ import annotations

from datetime import datetime, timedelta

from ...domain import Case

WINDOW = timedelta(hours=48)
QUOTA = 5
SENT_FLAG = "cs_sent_since_customer"  # case.flags counter the outbound worker increments after a custom send


def closed_reason(case: Case | None, now: datetime) -> str | None:
    """Why a customer-service message may not be sent now, or None when the window is open.

    Without a case nothing is known, so the message is tried and WeChat's own 45015/45047 decide.
    """
    if case is None:
        return None
    expired = expired_reason(case, now)
    if expired:
        return expired
    if int(case.flags.get(SENT_FLAG, 0)) >= QUOTA:
        return "quota_5_used"
    return None


def expired_reason(case: Case, now: datetime) -> str | None:
    """The 48 h half of the rule: why the window is shut whatever the count, or None."""
    last = case.last_customer_message_at
    if last is None:
        return "no_customer_message"
    if now - last > WINDOW:
        return "window_48h_expired"
    return None
