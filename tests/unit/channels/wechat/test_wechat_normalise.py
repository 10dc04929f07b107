"""Every WeChat message type and event → the right task (or, on purpose and logged, none)."""

from __future__ import annotations

import logging

import pytest
from wechat_builders import (
    NOW,
    TS,
    encrypted_request,
    make_account,
    message,
    plain_request,
    wecom_account,
)

from chalicelib.channels.wechat import WechatInbound
from chalicelib.domain import Attachment
from chalicelib.domain.tasks import MessageReceived, PlatformEvent

receive = WechatInbound().receive


def one_message(body: str) -> MessageReceived:
    (task,) = receive(plain_request(make_account(), body), make_account(), NOW, tolerance_s=300).tasks
    assert isinstance(task, MessageReceived)
    return task


def one_event(body: str) -> PlatformEvent:
    (task,) = receive(plain_request(make_account(), body), make_account(), NOW, tolerance_s=300).tasks
    assert isinstance(task, PlatformEvent)
    return task


class TestMessages:
    def test_image_keeps_pic_url_and_media_id(self) -> None:
        m = one_message(message("image", PicUrl="http://mmbiz/p.jpg", MediaId="MEDIA1", MsgId="11")).message
        assert (m.kind, m.text, m.attachments) == (
            "image",
            "",
            (Attachment(kind="image", url="http://mmbiz/p.jpg", media_id="MEDIA1"),),
        )

    def test_voice_uses_recognition_as_text(self) -> None:
        m = one_message(message("voice", MediaId="V1", Format="amr", Recognition="我要退货", MsgId="12")).message
        assert (m.kind, m.text, m.attachments[0].media_id, m.attachments[0].meta["format"]) == (
            "voice",
            "我要退货",
            "V1",
            "amr",
        )

    def test_voice_without_recognition_has_no_text(self) -> None:
        m = one_message(message("voice", MediaId="V2", Format="amr", MsgId="13")).message
        assert (m.text, m.attachments[0].kind) == ("", "voice")

    @pytest.mark.parametrize("msg_type", ["video", "shortvideo"])
    def test_video_keeps_media_and_thumb(self, msg_type: str) -> None:
        m = one_message(message(msg_type, MediaId="VID", ThumbMediaId="TH", MsgId="14")).message
        assert (m.kind, m.attachments[0].media_id, m.attachments[0].meta["thumb_media_id"]) == ("video", "VID", "TH")

    def test_location_keeps_coordinates_and_label(self) -> None:
        body = message(
            "location", Location_X="23.134521", Location_Y="113.358803", Scale="20", Label="广州市天河区", MsgId="15"
        )
        m = one_message(body).message
        assert m.text == "广州市天河区"
        assert m.attachments[0].meta == {
            "lat": "23.134521",
            "lng": "113.358803",
            "scale": "20",
            "label": "广州市天河区",
        }

    def test_link_keeps_url_title_and_description(self) -> None:
        m = one_message(
            message("link", Title="订单详情", Description="订单 6926", Url="https://x/o/1", MsgId="16")
        ).message
        assert (m.kind, m.text, m.attachments[0].url) == ("link", "订单详情\n订单 6926", "https://x/o/1")

    def test_unsupported_message_type_is_acknowledged_and_logged(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.INFO):
            result = receive(
                plain_request(make_account(), message("miniprogrampage", MsgId="17")),
                make_account(),
                NOW,
                tolerance_s=300,
            )
        assert (result.tasks, result.ack.body) == ((), "success")
        assert "miniprogrampage" in caplog.text


class TestEvents:
    def test_subscribe_is_a_platform_event_keyed_by_user_time_and_event(self) -> None:
        e = one_event(message("event", Event="subscribe", EventKey="qrscene_order_6926"))
        assert (e.kind, e.dedupe_id) == ("wechat.subscribe", f"oUser1#{TS}#subscribe")
        assert e.customer is not None and e.customer.key == "wechat#demo-oa#oUser1"
        assert e.data["EventKey"] == "qrscene_order_6926"

    @pytest.mark.parametrize(
        ("event", "kind"),
        [
            ("unsubscribe", "wechat.unsubscribe"),
            ("SCAN", "wechat.scan"),
            ("CLICK", "wechat.click"),
            ("TEMPLATESENDJOBFINISH", "wechat.template_finished"),
        ],
    )
    def test_events_with_meaning_become_platform_events(self, event: str, kind: str) -> None:
        assert one_event(message("event", Event=event, EventKey="K")).kind == kind

    def test_same_user_same_second_different_events_do_not_collide(self) -> None:
        a = one_event(message("event", Event="subscribe"))
        b = one_event(message("event", Event="SCAN"))
        assert a.dedupe_id != b.dedupe_id

    @pytest.mark.parametrize("event", ["VIEW", "LOCATION", "enter_agent", "some_future_event"])
    def test_events_without_a_request_are_acknowledged_logged_and_not_queued(
        self, event: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.INFO, logger="chalicelib.channels.wechat.normalise"):
            result = receive(
                plain_request(make_account(), message("event", Event=event)), make_account(), NOW, tolerance_s=300
            )
        assert (result.tasks, result.ack.body) == ((), "success")
        assert event in caplog.text

    def test_wecom_enter_agent_is_ignored_on_purpose(self, caplog: pytest.LogCaptureFixture) -> None:
        account = wecom_account()
        body = message("event", ToUserName="ww-corp-1", FromUserName="zhangsan", Event="enter_agent", AgentID=1000002)
        with caplog.at_level(logging.INFO):
            result = receive(encrypted_request(account, body), account, NOW, tolerance_s=300)
        assert result.tasks == ()
        assert "carries no request" in caplog.text

    def test_wecom_click_is_a_wecom_event(self) -> None:
        account = wecom_account()
        body = message("event", ToUserName="ww-corp-1", FromUserName="zhangsan", Event="click", EventKey="RETURN")
        (task,) = receive(encrypted_request(account, body), account, NOW, tolerance_s=300).tasks
        assert isinstance(task, PlatformEvent) and task.kind == "wecom.click" and task.data["EventKey"] == "RETURN"
