"""The customer's progress board: stages derived from a case, signed links, update texts, the page."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from chalicelib.domain import Case, CaseEvent, CaseStatus, Message, Order, Shipment

from . import _board_page
from ._board_page import render_error
from ._texts import fmt_time, text

__all__ = [
    "Stage", "next_due", "progress_text", "render_error", "render_page", "sign", "stages", "url", "verify",
]

S = CaseStatus
RETURN_REQUESTS = frozenset({"return_refund", "refund_only", "exchange"})
_STAGE_OF: dict[CaseStatus, str] = {
    S.NEW: "received", S.OPEN: "processing", S.WAITING_PLATFORM: "processing",
    S.WAITING_CUSTOMER: "waiting", S.WAITING_LOGISTICS: "waiting", S.RESOLVED: "resolved", S.CLOSED: "resolved",
}
_WAITING_KEY = {S.WAITING_CUSTOMER: "waiting_customer", S.WAITING_LOGISTICS: "waiting_logistics"}
_MET_STATES = frozenset({"met", "done", "cancelled", "canceled", "stopped", "paused"})


@dataclass(frozen=True)
class Stage:
    """One step of the board; only the current step has a next step and (maybe) a due time."""

    key: str  # received | processing | waiting | resolved
    label: str  # 已受理 / 处理中 or 审核中 / 等待您的回复 or 等待物流 / 已解决
    state: Literal["done", "current", "todo"]
    at: datetime | None = None  # when the case first entered this stage
    next_step: str = ""
    due: datetime | None = None
    text_key: str = ""  # the templates.toml key of the label (received, reviewing, waiting_logistics …)

    @property
    def current(self) -> bool:
        """Whether the case is at this stage now."""
        return self.state == "current"


def stages(case: Case, events: Iterable[CaseEvent]) -> list[Stage]:
    """The board's stages: 已受理 → 处理中/审核中 → (等待您的回复 / 等待物流) → 已解决, current marked."""
    history = sorted((e for e in events if e.type == "status" and "to" in e.data), key=lambda e: e.at)
    entered: dict[str, datetime] = {"received": case.created_at}
    last_wait: CaseStatus | None = None
    for e in history:
        status = _status(e.data["to"])
        if status is None:
            continue
        entered.setdefault(_STAGE_OF[status], e.at)
        if status in _WAITING_KEY:
            last_wait = status
    current = _STAGE_OF[case.status]
    if case.status in _WAITING_KEY:
        last_wait = case.status
    keys = ["received", "processing"]
    if current == "waiting" or (current == "resolved" and last_wait is not None):
        keys.append("waiting")
    keys.append("resolved")
    text_keys = {
        "received": "received",
        "processing": "reviewing" if case.request in RETURN_REQUESTS else "processing",
        "waiting": _WAITING_KEY.get(last_wait or S.WAITING_CUSTOMER, "waiting_customer"),
        "resolved": "resolved",
    }
    at_index = keys.index(current)
    out = []
    for i, key in enumerate(keys):
        state: Literal["done", "current", "todo"] = "done" if i < at_index else "current" if i == at_index else "todo"
        tk = text_keys[key]
        nxt, due = (text("board", f"next_{tk}"), _due_for(case, key)) if state == "current" else ("", None)
        out.append(Stage(key, text("board", f"stage_{tk}"), state, entered.get(key), nxt, due, tk))
    return out


def render_page(
    case: Case,
    events: Iterable[CaseEvent],
    messages: Iterable[Message],
    order: Order | None,
    shipments: Iterable[Shipment],
    now: datetime,
) -> str:
    """The mobile-first Chinese progress page: stages, customer-visible timeline, parcels, return steps.

    Only ``customer_visible`` events and messages sent to the customer appear; event reasons, decision
    traces and internal notes never do.
    """
    events = list(events)
    return _board_page.render(stages(case, events), case, events, list(messages), order, list(shipments), now)


def next_due(case: Case) -> datetime | None:
    """The earliest running SLA deadline in ``case.sla`` (read defensively: any clock with a ``due``)."""
    dues = []
    for clock in (case.sla or {}).values():
        if not isinstance(clock, dict) or _clock_met(clock):
            continue
        due = _as_datetime(clock.get("due") or clock.get("deadline"))
        if due is not None:
            dues.append(due)
    return min(dues) if dues else None


def progress_text(case: Case, stage: Stage | str, board_url: str) -> str:
    """The short Chinese update pushed to the customer on a stage change, with the signed link.

    `stage` is a `Stage` from `stages`, or just the customer label of the case's status.
    """
    if isinstance(stage, str):
        key = _STAGE_OF[case.status]
        tk = _WAITING_KEY.get(case.status, "reviewing" if key == "processing" and case.request in RETURN_REQUESTS
                              else key)
        stage = Stage(key, stage, "current", None, text("board", f"next_{tk}"), _due_for(case, key), tk)
    due = text("board", "due", due=fmt_time(stage.due)) if stage.due else ""
    return text("board", "progress", label=stage.label, next=stage.next_step, due=due, url=board_url)


def sign(case_id: str, secret: str | bytes, expires_at: datetime) -> str:
    """A URL-safe token for the case's board link: ``<expiry epoch>.<HMAC-SHA256>``."""
    expiry = int(expires_at.timestamp())
    return f"{expiry}.{_mac(case_id, expiry, secret)}"


def verify(case_id: str, token: str | None, secret: str | bytes, now: datetime) -> bool:
    """Whether `token` was signed for `case_id` with `secret` and has not expired (constant-time)."""
    if not token or token.count(".") != 1:
        return False
    expiry_text, mac = token.split(".")
    if not expiry_text.isdigit() or len(expiry_text) > 12:
        return False
    expected = _mac(case_id, int(expiry_text), secret)
    valid = hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace"))
    return valid and now.timestamp() < int(expiry_text)


def url(public_url: str, case_id: str, secret: str | bytes, expires_at: datetime) -> str:
    """The full signed board link."""
    return f"{public_url.rstrip('/')}/board/{case_id}?t={sign(case_id, secret, expires_at)}"


def _mac(case_id: str, expiry: int, secret: str | bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"board|{case_id}|{expiry}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _due_for(case: Case, stage_key: str) -> datetime | None:
    return next_due(case) if stage_key in ("received", "processing") else None  # waiting pauses the clocks


def _clock_met(clock: dict[str, Any]) -> bool:
    state = str(clock.get("state") or clock.get("status") or "").lower()
    finished = clock.get("met") or clock.get("met_at") or clock.get("stopped") or clock.get("paused")
    return bool(finished) or state in _MET_STATES


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _status(value: Any) -> CaseStatus | None:
    try:
        return CaseStatus(value)
    except ValueError:
        return None
