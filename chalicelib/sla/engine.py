"""The SLA engine: case triggers and schedule fires in, clock state, events and schedules out.

Pure: it changes `case.sla` only (never priority, queue or assignee — escalation actions are
returned for the sla worker to apply) and returns an `SlaUpdate`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ..domain import Case, CaseEvent, CaseStatus
from .calendar import CalendarInvalid, Calendars
from .clocks import Timekeeper, deadline, settle, stage_times
from .policies import ClockSpec, Policies
from .state import ClockState, Pending, schedule_name, second, stage_rank
from .update import Escalation, SlaUpdate

WAITING = frozenset({CaseStatus.WAITING_CUSTOMER, CaseStatus.WAITING_LOGISTICS, CaseStatus.WAITING_PLATFORM})
DONE = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})
ANSWER_KINDS = ("auto", "human")  # receipts and progress notices never meet a clock
HISTORY_LIMIT = 20


class UnknownTrigger(ValueError):
    """Raised when `on_trigger` gets a trigger it does not know."""


class SlaEngine:
    """Runs every SLA clock of a case by its policy and calendar."""

    def __init__(self, *, policies: Policies, calendars: Calendars) -> None:
        self.policies = policies
        self.calendars = calendars
        self._triggers: dict[str, Callable[..., None]] = {
            "opened": self._opened, "customer_message": self._customer_message, "answered": self._answered,
            "decided": self._decided, "status": self._status, "replan": self._replan, "resolved": self._resolved,
        }

    # -- public ------------------------------------------------------------------------------
    def on_trigger(self, case: Case, trigger: str, now: datetime, **info: Any) -> SlaUpdate:
        """Apply a case trigger to its clocks.

        Triggers: opened, customer_message, answered (kind="auto"|"human"), decided (kind=...),
        status (old=, new=), replan, resolved.

        Raises:
            UnknownTrigger: for any other trigger.
        """
        handler = self._triggers.get(trigger)
        if handler is None:
            raise UnknownTrigger(f"unknown SLA trigger {trigger!r} (known: {', '.join(self._triggers)})")
        upd = SlaUpdate()
        handler(case, second(now), upd, **info)
        return upd

    def on_fire(self, case: Case, payload: dict[str, Any], now: datetime) -> SlaUpdate:
        """Handle a schedule fire; stale, early, duplicate and out-of-order fires change nothing."""
        now, upd = second(now), SlaUpdate()
        raw = case.sla.get(str(payload.get("clock")))
        if not isinstance(raw, dict):
            upd.ignored = "unknown clock"
            return upd
        st = ClockState.model_validate(raw)
        tk = self._tk(case, st)
        plan = stage_times(st, tk)
        stage = str(payload.get("stage"))
        if payload.get("gen") != st.gen:
            upd.ignored = "stale: the clock was re-planned"
        elif stage not in plan:
            upd.ignored = "duplicate: stage already handled or clock not running"
        elif second(plan[stage], up=True) > now:
            upd.ignored = "early"
            st.pending.pop(stage, None)  # re-arm it
            self._sync(case, st, tk, now, upd)
        else:
            self._run_due_stages(case, st, tk, now, upd)
            self._sync(case, st, tk, now, upd)
        return upd

    def pending(self, case: Case, clock: str, now: datetime) -> SlaUpdate:
        """Puts that re-assert every pending schedule of one clock (heals a timer call that failed after
        the case was saved); the case is not changed."""
        upd, st = SlaUpdate(), self._state(case, clock)
        if st is not None:
            for stage, p in st.pending.items():
                upd.put.append((p.name, max(p.at, second(now) + timedelta(seconds=1)), _payload(case, st, stage, p)))
        return upd

    # -- triggers ----------------------------------------------------------------------------
    def _opened(self, case: Case, now: datetime, upd: SlaUpdate) -> None:
        for spec in self.policies.resolve(case).clocks.values():
            if "opened" in spec.start_on and spec.name not in case.sla:
                self._start(case, spec, now, upd, prev=None)

    def _customer_message(self, case: Case, now: datetime, upd: SlaUpdate) -> None:
        if case.status in DONE:
            return
        for spec in self.policies.resolve(case).clocks.values():
            if "customer_message" not in spec.start_on:
                continue
            prev = self._state(case, spec.name)
            if prev is not None and not prev.finished:
                if prev.running and spec.restart_on_message:
                    self._start(case, spec, now, upd, prev=prev)
                continue  # measured from the oldest unanswered message
            first = self._state(case, "first_response")
            if spec.name == "next_response" and first is not None and not first.finished:
                continue  # the first response is still owed
            self._start(case, spec, now, upd, prev=prev)

    def _answered(self, case: Case, now: datetime, upd: SlaUpdate, *, kind: str = "human", **_: Any) -> None:
        self._meet_all(case, now, upd, "answer", kind)

    def _decided(self, case: Case, now: datetime, upd: SlaUpdate, *, kind: str = "human", **_: Any) -> None:
        self._meet_all(case, now, upd, "decision", kind)

    def _status(self, case: Case, now: datetime, upd: SlaUpdate, *, old: str, new: str, **_: Any) -> None:
        old_s, new_s = CaseStatus(old), CaseStatus(new)
        if new_s in DONE:
            self._resolved(case, now, upd)
            return
        for st in self._states(case):
            if st.finished or not st.pause_when_waiting:
                continue
            if new_s in WAITING and st.running:
                self._pause(case, st, now, upd)
            elif new_s not in WAITING and st.paused_at is not None:
                self._resume(case, st, now, upd)
        if old_s in DONE and new_s not in DONE:  # reopened: a new resolution is owed
            for spec in self.policies.resolve(case).clocks.values():
                if spec.met_by == "resolution" and "opened" in spec.start_on:
                    self._start(case, spec, now, upd, prev=self._state(case, spec.name))

    def _resolved(self, case: Case, now: datetime, upd: SlaUpdate, **_: Any) -> None:
        for st in self._states(case):
            if st.finished:
                continue
            if st.met_by in ("resolution", "decision"):
                self._meet(case, st, now, upd, "resolved")
            else:
                self._stop(case, st, now, upd, "case resolved")

    def _replan(self, case: Case, now: datetime, upd: SlaUpdate, **info: Any) -> None:
        plan = self.policies.resolve(case)
        for st in self._states(case):
            if st.finished:
                continue
            spec = plan.clocks.get(st.clock)
            if spec is None:
                self._stop(case, st, now, upd, f"not in policy {plan.policy}")
            else:
                self._respec(case, st, spec, now, upd, str(info.get("reason", "")))
        for spec in plan.clocks.values():
            if "opened" in spec.start_on and spec.name not in case.sla and case.status not in DONE:
                self._start(case, spec, now, upd, prev=None)

    # -- clock steps -------------------------------------------------------------------------
    def _start(self, case: Case, spec: ClockSpec, now: datetime, upd: SlaUpdate, *, prev: ClockState | None) -> None:
        history = list(prev.history) if prev else []
        if prev is not None and (prev.finished or prev.breached_at is not None):
            history = (history + [prev.outcome()])[-HISTORY_LIMIT:]
        st = ClockState(
            clock=spec.name, started_at=now, running_since=now, gen=prev.gen + 1 if prev else 1,
            pending=prev.pending if prev else {}, history=history, **self._spec_fields(case, spec),
        )
        st.due = second(deadline(st, self._tk(case, st)) or now, up=True)
        upd.events.append(_event(case, now, "started", st, due=_iso(st.due), target_s=st.target_s))
        self._sync(case, st, self._tk(case, st), now, upd)

    def _respec(self, case: Case, st: ClockState, spec: ClockSpec, now: datetime, upd: SlaUpdate, why: str) -> None:
        fields = self._spec_fields(case, spec)
        if all(getattr(st, k) == v for k, v in fields.items()):
            return
        settle(st, self._tk(case, st), now)
        old_due, old_policy = st.due, st.policy
        for k, v in fields.items():
            setattr(st, k, v)
        tk = self._tk(case, st)
        st.due = second(d, up=True) if (d := deadline(st, tk)) else None
        st.gen += 1
        upd.events.append(_event(case, now, "replanned", st, reason=why, old_policy=old_policy,
                                 old_due=_iso(old_due), due=_iso(st.due), target_s=st.target_s))
        self._sync(case, st, tk, now, upd)

    def _meet_all(self, case: Case, now: datetime, upd: SlaUpdate, met_by: str, kind: str) -> None:
        if kind not in ANSWER_KINDS:
            return
        for st in self._states(case):
            if st.met_by == met_by and not st.finished and (kind == "human" or not st.human):
                self._meet(case, st, now, upd, kind)

    def _meet(self, case: Case, st: ClockState, now: datetime, upd: SlaUpdate, how: str) -> None:
        tk = self._tk(case, st)
        settle(st, tk, now)
        st.running_since, st.met_at = None, now
        late = st.breached_at is not None or st.used_s > st.target_s
        upd.events.append(_event(case, now, "met", st, by=how, late=late, used_s=round(st.used_s)))
        self._sync(case, st, tk, now, upd)

    def _stop(self, case: Case, st: ClockState, now: datetime, upd: SlaUpdate, why: str) -> None:
        tk = self._tk(case, st)
        settle(st, tk, now)
        st.running_since, st.stopped = None, now
        upd.events.append(_event(case, now, "stopped", st, reason=why))
        self._sync(case, st, tk, now, upd)

    def _pause(self, case: Case, st: ClockState, now: datetime, upd: SlaUpdate) -> None:
        tk = self._tk(case, st)
        settle(st, tk, now)
        st.running_since, st.paused_at, st.due = None, now, None
        st.gen += 1
        upd.events.append(_event(case, now, "paused", st, status=case.status.value, used_s=round(st.used_s)))
        self._sync(case, st, tk, now, upd)

    def _resume(self, case: Case, st: ClockState, now: datetime, upd: SlaUpdate) -> None:
        assert st.paused_at is not None
        paused = (now - st.paused_at).total_seconds()
        st.paused_s += paused
        st.paused_at, st.running_since = None, now
        tk = self._tk(case, st)
        st.due = second(deadline(st, tk) or now, up=True)
        st.gen += 1
        upd.events.append(_event(case, now, "resumed", st, paused_s=round(paused), due=_iso(st.due)))
        self._sync(case, st, tk, now, upd)

    def _run_due_stages(self, case: Case, st: ClockState, tk: Timekeeper, now: datetime, upd: SlaUpdate) -> None:
        while due := sorted((s for s, at in stage_times(st, tk).items() if at <= now), key=stage_rank):
            stage = due[0]
            if stage == "warn":
                st.warned_at = now
                if "breach" not in due:  # a late warning is folded into the breach
                    upd.events.append(_event(case, now, "warning", st, due=_iso(st.due)))
            elif stage == "breach":
                st.breached_at = st.due
                upd.events.append(_event(case, now, "breached", st, due=_iso(st.due)))
            else:
                st.tier = int(stage.removeprefix("esc"))
                actions = tuple(st.tiers[st.tier - 1]["actions"])
                upd.escalations.append(Escalation(st.clock, st.policy, st.tier, actions))
                upd.events.append(_event(case, now, "escalated", st, tier=st.tier, actions=list(actions)))

    # -- plumbing ----------------------------------------------------------------------------
    def _sync(self, case: Case, st: ClockState, tk: Timekeeper, now: datetime, upd: SlaUpdate) -> None:
        """Make the clock's pending schedules match its stages; store the state on the case."""
        wanted: dict[str, Pending] = {}
        for stage, at in stage_times(st, tk).items():
            p = Pending(name=schedule_name(case.case_id, st.clock, stage), at=second(at, up=True), gen=st.gen)
            wanted[stage] = p
            if st.pending.get(stage) != p:
                upd.merge(SlaUpdate(put=[(p.name, max(p.at, now + timedelta(seconds=1)), _payload(case, st, stage, p))]))
        for stage, old in st.pending.items():
            if stage not in wanted:
                upd.merge(SlaUpdate(delete=[old.name]))
        st.pending = wanted
        case.sla[st.clock] = st.dump()

    def _spec_fields(self, case: Case, spec: ClockSpec) -> dict[str, Any]:
        return {
            "policy": spec.policy, "target_s": spec.target.total_seconds(), "business_hours": spec.business_hours,
            "calendar": spec.calendar or self.calendars.for_shop(case.shop).name, "human": spec.human,
            "met_by": spec.met_by, "pause_when_waiting": spec.pause_when_waiting,
            "warn_s": spec.warn.total_seconds() if spec.warn is not None else None,
            "tiers": [{"after_s": t.after.total_seconds(), "actions": list(t.actions)} for t in spec.tiers],
        }

    def _tk(self, case: Case, st: ClockState) -> Timekeeper:
        if not st.business_hours:
            return Timekeeper(None)
        try:
            return Timekeeper(self.calendars.get(st.calendar))
        except CalendarInvalid:  # the calendar was removed from the file since the clock started
            return Timekeeper(self.calendars.for_shop(case.shop))

    def _state(self, case: Case, clock: str) -> ClockState | None:
        raw = case.sla.get(clock)
        return ClockState.model_validate(raw) if isinstance(raw, dict) else None

    def _states(self, case: Case) -> list[ClockState]:
        return [ClockState.model_validate(v) for v in list(case.sla.values()) if isinstance(v, dict)]


def _payload(case: Case, st: ClockState, stage: str, p: Pending) -> dict[str, Any]:
    return {"case_id": case.case_id, "clock": st.clock, "stage": stage, "gen": p.gen, "due": _iso(st.due),
            "at": _iso(p.at)}


def _iso(ts: datetime | None) -> str | None:
    return second(ts).isoformat().replace("+00:00", "Z") if ts else None


def _event(case: Case, now: datetime, kind: str, st: ClockState, **data: Any) -> CaseEvent:
    reason = str(data.pop("reason", "")) or f"{st.clock} {kind} ({st.policy})"
    return CaseEvent(case_id=case.case_id, at=now, type=f"sla.{kind}", actor="sla", reason=reason,
                     data={"clock": st.clock, "policy": st.policy, **data})
