"""WechatSender against a fake WeChat API on 127.0.0.1: tokens, the 48 h / 5-message window, templates, WeCom."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.accounts import parse_accounts
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.errors import SendPermanent, SendRateLimited, SendWindowClosed
from chalicelib.channels.registry import SenderContext, sender
from chalicelib.channels.wechat.send import WechatSender
from chalicelib.domain import Case, CaseStatus, CustomerRef, OutboundKind, OutboundMessage
from chalicelib.settings import Settings
from tests.servers.wechat_api import FakeWechatApi, InMemoryTokenStore

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
CUSTOM, TEMPLATE, WECOM = "/cgi-bin/message/custom/send", "/cgi-bin/message/template/send", "/cgi-bin/message/send"
ACCOUNTS = """
[[wechat]]
account = "demo-oa"
shop = "shop-a"
kind = "oa"
app_id = "wxAPP"
app_secret = "oa-secret"
token = "t0k"
templates = { progress = "TPL-PROGRESS", default = "TPL-DEFAULT" }

[[wechat]]
account = "bare-oa"
shop = "shop-a"
kind = "oa"
app_id = "wxBARE"
app_secret = "bare-secret"
token = "t0k"

[[wechat]]
account = "demo-wecom"
shop = "shop-a"
kind = "wecom"
app_id = "wwCORP"
app_secret = "wecom-secret"
token = "t0k"
aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
agent_id = 1000002
"""


@pytest.fixture
def api() -> Iterator[FakeWechatApi]:
    with FakeWechatApi({"wxAPP": "oa-secret", "wxBARE": "bare-secret", "wwCORP": "wecom-secret"}) as server:
        yield server


@pytest.fixture
def tokens() -> InMemoryTokenStore:
    return InMemoryTokenStore()


@pytest.fixture
def wechat(api: FakeWechatApi, tokens: InMemoryTokenStore) -> WechatSender:
    return WechatSender(context(api, tokens), clock=lambda: NOW)


def context(api: FakeWechatApi, tokens: Any, accounts: str = ACCOUNTS) -> SenderContext:
    settings = Settings(wechat_api=api.url, wecom_api=api.url)
    return SenderContext(
        http=HttpClient(timeout_s=5), accounts=parse_accounts(accounts), tokens=tokens, settings=settings
    )


def make_message(n: int = 1, **overrides: Any) -> OutboundMessage:
    account = overrides.pop("account", "demo-oa")
    channel = "wecom" if account == "demo-wecom" else "wechat"
    fields: dict[str, Any] = {
        "outbound_id": f"out-{n}",
        "case_id": "AS20261122001",
        "shop": "shop-a",
        "channel": channel,
        "account": account,
        "customer": CustomerRef(channel=channel, account=account, user="oUser1"),
        "kind": OutboundKind.PROGRESS,
        "text": "仓库已收到退货，正在质检。",
        "status": CaseStatus.OPEN,
        "status_label": "处理中",
        "board_url": "https://shop.example/board/AS20261122001?t=abc",
        "created_at": NOW,
    }
    return OutboundMessage.model_validate(fields | overrides)


def make_case(last_customer: datetime | None = NOW - timedelta(hours=1), sent: int = 0) -> Case:
    return Case(
        case_id="AS20261122001",
        shop="shop-a",
        customer=CustomerRef(channel="wechat", account="demo-oa", user="oUser1"),
        channel="wechat",
        account="demo-oa",
        created_at=NOW - timedelta(days=1),
        updated_at=NOW,
        last_customer_message_at=last_customer,
        flags={"cs_sent_since_customer": sent},
    )


class TestTokenCache:
    def test_fifty_messages_fetch_the_token_once(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        results = [wechat.send(make_message(n), make_case()) for n in range(50)]
        assert api.token_calls == 1
        assert len(api.delivered(CUSTOM)) == 50
        assert {r["via"] for r in results} == {"wechat.custom"}

    def test_revoked_token_answered_40001_is_refreshed_once_and_message_delivered(
        self, api: FakeWechatApi, wechat: WechatSender
    ) -> None:
        wechat.send(make_message(1), make_case())
        api.revoke_tokens()
        result = wechat.send(make_message(2), make_case())
        assert result["via"] == "wechat.custom"
        assert api.token_calls == 2
        assert [r.answer["errcode"] for r in api.calls(CUSTOM)] == [0, 40001, 0]
        assert [r.body["text"]["content"].count("仓库已收到退货") for r in api.delivered(CUSTOM)] == [1, 1]

    def test_40001_for_the_current_token_forces_a_refresh(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        wechat.send(make_message(1), make_case())
        api.answer_next(CUSTOM, 40001)  # WeChat says "not latest" although stable_token still hands it out
        wechat.send(make_message(2), make_case())
        forced = [r for r in api.calls("/cgi-bin/stable_token") if r.body["force_refresh"]]
        assert len(forced) == 1
        assert len(api.delivered(CUSTOM)) == 2
        assert api.delivered(CUSTOM)[-1].query["access_token"] == forced[0].answer["access_token"]

    def test_token_is_refreshed_ahead_of_expiry(self, api: FakeWechatApi, tokens: InMemoryTokenStore) -> None:
        clock = [NOW]
        wechat = WechatSender(context(api, tokens), clock=lambda: clock[0])
        wechat.send(make_message(1), make_case())
        clock[0] = NOW + timedelta(seconds=7200 - 299)  # inside the 300 s refresh margin
        wechat.send(make_message(2), make_case(last_customer=clock[0] - timedelta(hours=1)))
        assert api.token_calls == 2
        assert tokens.get("wechat#demo-oa")["expires_at"] == (clock[0] + timedelta(seconds=7200)).timestamp()

    def test_concurrent_senders_after_revocation_do_not_storm(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        wechat.send(make_message(0), make_case())
        api.revoke_tokens()
        threads = [threading.Thread(target=wechat.send, args=(make_message(n), make_case())) for n in range(1, 11)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(api.delivered(CUSTOM)) == 11
        assert api.state.issued == 2  # one token before, exactly one after: nobody invalidated anybody
        assert not [r for r in api.calls("/cgi-bin/stable_token") if r.body["force_refresh"]]

    def test_wrong_app_secret_is_permanent(self, api: FakeWechatApi, tokens: InMemoryTokenStore) -> None:
        bad = ACCOUNTS.replace('app_secret = "oa-secret"', 'app_secret = "wrong"')
        with pytest.raises(SendPermanent) as err:
            WechatSender(context(api, tokens, bad), clock=lambda: NOW).send(make_message(), make_case())
        assert err.value.provider_code == 40125
        assert api.delivered() == []


class TestWindow:
    def test_fifth_message_in_window_is_a_customer_service_message(
        self, api: FakeWechatApi, wechat: WechatSender
    ) -> None:
        result = wechat.send(make_message(), make_case(sent=4))
        assert (result["via"], result["reason"], result["cs_sent_since_customer"]) == (
            "wechat.custom",
            "window_open",
            5,
        )

    def test_sixth_message_in_window_goes_to_template(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        result = wechat.send(make_message(), make_case(sent=5))
        assert (result["via"], result["reason"], result["template_id"]) == (
            "wechat.template",
            "quota_5_used",
            "TPL-PROGRESS",
        )
        assert result["msgid"] is not None
        assert api.calls(CUSTOM) == []
        (sent,) = api.delivered(TEMPLATE)
        assert sent.body["touser"] == "oUser1"
        assert sent.body["client_msg_id"] == "out-1"
        assert sent.body["url"] == "https://shop.example/board/AS20261122001?t=abc"
        assert [v["value"] for v in sent.body["data"].values()] == [
            "AS20261122001",
            "处理中",
            "仓库已收到退货，正在质检。",
        ]

    def test_message_after_48_hours_goes_to_template(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        result = wechat.send(
            make_message(kind=OutboundKind.AGENT_REPLY), make_case(last_customer=NOW - timedelta(hours=49))
        )
        assert (result["via"], result["reason"], result["template_id"]) == (
            "wechat.template",
            "window_48h_expired",
            "TPL-DEFAULT",
        )
        assert api.calls(CUSTOM) == []

    @pytest.mark.parametrize("code", [45015, 45047])
    def test_refused_customer_service_message_falls_back_to_template(
        self, api: FakeWechatApi, wechat: WechatSender, code: int
    ) -> None:
        api.answer_next(CUSTOM, code)
        result = wechat.send(make_message(), make_case())
        assert (result["via"], result["reason"]) == ("wechat.template", f"errcode_{code}")
        assert len(api.delivered(TEMPLATE)) == 1

    def test_closed_window_without_template_raises_window_closed(
        self, api: FakeWechatApi, wechat: WechatSender
    ) -> None:
        with pytest.raises(SendWindowClosed, match="window_48h_expired"):
            wechat.send(make_message(account="bare-oa"), make_case(last_customer=NOW - timedelta(days=3)))
        assert api.delivered() == []

    def test_refused_without_template_raises_window_closed(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        api.answer_next(CUSTOM, 45047)
        with pytest.raises(SendWindowClosed, match="errcode_45047"):
            wechat.send(make_message(account="bare-oa"), make_case())

    def test_without_a_case_wechat_decides(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        assert wechat.send(make_message(), None)["via"] == "wechat.custom"


class TestErrorsAndPayloads:
    def test_rate_limit_is_retryable_later(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        api.answer_next(CUSTOM, 45009)
        with pytest.raises(SendRateLimited):
            wechat.send(make_message(), make_case())

    def test_unfollowed_customer_is_permanent(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        api.answer_next(CUSTOM, 43004)
        with pytest.raises(SendPermanent) as err:
            wechat.send(make_message(), make_case())
        assert err.value.provider_code == 43004

    def test_custom_text_is_short_chinese_with_case_status_and_link(
        self, api: FakeWechatApi, wechat: WechatSender
    ) -> None:
        wechat.send(make_message(), make_case())
        (sent,) = api.delivered(CUSTOM)
        assert sent.body["msgtype"] == "text"
        assert sent.body["text"]["content"] == (
            "【售后进度】售后单 AS20261122001：处理中\n仓库已收到退货，正在质检。\n"
            "查看进度：https://shop.example/board/AS20261122001?t=abc"
        )

    def test_wecom_sends_an_app_message_with_its_own_token(self, api: FakeWechatApi, wechat: WechatSender) -> None:
        result = wechat.send(make_message(account="demo-wecom"), None)
        assert result["via"] == "wecom.message"
        (sent,) = api.delivered(WECOM)
        assert (sent.body["touser"], sent.body["agentid"], sent.body["msgtype"]) == ("oUser1", 1000002, "text")
        assert sent.query["access_token"].startswith("tok-wwCORP-")
        assert api.calls("/cgi-bin/gettoken")[0].query == {"corpid": "wwCORP", "corpsecret": "wecom-secret"}

    def test_registry_builds_the_sender_for_both_channels(self, api: FakeWechatApi, tokens: InMemoryTokenStore) -> None:
        for channel in ("wechat", "wecom"):
            assert isinstance(sender(channel, context(api, tokens)), WechatSender)
