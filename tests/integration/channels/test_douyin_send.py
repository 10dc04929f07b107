"""DouyinSender against a fake Douyin API on 127.0.0.1: token refresh and sharing, reply window and quota."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.accounts import parse_accounts
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.douyin.send import DouyinSender
from chalicelib.channels.douyin.token import token_key
from chalicelib.channels.errors import RenderRejected, SendPermanent, SendRateLimited, SendWindowClosed
from chalicelib.channels.registry import SenderContext, sender
from chalicelib.domain import Case, CustomerRef, OutboundKind, OutboundMessage
from chalicelib.settings import Settings
from tests.servers.douyin_api import FakeDouyinApi, InMemoryTokenStore

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ACCOUNTS = """
[[douyin]]
account = "demo-dy"
shop = "shop-a"
client_key = "ck"
client_secret = "cs"
open_id = "open-biz"
refresh_token = "rft.good"

[[douyin]]
account = "short"
shop = "shop-a"
client_key = "ck"
client_secret = "cs"
open_id = "open-biz"
refresh_token = "rft.good"
reply_window_h = 2
max_replies = 2

[[douyin]]
account = "no-refresh"
shop = "shop-a"
client_key = "ck2"
client_secret = "cs"
open_id = "open-biz"
"""
CUSTOMER = CustomerRef(channel="douyin", account="demo-dy", user="open-user-1")


@pytest.fixture
def api() -> Iterator[FakeDouyinApi]:
    with FakeDouyinApi({"ck": "rft.good"}) as server:
        yield server


@pytest.fixture
def tokens() -> InMemoryTokenStore:
    return InMemoryTokenStore()


def make(api: FakeDouyinApi, tokens: InMemoryTokenStore, now: datetime = NOW) -> DouyinSender:
    ctx = SenderContext(http=HttpClient(timeout_s=2), accounts=parse_accounts(ACCOUNTS), tokens=tokens,
                        settings=Settings(douyin_api=api.url))
    return DouyinSender(ctx, clock=lambda: now)


def case(account: str = "demo-dy", last: datetime | None = NOW - timedelta(hours=1), sent: int = 0) -> Case:
    return Case(case_id="C1", shop="shop-a", customer=CUSTOMER, channel="douyin", account=account, created_at=NOW,
                updated_at=NOW, last_customer_message_at=last,
                flags={"dy_sent_since_customer": sent, "dy_conversation_id": "conv-9", "dy_last_msg_id": "srv-1"})


def message(account: str = "demo-dy", **overrides: Any) -> OutboundMessage:
    return OutboundMessage(**{"outbound_id": "o1", "case_id": "C1", "shop": "shop-a", "channel": "douyin", "account": account,
                              "customer": CUSTOMER, "kind": OutboundKind.PROGRESS, "text": "您的退货已受理",
                              "board_url": "https://s.example/b/C1", "created_at": NOW, **overrides})


def test_replies_in_the_conversation_with_a_refreshed_token(api: FakeDouyinApi, tokens: InMemoryTokenStore) -> None:
    result = make(api, tokens).send(message(), case())
    (sent,) = api.sent
    assert sent.open_id == "open-biz" and sent.token == "act.1"
    assert sent.body["conversation_id"] == "conv-9" and sent.body["to_user_id"] == "open-user-1"
    assert sent.body["msg_id"] == "srv-1" and sent.body["scene"] == "im_reply_msg"
    assert sent.body["content"]["text"]["text"] == "您的退货已受理\n查看进度：https://s.example/b/C1"
    assert result == {"channel": "douyin", "msg_id": "dy-msg-1", "sent_since_customer": 1}
    assert tokens.get(token_key("demo-dy"))["access_token"] == "act.1"  # type: ignore[index]


def test_cached_token_is_reused_and_an_expired_one_refreshed_once(api: FakeDouyinApi, tokens: InMemoryTokenStore) -> None:
    sender_ = make(api, tokens)
    sender_.send(message(), case())
    sender_.send(message(), case(sent=1))
    assert api.token_calls == 1
    api.revoke_tokens()
    sender_.send(message(), case(sent=2))
    assert api.token_calls == 2 and [s.token for s in api.sent] == ["act.1", "act.1", "act.2"]


@pytest.mark.parametrize(("kwargs", "why"), [
    ({"last": NOW - timedelta(hours=25)}, "window"), ({"last": None}, "customer"), ({"sent": 6}, "replies"),
])
def test_outside_the_default_window_or_quota_is_window_closed(api: FakeDouyinApi, tokens: InMemoryTokenStore,
                                                              kwargs: dict[str, Any], why: str) -> None:
    with pytest.raises(SendWindowClosed, match=why):
        make(api, tokens).send(message(), case(**kwargs))
    assert api.sent == []


def test_window_and_quota_come_from_the_account(api: FakeDouyinApi, tokens: InMemoryTokenStore) -> None:
    sender_ = make(api, tokens)
    sender_.send(message("short"), case("short", last=NOW - timedelta(minutes=90), sent=1))
    for c in (case("short", last=NOW - timedelta(hours=3)), case("short", sent=2)):
        with pytest.raises(SendWindowClosed):
            sender_.send(message("short"), c)
    assert len(api.sent) == 1


def test_no_case_or_no_conversation_is_window_closed(api: FakeDouyinApi, tokens: InMemoryTokenStore) -> None:
    with pytest.raises(SendWindowClosed):
        make(api, tokens).send(message(), None)
    bare = case()
    bare.flags = {}
    with pytest.raises(SendWindowClosed):
        make(api, tokens).send(message(), bare)


def test_platform_errors_become_send_errors(api: FakeDouyinApi, tokens: InMemoryTokenStore) -> None:
    api.answer_next(429)
    with pytest.raises(SendRateLimited):
        make(api, tokens).send(message(), case())
    api.answer_next(2190004)
    with pytest.raises(SendPermanent):
        make(api, tokens).send(message(), case())
    with pytest.raises(SendPermanent):
        make(api, tokens).send(message("no-refresh"), case("no-refresh"))
    with pytest.raises(RenderRejected):
        make(api, tokens).send(message(text="长" * 1001, board_url=None), case())


def test_registry_builds_the_douyin_sender(tokens: InMemoryTokenStore) -> None:
    ctx = SenderContext(http=HttpClient(), accounts=parse_accounts(ACCOUNTS), tokens=tokens, settings=Settings())
    assert isinstance(sender("douyin", ctx), DouyinSender)
