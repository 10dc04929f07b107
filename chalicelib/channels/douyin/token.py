"""The business account's access token, cached across Lambdas in the TokenStore and refreshed once."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from ...accounts import DouyinAccount
from ...domain.ports import TokenStore
from .._common.http import HttpClient
from ..errors import SendPermanent, SendRetryable

EARLY_S = 300  # refresh this long before expiry


def token_key(account: str) -> str:
    """The TokenStore key of one Douyin account."""
    return f"douyin#{account}"


class DouyinTokens:
    """Reads the cached token; refreshes it with `/oauth/refresh_token/` when missing or stale."""

    def __init__(self, http: HttpClient, store: TokenStore, api: str) -> None:
        self._http, self._store, self._api = http, store, api.rstrip("/")

    def get(self, account: DouyinAccount, *, force: bool = False, now_s: float | None = None) -> str:
        """A usable access token (refreshing when `force`, missing or about to expire).

        Raises:
            SendPermanent: no refresh token configured, or the platform refused it.
            SendRetryable: the token endpoint failed transiently.
        """
        now_s = time.time() if now_s is None else now_s
        cached = self._store.get(token_key(account.account)) or {}
        if cached.get("access_token") and not force and float(cached.get("expires_at", 0)) - EARLY_S > now_s:
            return str(cached["access_token"])
        return self._refresh(account, cached, now_s)

    def _refresh(self, account: DouyinAccount, cached: dict[str, Any], now_s: float) -> str:
        refresh = cached.get("refresh_token") or account.refresh_token
        if not refresh:
            raise SendPermanent(f"douyin account {account.account} has no refresh_token")
        form = {"client_key": account.client_key, "grant_type": "refresh_token", "refresh_token": refresh}
        r = self._http.request(
            "POST", f"{self._api}/oauth/refresh_token/", body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if r.status >= 500 or r.status == 429:
            raise SendRetryable(f"douyin token endpoint HTTP {r.status}", provider_code=r.status)
        data = (r.json() or {}).get("data") or {}
        if r.status != 200 or data.get("error_code") not in (0, None) or not data.get("access_token"):
            raise SendPermanent("douyin refused the refresh token", provider_code=data.get("error_code", r.status))
        value = {
            "access_token": data["access_token"],
            "expires_at": now_s + float(data.get("expires_in", 0)),
            "refresh_token": data.get("refresh_token") or refresh,
        }
        if not self._store.put(token_key(account.account), value, expected=cached.get("access_token")):
            winner = self._store.get(token_key(account.account)) or value  # another Lambda refreshed first
            return str(winner["access_token"])
        return str(value["access_token"])
