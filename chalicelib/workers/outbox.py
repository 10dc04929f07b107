"""Building progress-board updates for a case and handing them to the outbound queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..domain import Case, CaseEvent, CaseStatus, OutboundKind, OutboundMessage, label

BOARD_LINK_DAYS = 30


def board_url(deps: Any, case_id: str, now: datetime) -> str:
    """A signed link to the customer's progress page."""
    from ..workflows import board

    token = board.sign(case_id, deps.board_secret, now + timedelta(days=BOARD_LINK_DAYS))
    return f"{deps.public_url.rstrip('/')}/board/{case_id}?t={token}"


def message_for(
    deps: Any, case: Case, kind: OutboundKind, text: str, *, key: str, now: datetime, data: dict[str, Any] | None = None
) -> OutboundMessage:
    """An outbound message for the case's customer on the case's channel; `key` makes its id stable."""
    return OutboundMessage(
        outbound_id=f"{case.case_id}:{key}", case_id=case.case_id, shop=case.shop, channel=case.channel,
        account=case.account, customer=case.customer, kind=kind, text=text, status=case.status,
        status_label=label(case.status), board_url=board_url(deps, case.case_id, now), phone=case.phone,
        created_at=now, data=data or {},
    )


def progress_updates(deps: Any, case: Case, events: list[CaseEvent], now: datetime) -> list[OutboundMessage]:
    """One progress-board update per customer-visible status change in `events`."""
    from ..workflows import board

    out = []
    for n, e in enumerate(events):
        if e.type not in ("status", "created") or not e.customer_visible:
            continue
        status = CaseStatus(e.data.get("to", case.status.value))
        url = board_url(deps, case.case_id, now)
        text = board.progress_text(case.model_copy(update={"status": status}), label(status), url)
        key = f"progress:{status.value}:{e.at.strftime('%Y%m%d%H%M%S%f')}:{n}"
        msg = message_for(deps, case, OutboundKind.PROGRESS, text, key=key, now=now, data={"event": e.type})
        out.append(msg.model_copy(update={"status": status, "status_label": label(status), "board_url": url}))
    return out
