"""SmsSender: the SMS port. Picks the shop's sending account, enforces opt-out and the daily cap, renders, sends.

- Account: the first `[[sms]]` entry of the case's shop whose provider can send (`SmsAccount.can_send`).
- Opt-out: a number with `counters.get("optout#<phone>") > 0` (recorded by the worker on 退订/TD/T),
  or a case flagged `sms_opt_out`, gets nothing more → SendPermanent(provider_code="opt_out").
- Daily cap: `counters.incr("smsday#<phone>#<YYYYMMDD Asia/Shanghai>", ttl_s=2 days)`; above the
  account's `daily_cap` (default 10, at most 50) → SendPermanent(provider_code="daily_cap"). The counter
  counts attempts, so a failed send still uses one of the day's slots (conservative by design).
- Aliyun/Tencent need an approved template for the update (render.py); Twilio sends free text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ...accounts import SmsAccount
from ...domain import Case, OutboundMessage
from ..errors import SendPermanent
from .aliyun_send import AliyunSms
from .mo import normalise_phone
from .render import free_text, template_for, template_params
from .tencent_send import TencentSms
from .twilio_send import TwilioSms

if TYPE_CHECKING:
    from ..registry import SenderContext

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
CAP_TTL_S = 2 * 24 * 3600


def optout_key(phone: str) -> str:
    """The counter that, once above zero, stops SMS to `phone`."""
    return f"optout#{phone}"


def day_key(phone: str, now: datetime) -> str:
    """The per-number counter for the Asia/Shanghai calendar day of `now`."""
    return f"smsday#{phone}#{now.astimezone(SHANGHAI):%Y%m%d}"


def mask(phone: str) -> str:
    """A phone number as the timeline shows it (138****0000)."""
    return f"{phone[:-8]}****{phone[-4:]}" if len(phone) >= 11 else "****"


class SmsSender:
    """Implements OutboundSender for `channel == "sms"` and the SMS fallback of other channels."""

    def __init__(self, ctx: SenderContext, *, clock: Callable[[], datetime] | None = None) -> None:
        self._ctx = ctx
        self._now = clock or (lambda: datetime.now(UTC))
        s = ctx.settings
        self._aliyun = AliyunSms(ctx.http, s.sms_api_aliyun)
        self._tencent = TencentSms(ctx.http, s.sms_api_tencent)
        self._twilio = TwilioSms(ctx.http, s.sms_api_twilio)

    def account_for(self, shop: str) -> SmsAccount:
        """The shop's sending SMS account.

        Raises:
            SendPermanent: the shop has none.
        """
        for entry in self._ctx.accounts.all("sms"):
            if entry.shop == shop and entry.can_send:
                return entry  # type: ignore[no-any-return]
        raise SendPermanent(f"shop {shop} has no SMS account that can send", provider_code="no_account")

    def send(self, message: OutboundMessage, case: Case | None = None) -> dict[str, Any]:
        """Send one update as an SMS; returns what the timeline records (phone masked).

        Raises:
            SendPermanent: no phone, no account, opted out, over the daily cap, or refused by the provider.
            RenderRejected: a mainland provider without an approved template for this update.
            SendRateLimited, SendRetryable: provider throttling or transient failures.
        """
        phone = _phone(message, case)
        account = self.account_for(case.shop if case else message.shop)
        counters = self._ctx.counters
        if counters is None:
            raise SendPermanent("no counter store configured for SMS caps", provider_code="no_counters")
        if (case is not None and case.flags.get("sms_opt_out")) or counters.get(optout_key(phone)) > 0:
            raise SendPermanent(f"{mask(phone)} opted out of SMS", provider_code="opt_out")
        deliver = self._prepared(account, message, phone)  # render first: a rejected render uses no slot
        now = self._now()
        count = counters.incr(day_key(phone, now), CAP_TTL_S)
        if count > account.daily_cap:
            raise SendPermanent(f"{mask(phone)} reached {account.daily_cap} SMS today", provider_code="daily_cap")
        result = deliver(now)
        return {"channel": "sms", "provider": account.provider, "account": account.account, "to": mask(phone),
                "sent_today": count, **result}

    def _prepared(self, account: SmsAccount, message: OutboundMessage, phone: str) -> Callable[[datetime], dict[str, Any]]:
        if account.provider == "twilio":
            body = free_text(message)
            return lambda now: self._twilio.send(account, phone=phone, body=body)
        template = template_for(account, message)
        params = template_params(template, message)
        if account.provider == "aliyun":
            return lambda now: self._aliyun.send(
                account, phone=phone, template=template.code, params=params, out_id=message.outbound_id, now=now)
        return lambda now: self._tencent.send(
            account, phone=phone, template=template.code, params=list(params.values()), out_id=message.outbound_id, now=now)


def _phone(message: OutboundMessage, case: Case | None) -> str:
    raw = message.phone or (case.phone if case else None)
    if not raw and message.customer.channel == "sms":
        raw = message.customer.user
    if not raw:
        raise SendPermanent("no phone number to send an SMS to", provider_code="no_phone")
    return normalise_phone(raw)
