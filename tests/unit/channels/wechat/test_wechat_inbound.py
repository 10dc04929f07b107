"""WechatInbound.receive: plain and safe mode, WeCom, URL checks, receipts, and every kind of bad input."""

from __future__ import annotations

import base64
import random
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechat_builders import (
    AES_KEY,
    NOW,
    TS,
    encrypted_request,
    make_account,
    message,
    plain_request,
    wecom_account,
)

from chalicelib.channels._common import aes
from chalicelib.channels.base import RawRequest
from chalicelib.channels.errors import (
    ChannelError,
    PayloadInvalid,
    PayloadTooLarge,
    ReplayRejected,
    SignatureInvalid,
)
from chalicelib.channels.wechat import WechatInbound, signature
from chalicelib.channels.wechat.parse import read_xml
from chalicelib.domain.tasks import MessageReceived

receive = WechatInbound().receive
SAFE = make_account(aes_key=AES_KEY)
TEXT = message("text", Content="快递三天没动了", MsgId="7261839405716283945")


def sign_raw(account, raw: bytes, nonce: str = "1") -> RawRequest:  # type: ignore[no-untyped-def]
    enc = base64.b64encode(raw).decode()
    body = f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>".encode()
    q = {"msg_signature": signature(account.token, TS, nonce, enc), "timestamp": TS, "nonce": nonce}
    return RawRequest("POST", account.account, {}, q, body)


def aes_cbc(key: bytes, padded: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return enc.update(padded) + enc.finalize()


class TestPlainMode:
    def test_text_message_becomes_one_task_and_success(self) -> None:
        result = receive(plain_request(make_account(), TEXT), make_account(), NOW, tolerance_s=300)
        (task,) = result.tasks
        assert isinstance(task, MessageReceived)
        assert (task.dedupe_id, task.message.text, task.message.customer.key) == (
            "7261839405716283945",
            "快递三天没动了",
            "wechat#demo-oa#oUser1",
        )
        assert task.group == "wechat#demo-oa#oUser1"
        assert task.message.received_at == NOW
        assert (result.ack.body, result.ack.status, result.ack.content_type) == ("success", 200, "text/plain")

    def test_a_retry_carries_the_same_dedupe_id(self) -> None:
        first = receive(plain_request(make_account(), TEXT, nonce="1"), make_account(), NOW, tolerance_s=300)
        retry = receive(
            plain_request(make_account(), TEXT, nonce="2"), make_account(), NOW + timedelta(seconds=5), tolerance_s=300
        )
        assert first.tasks[0].dedupe_id == retry.tasks[0].dedupe_id

    def test_forged_signature_is_rejected(self) -> None:
        request = plain_request(make_account(), TEXT, signature="0" * 40)
        with pytest.raises(SignatureInvalid):
            receive(request, make_account(), NOW, tolerance_s=300)

    def test_signature_under_another_token_is_rejected(self) -> None:
        with pytest.raises(SignatureInvalid):
            receive(plain_request(make_account(token="other"), TEXT), make_account(), NOW, tolerance_s=300)

    def test_missing_signature_is_rejected(self) -> None:
        request = RawRequest("POST", "demo-oa", {}, {"timestamp": TS, "nonce": "1"}, TEXT.encode())
        with pytest.raises(SignatureInvalid):
            receive(request, make_account(), NOW, tolerance_s=300)

    def test_stale_timestamp_is_rejected(self) -> None:
        old = str(int(TS) - 301)
        with pytest.raises(ReplayRejected):
            receive(plain_request(make_account(), TEXT, ts=old), make_account(), NOW, tolerance_s=300)

    @pytest.mark.parametrize(
        "body",
        [
            (
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                "<xml><FromUserName>&xxe;</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>"
            ),
            (
                '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
                '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><xml><Content>&lol3;</Content></xml>'
            ),
            "<xml><Content>unclosed",
            "not xml at all",
            "",
            "<xml><FromUserName>u</FromUserName><MsgType>text</MsgType></xml>",  # no CreateTime
            "<xml><FromUserName>u</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>",
            message("text", Content="no id"),  # a message without MsgId cannot be deduplicated
        ],
        ids=["xxe", "billion-laughs", "malformed", "not-xml", "empty", "no-createtime", "bad-createtime", "no-msgid"],
    )
    def test_bad_bodies_are_payload_invalid(self, body: str) -> None:
        with pytest.raises(PayloadInvalid):
            receive(plain_request(make_account(), body), make_account(), NOW, tolerance_s=300)

    def test_oversized_body_is_rejected(self) -> None:
        body = message("text", Content="长" * 30_000, MsgId="1")
        with pytest.raises(PayloadTooLarge):
            receive(plain_request(make_account(), body), make_account(), NOW, tolerance_s=300)

    def test_plain_receipt_text_is_a_passive_reply(self) -> None:
        account = make_account(receipt_text="已收到，售后专员会尽快处理")
        result = receive(plain_request(account, TEXT), account, NOW, tolerance_s=300)
        reply = read_xml(result.ack.body.encode())
        assert reply == {
            "ToUserName": "oUser1",
            "FromUserName": "gh_10f6c3c3ac5a",
            "CreateTime": TS,
            "MsgType": "text",
            "Content": "已收到，售后专员会尽快处理",
        }
        assert result.ack.content_type == "application/xml"
        assert len(result.tasks) == 1

    def test_events_get_no_receipt(self) -> None:
        account = make_account(receipt_text="已收到")
        result = receive(plain_request(account, message("event", Event="subscribe")), account, NOW, tolerance_s=300)
        assert result.ack.body == "success"


class TestSafeMode:
    def test_encrypted_text_message_is_decrypted_and_queued(self) -> None:
        result = receive(encrypted_request(SAFE, TEXT), SAFE, NOW, tolerance_s=300)
        assert result.tasks[0].message.text == "快递三天没动了"

    def test_tampered_nonce_is_rejected(self) -> None:
        request = encrypted_request(SAFE, TEXT)
        forged = RawRequest("POST", "demo-oa", {}, {**request.query, "nonce": "67891"}, request.body)
        with pytest.raises(SignatureInvalid):
            receive(forged, SAFE, NOW, tolerance_s=300)

    def test_tampered_ciphertext_is_rejected(self) -> None:
        request = encrypted_request(SAFE, TEXT)
        head, _, rest = request.body.partition(b"<Encrypt><![CDATA[")
        flipped = (b"B" if rest[:1] == b"A" else b"A") + rest[1:]
        tampered = head + b"<Encrypt><![CDATA[" + flipped
        with pytest.raises(SignatureInvalid):
            receive(RawRequest("POST", "demo-oa", {}, request.query, tampered), SAFE, NOW, tolerance_s=300)

    def test_message_encrypted_for_another_app_id_is_rejected(self) -> None:
        with pytest.raises(SignatureInvalid, match="app id"):
            receive(encrypted_request(SAFE, TEXT, receive_id="wxSOMEONEELSE"), SAFE, NOW, tolerance_s=300)

    @pytest.mark.parametrize("pad_byte", [0, 33])
    def test_bad_padding_is_rejected(self, pad_byte: int) -> None:
        key = aes.aes_key(AES_KEY)
        inner = b"0123456789abcdef" + len(TEXT.encode()).to_bytes(4, "big") + TEXT.encode() + SAFE.app_id.encode()
        body = aes.pad(inner)[:-1] + bytes([pad_byte])
        account = make_account(aes_key=AES_KEY)
        request = sign_raw(account, aes_cbc(key, body))
        with pytest.raises(PayloadInvalid, match="padding"):
            receive(request, account, NOW, tolerance_s=300)

    @pytest.mark.parametrize("cut", [1, 16, 5])
    def test_truncated_ciphertext_is_rejected(self, cut: int) -> None:
        enc = encrypted_request(SAFE, TEXT).body.split(b"CDATA[")[2].split(b"]]>")[0]
        raw = base64.b64decode(enc)[:-cut]
        with pytest.raises(PayloadInvalid):
            receive(sign_raw(SAFE, raw), SAFE, NOW, tolerance_s=300)

    def test_ciphertext_that_is_not_base64_is_rejected(self) -> None:
        body = b"<xml><Encrypt><![CDATA[***not base64***]]></Encrypt></xml>"
        q = {"msg_signature": signature(SAFE.token, TS, "1", "***not base64***"), "timestamp": TS, "nonce": "1"}
        with pytest.raises(PayloadInvalid):
            receive(RawRequest("POST", "demo-oa", {}, q, body), SAFE, NOW, tolerance_s=300)

    def test_entity_bomb_inside_the_envelope_is_rejected(self) -> None:
        bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'
        with pytest.raises(PayloadInvalid):
            receive(encrypted_request(SAFE, bomb), SAFE, NOW, tolerance_s=300)

    def test_plain_body_to_a_safe_mode_account_is_rejected(self) -> None:
        request = encrypted_request(SAFE, TEXT)
        with pytest.raises(PayloadInvalid):
            receive(RawRequest("POST", "demo-oa", {}, request.query, TEXT.encode()), SAFE, NOW, tolerance_s=300)

    def test_encrypted_receipt_decrypts_to_the_reply_and_is_signed(self) -> None:
        account = make_account(aes_key=AES_KEY, receipt_text="已收到")
        result = receive(encrypted_request(account, TEXT), account, NOW, tolerance_s=300)
        env = read_xml(result.ack.body.encode())
        assert env["MsgSignature"] == signature(account.token, env["TimeStamp"], env["Nonce"], env["Encrypt"])
        inner = read_xml(aes.decrypt(aes.aes_key(AES_KEY), env["Encrypt"], account.app_id))
        assert (inner["ToUserName"], inner["Content"]) == ("oUser1", "已收到")

    def test_random_corruption_only_ever_raises_channel_errors(self) -> None:
        good = encrypted_request(SAFE, TEXT)
        rng = random.Random(20261122)
        outcomes = set()
        for _ in range(400):
            body = bytearray(good.body)
            for _ in range(rng.randint(1, 4)):
                body[rng.randrange(len(body))] = rng.randrange(256)
            try:
                receive(RawRequest("POST", "demo-oa", {}, good.query, bytes(body)), SAFE, NOW, tolerance_s=300)
                outcomes.add("accepted")
            except ChannelError as exc:
                outcomes.add(type(exc).__name__)
        assert "PayloadInvalid" in outcomes and "SignatureInvalid" in outcomes


class TestWecom:
    def test_wecom_message_is_a_wecom_task(self) -> None:
        account = wecom_account()
        body = message(
            "text", ToUserName="ww-corp-1", FromUserName="zhangsan", Content="换货", MsgId="9", AgentID=1000002
        )
        (task,) = receive(encrypted_request(account, body), account, NOW, tolerance_s=300).tasks
        assert task.message.customer.key == "wecom#demo-wecom#zhangsan"
        assert (task.channel, task.message.meta["agent_id"]) == ("wecom", "1000002")

    def test_url_check_for_another_corp_is_rejected(self) -> None:
        account = wecom_account()
        echostr = aes.encrypt(aes.aes_key(account.aes_key or ""), b"12345", "ww-other")
        q = {
            "msg_signature": signature(account.token, TS, "1", echostr),
            "timestamp": TS,
            "nonce": "1",
            "echostr": echostr,
        }
        with pytest.raises(SignatureInvalid):
            receive(RawRequest("GET", "demo-wecom", {}, q, b""), account, NOW, tolerance_s=300)

    def test_url_check_survives_plus_decoded_as_space(self) -> None:
        account = wecom_account()
        key = aes.aes_key(account.aes_key or "")
        echostr = next(e for e in (aes.encrypt(key, b"4242", "ww-corp-1") for _ in range(200)) if "+" in e)
        q = {
            "msg_signature": signature(account.token, TS, "1", echostr),
            "timestamp": TS,
            "nonce": "1",
            "echostr": echostr.replace("+", " "),
        }
        assert receive(RawRequest("GET", "demo-wecom", {}, q, b""), account, NOW, tolerance_s=300).ack.body == "4242"

    def test_url_check_without_echostr_is_rejected(self) -> None:
        q = {"msg_signature": "x", "timestamp": TS, "nonce": "1"}
        with pytest.raises(PayloadInvalid):
            receive(RawRequest("GET", "demo-wecom", {}, q, b""), wecom_account(), NOW, tolerance_s=300)

    def test_oa_url_check_with_forged_signature_is_rejected(self) -> None:
        q = {"signature": "f" * 40, "timestamp": TS, "nonce": "1", "echostr": "abc"}
        with pytest.raises(SignatureInvalid):
            receive(RawRequest("GET", "demo-oa", {}, q, b""), make_account(), NOW, tolerance_s=300)
