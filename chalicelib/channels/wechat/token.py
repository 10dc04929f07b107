"""access_token per account: `stable_token` (OA) / `gettoken` (WeCom), shared through the TokenStore port.

Refreshed `REFRESH_AHEAD_S` before expiry and at once when an API call says the token is invalid.
No refresh storms: a forced refresh first re-reads the store (another Lambda may have refreshed
already), writes conditionally on the token it replaces, and a loser of that race re-reads and uses
the winner's token. A forced OA refresh first asks `stable_token` without `force_refresh` (which
returns the current valid token and does not spend the 20-a-day force quota).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from ...accounts import WechatAccount
from ...domain.ports import TokenStore
from ...settings import Settings
from .._common.http import HttpClient
from ..errors import SendPermanent
from .codes import body_of, errcode, error_for

REFRESH_AHEAD_S = 300


def store_key(account: WechatAccount) -> str:
    """The token's key in the store (`wechat#<account>` / `wecom#<account>`)."""
    return f"{'wecom' if account.kind == 'wecom' else 'wechat'}#{account.account}"


class AccessTokens:
    """Hands out a usable access_token for an account, fetching it only when the cache cannot."""

    def __init__(self, http: HttpClient, store: TokenStore, settings: Settings, clock: Callable[[], datetime]) -> None:
        self._http = http
        self._store = store
        self._settings = settings
        self._clock = clock

    def get(self, account: WechatAccount) -> str:
        """A token from the cache, or a fresh one when the cached one is missing or about to expire.

        Raises:
            SendError: the token endpoint refused (bad secret → SendPermanent) or failed.
        """
        cached = self._store.get(store_key(account))
        return self._usable(cached) or self._renew(account, cached, stale=None)

    def refresh(self, account: WechatAccount, stale: str) -> str:
        """A token other than `stale`, which the API just called invalid (40001/40014/42001).

        Raises:
            SendError: the token endpoint refused or failed.
        """
        cached = self._store.get(store_key(account))
        current = self._usable(cached)
        if current and current != stale:
            return current  # another sender refreshed it already
        return self._renew(account, cached, stale=stale)

    def _usable(self, doc: dict[str, Any] | None) -> str | None:
        """The stored token when it has more than `REFRESH_AHEAD_S` left, else None."""
        if not doc or not doc.get("access_token"):
            return None
        if float(doc.get("expires_at", 0)) - self._clock().timestamp() <= REFRESH_AHEAD_S:
            return None
        return str(doc["access_token"])

    def _renew(self, account: WechatAccount, cached: dict[str, Any] | None, *, stale: str | None) -> str:
        doc = self._fetch(account, force=False)
        if stale is not None and doc["access_token"] == stale and account.kind == "oa":
            doc = self._fetch(account, force=True)
        previous = str(cached.get("access_token", "")) if cached else ""
        if self._store.put(store_key(account), doc, expected=previous):
            return str(doc["access_token"])
        winner = self._usable(self._store.get(store_key(account)))  # lost the race: use the winner's token
        if winner and winner != stale:
            return winner
        return str(doc["access_token"])

    def _fetch(self, account: WechatAccount, *, force: bool) -> dict[str, Any]:
        if account.kind == "wecom":
            query = urlencode({"corpid": account.app_id, "corpsecret": account.app_secret})
            response = self._http.get_json(f"{self._settings.wecom_api}/cgi-bin/gettoken?{query}")
        else:
            payload = {"grant_type": "client_credential", "appid": account.app_id, "secret": account.app_secret,
                       "force_refresh": force}
            response = self._http.post_json(f"{self._settings.wechat_api}/cgi-bin/stable_token", payload)
        body = body_of(response, "access_token")
        code = errcode(body)
        if code:
            raise error_for(code, str(body.get("errmsg", "")), f"access_token for {account.account}")
        if not body.get("access_token"):
            raise SendPermanent(f"access_token for {account.account}: answer without a token")
        expires_in = int(body.get("expires_in", 7200))
        return {"access_token": body["access_token"], "expires_at": self._clock().timestamp() + expires_in}
