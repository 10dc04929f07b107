"""The 抖店 after-sale port: agree to or refuse an after-sale through the OpenAPI (`/afterSale/operate`).

Requests are signed as the reference (protocols.md §2.2) gives it: `param_json` with keys sorted
recursively and no spaces; `sign = hmac_sha256_hex(app_secret, app_secret + "app_key"+k + "method"+m
+ "param_json"+p + "timestamp"+t + "v"+"2" + app_secret)`. The shop's access token comes from
`/token/create` (grant_type authorization_self) and is shared through the TokenStore.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from ...accounts import DoudianAccount
from ..errors import SendPermanent, SendRetryable

EXPIRY_MARGIN_S = 300


def param_json(params: dict[str, Any]) -> str:
    """Business parameters as 抖店 signs them: keys sorted recursively, no spaces, non-ASCII kept."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(app_key: str, app_secret: str, method: str, params_json: str, timestamp: str) -> str:
    """The hmac-sha256 request signature."""
    text = f"{app_secret}app_key{app_key}method{method}param_json{params_json}timestamp{timestamp}v2{app_secret}"
    return hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).hexdigest()


class DoudianAfterSale:
    """Agree or refuse one after-sale on behalf of the shop."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def operate(self, account: DoudianAccount, aftersale_id: str, decision: str, reason: str) -> dict[str, Any]:
        """Send the decision; returns what to record on the timeline.

        Raises:
            SendPermanent: the account has no `operate_types` code for this decision, or 抖店 refused it.
            SendRetryable: 抖店 or the network failed transiently.
        """
        code = account.operate_types.get(decision)  # type: ignore[call-overload]
        if code is None:
            raise SendPermanent(f"doudian account {account.account}: no operate_types.{decision} configured")
        items = [{"aftersale_id": aftersale_id, "reason": reason[:200]}]
        body = self._call(account, "/afterSale/operate", {"type": code, "items": items})
        return {"via": "doudian.afterSale.operate", "decision": decision, "type": code, "log_id": body.get("log_id")}

    def _call(self, account: DoudianAccount, path: str, params: dict[str, Any], *, token: bool = True) -> dict[str, Any]:
        method = path.strip("/").replace("/", ".")
        pj = param_json(params)
        ts = str(int(time.time()))
        query = {"app_key": account.app_key, "method": method, "timestamp": ts, "v": "2", "sign_method": "hmac-sha256",
                 "sign": sign(account.app_key, account.app_secret, method, pj, ts)}
        if token:
            query["access_token"] = self._token(account)
        url = f"{self._ctx.settings.doudian_api.rstrip('/')}{path}?{urlencode(query)}"
        r = self._ctx.http.request("POST", url, body=pj.encode(), headers={"Content-Type": "application/json"})
        if r.status >= 500:
            raise SendRetryable(f"doudian {method}: HTTP {r.status}", provider_code=r.status)
        body = r.json()
        if body.get("code") not in (10000, "10000"):
            raise SendPermanent(f"doudian {method}: {body.get('code')} {str(body.get('msg'))[:80]}",
                                provider_code=body.get("code"))
        return dict(body.get("data") or {}) | {"log_id": body.get("log_id")}

    def _token(self, account: DoudianAccount) -> str:
        key = f"doudian#{account.account}"
        cached = self._ctx.tokens.get(key)
        if cached and cached.get("expires_at", 0) - EXPIRY_MARGIN_S > time.time():
            return str(cached["access_token"])
        params: dict[str, Any] = {"code": "", "grant_type": "authorization_self"}
        if account.shop_id:
            params["shop_id"] = account.shop_id
        data = self._call(account, "/token/create", params, token=False)
        value = {"access_token": data["access_token"], "expires_at": time.time() + int(data.get("expires_in", 0))}
        self._ctx.tokens.put(key, value, expected=(cached or {}).get("access_token", ""))
        return str(value["access_token"])
