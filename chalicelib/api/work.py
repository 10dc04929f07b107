"""Agent API, write side: reply, assign, status, note, priority, return decision, resolve.

Each write is: validate the body (pydantic → 422 naming the field) → load the shop's case (404) →
apply the action (state machine → 409) → save the case, its audit events and the idempotency record
in one transaction → SLA schedules, customer messages, aggregates. A replayed `Idempotency-Key`
returns the stored response and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import analytics
from ..accounts import ApiToken
from ..domain import Case, CaseEvent, CaseStatus, OutboundKind, OutboundMessage, Priority, can_transition, transition
from ..store.errors import ConcurrencyConflict
from ..workers import outbox, platform_actions
from ..workers.slaplan import SlaPlan
from .cases import case_view, load_case
from .errors import IdempotencyKeyReused, PathNotFound, RequestInvalid, WriteRejected

IDEMPOTENCY_TTL_S = 7 * 86400
ATTEMPTS = 5
S = CaseStatus
ME = "@me"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reply(_Body):
    text: str = Field(min_length=1, max_length=2000)


class Assign(_Body):
    assignee: str | None = Field(min_length=1, max_length=64)  # null unassigns; "@me" is the token's agent


class StatusChange(_Body):
    status: CaseStatus
    reason: str = Field(default="", max_length=500)


class Note(_Body):
    text: str = Field(min_length=1, max_length=4000)


class PriorityChange(_Body):
    priority: Priority
    reason: str = Field(default="", max_length=500)


class ReturnDecision(_Body):
    decision: Literal["approve", "reject", "request_info"]
    reason: str = Field(default="", max_length=500)
    message: str | None = Field(default=None, min_length=1, max_length=2000)  # told to the customer

    @model_validator(mode="after")
    def _reason_for_reject(self) -> ReturnDecision:
        if self.decision == "reject" and not self.reason:
            raise ValueError("reason is required to reject")
        return self


class Resolve(_Body):
    reason: str = Field(default="", max_length=500)


@dataclass
class Work:
    """One action on one case: who, when, and what it produced."""

    deps: Any
    case: Case
    actor: str
    now: datetime
    nonce: str
    sla: SlaPlan
    events: list[CaseEvent] = field(default_factory=list)
    outbound: list[OutboundMessage] = field(default_factory=list)

    def event(self, type_: str, reason: str, data: dict[str, Any], *, visible: bool = False) -> None:
        self.events.append(CaseEvent(case_id=self.case.case_id, at=self.now, type=type_, actor=self.actor,
                                     reason=reason, data=data, customer_visible=visible))

    def move(self, target: CaseStatus, reason: str, *, tell: bool = True) -> None:
        """A state-machine transition, its SLA trigger and (if `tell`) the customer's progress update."""
        old = self.case.status
        ev = transition(self.case, target, now=self.now, actor=self.actor, reason=reason or "agent action")
        self.events.append(ev)
        trigger = "resolved" if target is S.RESOLVED else "status"
        self.events += self.sla.trigger(self.case, trigger, self.now, old=old.value, new=target.value)
        if tell:
            self.outbound += outbox.progress_updates(self.deps, self.case, [ev], self.now)

    def say(self, text: str, tag: str) -> None:
        """An agent message to the customer on their channel (delivered by the outbound worker)."""
        msg = outbox.message_for(self.deps, self.case, OutboundKind.AGENT_REPLY, text, key=f"{tag}:{self.nonce}",
                                 now=self.now, data={"agent": self.actor})
        self.outbound.append(msg)
        self.event("reply", "agent reply", {"outbound_id": msg.outbound_id, "text": text[:500]})
        self.events += self.sla.trigger(self.case, "answered", self.now, kind="human")


def _reply(w: Work, cmd: Reply) -> None:
    if w.case.status is S.NEW:
        w.move(S.OPEN, "agent replied", tell=False)  # the reply itself tells the customer
    w.say(cmd.text, "reply")


def _assign(w: Work, cmd: Assign) -> None:
    who = w.actor.removeprefix("agent:") if cmd.assignee == ME else cmd.assignee
    old, w.case.assignee = w.case.assignee, who
    w.event("assign", f"assigned to {who}" if who else "unassigned", {"from": old, "to": who})


def _status(w: Work, cmd: StatusChange) -> None:
    w.move(cmd.status, cmd.reason)


def _note(w: Work, cmd: Note) -> None:
    w.event("note", "internal note", {"text": cmd.text})


def _priority(w: Work, cmd: PriorityChange) -> None:
    old, w.case.priority = w.case.priority, cmd.priority
    w.event("priority", cmd.reason or f"{old.value} -> {cmd.priority.value}", {"from": old.value, "to": cmd.priority.value})
    w.events += w.sla.trigger(w.case, "replan", w.now, reason=f"priority {old.value} -> {cmd.priority.value}")


OUTCOMES = {"approve": "approved", "reject": "rejected", "request_info": "info_requested"}


def _return_decision(w: Work, cmd: ReturnDecision) -> None:
    if w.case.status not in (S.NEW, S.OPEN, S.WAITING_CUSTOMER, S.WAITING_LOGISTICS, S.WAITING_PLATFORM):
        raise WriteRejected(f"case {w.case.case_id} is {w.case.status.value}: reopen it before deciding a return")
    rule = next((e for e in reversed(w.deps.repo.list_events(w.case.case_id))
                 if e.type == "decision.return" and not e.actor.startswith("agent:")), None)
    outcome = OUTCOMES[cmd.decision]
    overrides = {"outcome": rule.data.get("outcome"), "rule": rule.data.get("rule"), "actor": rule.actor} if rule else None
    w.case.flags = {**w.case.flags, "return": {"state": outcome, "by": w.actor, "at": w.now.isoformat(), "reason": cmd.reason}}
    w.event("decision.return", f"{outcome}: {cmd.reason or 'agent decision'}",
            {"outcome": outcome, "decision": cmd.decision, "reason": cmd.reason, "overrides": overrides,
             "customer_text": cmd.message}, visible=True)
    w.events += w.sla.trigger(w.case, "decided", w.now, kind="human")
    if cmd.decision == "request_info" and can_transition(w.case.status, S.WAITING_CUSTOMER):
        w.move(S.WAITING_CUSTOMER, "more information requested for the return")
    if cmd.message:
        w.say(cmd.message, "return")


def _resolve(w: Work, cmd: Resolve) -> None:
    w.move(S.RESOLVED, cmd.reason or "resolved by agent")


ACTIONS: dict[str, tuple[type[_Body], Callable[[Work, Any], None]]] = {
    "reply": (Reply, _reply), "assign": (Assign, _assign), "status": (StatusChange, _status), "note": (Note, _note),
    "priority": (PriorityChange, _priority), "returns/decision": (ReturnDecision, _return_decision),
    "resolve": (Resolve, _resolve),
}


def perform(deps: Any, token: ApiToken, case_id: str, action: str, body: bytes | None,
            idempotency_key: str | None) -> tuple[dict[str, Any], bool]:
    """Run one write; returns (response body, replayed).

    Raises:
        PathNotFound: unknown action. RequestInvalid: body is not a JSON object. ValidationError: a field is wrong (422).
        CaseNotFound: missing or another shop's case. InvalidTransition, WriteRejected: not in this state (409).
        IdempotencyKeyReused: the key was used for another request (409). ConcurrencyConflict: kept losing races.
    """
    if action not in ACTIONS:
        raise PathNotFound(f"unknown action {action[:40]!r}")
    model, handler = ACTIONS[action]
    payload = _json(body)
    cmd = model.model_validate(payload)
    load_case(deps.repo, token, case_id)
    key = f"idem:{token.shop}:{idempotency_key}" if idempotency_key else None
    fingerprint = hashlib.sha256(json.dumps([action, case_id, payload], sort_keys=True).encode()).hexdigest()
    if key and (prior := deps.repo.seen(key)) is not None:
        return _replay(deps, prior, fingerprint), True
    nonce = hashlib.sha256(key.encode()).hexdigest()[:16] if key else uuid.uuid4().hex[:16]
    for _ in range(ATTEMPTS):
        w = Work(deps, load_case(deps.repo, token, case_id), f"agent:{token.agent}", deps.clock.now(), nonce, SlaPlan(deps))
        if w.case.status is S.CLOSED:
            raise WriteRejected(f"case {case_id} is closed")
        handler(w, cmd)
        response = {"case": case_view(w.case.model_copy(update={"version": w.case.version + 1})),
                    "events": [e.model_dump(mode="json") for e in w.events]}
        doc = {"fp": fingerprint, "body": response, "outbound": [m.model_dump(mode="json") for m in w.outbound]}
        try:
            deps.repo.save_case(w.case, events=w.events, claim=(key, IDEMPOTENCY_TTL_S, doc) if key else None)
        except ConcurrencyConflict:
            if key and (prior := deps.repo.seen(key)) is not None:
                return _replay(deps, prior, fingerprint), True
            continue
        w.sla.apply()
        if w.outbound:
            deps.outbound.send_many(w.outbound)
        analytics.on_case_events(deps, w.case, w.events, w.now)
        platform_actions.after_save(deps, w.case, w.events)
        return response, False
    raise ConcurrencyConflict(case_id)


def _replay(deps: Any, prior: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    """The stored response; re-queues its customer messages (the outbound worker drops delivered ones)."""
    if prior.get("fp") != fingerprint:
        raise IdempotencyKeyReused("this Idempotency-Key was used for a different request")
    pending = [OutboundMessage.model_validate(m) for m in prior.get("outbound", [])]
    if pending:
        deps.outbound.send_many(pending)
    return dict(prior["body"])


def _json(body: bytes | None) -> dict[str, Any]:
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestInvalid("body is not JSON") from exc
    if not isinstance(payload, dict):
        raise RequestInvalid("body must be a JSON object")
    return payload
