"""Outbound worker: deliver one message on the customer's channel, once, and record it on the timeline."""

from __future__ import annotations

import logging
from typing import Any

from .. import analytics
from ..channels.errors import SendPermanent, SendRetryable, SendWindowClosed, UnknownChannel
from ..domain import Case, CaseEvent, Direction, Message, OutboundKind, OutboundMessage
from .batch import run_batch

log = logging.getLogger("shouhou.outbound")
_WINDOW_COUNTERS = {"wechat": "cs_sent_since_customer", "douyin": "dy_sent_since_customer"}


def deliver(deps: Any, message: OutboundMessage, *, receive_count: int = 1) -> str:
    """Send once; retryable failures raise (SQS retries, then the DLQ), permanent ones are recorded.

    Raises:
        SendRetryable: when the provider failed transiently and attempts remain.
    """
    key = f"out:{message.outbound_id}"
    if deps.repo.seen(key) is not None:
        return "duplicate"
    case = deps.repo.get_case(message.case_id)
    try:
        result = _send_with_fallback(deps, message, case)
    except SendRetryable as exc:
        final = receive_count >= deps.settings.outbound_max_attempts
        _record(deps, message, "failed" if final else "retrying", {"error": str(exc), "attempt": receive_count,
                                                                       "provider_code": exc.provider_code})
        if final:
            deps.repo.claim(key, deps.settings.seen_ttl_s, {"state": "failed"})
            return "failed"
        raise
    except (SendPermanent, UnknownChannel) as exc:
        deps.repo.claim(key, deps.settings.seen_ttl_s, {"state": "failed"})
        _record(deps, message, "failed", {"error": str(exc), "provider_code": getattr(exc, "provider_code", None)})
        return "failed"
    deps.repo.claim(key, deps.settings.seen_ttl_s, {"state": "sent", **{k: str(v) for k, v in result.items()}})
    _record(deps, message, "sent", result)
    return "sent"


def _send_with_fallback(deps: Any, message: OutboundMessage, case: Case | None) -> dict[str, Any]:
    try:
        return dict(deps.sender(message.channel).send(message, case))
    except SendWindowClosed as exc:
        phone = message.phone or (case.phone if case else None)
        if not phone or (case and case.flags.get("sms_opt_out")):
            raise SendPermanent(f"{exc}; no SMS fallback ({'opted out' if phone else 'no phone known'})") from exc
        sms_msg = message.model_copy(update={"channel": "sms", "phone": phone})
        result = dict(deps.sender("sms").send(sms_msg, case))
        return {**result, "fallback": "sms", "reason": str(exc)}


def _record(deps: Any, message: OutboundMessage, state: str, result: dict[str, Any]) -> None:
    now = deps.clock.now()
    counter = _WINDOW_COUNTERS.get(message.channel)
    via = str(result.get("via", ""))
    counted = state == "sent" and "fallback" not in result and (via.endswith(".custom") or message.channel == "douyin")

    def mutate(case: Case) -> list[CaseEvent]:
        if counted and counter:
            case.flags = {**case.flags, counter: int(case.flags.get(counter, 0)) + 1}
        if state == "sent" and message.kind in (OutboundKind.AUTO_ANSWER, OutboundKind.AGENT_REPLY):
            case.last_reply_at = now
            case.flags = {**case.flags, "unanswered": []}
        return [CaseEvent(case_id=case.case_id, at=now, type=f"outbound.{state}", actor="system",
                          reason=str(result.get("reason") or result.get("error") or result.get("via") or state),
                          data={"outbound_id": message.outbound_id, "kind": message.kind.value,
                                **{k: v for k, v in result.items() if isinstance(v, (str, int, float, bool)) or v is None}})]

    deps.repo.update_case(message.case_id, mutate)
    analytics.on_outbound(deps, message, state, now)
    if state == "sent":
        deps.repo.put_message(Message(
            case_id=message.case_id, message_id=message.outbound_id, direction=Direction.OUTBOUND,
            channel=str(result.get("fallback") or message.channel), at=now, text=message.text,
            author=str(message.data.get("agent") or "system"), delivery="sent"))
    log.info("outbound %s %s via %s", message.outbound_id, state, result.get("via") or message.channel)


def handle_batch(deps: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The outbound SQS batch; failed records back off exponentially before SQS redelivers them."""

    def one(record: dict[str, Any]) -> None:
        count = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
        message = OutboundMessage.model_validate_json(record["body"])
        try:
            deliver(deps, message, receive_count=count)
        except SendRetryable as exc:
            delay = max(exc.retry_after, deps.settings.outbound_backoff_s * 2 ** (count - 1))
            if record.get("receiptHandle"):
                deps.outbound.retry_later(record["receiptHandle"], delay)
            raise

    return run_batch(records, one, ordered=False)
