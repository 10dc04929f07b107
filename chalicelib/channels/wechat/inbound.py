"""`GET/POST /wechat/{account}`: URL verification, then verify → decrypt → parse → normalise → ACK."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

from ...accounts import WechatAccount
from ...domain import ChannelId
from ...domain.tasks import MessageReceived
from .._common import aes
from ..base import Ack, IngressResult, RawRequest, TaskT
from ..errors import PayloadInvalid
from .ack import SUCCESS, encrypted_reply, text_reply, xml_ack
from .kf_notice import is_kf_notice, sync_task
from .normalise import normalise
from .parse import WechatXml, decrypt_xml, parse, read_xml
from .verify import verify_encrypted, verify_plain


def _echostr(query: Mapping[str, str], *, encrypted: bool) -> str:
    echostr = query.get("echostr", "")
    if not echostr:
        raise PayloadInvalid("missing echostr")
    # base64 never holds a space: in an encrypted echostr it is a `+` that a form decoder turned into one
    return echostr.replace(" ", "+") if encrypted else echostr


def url_check(query: Mapping[str, str], account: WechatAccount, *, now_s: float, tolerance_s: int) -> str:
    """The body that answers WeChat's URL verification GET: echostr (OA) or its plaintext (WeCom).

    Raises:
        SignatureInvalid: bad signature, or (WeCom) echostr encrypted for another corp id.
        ReplayRejected: timestamp outside ±tolerance.
        PayloadInvalid: echostr missing or not decryptable.
    """
    echostr = _echostr(query, encrypted=account.kind == "wecom")
    if account.kind == "oa":
        verify_plain(query, account.token, now_s=now_s, tolerance_s=tolerance_s)
        return echostr
    verify_encrypted(query, account.token, echostr, now_s=now_s, tolerance_s=tolerance_s)
    try:
        return aes.decrypt(aes.aes_key(_aes_key(account)), echostr, account.app_id).decode()
    except UnicodeDecodeError as exc:
        raise PayloadInvalid("echostr is not text") from exc


def _aes_key(account: WechatAccount) -> str:
    if not account.aes_key:
        raise PayloadInvalid(f"wechat account {account.account} has no aes_key")
    return account.aes_key


def open_push(request: RawRequest, account: WechatAccount, *, now_s: float, tolerance_s: int) -> dict[str, str]:
    """Verify a POST and return the push's fields, decrypted when the account is in safe mode.

    Raises:
        SignatureInvalid, ReplayRejected, PayloadInvalid, PayloadTooLarge: on bad input.
    """
    q, token = request.query, account.token
    if not account.aes_key and account.kind == "oa":
        verify_plain(q, token, now_s=now_s, tolerance_s=tolerance_s)
        return read_xml(request.body)
    if account.kind == "oa" and "signature" in q:
        verify_plain(q, token, now_s=now_s, tolerance_s=tolerance_s)
    encrypted = read_xml(request.body).get("Encrypt", "")
    if not encrypted:
        raise PayloadInvalid("safe-mode push without <Encrypt>")
    verify_encrypted(q, token, encrypted, now_s=now_s, tolerance_s=tolerance_s)
    return decrypt_xml(encrypted, _aes_key(account), account.app_id)


class WechatInbound:
    """The WeChat Official Account and WeCom callback adapter."""

    section = "wechat"

    def receive(
        self, request: RawRequest, account: WechatAccount, now: datetime, *, tolerance_s: int
    ) -> IngressResult:
        """URL check (GET) or one push (POST) → tasks and the ACK (`success` or the receipt reply).

        Raises:
            SignatureInvalid, ReplayRejected, PayloadInvalid, PayloadTooLarge: on bad input.
        """
        now_s = now.timestamp()
        if request.method.upper() == "GET":
            body = url_check(request.query, account, now_s=now_s, tolerance_s=tolerance_s)
            return IngressResult(ack=Ack(body=body, content_type="text/plain"))
        fields = open_push(request, account, now_s=now_s, tolerance_s=tolerance_s)
        if is_kf_notice(fields):  # 微信客服: a pointer only; the worker pulls the messages
            return IngressResult(ack=SUCCESS, tasks=(sync_task(fields, account),))
        msg = parse(fields)
        channel = ChannelId.WECOM if account.kind == "wecom" else ChannelId.WECHAT
        task = normalise(msg, channel=channel, account=account.account, shop=account.shop)
        return IngressResult(ack=self._ack(msg, task, account, now_s), tasks=(task,) if task else ())

    def _ack(self, msg: WechatXml, task: TaskT | None, account: WechatAccount, now_s: float) -> Ack:
        if not account.receipt_text or not isinstance(task, MessageReceived):
            return SUCCESS
        reply = text_reply(
            to_user=msg.from_user, from_user=msg.to_user, content=account.receipt_text, created=int(now_s)
        )
        if not account.aes_key:
            return xml_ack(reply)
        return xml_ack(
            encrypted_reply(
                reply, token=account.token, encoding_aes_key=account.aes_key, receive_id=account.app_id,
                timestamp=str(int(now_s)), nonce=str(secrets.randbelow(10**10)),
            )
        )
