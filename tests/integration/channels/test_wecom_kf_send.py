"""WecomKfSender and KfSync against the fake WeCom API on 127.0.0.1, with the Dynamo token and counter stores on moto."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.accounts import parse_accounts
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.errors import SendPermanent, SendRateLimited, SendRetryable, SendWindowClosed
from chalicelib.channels.registry import SenderContext, puller, sender
from chalicelib.channels.wechat.kf_sync import cursor_key, route_key
from chalicelib.domain import Case, CustomerRef, OutboundKind, OutboundMessage
from chalicelib.domain.tasks import MessageReceived
from chalicelib.settings import Settings
from chalicelib.store import DynamoCounters, DynamoTokenStore
from tests.conftest import REGION
from tests.servers.wechat_api import KF_SEND, KF_SYNC, FakeWechatApi

ACCOUNTS = """
[[wechat]]
account = "kf"
shop = "shop-a"
kind = "wecom"
app_id = "wwKF"
app_secret = "kf-secret"
token = "t0k"
aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
"""
NOW = datetime.now(UTC)


@pytest.fixture
def api() -> Iterator[FakeWechatApi]:
    with FakeWechatApi({"wwKF": "kf-secret"}) as server:
        yield server


@pytest.fixture
def ctx(api: FakeWechatApi, moto_endpoint: str, stack: dict[str, str]) -> SenderContext:
    db = boto3.session.Session(region_name=REGION).client("dynamodb", endpoint_url=moto_endpoint)
    table = stack["SHOUHOU_TABLE_NAME"]
    return SenderContext(http=HttpClient(timeout_s=5), accounts=parse_accounts(ACCOUNTS),
                         tokens=DynamoTokenStore(db, table), settings=Settings(wechat_api=api.url, wecom_api=api.url),
                         counters=DynamoCounters(db, table))


def make_case(user: str, *, last_message_ago: timedelta = timedelta(hours=1)) -> Case:
    return Case(case_id=f"K-{user}", shop="shop-a", customer=CustomerRef(channel="wecom_kf", account="kf", user=user),
                channel="wecom_kf", account="kf", created_at=NOW - last_message_ago, updated_at=NOW,
                last_customer_message_at=NOW - last_message_ago)


def reply(case: Case, n: int) -> OutboundMessage:
    return OutboundMessage(outbound_id=f"{case.case_id}:r{n}", case_id=case.case_id, shop="shop-a", channel="wecom_kf",
                           account="kf", customer=case.customer, kind=OutboundKind.AGENT_REPLY, text=f"第{n}条回复",
                           created_at=NOW)


def routed(ctx: SenderContext, user: str, open_kfid: str = "wkSHOP") -> None:
    ctx.tokens.put(route_key("kf", user), {"open_kfid": open_kfid})


class TestSend:
    def test_reply_goes_to_the_customer_from_the_kf_account_they_wrote_to(self, ctx: SenderContext,
                                                                          api: FakeWechatApi) -> None:
        case = make_case("wmA")
        routed(ctx, "wmA", "wkSHOP2")
        result = sender("wecom_kf", ctx).send(reply(case, 1), case)
        (sent,) = api.delivered(KF_SEND)
        assert (sent.body["touser"], sent.body["open_kfid"], sent.body["msgtype"]) == ("wmA", "wkSHOP2", "text")
        assert "第1条回复" in sent.body["text"]["content"] and case.case_id in sent.body["text"]["content"]
        assert (result["via"], result["sent_in_window"]) == ("wecom_kf.send_msg", 1)

    def test_the_sixth_message_in_48h_is_refused_before_wecom_sees_it(self, ctx: SenderContext,
                                                                      api: FakeWechatApi) -> None:
        case = make_case("wmB")
        routed(ctx, "wmB")
        kf = sender("wecom_kf", ctx)
        for n in range(1, 6):
            kf.send(reply(case, n), case)
        with pytest.raises(SendWindowClosed, match="quota_5_used"):
            kf.send(reply(case, 6), case)
        assert len(api.calls(KF_SEND)) == 5

    def test_a_new_customer_message_opens_a_new_budget(self, ctx: SenderContext, api: FakeWechatApi) -> None:
        case = make_case("wmC")
        routed(ctx, "wmC")
        kf = sender("wecom_kf", ctx)
        for n in range(1, 6):
            kf.send(reply(case, n), case)
        again = case.model_copy(update={"last_customer_message_at": NOW})
        assert kf.send(reply(again, 6), again)["sent_in_window"] == 1

    def test_after_48h_the_window_is_closed(self, ctx: SenderContext, api: FakeWechatApi) -> None:
        case = make_case("wmD", last_message_ago=timedelta(hours=48, minutes=1))
        routed(ctx, "wmD")
        with pytest.raises(SendWindowClosed, match="window_48h_expired"):
            sender("wecom_kf", ctx).send(reply(case, 1), case)
        assert api.calls(KF_SEND) == []

    def test_a_customer_with_no_known_kf_account_cannot_be_reached_here(self, ctx: SenderContext) -> None:
        case = make_case("wmNobody")
        with pytest.raises(SendWindowClosed, match="no_kf_route"):
            sender("wecom_kf", ctx).send(reply(case, 1), case)

    @pytest.mark.parametrize("code,error", [
        (95001, SendWindowClosed),  # WeCom's own count limit
        (45009, SendRateLimited),
        (-1, SendRetryable),
        (95000, SendPermanent),  # unknown open_kfid
    ])
    def test_errcodes_map_to_send_errors(self, ctx: SenderContext, api: FakeWechatApi, code: int,
                                         error: type[Exception]) -> None:
        case = make_case(f"wmE{code}")
        routed(ctx, case.customer.user)
        api.answer_next(KF_SEND, code)
        with pytest.raises(error) as raised:
            sender("wecom_kf", ctx).send(reply(case, 1), case)
        assert raised.type is error and raised.value.provider_code == code  # type: ignore[attr-defined]

    def test_a_failed_send_gives_its_slot_back(self, ctx: SenderContext, api: FakeWechatApi) -> None:
        case = make_case("wmF")
        routed(ctx, "wmF")
        api.answer_next(KF_SEND, -1)
        kf = sender("wecom_kf", ctx)
        with pytest.raises(SendRetryable):
            kf.send(reply(case, 1), case)
        assert kf.send(reply(case, 1), case)["sent_in_window"] == 1

    def test_an_expired_access_token_is_refreshed_once(self, ctx: SenderContext, api: FakeWechatApi) -> None:
        case = make_case("wmG")
        routed(ctx, "wmG")
        kf = sender("wecom_kf", ctx)
        kf.send(reply(case, 1), case)
        api.revoke_tokens()
        kf.send(reply(case, 2), case)
        assert len(api.delivered(KF_SEND)) == 2 and api.token_calls == 2


def msg(msgid: str, user: str, text: str, origin: int = 3, open_kfid: str = "wkSHOP") -> dict[str, Any]:
    return {"msgid": msgid, "open_kfid": open_kfid, "external_userid": user, "send_time": int(NOW.timestamp()),
            "origin": origin, "msgtype": "text", "text": {"content": text}}


class Collect:
    def __init__(self, fail_on_call: int | None = None) -> None:
        self.pages: list[list[MessageReceived]] = []
        self.fail_on_call = fail_on_call

    def __call__(self, tasks: Sequence[MessageReceived]) -> None:
        if self.fail_on_call == len(self.pages) + 1:
            raise RuntimeError("SQS refused")
        self.pages.append(list(tasks))


class TestSync:
    def test_pages_until_has_more_is_0_and_keeps_the_cursor(self, ctx: SenderContext, api: FakeWechatApi) -> None:
        api.kf_pages("wkSHOP", [[msg("m1", "wmA", "在吗"), msg("e1", "", "", origin=4)],
                                [msg("m2", "wmB", "退货", open_kfid="wkSHOP")]], token="ENC1")
        got = Collect()
        result = puller("wecom_kf", ctx).run("kf", "wkSHOP", "ENC1", got)
        assert [[t.dedupe_id for t in p] for p in got.pages] == [["m1"], ["m2"]]
        assert [(c.body.get("cursor"), c.body.get("token")) for c in api.calls(KF_SYNC)] == [(None, "ENC1"), ("c1", "ENC1")]
        assert (result.pages, result.handed_on) == (2, 2)
        assert ctx.tokens.get(cursor_key("kf", "wkSHOP"))["cursor"] == "c2"  # type: ignore[index]
        assert ctx.tokens.get(route_key("kf", "wmB")) == {"open_kfid": "wkSHOP"}

    def test_a_failed_hand_on_leaves_the_cursor_at_the_last_good_page(self, ctx: SenderContext,
                                                                      api: FakeWechatApi) -> None:
        api.kf_pages("wkFAIL", [[msg("f1", "wmA", "一")], [msg("f2", "wmA", "二")]])
        with pytest.raises(RuntimeError):
            puller("wecom_kf", ctx).run("kf", "wkFAIL", "", Collect(fail_on_call=2))
        assert ctx.tokens.get(cursor_key("kf", "wkFAIL"))["cursor"] == "c1"  # type: ignore[index]
        again = Collect()
        puller("wecom_kf", ctx).run("kf", "wkFAIL", "", again)
        assert [[t.dedupe_id for t in p] for p in again.pages] == [["f2"]]

    def test_an_expired_callback_token_is_dropped_and_the_pull_goes_on(self, ctx: SenderContext,
                                                                       api: FakeWechatApi) -> None:
        api.kf_pages("wkOLD", [[msg("o1", "wmA", "在吗")]])  # ENC-stale is not a token the fake accepts
        got = Collect()
        puller("wecom_kf", ctx).run("kf", "wkOLD", "ENC-stale", got)
        assert [t.dedupe_id for t in got.pages[0]] == ["o1"]
        assert [c.body.get("token") for c in api.calls(KF_SYNC)] == ["ENC-stale", None]
