"""What every SMS provider's MO (上行) message becomes: a MessageReceived keyed by the phone number.

A reply of 退订 / TD / T (or STOP and friends) is still a normal message; it carries
`meta["opt_out"] = True` and the worker records the opt-out (`optout#<phone>`), which SmsSender honours.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from ...domain import ChannelId, CustomerRef, InboundMessage
from ...domain.tasks import MessageReceived

OPT_OUT_WORDS = frozenset({"退订", "TD", "T", "N", "退订短信", "取消订阅", "STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT"})
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_CN_MOBILE = re.compile(r"^(?:\+?86|0086)?(1\d{10})$")


def is_opt_out(text: str) -> bool:
    """Whether an SMS reply asks to stop messages (退订, TD, T, STOP …, case and punctuation ignored)."""
    word = _PUNCT.sub("", unicodedata.normalize("NFKC", text)).upper()
    return word in OPT_OUT_WORDS or (word.startswith("退订") and len(word) <= 6)


def normalise_phone(raw: str, nationcode: str | None = None) -> str:
    """Mainland mobiles as 11 digits (`13800000000`); anything else as E.164 (`+14155550100`)."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if nationcode and nationcode not in ("86", "+86") and not digits.startswith("+"):
        digits = f"+{nationcode.lstrip('+')}{digits}"
    m = _CN_MOBILE.match(digits)
    if m:
        return m.group(1)
    return digits if digits.startswith("+") or not digits else f"+{digits}"


def mo_task(
    *, provider: str, message_id: str, phone: str, text: str, received_at: datetime, account: str, shop: str,
    meta: dict[str, Any] | None = None,
) -> MessageReceived:
    """One MO message as a task; `dedupe_id` is the provider's id (or our hash where it has none)."""
    message = InboundMessage(
        channel=ChannelId.SMS, account=account, shop=shop, message_id=message_id,
        customer=CustomerRef(channel=ChannelId.SMS.value, account=account, user=phone), text=text,
        received_at=received_at, phone=phone,
        meta={"provider": provider, "opt_out": is_opt_out(text), **(meta or {})},
    )
    return MessageReceived(dedupe_id=message_id, channel=ChannelId.SMS.value, account=account, shop=shop, message=message)
