"""Escalation notices: texts from data/notify.toml, delivered to a shop's notify targets
(`[[notify]]` in the accounts file): a WeCom group robot or the shop's own webhook.

A notice has a stable id (`notice_id`), so a retried notice carries the same `webhook-id` and the
shop can dedupe it. Webhook targets with a `secret` get Standard Webhooks v1 signatures over the exact
body bytes sent; the signing function is injected (it lives with the webhook channel).
"""

from __future__ import annotations

import hashlib
import json
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from ..accounts import NotifyTarget
from ..domain import Case
from .update import Escalation

TEXTS = Path(__file__).parent / "data" / "notify.toml"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
KIND = "sla_notify"  # the `kind` of a notice retry fire (dispatched by the sla_check function)
BACKOFF_S = (60, 300, 1800)  # delay before retry 1, 2, 3; then the notice is given up
MAX_RETRY_AFTER_S = 3600
WECOM_RETRYABLE = frozenset({-1, 45009})  # system busy; API frequency limit (a robot takes 20 messages a minute)

Signer = Callable[[str, str, int, bytes], str]  # (secret, message id, unix seconds, body) -> "v1,<base64>"


class _Response(Protocol):
    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> dict[str, str]: ...

    def json(self) -> Any: ...


class _Http(Protocol):
    def request(
        self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> _Response: ...


class _Accounts(Protocol):
    def notify_target(self, shop: str, name: str) -> Any: ...


@dataclass(frozen=True)
class Notice:
    """One escalation notice to one target; the same id on every attempt."""

    notice_id: str
    shop: str
    target: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def retry_payload(self, attempt: int) -> dict[str, Any]:
        """The schedule input that fires attempt number `attempt` of this notice."""
        return {"kind": KIND, "notice_id": self.notice_id, "shop": self.shop, "target": self.target,
                "text": self.text, "data": self.data, "attempt": attempt}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Notice:
        """The notice a retry fire carries.

        Raises:
            ValueError: when the payload misses the notice id, shop or target.
        """
        missing = [k for k in ("notice_id", "shop", "target") if not payload.get(k)]
        if missing:
            raise ValueError(f"notice retry payload misses {', '.join(missing)}")
        return cls(notice_id=str(payload["notice_id"]), shop=str(payload["shop"]), target=str(payload["target"]),
                   text=str(payload.get("text", "")), data=dict(payload.get("data") or {}))

    @property
    def case_id(self) -> str:
        return str(self.data.get("case_id", ""))


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


def escalation_notice(case: Case, esc: Escalation, target: str) -> Notice:
    """The notice of one escalation tier to one target; its id is stable for this clock cycle, tier and target."""
    st = case.sla.get(esc.clock, {})
    data = {"case_id": case.case_id, "clock": esc.clock, "policy": esc.policy, "tier": esc.tier}
    key = "\x00".join(str(p) for p in (case.case_id, esc.clock, st.get("gen", ""), st.get("due", ""), esc.tier, target))
    return Notice(notice_id="ntc_" + hashlib.sha256(key.encode()).hexdigest()[:24], shop=case.shop, target=target,
                  text=escalation_text(case, esc), data=data)


def retry_delay(attempt: int, retry_after_s: int | None = None) -> timedelta | None:
    """How long after failed attempt `attempt` (1 = the first send) to try again; None once retries are used up."""
    if attempt < 1 or attempt > len(BACKOFF_S):
        return None
    wait = BACKOFF_S[attempt - 1]
    if retry_after_s:
        wait = max(wait, min(int(retry_after_s), MAX_RETRY_AFTER_S))
    return timedelta(seconds=wait)


def retry_schedule_name(notice_id: str, attempt: int) -> str:
    """Deterministic schedule name of attempt `attempt` of a notice (a repeated put replaces, never doubles)."""
    return f"ntf-{notice_id}-{attempt}"


class SlaNotifier:
    """Posts notices to notify targets; each call returns what to record on the case timeline.

    A result has `sent`, and on failure `reason` and `retryable` (HTTP 429/5xx, WeCom rate limits).
    HTTP transport errors propagate from the injected client (`HttpClient` raises `SendRetryable`).
    """

    def __init__(self, http: _Http, accounts: _Accounts, *, signer: Signer | None = None,
                 now_s: Callable[[], float] = time.time) -> None:
        self._http = http
        self._accounts = accounts
        self._signer = signer
        self._now_s = now_s

    def notify(self, shop: str, target_name: str, text: str, data: dict[str, Any] | None = None, *,
               notice_id: str | None = None) -> dict[str, Any]:
        """Deliver `text` to the shop's target named `target_name` (an escalation notice)."""
        target = self._accounts.notify_target(shop, target_name)
        if target is None:
            return {"target": target_name, "sent": False, "retryable": False,
                    "reason": "no such notify target for this shop"}
        event = {"type": "sla.escalation", "shop": shop, "text": text, "data": data or {}}
        return self.post(target, text, event, notice_id or _content_id(shop, target_name, text))

    def post(self, target: NotifyTarget, text: str, event: dict[str, Any], message_id: str) -> dict[str, Any]:
        """POST to one target: WeCom robots get `text`, webhooks get `event` as JSON, signed when the target has a secret."""
        if target.kind == "wecom_robot":
            return self._post_robot(target, text)
        secret = target.secret
        if secret and self._signer is None:  # never send a shop's signed target an unsigned request
            return {"target": target.name, "kind": target.kind, "sent": False, "retryable": False,
                    "reason": "target has a secret but no signer is configured"}
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "webhook-id": message_id}
        if secret and self._signer is not None:
            ts = int(self._now_s())
            headers["webhook-timestamp"] = str(ts)
            headers["webhook-signature"] = self._signer(secret, message_id, ts, body)
        r = self._http.request("POST", target.url, body=body, headers=headers)
        out: dict[str, Any] = {"target": target.name, "kind": target.kind, "sent": 200 <= r.status < 300,
                               "status": r.status}
        if not out["sent"]:
            out.update(reason=f"HTTP {r.status}", retryable=r.status == 429 or r.status >= 500)
            if r.status == 429 and str(r.headers.get("retry-after", "")).isdigit():
                out["retry_after"] = int(r.headers["retry-after"])
        return out

    def _post_robot(self, target: NotifyTarget, text: str) -> dict[str, Any]:
        body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False,
                          separators=(",", ":")).encode()
        r = self._http.request("POST", target.url, body=body, headers={"Content-Type": "application/json"})
        doc = _json(r)
        code = doc.get("errcode", 0) if isinstance(doc, dict) else None
        out: dict[str, Any] = {"target": target.name, "kind": target.kind, "status": r.status,
                               "sent": r.status == 200 and code == 0}
        if not out["sent"]:
            out["reason"] = f"HTTP {r.status} errcode {'?' if code is None else code}"
            out["retryable"] = r.status == 429 or r.status >= 500 or code in WECOM_RETRYABLE
            if code is not None:
                out["errcode"] = code
        return out


def _content_id(*parts: str) -> str:
    return "ntc_" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def _json(r: _Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return None
