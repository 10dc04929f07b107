"""WeChat Official Account and WeCom: callbacks in (verify, decrypt, normalise), messages out (send.py)."""

from __future__ import annotations

from .ack import SUCCESS, encrypted_reply, text_reply
from .inbound import WechatInbound, open_push, url_check
from .verify import signature

__all__ = ["SUCCESS", "WechatInbound", "encrypted_reply", "open_push", "signature", "text_reply", "url_check"]
