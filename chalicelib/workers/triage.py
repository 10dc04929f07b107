"""Triage worker: one inbound customer message → deduped, threaded, classified, SLA-planned, answered."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from .. import analytics
from ..domain import (
    Case,
    CaseEvent,
    CaseStatus,
    Direction,
    InboundMessage,
    Message,
    OutboundMessage,
    Priority,
    joins_existing,
    transition,
)
from ..domain.tasks import MessageReceived
from ..store.errors import ConcurrencyConflict
from . import automation, outbox, platform_actions, returns_flow
from .labels import apply_triage
from .slaplan import SlaPlan

log = logging.getLogger("shouhou.triage")
ATTEMPTS = 5
OPT_OUT_TTL_S = 10 * 365 * 86400


def task_key(task: Any) -> str:
    """The dedupe key of a task: channel, account and the channel's own id."""
    return f"task:{task.channel}:{task.account}:{task.dedupe_id}"


def resend_outbox(deps: Any, prior: dict[str, Any]) -> None:
    """A redelivered task: re-queue what it produced (the outbound worker drops what was delivered)."""
    pending = [OutboundMessage.model_validate(m) for m in prior.get("outbound", [])]
    if pending:
        deps.outbound.send_many(pending)


def on_message(deps: Any, task: MessageReceived) -> str:
    """Record a customer message exactly once and act on it; returns what happened."""
    key = task_key(task)
    prior = deps.repo.seen(key)
    if prior is not None:
        resend_outbox(deps, prior)
        log.info("duplicate %s ignored", key)
        return "duplicate"
    if task.message.meta.get("opt_out") and task.message.phone:
        from ..channels.sms.send import optout_key

        deps.counters.incr(optout_key(task.message.phone), OPT_OUT_TTL_S)  # 退订 stops SMS on every case
    triage = deps.classify(task.message.text) if task.message.text.strip() else None
    for attempt in range(ATTEMPTS):
        try:
            return _record(deps, task, key, triage)
        except ConcurrencyConflict:
            if deps.repo.seen(key) is not None:
                return "duplicate"
            log.info("conflict on %s, retry %d", key, attempt + 1)
    raise ConcurrencyConflict(key)


def _record(deps: Any, task: MessageReceived, key: str, triage: Any) -> str:
    msg = task.message
    now = deps.clock.now()
    existing = deps.repo.get_customer_case(msg.customer.key)
    window = timedelta(days=deps.settings.reopen_window_days)
    is_new = not joins_existing(existing, now, window)
    case = _new_case(deps, msg, now) if is_new else existing
    assert case is not None
    events: list[CaseEvent] = []
    if is_new:
        events.append(CaseEvent(case_id=case.case_id, at=now, type="created", actor="customer",
                                reason=f"first message on {msg.channel.value}",
                                data={"to": CaseStatus.NEW.value, "label": "已受理"}, customer_visible=True))
    csat = None if is_new else automation.csat_reply(deps, case, msg, now)
    # the tracking number of an approved return: a continuation of the return, not a new question
    return_parcel = not is_new and returns_flow.awaiting_return(case) and bool(triage and triage.entities.get("tracking_no"))
    if csat is not None:
        events += csat[0]
    elif return_parcel:
        pass
    elif case.status in (CaseStatus.RESOLVED, CaseStatus.WAITING_CUSTOMER):
        why = "customer replied" if case.status is CaseStatus.WAITING_CUSTOMER else "customer wrote again within the reopen window"
        events.append(transition(case, CaseStatus.OPEN, now=now, actor="customer", reason=why))
    stored = _stored_message(case.case_id, msg, triage)
    events.append(CaseEvent(case_id=case.case_id, at=now, type="message", actor="customer", reason="customer message",
                            data={"message_id": msg.message_id, "kind": msg.kind, "text": msg.text[:500]}))
    _note_customer_activity(case, msg, now)
    sla = SlaPlan(deps)
    if csat is not None:  # a survey answer: recorded, no re-classification, no automation
        out = outbox.progress_updates(deps, case, events, now) + csat[1]
    else:
        if not return_parcel:
            events += apply_triage(case, triage, now, history=_unanswered(case, now))
        _order_flags(deps, case)
        events += sla.trigger(case, "opened" if is_new else "customer_message", now)
        events += sla.follow(case, [e for e in events if e.type == "status"], now)
        auto_events, auto_out = automation.after_message(deps, case, msg, triage, now, sla)
        events += auto_events
        out = outbox.progress_updates(deps, case, events, now) + auto_out
    claim = (key, deps.settings.seen_ttl_s, {"case_id": case.case_id, "outbound": [m.model_dump(mode="json") for m in out]})
    if is_new:
        deps.repo.create_case(case, events=events, messages=[stored], claim=claim)
    else:
        deps.repo.save_case(case, events=events, messages=[stored], claim=claim, point_customer=True)
    sla.apply()
    analytics.on_case_events(deps, case, events, now)
    platform_actions.after_save(deps, case, events)
    if out:
        deps.outbound.send_many(out)
    log.info("message %s -> case %s (%s)", msg.message_id, case.case_id, "new" if is_new else "joined")
    return "created" if is_new else "joined"


def _new_case(deps: Any, msg: InboundMessage, now: Any) -> Case:
    return Case(
        case_id=deps.ids(now), shop=msg.shop, customer=msg.customer, channel=msg.channel.value, account=msg.account,
        created_at=now, updated_at=now, phone=msg.phone, order_no=msg.order_no,
    )


def _stored_message(case_id: str, msg: InboundMessage, triage: Any) -> Message:
    labels = triage.model_dump(mode="json", include={"issue", "request", "priority", "sentiment", "keywords", "entities"}) if triage else {}
    return Message(
        case_id=case_id, message_id=msg.message_id, direction=Direction.INBOUND, channel=msg.channel.value,
        at=msg.received_at, kind=msg.kind, text=msg.text, attachments=msg.attachments, author="customer", labels=labels,
    )


def _note_customer_activity(case: Case, msg: InboundMessage, now: Any) -> None:
    case.message_count += 1
    case.last_customer_message_at = now
    case.updated_at = now
    case.phone = case.phone or msg.phone
    case.order_no = case.order_no or msg.order_no
    flags = dict(case.flags)
    flags["cs_sent_since_customer"] = 0
    flags["dy_sent_since_customer"] = 0
    unanswered = [t for t in flags.get("unanswered", []) if t > (now - timedelta(hours=24)).isoformat()]
    flags["unanswered"] = unanswered + [now.isoformat()]
    for meta_key, flag in (("conversation_id", "dy_conversation_id"), ("server_message_id", "dy_last_msg_id")):
        if msg.channel.value == "douyin" and msg.meta.get(meta_key):
            flags[flag] = msg.meta[meta_key]  # the Douyin IM reply API answers inside this conversation
    if msg.meta.get("opt_out"):
        flags["sms_opt_out"] = True
    case.flags = flags


ORDER_FLAGS = ("live_stream", "cross_border", "complex_dispute")  # SLA policies match on these


def _order_flags(deps: Any, case: Case) -> None:
    """Copy the order's regime flags (直播 orders, cross-border) onto the case so SLA policies see them."""
    if not case.order_no or all(f in case.flags for f in ORDER_FLAGS):
        return
    order = deps.repo.get_order(case.shop, case.order_no)
    extra = (order.model_extra or {}) if order else {}
    found = {f: bool(extra[f]) for f in ORDER_FLAGS if f in extra}
    if found:
        case.flags = {**case.flags, **found}


def _unanswered(case: Case, now: Any) -> int:
    return len(case.flags.get("unanswered", []))


__all__ = ["Priority", "on_message", "task_key"]
