"""Platform after-sale events (抖店 tags 200–227) and channel events that carry no request."""

from __future__ import annotations

import logging
from typing import Any

from .. import analytics
from ..domain import Case, CaseEvent, CaseStatus, Priority, can_transition, transition
from ..domain.tasks import PlatformEvent
from . import wecom_kf
from .slaplan import SlaPlan

log = logging.getLogger("shouhou.platform")


def on_event(deps: Any, task: PlatformEvent) -> str:
    """Open or update the case of a platform after-sale, or pull 微信客服 messages; log and drop the rest."""
    if task.kind == wecom_kf.SYNC_KIND:
        return wecom_kf.on_sync(deps, task)
    if task.kind != "doudian.aftersale" or task.customer is None:
        log.info("platform event %s from %s/%s noted, nothing to do", task.kind, task.channel, task.account)
        return "ignored"
    return _aftersale(deps, task)


def _aftersale(deps: Any, task: PlatformEvent) -> str:
    d = task.data
    now = deps.clock.now()
    customer = task.customer
    assert customer is not None
    existing = deps.repo.get_customer_case(customer.key)
    arbitration = bool(d.get("arbitration"))
    event = CaseEvent(case_id="", at=now, type="platform.aftersale", actor=f"platform:{task.channel}",
                      reason=str(d.get("status_text") or d.get("text") or f"tag {d.get('tag')}"),
                      data={k: d.get(k) for k in ("aftersale_id", "tag", "request", "refund_amount", "arbitration")},
                      customer_visible=False)
    if existing is None or existing.status is CaseStatus.CLOSED:
        case = Case(case_id=deps.ids(now), shop=task.shop, customer=customer, channel=task.channel, account=task.account,
                    created_at=now, updated_at=now, request=d.get("request"), order_no=d.get("order_no"),
                    phone=d.get("phone"), priority=Priority.P2,
                    flags={"aftersale_id": d.get("aftersale_id"), "evidence_pack": arbitration})
        events = [CaseEvent(case_id=case.case_id, at=now, type="created", actor=f"platform:{task.channel}",
                            reason="platform after-sale opened", data={"to": "new", "label": "已受理"}, customer_visible=True),
                  event.model_copy(update={"case_id": case.case_id})]
        sla = SlaPlan(deps)
        events += sla.trigger(case, "opened", now)
        if arbitration:
            moved = [transition(case, CaseStatus.WAITING_PLATFORM, now=now, actor="platform", reason="platform arbitration")]
            events += moved + sla.follow(case, moved, now)
        deps.repo.create_case(case, events=events, claim=(f"task:{task.channel}:{task.account}:{task.dedupe_id}", deps.settings.seen_ttl_s, {}))
        sla.apply()
        analytics.on_case_events(deps, case, events, now)
        return "created"

    sla = SlaPlan(deps)
    recorded: list[CaseEvent] = []

    def mutate(c: Case) -> list[CaseEvent]:
        evs = [event.model_copy(update={"case_id": c.case_id})]
        c.request = d.get("request") or c.request
        c.flags = {**c.flags, "aftersale_id": d.get("aftersale_id"), "evidence_pack": c.flags.get("evidence_pack") or arbitration}
        if arbitration and can_transition(c.status, CaseStatus.WAITING_PLATFORM) and c.status is not CaseStatus.WAITING_PLATFORM:
            moved = [transition(c, CaseStatus.WAITING_PLATFORM, now=now, actor="platform", reason="platform arbitration")]
            evs += moved + sla.follow(c, moved, now)
        recorded[:] = evs
        return evs

    saved = deps.repo.update_case(existing.case_id, mutate)
    sla.apply()
    analytics.on_case_events(deps, saved, recorded, now)
    return "updated"
