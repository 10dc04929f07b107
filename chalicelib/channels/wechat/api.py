"""One authenticated WeChat / WeCom API call: cached access_token, one refresh on an invalid token, codes sorted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...accounts import AccountNotFound, WechatAccount
from ..errors import SendPermanent
from .codes import TOKEN_INVALID, body_of, errcode, error_for
from .token import AccessTokens

if TYPE_CHECKING:
    from ..registry import SenderContext


class WechatApi:
    """POSTs JSON to the OA or WeCom API of an account (`SHOUHOU_WECHAT_API` / `SHOUHOU_WECOM_API`)."""

    def __init__(self, ctx: SenderContext, clock: Callable[[], datetime]) -> None:
        self._ctx = ctx
        self._tokens = AccessTokens(ctx.http, ctx.tokens, ctx.settings, clock)

    def account(self, name: str) -> WechatAccount:
        """The `[[wechat]]` entry named `name`.

        Raises:
            SendPermanent: when the accounts file has none.
        """
        try:
            account: WechatAccount = self._ctx.accounts.get("wechat", name)
        except AccountNotFound as exc:
            raise SendPermanent(f"no wechat account {name!r}") from exc
        return account

    def call(self, account: WechatAccount, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST with the cached token; on an invalid-token answer refresh once and retry once.

        Raises:
            SendRetryable, SendRateLimited, SendPermanent, SendWindowClosed: per `codes.error_for`.
        """
        token = self._tokens.get(account)
        body = self._post(account, path, token, payload)
        if errcode(body) in TOKEN_INVALID:
            body = self._post(account, path, self._tokens.refresh(account, stale=token), payload)
        code = errcode(body)
        if code:
            raise error_for(code, str(body.get("errmsg", "")), path)
        return body

    def _post(self, account: WechatAccount, path: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        base = self._ctx.settings.wecom_api if account.kind == "wecom" else self._ctx.settings.wechat_api
        url = f"{base}{path}?access_token={quote(token, safe='')}"
        return body_of(self._ctx.http.post_json(url, payload), path)
