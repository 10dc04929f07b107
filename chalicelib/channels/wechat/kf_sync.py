"""微信客服 pull: `kf/sync_msg` page by page from the stored cursor, each page handed on before the cursor moves.

State lives in the shared TokenStore (`TOKEN#…` items of the case table), keyed under the channel:
- `wecom_kf#<account>#cursor#<open_kfid>`: `{"cursor": next_cursor}`, written only after `hand_on`
  returned for that page, so a crash replays the page (the msgid dedupe drops what was seen);
- `wecom_kf#<account>#route#<external_userid>`: `{"open_kfid": …}`, the 客服账号 the customer last
  wrote to, which is where `kf_send.WecomKfSender` answers from.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...accounts import WechatAccount
from ...domain.tasks import MessageReceived
from ..errors import SendPermanent
from .api import WechatApi
from .codes import KF_SYNC_TOKEN_INVALID
from .kf_normalise import normalise

if TYPE_CHECKING:
    from ..registry import SenderContext

_log = logging.getLogger(__name__)
SYNC_PATH = "/cgi-bin/kf/sync_msg"
LIMIT = 1000  # the most sync_msg returns per page
HandOn = Callable[[Sequence[MessageReceived]], None]


def cursor_key(account: str, open_kfid: str) -> str:
    """Where the next_cursor of one 客服账号 is kept."""
    return f"wecom_kf#{account}#cursor#{open_kfid}"


def route_key(account: str, user: str) -> str:
    """Where the 客服账号 a customer last wrote to is kept."""
    return f"wecom_kf#{account}#route#{user}"


@dataclass(frozen=True)
class SyncResult:
    """What one sync did: pages read, customer messages handed on, and the cursor it ended at."""

    pages: int
    handed_on: int
    cursor: str


def _utcnow() -> datetime:
    return datetime.now(UTC)


class KfSync:
    """Pulls a 客服账号's new messages and hands the customers' ones on as MessageReceived tasks."""

    def __init__(self, ctx: SenderContext, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self._api = WechatApi(ctx, clock)
        self._store = ctx.tokens
        self._clock = clock

    def run(self, account_name: str, open_kfid: str, token: str, hand_on: HandOn) -> SyncResult:
        """Read pages until has_more is 0; `hand_on` must have queued a page's tasks when it returns.

        Raises:
            SendRetryable, SendRateLimited: WeCom or the network failed; the cursor is where the last good page left it.
            SendPermanent: the account is unknown or WeCom refused (bad secret, unknown open_kfid).
        """
        account = self._api.account(account_name)
        key = cursor_key(account.account, open_kfid)
        cursor = str((self._store.get(key) or {}).get("cursor", ""))
        pages = handed_on = 0
        while True:
            body, token = self._page(account, open_kfid, cursor, token)
            tasks = [t for t in (normalise(item, account=account.account, shop=account.shop, now=self._clock())
                                 for item in body.get("msg_list") or [] if isinstance(item, dict)) if t]
            if tasks:
                self._note_routes(account.account, open_kfid, tasks)
                hand_on(tasks)
            pages, handed_on = pages + 1, handed_on + len(tasks)
            next_cursor = str(body.get("next_cursor") or cursor)
            if next_cursor != cursor:
                self._store.put(key, {"cursor": next_cursor, "at": self._clock().timestamp()})
            more = bool(int(body.get("has_more") or 0))
            if more and next_cursor == cursor:
                _log.warning("wecom_kf: %s/%s has_more without a new cursor; stopping", account.account, open_kfid)
                more = False
            cursor = next_cursor
            if not more:
                return SyncResult(pages=pages, handed_on=handed_on, cursor=cursor)

    def _page(self, account: WechatAccount, open_kfid: str, cursor: str, token: str) -> tuple[dict[str, Any], str]:
        """One sync_msg call; an expired callback Token is dropped and the call made once more without it."""
        payload: dict[str, Any] = {"limit": LIMIT, "voice_format": 0, "open_kfid": open_kfid}
        payload |= {k: v for k, v in (("cursor", cursor), ("token", token)) if v}
        try:
            return self._api.call(account, SYNC_PATH, payload), token
        except SendPermanent as exc:
            if not token or exc.provider_code not in KF_SYNC_TOKEN_INVALID:
                raise
        _log.info("wecom_kf: callback token for %s/%s expired; pulling without it", account.account, open_kfid)
        payload.pop("token")
        return self._api.call(account, SYNC_PATH, payload), ""

    def _note_routes(self, account: str, open_kfid: str, tasks: Sequence[MessageReceived]) -> None:
        """Remember, per customer, the 客服账号 their latest message in this page went to."""
        latest = {t.message.customer.user: str(t.message.meta.get("open_kfid") or open_kfid) for t in tasks}
        for user, kfid in latest.items():
            self._store.put(route_key(account, user), {"open_kfid": kfid})
