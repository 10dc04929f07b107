"""Escalation notices: texts from data/notify.toml, delivered to a shop's notify targets
(`[[notify]]` in the accounts file): a WeCom group robot or the shop's own webhook."""

from __future__ import annotations

import tomllib
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from ..domain import Case
from .update import Escalation

TEXTS = Path(__file__).parent / "data" / "notify.toml"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class _Response(Protocol):
    status: int

    def json(self) -> Any: ...


class _Http(Protocol):
    def post_json(self, url: str, payload: Any, headers: dict[str, str] | None = None) -> _Response: ...


class _Accounts(Protocol):
    def notify_target(self, shop: str, name: str) -> Any: ...


@cache
def _texts() -> dict[str, Any]:
    return tomllib.loads(TEXTS.read_text(encoding="utf-8"))


def escalation_text(case: Case, esc: Escalation) -> str:
    """The notice for one escalation tier of one case."""
    t = _texts()
    due = case.sla.get(esc.clock, {}).get("due")
    due_local = datetime.fromisoformat(due).astimezone(LOCAL_TZ).strftime("%m-%d %H:%M") if due else "-"
    return str(t["escalation"]).format(
        case_id=case.case_id, shop=case.shop, clock_label=t["clock_labels"].get(esc.clock, esc.clock),
        policy=esc.policy, tier=esc.tier, due=due_local, priority=case.priority.value, queue=case.queue,
        assignee=case.assignee or "未分配",
    )


class SlaNotifier:
    """Sends escalation notices; `notify` returns what to record on the case timeline.

    HTTP transport errors propagate from the injected client (`HttpClient` raises `SendRetryable`).
    """

    def __init__(self, http: _Http, accounts: _Accounts) -> None:
        self._http = http
        self._accounts = accounts

    def notify(self, shop: str, target_name: str, text: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Deliver `text` to the shop's target named `target_name`."""
        target = self._accounts.notify_target(shop, target_name)
        if target is None:
            return {"target": target_name, "sent": False, "reason": "no such notify target for this shop"}
        if target.kind == "wecom_robot":
            r = self._http.post_json(target.url, {"msgtype": "text", "text": {"content": text}})
            body = _json(r)
            ok = r.status == 200 and isinstance(body, dict) and body.get("errcode", 0) == 0
            reason = "" if ok else f"HTTP {r.status} errcode {body.get('errcode') if isinstance(body, dict) else '?'}"
        else:
            event = {"type": "sla.escalation", "shop": shop, "text": text, "data": data or {}}
            r = self._http.post_json(target.url, event)
            ok, reason = 200 <= r.status < 300, ("" if 200 <= r.status < 300 else f"HTTP {r.status}")
        out: dict[str, Any] = {"target": target_name, "kind": target.kind, "sent": ok, "status": r.status}
        if reason:
            out["reason"] = reason
        return out


def _json(r: _Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return None
