"""The accounts file (DESIGN.md §7): channel accounts and API tokens, validated at start-up."""

from __future__ import annotations

import base64
import hashlib
import tomllib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class AccountsInvalid(ValueError):
    """Raised when the accounts file is not valid TOML or an entry misses or mistypes a key."""


class AccountNotFound(LookupError):
    """Raised when a route names an account (or token) that the accounts file does not have."""

    def __init__(self, kind: str, account: str) -> None:
        super().__init__(f"no {kind} account {account!r}")
        self.kind = kind
        self.account = account


class _Entry(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class _ChannelAccount(_Entry):
    account: str = Field(min_length=1)
    shop: str = Field(min_length=1)


class ApiToken(_Entry):
    """A Bearer token scoped to one shop; only its SHA-256 is kept in memory."""

    token_sha256: str
    shop: str = Field(min_length=1)
    agent: str = "agent"
    role: Literal["agent", "manager"] = "agent"

    @model_validator(mode="before")
    @classmethod
    def _hash_token(cls, data: Any) -> Any:
        if isinstance(data, dict) and "token" in data:
            data = dict(data)
            token = data.pop("token")
            if not isinstance(token, str) or len(token) < 16:
                raise ValueError("token must be a string of at least 16 characters")
            data["token_sha256"] = hash_token(token)
        return data


class WechatAccount(_ChannelAccount):
    """A WeChat Official Account (`kind = "oa"`) or WeCom app (`"wecom"`); `aes_key` set = safe mode."""

    kind: Literal["oa", "wecom"]
    app_id: str = Field(min_length=1)  # OA appid (wx…); WeCom: the corp id
    app_secret: str = Field(min_length=1)  # WeCom: the app's corpsecret
    token: str = Field(min_length=1)
    aes_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{43}$")  # the EncodingAESKey
    agent_id: int | None = None  # WeCom: the app's AgentId, needed to send
    templates: dict[str, str] = Field(default_factory=dict)  # update kind (OutboundKind value or "default") -> template id
    receipt_text: str | None = None  # passive reply sent at once, if set

    @model_validator(mode="after")
    def _wecom_is_encrypted(self) -> WechatAccount:
        if self.kind == "wecom" and not self.aes_key:
            raise ValueError("a wecom account needs aes_key: WeCom callbacks are always encrypted")
        return self


class WebhookAccount(_ChannelAccount):
    secret: str | list[str]  # a list during rotation: any active secret verifies
    callback_url: str | None = None

    @property
    def secrets(self) -> list[str]:
        return [self.secret] if isinstance(self.secret, str) else list(self.secret)


class DouyinAccount(_ChannelAccount):
    """A Douyin open-platform app plus the business account whose DMs it serves."""

    client_key: str
    client_secret: str
    open_id: str | None = None  # the business account's open_id (IM send `?open_id=`)
    refresh_token: str | None = None  # seeds the token store; later refreshes replace it
    reply_window_h: int = Field(default=24, gt=0)  # replies allowed this long after the customer's message
    max_replies: int = Field(default=6, gt=0)  # replies allowed until the customer writes again


class DoudianAccount(_ChannelAccount):
    """A 抖店 app (push signing uses app_key and app_secret)."""

    app_key: str
    app_secret: str
    shop_id: str | None = None  # for the OpenAPI token (grant_type authorization_self)
    # /afterSale/operate `type` codes per decision; the after-sale port acts only where these are set
    operate_types: dict[Literal["agree", "refuse"], int] = Field(default_factory=dict)


class SmsTemplate(_Entry):
    """An approved SMS template: provider code/id and its variables, each naming an outbound field."""

    code: str = Field(min_length=1)
    params: dict[str, str] = Field(default_factory=dict)  # template variable -> outbound field


class SmsAccount(_ChannelAccount):
    """An SMS provider account: inbound MO protection and (optionally) sending credentials."""

    provider: Literal["aliyun", "tencent", "twilio"]
    path_token: str | None = None  # aliyun/tencent inbound: ?token= (long and random)
    auth_token: str | None = None  # twilio: signs inbound, authenticates outbound
    public_url: str | None = None  # twilio: the exact URL Twilio calls (signature input)
    allow_ips: list[str] = Field(default_factory=list)  # optional source IPs or CIDRs
    access_key_id: str | None = None  # aliyun
    access_key_secret: str | None = None
    secret_id: str | None = None  # tencent
    secret_key: str | None = None
    sdk_app_id: str | None = None
    region: str = "ap-guangzhou"
    account_sid: str | None = None  # twilio
    from_number: str | None = None
    messaging_service_sid: str | None = None
    sign_name: str | None = None  # aliyun/tencent 短信签名
    templates: dict[str, SmsTemplate] = Field(default_factory=dict)  # "<kind>[.<status>]" -> template
    daily_cap: int = Field(default=10, ge=1, le=50)  # SMS per phone number per day (Asia/Shanghai)

    @property
    def can_send(self) -> bool:
        """Whether this entry has what its provider needs to send."""
        if self.provider == "aliyun":
            return bool(self.access_key_id and self.access_key_secret and self.sign_name)
        if self.provider == "tencent":
            return bool(self.secret_id and self.secret_key and self.sdk_app_id and self.sign_name)
        return bool(self.account_sid and self.auth_token and (self.from_number or self.messaging_service_sid))


class Kuaidi100Account(_ChannelAccount):
    """A Kuaidi100 subscription account; `salt` signs the pushes."""

    key: str
    salt: str


class NotifyTarget(_Entry):
    """Where escalation notices (and, with `digest = true`, the Monday weekly digest) go.

    A `webhook` target with a `secret` (Standard Webhooks `whsec_<base64>`) gets signed requests.
    """

    model_config = ConfigDict(extra="allow", frozen=True, hide_input_in_errors=True)  # errors never echo the secret

    name: str
    shop: str
    kind: Literal["wecom_robot", "webhook"]
    url: str
    secret: str | None = Field(default=None, repr=False)  # never in reprs or logs
    digest: bool = False

    @field_validator("secret")
    @classmethod
    def _whsec(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ok = value.startswith("whsec_") and len(base64.b64decode(value.removeprefix("whsec_"), validate=True)) >= 16
        except ValueError:
            ok = False
        if not ok:  # the message never echoes the value
            raise ValueError("secret must be whsec_ followed by base64 of at least 16 bytes")
        return value

    @model_validator(mode="after")
    def _secret_signs_webhooks_only(self) -> NotifyTarget:
        if self.secret and self.kind != "webhook":
            raise ValueError("secret applies to kind = \"webhook\" only (WeCom robots are not signed)")
        return self


KINDS: dict[str, type[_Entry]] = {
    "api_token": ApiToken,
    "wechat": WechatAccount,
    "webhook": WebhookAccount,
    "douyin": DouyinAccount,
    "doudian": DoudianAccount,
    "sms": SmsAccount,
    "kuaidi100": Kuaidi100Account,
    "notify": NotifyTarget,
}


def hash_token(token: str) -> str:
    """SHA-256 hex of an API token (tokens are long and random, so a plain hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Every configured account, looked up by kind and account name."""

    def __init__(self, entries: dict[str, list[_Entry]]) -> None:
        self._entries = entries
        self._by_account: dict[tuple[str, str], _Entry] = {}
        for kind, items in entries.items():
            for item in items:
                name = getattr(item, "account", None) or getattr(item, "name", None)
                if name is not None:
                    self._by_account[(kind, name)] = item
        self._tokens = {t.token_sha256: t for t in entries.get("api_token", []) if isinstance(t, ApiToken)}

    def get(self, kind: str, account: str) -> Any:
        """The entry of `kind` named `account`.

        Raises:
            AccountNotFound: when there is none.
        """
        try:
            return self._by_account[(kind, account)]
        except KeyError:
            raise AccountNotFound(kind, account) from None

    def all(self, kind: str) -> list[Any]:
        """Every entry of one kind."""
        return list(self._entries.get(kind, []))

    def token(self, presented: str) -> ApiToken | None:
        """The API token entry matching a presented Bearer token, if any."""
        return self._tokens.get(hash_token(presented))

    def notify_target(self, shop: str, name: str) -> NotifyTarget | None:
        """A shop's named notify target (escalations name them as `notify:<name>`)."""
        for t in self._entries.get("notify", []):
            if isinstance(t, NotifyTarget) and t.shop == shop and t.name == name:
                return t
        return None


def parse_accounts(text: str, source: str = "accounts file") -> Accounts:
    """Validate an accounts TOML document.

    Raises:
        AccountsInvalid: naming the entry (`[[kind]]` number and account) and the bad key.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccountsInvalid(f"{source}: not valid TOML: {exc}") from exc
    entries: dict[str, list[_Entry]] = {}
    for kind, items in doc.items():
        model = KINDS.get(kind)
        if model is None:
            raise AccountsInvalid(f"{source}: unknown section [[{kind}]] (known: {', '.join(KINDS)})")
        if not isinstance(items, list):
            raise AccountsInvalid(f"{source}: [[{kind}]] must be an array of tables")
        entries[kind] = [_validate(model, kind, i, item, source) for i, item in enumerate(items, 1)]
    return Accounts(entries)


def _validate(model: type[_Entry], kind: str, n: int, item: Any, source: str) -> _Entry:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        name = item.get("account") or item.get("name") or "?" if isinstance(item, dict) else "?"
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
        raise AccountsInvalid(f"{source}: [[{kind}]] #{n} ({name}): {problems}") from exc
