"""微信客服 on the WeCom callback: the kf_msg_or_event notice becomes one sync task; sync_msg items become messages."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from wechat_builders import NOW, encrypted_request, make_account, vector, wecom_account, xml

from chalicelib.channels.errors import PayloadInvalid
from chalicelib.channels.wechat import SUCCESS, WechatInbound
from chalicelib.channels.wechat.kf_normalise import normalise
from chalicelib.domain import ChannelId
from chalicelib.domain.tasks import MessageReceived, PlatformEvent

receive = WechatInbound().receive
VEC = vector("wecom_decrypt_official_sample")  # the published corp id, token and EncodingAESKey
KF = wecom_account(app_id=VEC["app_id"], token=VEC["token"], aes_key=VEC["encoding_aes_key"])


def kf_notice(token: str = "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR", open_kfid: str = "wkAJ2GCAAA", **extra: str) -> str:
    fields: dict[str, str | int] = {"ToUserName": VEC["app_id"], "CreateTime": int(NOW.timestamp()), "MsgType": "event",
                                    "Event": "kf_msg_or_event", "Token": token, "OpenKfId": open_kfid}
    return xml(fields | extra)


class TestKfNotice:
    def test_notice_becomes_one_sync_task_and_the_normal_ack(self) -> None:
        result = receive(encrypted_request(KF, kf_notice()), KF, NOW, tolerance_s=300)
        (task,) = result.tasks
        assert result.ack == SUCCESS
        assert isinstance(task, PlatformEvent)
        assert (task.channel, task.kind, task.account, task.shop, task.customer) == (
            "wecom_kf", "wecom_kf.sync", "demo-wecom", "shop-a", None)
        assert task.data == {"open_kfid": "wkAJ2GCAAA", "token": "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR"}

    def test_a_retried_notice_has_the_same_dedupe_id_and_a_new_one_another(self) -> None:
        first = receive(encrypted_request(KF, kf_notice(), nonce="1"), KF, NOW, tolerance_s=300).tasks[0]
        retry = receive(encrypted_request(KF, kf_notice(), nonce="2"), KF, NOW, tolerance_s=300).tasks[0]
        other = receive(encrypted_request(KF, kf_notice(token="ENCBother"), nonce="3"), KF, NOW, tolerance_s=300).tasks[0]
        assert first.dedupe_id == retry.dedupe_id != other.dedupe_id

    def test_the_callback_token_is_kept_out_of_the_dedupe_id(self) -> None:
        (task,) = receive(encrypted_request(KF, kf_notice(token="ENCsecretish")), KF, NOW, tolerance_s=300).tasks
        assert "ENCsecretish" not in task.dedupe_id and task.group == "wecom_kf#demo-wecom"

    def test_notice_without_open_kfid_is_invalid(self) -> None:
        with pytest.raises(PayloadInvalid):
            receive(encrypted_request(KF, kf_notice(open_kfid="")), KF, NOW, tolerance_s=300)

    def test_notice_on_an_official_account_is_invalid(self) -> None:
        oa = make_account(aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
        with pytest.raises(PayloadInvalid):
            receive(encrypted_request(oa, kf_notice()), oa, NOW, tolerance_s=300)

    def test_other_wecom_events_still_go_the_usual_way(self) -> None:
        plain = xml({"ToUserName": VEC["app_id"], "FromUserName": "zhangsan", "CreateTime": int(NOW.timestamp()),
                     "MsgType": "text", "Content": "你好", "MsgId": "42", "AgentID": 1})
        (task,) = receive(encrypted_request(KF, plain), KF, NOW, tolerance_s=300).tasks
        assert isinstance(task, MessageReceived) and task.channel == "wecom"


def item(origin: int = 3, msgtype: str = "text", **extra: object) -> dict[str, object]:
    base: dict[str, object] = {"msgid": "from_msgid_1", "open_kfid": "wkAJ2GCAAA", "external_userid": "wmCust1",
                               "send_time": 1795300000, "origin": origin, "msgtype": msgtype}
    return base | extra


def kf_normalise(it: dict[str, object]) -> MessageReceived | None:
    return normalise(it, account="demo-wecom", shop="shop-a", now=NOW)


class TestKfNormalise:
    def test_customer_text_is_a_message_keyed_by_external_userid(self) -> None:
        task = kf_normalise(item(text={"content": "杯子碎了，补发一个"}))
        assert task is not None
        m = task.message
        assert (task.dedupe_id, m.channel, m.customer.key, m.text, m.kind) == (
            "from_msgid_1", ChannelId.WECOM_KF, "wecom_kf#demo-wecom#wmCust1", "杯子碎了，补发一个", "text")
        assert m.received_at == datetime.fromtimestamp(1795300000, UTC)
        assert m.meta["open_kfid"] == "wkAJ2GCAAA"
        assert task.group == "wecom_kf#demo-wecom#wmCust1"

    @pytest.mark.parametrize("kind", ["image", "voice", "video", "file"])
    def test_media_become_attachments_by_media_id(self, kind: str) -> None:
        task = kf_normalise(item(msgtype=kind, **{kind: {"media_id": "MEDIA-1"}}))
        assert task is not None
        (att,) = task.message.attachments
        assert (task.message.kind, att.kind, att.media_id) == (kind, kind, "MEDIA-1")

    def test_an_unknown_customer_message_type_is_kept_as_a_card(self) -> None:
        task = kf_normalise(item(msgtype="channels_shop_order", channels_shop_order={"order_id": "3705115058471208928"}))
        assert task is not None
        (att,) = task.message.attachments
        assert (att.kind, att.meta["order_id"]) == ("card", "3705115058471208928")

    def test_system_events_are_dropped_with_a_debug_log(self, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.DEBUG, logger="chalicelib.channels.wechat.kf_normalise")
        assert kf_normalise(item(origin=4, msgtype="event", event={"event_type": "enter_session"})) is None
        assert [r.levelno for r in caplog.records] == [logging.DEBUG]

    def test_servicer_messages_are_not_customer_messages(self) -> None:
        assert kf_normalise(item(origin=5, text={"content": "您好，请稍等"})) is None

    def test_missing_send_time_falls_back_to_now(self) -> None:
        task = kf_normalise(item(send_time=None, text={"content": "在吗"}))
        assert task is not None and task.message.received_at == NOW
