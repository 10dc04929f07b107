"""SmsSender against a fake SMS API on 127.0.0.1: templates, signing, opt-out (退订), the daily cap, provider codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.accounts import AccountsInvalid, parse_accounts
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.errors import RenderRejected, SendPermanent, SendRateLimited, SendRetryable
from chalicelib.channels.registry import SenderContext, sender
from chalicelib.channels.sms.send import SmsSender, day_key, optout_key
from chalicelib.domain import Case, CaseStatus, CustomerRef, OutboundKind, OutboundMessage
from chalicelib.settings import Settings
from tests.servers.sms_api import FakeSmsApi, InMemoryCounters

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SECRETS = {"LTAIkey": "aliyun-secret", "AKIDkey": "tencent-key", "ACsid": "twilio-auth"}
ACCOUNTS = """
[[sms]]
account = "mo-only"
shop = "shop-a"
provider = "aliyun"
path_token = "p4th-t0ken-0123456789abcdef"

[[sms]]
account = "ali"
shop = "shop-a"
provider = "aliyun"
access_key_id = "LTAIkey"
access_key_secret = "%(ali_secret)s"
sign_name = "某某旗舰店"
daily_cap = 3
[sms.templates.progress]
code = "SMS_100"
params = { status = "status_label", link = "board_url" }
[sms.templates."progress.resolved"]
code = "SMS_101"
params = { order = "order_no" }

[[sms]]
account = "tc"
shop = "shop-b"
provider = "tencent"
secret_id = "AKIDkey"
secret_key = "tencent-key"
sdk_app_id = "1400000000"
sign_name = "某某旗舰店"
[sms.templates.progress]
code = "1234567"
params = { status = "status_label", case = "case_id" }

[[sms]]
account = "tw"
shop = "shop-c"
provider = "twilio"
account_sid = "ACsid"
auth_token = "twilio-auth"
from_number = "+14155550100"
"""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def api() -> Iterator[FakeSmsApi]:
    with FakeSmsApi(SECRETS) as server:
        yield server


def make_sender(api: FakeSmsApi, counters: InMemoryCounters, clock: Clock, ali_secret: str = "aliyun-secret") -> SmsSender:
    settings = Settings(sms_api_aliyun=api.url, sms_api_tencent=api.url, sms_api_twilio=api.url)
    ctx = SenderContext(http=HttpClient(timeout_s=2), accounts=parse_accounts(ACCOUNTS % {"ali_secret": ali_secret}),
                        tokens=None, settings=settings, counters=counters)  # type: ignore[arg-type]
    return SmsSender(ctx, clock=clock)


def message(shop: str = "shop-a", n: int = 1, **overrides: Any) -> OutboundMessage:
    values: dict[str, Any] = {
        "outbound_id": f"out-{shop}-{n}", "case_id": "C1", "shop": shop, "channel": "sms", "account": "x",
        "customer": CustomerRef(channel="wechat", account="demo-oa", user="oX"), "kind": OutboundKind.PROGRESS,
        "text": "您的售后正在处理", "status": CaseStatus.OPEN, "status_label": "处理中", "board_url": "https://s.example/b/C1",
        "phone": "+86 138 0000 0000", "created_at": NOW, "data": {"order_no": "6926112200000012345"}, **overrides}
    return OutboundMessage(**values)


@pytest.fixture
def counters() -> InMemoryCounters:
    return InMemoryCounters()


class TestAliyun:
    def test_sends_the_approved_template_signed_from_the_shops_sending_account(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        result = make_sender(api, counters, Clock(NOW)).send(message())
        (sent,) = api.sent
        assert (sent.provider, sent.phone, sent.template) == ("aliyun", "13800000000", "SMS_100")
        assert sent.params == {"status": "处理中", "link": "https://s.example/b/C1"}
        assert sent.raw["OutId"] == "out-shop-a-1" and sent.raw["SignName"] == "某某旗舰店"
        assert result["account"] == "ali" and result["to"] == "138****0000" and result["biz_id"] == "biz-1"
        assert "13800000000" not in str(result)

    def test_status_specific_template_wins(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        make_sender(api, counters, Clock(NOW)).send(message(status=CaseStatus.RESOLVED, status_label="已解决"))
        assert (api.sent[0].template, api.sent[0].params) == ("SMS_101", {"order": "6926112200000012345"})

    def test_free_text_without_a_template_is_rejected_and_uses_no_slot(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        with pytest.raises(RenderRejected):
            make_sender(api, counters, Clock(NOW)).send(message(kind=OutboundKind.AGENT_REPLY))
        assert api.sent == [] and counters.get(day_key("13800000000", NOW)) == 0

    def test_wrong_secret_is_refused_by_the_provider(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        with pytest.raises(SendPermanent):
            make_sender(api, counters, Clock(NOW), ali_secret="wrong").send(message())
        assert api.state.rejected == ["aliyun"] and api.sent == []

    @pytest.mark.parametrize(("code", "status", "error"), [
        ("isv.BUSINESS_LIMIT_CONTROL", 200, SendRateLimited), ("isp.SYSTEM_ERROR", 200, SendRetryable),
        ("isv.MOBILE_NUMBER_ILLEGAL", 200, SendPermanent), ("ServiceUnavailable", 503, SendRetryable),
    ])
    def test_provider_codes_become_send_errors(self, api: FakeSmsApi, counters: InMemoryCounters, code: str, status: int,
                                               error: type[Exception]) -> None:
        api.answer_next("aliyun", code, status=status)
        with pytest.raises(error) as info:
            make_sender(api, counters, Clock(NOW)).send(message())
        assert type(info.value) is error


class TestDailyCap:
    def test_cap_from_the_account_holds_per_number_per_shanghai_day(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        clock = Clock(NOW)
        sms = make_sender(api, counters, clock)
        for n in range(3):
            sms.send(message(n=n))
        with pytest.raises(SendPermanent) as info:
            sms.send(message(n=99))
        assert info.value.provider_code == "daily_cap" and len(api.sent) == 3
        sms.send(message(n=5, phone="13900000000"))  # another number is not affected
        clock.now = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # 00:00 next day in Shanghai
        sms.send(message(n=6))
        assert [s.phone for s in api.sent] == ["13800000000"] * 3 + ["13900000000", "13800000000"]
        assert counters.ttls[day_key("13800000000", NOW)] >= 24 * 3600

    def test_default_cap_is_ten(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        sms = make_sender(api, counters, Clock(NOW))
        for n in range(10):
            sms.send(message(shop="shop-b", n=n))
        with pytest.raises(SendPermanent):
            sms.send(message(shop="shop-b", n=10))
        assert len(api.sent) == 10

    def test_cap_above_the_provider_maximum_is_refused_at_load(self) -> None:
        with pytest.raises(AccountsInvalid):
            parse_accounts('[[sms]]\naccount="a"\nshop="s"\nprovider="aliyun"\ndaily_cap=51\n')


class TestOptOut:
    def test_opted_out_number_gets_nothing(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        counters.incr(optout_key("13800000000"), 365 * 86400)
        with pytest.raises(SendPermanent) as info:
            make_sender(api, counters, Clock(NOW)).send(message())
        assert info.value.provider_code == "opt_out" and api.sent == []

    def test_case_flagged_opt_out_gets_nothing(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        case = Case(case_id="C1", shop="shop-a", customer=CustomerRef(channel="sms", account="ali", user="13800000000"),
                    channel="sms", account="ali", created_at=NOW, updated_at=NOW, flags={"sms_opt_out": True})
        with pytest.raises(SendPermanent):
            make_sender(api, counters, Clock(NOW)).send(message(phone=None), case)
        assert api.sent == []


class TestTencentAndTwilio:
    def test_tencent_tc3_signed_template_send(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        result = make_sender(api, counters, Clock(datetime.now(UTC))).send(message(shop="shop-b"))
        (sent,) = api.sent
        assert (sent.phone, sent.template, sent.params) == ("+8613800000000", "1234567", ["处理中", "C1"])
        assert sent.raw["SmsSdkAppId"] == "1400000000" and result["serial_no"] == "sn-1"

    @pytest.mark.parametrize(("code", "error"), [("LimitExceeded.PhoneNumberDailyLimit", SendPermanent),
                                                 ("LimitExceeded.PhoneNumberThirtySecondLimit", SendRateLimited),
                                                 ("InternalError.Timeout", SendRetryable)])
    def test_tencent_codes(self, api: FakeSmsApi, counters: InMemoryCounters, code: str, error: type[Exception]) -> None:
        api.answer_next("tencent", code)
        with pytest.raises(error) as info:
            make_sender(api, counters, Clock(datetime.now(UTC))).send(message(shop="shop-b"))
        assert type(info.value) is error

    def test_twilio_free_text_with_basic_auth(self, api: FakeSmsApi, counters: InMemoryCounters) -> None:
        make_sender(api, counters, Clock(NOW)).send(message(shop="shop-c", kind=OutboundKind.AGENT_REPLY, phone="+14155550123"))
        (sent,) = api.sent
        assert (sent.phone, sent.body) == ("+14155550123", "您的售后正在处理\nhttps://s.example/b/C1")
        assert sent.raw["From"] == "+14155550100"

    @pytest.mark.parametrize(("status", "code", "error"), [(429, "20429", SendRateLimited), (400, "21610", SendPermanent),
                                                           (500, "0", SendRetryable)])
    def test_twilio_errors(self, api: FakeSmsApi, counters: InMemoryCounters, status: int, code: str, error: type[Exception]) -> None:
        api.answer_next("twilio", code, status=status)
        with pytest.raises(error) as info:
            make_sender(api, counters, Clock(NOW)).send(message(shop="shop-c"))
        assert type(info.value) is error


def test_registry_builds_the_sms_sender(api: FakeSmsApi, counters: InMemoryCounters) -> None:
    ctx = SenderContext(http=HttpClient(), accounts=parse_accounts(ACCOUNTS % {"ali_secret": "x"}), tokens=None,  # type: ignore[arg-type]
                        settings=Settings(), counters=counters)
    assert isinstance(sender("sms", ctx), SmsSender)


def test_shop_without_a_sending_account_and_message_without_phone(api: FakeSmsApi, counters: InMemoryCounters) -> None:
    sms = make_sender(api, counters, Clock(NOW))
    with pytest.raises(SendPermanent):
        sms.send(message(shop="shop-z"))
    with pytest.raises(SendPermanent):
        sms.send(message(phone=None))
    assert sms.account_for("shop-a").account == "ali"
