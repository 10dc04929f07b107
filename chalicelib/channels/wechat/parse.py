"""WeChat / WeCom XML bodies → `WechatXml`: size limit, safe XML, decryption of the `<Encrypt>` envelope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .._common import aes
from .._common.safexml import parse_flat
from ..errors import PayloadInvalid, PayloadTooLarge

MAX_BODY_BYTES = 64 * 1024  # a WeChat push is a few hundred bytes; anything near this is not WeChat


@dataclass(frozen=True)
class WechatXml:
    """One decrypted push: the common header fields plus every other element's text."""

    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    fields: Mapping[str, str]

    @property
    def event(self) -> str:
        """The `Event` of an event push ("" for messages)."""
        return self.fields.get("Event", "")

    @property
    def msg_id(self) -> str:
        """The `MsgId` of a message ("" for events)."""
        return self.fields.get("MsgId", "")

    def get(self, name: str) -> str:
        """Any other element's text, "" when absent."""
        return self.fields.get(name, "")


def read_xml(body: bytes) -> dict[str, str]:
    """The top-level elements of an XML body, after the size limit.

    Raises:
        PayloadTooLarge: over `MAX_BODY_BYTES`.
        PayloadInvalid: empty, malformed or unsafe XML (DTDs, entities).
    """
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge("wechat body over 64 KiB")
    if not body.strip():
        raise PayloadInvalid("empty body")
    return parse_flat(body, max_bytes=MAX_BODY_BYTES)


def decrypt_xml(encrypted: str, encoding_aes_key: str, receive_id: str) -> dict[str, str]:
    """Decrypt an `<Encrypt>` value meant for `receive_id` and read the XML inside.

    Raises:
        PayloadInvalid: truncated or badly padded ciphertext, or bad XML inside.
        SignatureInvalid: encrypted for another app id / corp id.
    """
    plain = aes.decrypt(aes.aes_key(encoding_aes_key), encrypted, receive_id)
    return read_xml(plain)


def parse(fields: Mapping[str, str]) -> WechatXml:
    """The header fields every push carries, checked.

    Raises:
        PayloadInvalid: FromUserName, CreateTime or MsgType missing, or CreateTime not a number.
    """
    missing = [k for k in ("FromUserName", "CreateTime", "MsgType") if not fields.get(k)]
    if missing:
        raise PayloadInvalid(f"missing {', '.join(missing)}")
    try:
        created = int(fields["CreateTime"])
    except ValueError as exc:
        raise PayloadInvalid("CreateTime is not a number") from exc
    return WechatXml(
        to_user=fields.get("ToUserName", ""),
        from_user=fields["FromUserName"],
        create_time=created,
        msg_type=fields["MsgType"],
        fields=dict(fields),
    )
