"""SMS inbound: Aliyun and Tencent behind a path token (+ IP allowlist), Twilio signed; 退订 flagged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.accounts import SmsAccount
from chalicelib.channels.base import RawRequest
from chalicelib.channels.errors import PayloadInvalid, SignatureInvalid
from chalicelib.channels.sms import is_opt_out, normalise_phone
from chalicelib.channels.sms.aliyun import AliyunSmsInbound
from chalicelib.channels.sms.tencent import TencentSmsInbound, reply_id
from chalicelib.channels.sms.twilio import TwilioSmsInbound, compute_signature, verify

TWILIO = json.loads(Path("/work/shared/fixtures/vectors.json").read_text(encoding="utf-8"))["twilio"]
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TOKEN = "p4th-t0ken-0123456789abcdefghij"
PUBLIC_URL = "https://api.example.com/sms/twilio/demo-tw"


def account(provider: str, **extra: Any) -> SmsAccount:
    return SmsAccount.model_validate({"account": f"demo-{provider}", "shop": "shop-a", "provider": provider,
                                      "path_token": TOKEN, "auth_token": "tw-auth", "public_url": PUBLIC_URL, **extra})


def req(body: Any, *, token: str | None = TOKEN, ip: str | None = "203.0.113.7", headers: dict[str, str] | None = None) -> RawRequest:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return RawRequest("POST", "x", headers or {"content-type": "application/json"}, {"token": token} if token is not None else {},
                      raw, source_ip=ip)


def aliyun_item(seq: Any, text: str = "快递到哪了", phone: str = "13800000000") -> dict[str, Any]:
    return {"phone_number": phone, "content": text, "send_time": "2026-11-22 09:00:00", "dest_code": "1234",
            "sequence_id": seq, "sign_name": "某某旗舰店"}


class TestAliyun:
    def receive(self, request: RawRequest, **extra: Any) -> Any:
        return AliyunSmsInbound().receive(request, account("aliyun", **extra), NOW, tolerance_s=300)

    def test_batch_becomes_one_task_per_item_with_exact_ack(self) -> None:
        result = self.receive(req([aliyun_item(1234567890123456789), aliyun_item("77", "退订", "+8613900000000")]))
        assert result.ack.body == '{"code":0,"msg":"接收成功"}'
        first, second = result.tasks
        assert first.dedupe_id == "1234567890123456789"  # numeric sequence ids stay exact
        m = first.message
        assert (m.channel.value, m.phone, m.text) == ("sms", "13800000000", "快递到哪了")
        assert m.customer.key == "sms#demo-aliyun#13800000000"
        assert m.received_at == datetime(2026, 11, 22, 9, 0, tzinfo=timezone(timedelta(hours=8)))
        assert m.meta["opt_out"] is False and m.meta["dest_code"] == "1234"
        assert second.message.phone == "13900000000" and second.message.meta["opt_out"] is True

    @pytest.mark.parametrize("token", [None, "", "wrong", TOKEN[:-1]])
    def test_rejects_missing_or_wrong_path_token(self, token: str | None) -> None:
        with pytest.raises(SignatureInvalid):
            self.receive(req([aliyun_item(1)], token=token))

    def test_account_without_path_token_accepts_nothing(self) -> None:
        with pytest.raises(SignatureInvalid):
            AliyunSmsInbound().receive(req([aliyun_item(1)], token=""), account("aliyun", path_token=None), NOW, tolerance_s=300)

    def test_ip_allowlist_admits_listed_sources_only(self) -> None:
        assert self.receive(req([aliyun_item(1)], ip="106.11.1.9"), allow_ips=["106.11.0.0/16"]).tasks
        for ip in ("203.0.113.7", None, "not-an-ip"):
            with pytest.raises(SignatureInvalid):
                self.receive(req([aliyun_item(1)], ip=ip), allow_ips=["106.11.0.0/16"])

    @pytest.mark.parametrize("body", [b"nope", b"[]", b"[1]", json.dumps([{"content": "x", "sequence_id": 1}]).encode(),
                                      json.dumps([{"phone_number": "138", "content": "x"}]).encode()])
    def test_malformed_batches_are_payload_invalid(self, body: bytes) -> None:
        with pytest.raises(PayloadInvalid):
            self.receive(req(body))

    def test_redelivery_three_times_gives_the_same_dedupe_ids(self) -> None:
        request = req([aliyun_item("seq-1"), aliyun_item("seq-2")])
        runs = {tuple(t.dedupe_id for t in self.receive(request).tasks) for _ in range(3)}
        assert runs == {("seq-1", "seq-2")}


TENCENT_REPLY = {"extend": "01", "mobile": "13800000000", "nationcode": "86", "sign": "某某旗舰店", "text": "TD", "time": 1763776800}


class TestTencent:
    REPLY = TENCENT_REPLY

    def receive(self, request: RawRequest) -> Any:
        return TencentSmsInbound().receive(request, account("tencent"), NOW, tolerance_s=300)

    def test_reply_becomes_one_task_with_hashed_id_and_opt_out(self) -> None:
        result = self.receive(req(self.REPLY))
        assert result.ack.body == '{"result":0,"errmsg":"OK"}'
        (task,) = result.tasks
        assert task.dedupe_id == reply_id("86", "13800000000", "1763776800", "TD")
        assert task.message.phone == "13800000000" and task.message.meta["opt_out"] is True
        assert task.message.received_at == datetime.fromtimestamp(1763776800, UTC)

    def test_foreign_number_is_kept_in_e164(self) -> None:
        (task,) = self.receive(req({**self.REPLY, "nationcode": "852", "mobile": "61234567", "text": "hi"})).tasks
        assert task.message.phone == "+85261234567"

    def test_redelivery_three_times_gives_the_same_dedupe_id_and_other_text_another(self) -> None:
        ids = {self.receive(req(self.REPLY)).tasks[0].dedupe_id for _ in range(3)}
        assert len(ids) == 1
        assert self.receive(req({**self.REPLY, "text": "还没到"})).tasks[0].dedupe_id not in ids

    def test_rejects_wrong_token_and_bad_bodies(self) -> None:
        with pytest.raises(SignatureInvalid):
            self.receive(req(self.REPLY, token="nope"))
        for body in (b"{", {"text": "no mobile"}):
            with pytest.raises(PayloadInvalid):
                self.receive(req(body))


class TestTwilio:
    @pytest.mark.parametrize("v", TWILIO, ids=lambda v: v["name"])
    def test_published_vectors(self, v: dict[str, Any]) -> None:
        params = {k: [x] if isinstance(x, str) else x for k, x in v["params"].items()}
        assert compute_signature(v["auth_token"], v["url"], params) == v["signature"]
        verify(v["url"], params, v["signature"], v["auth_token"])

    def test_signature_over_explicit_443_validates_for_the_url_without_port(self) -> None:
        v = next(x for x in TWILIO if x["name"] == "explicit_443")
        params = {k: [x] for k, x in v["params"].items()}
        verify(v["url"].replace(":443", ""), params, v["signature"], v["auth_token"])

    def form(self, **overrides: str) -> tuple[bytes, dict[str, str]]:
        fields = {"MessageSid": "SM123", "AccountSid": "AC1", "From": "+8613800000000", "To": "+14155550100",
                  "Body": "STOP", "NumMedia": "1", "MediaUrl0": "https://api.twilio.com/m/1", **overrides}
        sig = compute_signature("tw-auth", PUBLIC_URL, {k: [x] for k, x in fields.items()})
        return urlencode(fields).encode(), {"content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig}

    def receive(self, body: bytes, headers: dict[str, str], **extra: Any) -> Any:
        return TwilioSmsInbound().receive(req(body, token=None, headers=headers), account("twilio", **extra), NOW, tolerance_s=300)

    def test_signed_message_becomes_task_with_twiml_ack(self) -> None:
        result = self.receive(*self.form())
        assert result.ack.content_type == "text/xml" and "<Response>" in result.ack.body
        (task,) = result.tasks
        assert task.dedupe_id == "SM123" and task.message.phone == "13800000000"
        assert task.message.meta["opt_out"] is True and task.message.meta["media_urls"] == ["https://api.twilio.com/m/1"]

    def test_rejects_tampered_params_and_missing_signature(self) -> None:
        body, headers = self.form()
        with pytest.raises(SignatureInvalid):
            self.receive(body.replace(b"STOP", b"HELLO"), headers)
        with pytest.raises(SignatureInvalid):
            self.receive(body, {"content-type": "application/x-www-form-urlencoded"})
        with pytest.raises(SignatureInvalid):
            self.receive(body, headers, public_url="https://api.example.com/other")

    def test_signed_form_without_message_sid_is_payload_invalid(self) -> None:
        body, headers = self.form(MessageSid="")
        with pytest.raises(PayloadInvalid):
            self.receive(body, headers)


@pytest.mark.parametrize(("text", "out"), [("退订", True), ("TD", True), ("t", True), (" T。", True), ("td!", True),
                                           ("退订。谢谢", True), ("Stop", True), ("退货", False), ("我要退订单里的一件", False),
                                           ("T恤尺码不对", False), ("", False)])
def test_opt_out_words(text: str, out: bool) -> None:
    assert is_opt_out(text) is out


@pytest.mark.parametrize(("raw", "code", "phone"), [("13800000000", None, "13800000000"), ("+86 138-0000-0000", None, "13800000000"),
                                                    ("008613800000000", None, "13800000000"), ("+14155550100", None, "+14155550100"),
                                                    ("61234567", "852", "+85261234567")])
def test_phone_normalisation(raw: str, code: str | None, phone: str) -> None:
    assert normalise_phone(raw, code) == phone
