"""What WeChat expects back within 5 s: `success`, or a passive reply (plain or in the encrypted envelope)."""

from __future__ import annotations

from .._common import aes
from ..base import Ack
from .verify import signature

SUCCESS = Ack(body="success", content_type="text/plain")  # WeChat: "do nothing, do not retry"

_ENVELOPE = (
    "<xml>\n"
    "<Encrypt><![CDATA[{encrypt}]]></Encrypt>\n"
    "<MsgSignature><![CDATA[{signature}]]></MsgSignature>\n"
    "<TimeStamp>{timestamp}</TimeStamp>\n"
    "<Nonce><![CDATA[{nonce}]]></Nonce>\n"
    "</xml>"
)


def cdata(text: str) -> str:
    """`text` as a CDATA section, safe even when it contains `]]>`."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(*, to_user: str, from_user: str, content: str, created: int) -> str:
    """A passive text reply: to the customer (their openid / userid), from our gh_ id / corp id."""
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )


def encrypted_reply(
    xml: str,
    *,
    token: str,
    encoding_aes_key: str,
    receive_id: str,
    timestamp: str,
    nonce: str,
    random16: bytes | None = None,
) -> str:
    """A reply in the safe-mode envelope; `random16` is injectable for the published vector."""
    encrypted = aes.encrypt(aes.aes_key(encoding_aes_key), xml.encode(), receive_id, random16=random16)
    return _ENVELOPE.format(
        encrypt=encrypted, signature=signature(token, timestamp, nonce, encrypted), timestamp=timestamp, nonce=nonce
    )


def xml_ack(body: str) -> Ack:
    """A passive reply as the HTTP answer."""
    return Ack(body=body, content_type="application/xml")
