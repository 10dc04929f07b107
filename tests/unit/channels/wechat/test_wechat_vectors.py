"""Every published WeChat / WeCom vector in fixtures/vectors.json, byte for byte, through production code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from wechat_builders import VECTORS, make_account, vector

from chalicelib.channels._common import aes
from chalicelib.channels.base import RawRequest
from chalicelib.channels.errors import SignatureInvalid
from chalicelib.channels.wechat import WechatInbound, encrypted_reply, signature
from chalicelib.domain.tasks import MessageReceived

ENCRYPTED = [v for v in VECTORS if "encrypt" in v]
URL_CHECKS = [v for v in VECTORS if "echostr" in v]


def at(v: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(v["timestamp"]), UTC)


def account_for(v: dict[str, Any], kind: str) -> Any:
    return make_account(kind=kind, token=v["token"], aes_key=v["encoding_aes_key"], app_id=v["app_id"], agent_id=1)


@pytest.mark.parametrize("v", ENCRYPTED, ids=lambda v: v["name"])
def test_decrypts_published_ciphertext_to_published_plaintext(v: dict[str, Any]) -> None:
    plain = aes.decrypt(aes.aes_key(v["encoding_aes_key"]), v["encrypt"], v["app_id"])
    assert plain == v["plaintext"].encode()


@pytest.mark.parametrize("v", [v for v in ENCRYPTED if "random16" in v], ids=lambda v: v["name"])
def test_encrypt_with_published_random16_reproduces_ciphertext(v: dict[str, Any]) -> None:
    enc = aes.encrypt(
        aes.aes_key(v["encoding_aes_key"]), v["plaintext"].encode(), v["app_id"], random16=v["random16"].encode()
    )
    assert enc == v["encrypt"]


@pytest.mark.parametrize("v", ENCRYPTED, ids=lambda v: v["name"])
def test_published_msg_signature_verifies(v: dict[str, Any]) -> None:
    assert signature(v["token"], v["timestamp"], v["nonce"], v["encrypt"]) == v["msg_signature"]


def test_encrypted_reply_matches_published_envelope_byte_for_byte() -> None:
    v = vector("wecom_encrypt_reply_library_test")
    reply = encrypted_reply(
        v["plaintext"],
        token=v["token"],
        encoding_aes_key=v["encoding_aes_key"],
        receive_id=v["app_id"],
        timestamp=v["timestamp"],
        nonce=v["nonce"],
        random16=v["random16"].encode(),
    )
    assert reply == v["expected_reply"]


def test_oa_plain_signatures_match_published_values() -> None:
    doc = vector("oa_plain_mode_official_doc")
    assert signature(doc["token"], doc["timestamp"], doc["nonce"]) == doc["signature"]
    oa = vector("oa_safe_mode_official_sample")
    assert signature(oa["token"], oa["timestamp"], oa["nonce"]) == oa["plain_mode_signature"]


def test_oa_url_check_echoes_echostr_for_published_signature() -> None:
    doc = vector("oa_plain_mode_official_doc")
    account = make_account(token=doc["token"])
    q = {"signature": doc["signature"], "timestamp": doc["timestamp"], "nonce": doc["nonce"], "echostr": "e-42"}
    result = WechatInbound().receive(RawRequest("GET", "demo-oa", {}, q, b""), account, at(doc), tolerance_s=300)
    assert (result.ack.body, result.ack.content_type, result.tasks) == ("e-42", "text/plain", ())


@pytest.mark.parametrize("v", URL_CHECKS, ids=lambda v: v["name"])
def test_wecom_url_check_answers_published_plaintext(v: dict[str, Any]) -> None:
    q = {"msg_signature": v["msg_signature"], "timestamp": v["timestamp"], "nonce": v["nonce"], "echostr": v["echostr"]}
    result = WechatInbound().receive(
        RawRequest("GET", "w", {}, q, b""), account_for(v, "wecom"), at(v), tolerance_s=300
    )
    assert result.ack.body == v["expected_response"]
    assert result.ack.body.encode() == v["expected_response"].encode()  # no quotes, BOM or newline
    assert result.tasks == ()


def test_wecom_url_check_rejects_published_negative_nonce() -> None:
    v = vector("wecom_verify_url_library_test")
    q = {
        "msg_signature": v["msg_signature"],
        "timestamp": v["timestamp"],
        "nonce": v["negative"]["nonce"],
        "echostr": v["echostr"],
    }
    with pytest.raises(SignatureInvalid):
        WechatInbound().receive(RawRequest("GET", "w", {}, q, b""), account_for(v, "wecom"), at(v), tolerance_s=300)


@pytest.mark.parametrize("v", [v for v in ENCRYPTED if "<MsgId>" in v["plaintext"]], ids=lambda v: v["name"])
def test_published_push_becomes_one_message_task(v: dict[str, Any]) -> None:
    kind = "oa" if v["name"].startswith("oa_") else "wecom"
    body = f"<xml><ToUserName><![CDATA[{v['app_id']}]]></ToUserName><Encrypt><![CDATA[{v['encrypt']}]]></Encrypt></xml>"
    q = {"msg_signature": v["msg_signature"], "timestamp": v["timestamp"], "nonce": v["nonce"]}
    if kind == "oa":
        q |= {"signature": v["plain_mode_signature"], "encrypt_type": "aes"}
    result = WechatInbound().receive(
        RawRequest("POST", "acct", {}, q, body.encode()), account_for(v, kind), at(v), tolerance_s=300
    )
    (task,) = result.tasks
    assert isinstance(task, MessageReceived)
    plain = v["plaintext"]
    msg_id = plain.split("<MsgId>")[1].split("</MsgId>")[0]
    user = plain.split("<FromUserName><![CDATA[")[1].split("]]>")[0]
    content = plain.split("<Content><![CDATA[")[1].split("]]>")[0]
    assert (task.dedupe_id, task.message.message_id, task.message.text) == (msg_id, msg_id, content)
    channel = "wechat" if kind == "oa" else "wecom"
    assert task.message.customer.model_dump() == {"channel": channel, "account": "demo-oa", "user": user}
    assert (task.channel, task.message.channel.value, task.account) == (channel, channel, "demo-oa")
    assert (result.ack.body, result.ack.content_type) == ("success", "text/plain")
