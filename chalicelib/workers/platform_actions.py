"""Acting on the platform after a return decision: agree or refuse the 抖店 after-sale, once."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..channels.errors import SendError
from ..domain import Case, CaseEvent

log = logging.getLogger("shouhou.platform")
DECISIONS = {"auto_approve": "agree", "approved": "agree", "reject_with_reason": "refuse", "rejected": "refuse"}


def after_save(deps: Any, case: Case, events: Sequence[CaseEvent]) -> None:
    """For each return decision on a 抖店 after-sale case, tell 抖店 (where the account configures it)."""
    aftersale_id = case.flags.get("aftersale_id")
    if case.channel != "doudian" or not aftersale_id:
        return
    for e in events:
        decision = DECISIONS.get(str(e.data.get("outcome"))) if e.type == "decision.return" else None
        if decision:
            reason = e.data.get("customer_text") or e.data.get("reason") or e.reason
            _operate(deps, case, str(aftersale_id), decision, str(reason))


def _operate(deps: Any, case: Case, aftersale_id: str, decision: str, reason: str) -> None:
    from ..channels.doudian.operate import DoudianAfterSale

    account = deps.accounts.get("doudian", case.account)
    if decision not in account.operate_types:
        return  # not configured: the shop acts in the 抖店 back office
    key = f"doudian-op:{aftersale_id}:{decision}"
    if not deps.repo.claim(key, deps.settings.seen_ttl_s, {"case_id": case.case_id}):
        return
    now = deps.clock.now()
    try:
        result = DoudianAfterSale(deps.sender_context()).operate(account, aftersale_id, decision, reason)
        event = CaseEvent(case_id=case.case_id, at=now, type="platform.operated", actor="system",
                          reason=f"抖店 after-sale {decision}", data=result)
    except SendError as exc:
        deps.repo.release(key)  # an agent (or the next decision) may try again
        event = CaseEvent(case_id=case.case_id, at=now, type="platform.operate_failed", actor="system",
                          reason=str(exc)[:300], data={"decision": decision, "provider_code": exc.provider_code})
        log.warning("case %s: 抖店 after-sale %s failed: %s", case.case_id, decision, exc)
    deps.repo.add_events([event])
