"""Which adapter serves which route and which sender serves which channel; routes dispatch here.

Adapters are named by import path and loaded on first use, so a webhook Lambda imports only the
channel it serves (cold start) and a channel package never imports another.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import UnknownChannel

if TYPE_CHECKING:
    from ..accounts import Accounts
    from ..domain.ports import OutboundSender, TokenStore
    from ..settings import Settings
    from ._common.http import HttpClient
    from .base import InboundAdapter

INBOUND: dict[str, str] = {
    "webhook": "chalicelib.channels.webhook:WebhookInbound",
    "wechat": "chalicelib.channels.wechat:WechatInbound",
    "douyin": "chalicelib.channels.douyin:DouyinInbound",
    "doudian": "chalicelib.channels.doudian:DoudianInbound",
    "sms:aliyun": "chalicelib.channels.sms.aliyun:AliyunSmsInbound",
    "sms:tencent": "chalicelib.channels.sms.tencent:TencentSmsInbound",
    "sms:twilio": "chalicelib.channels.sms.twilio:TwilioSmsInbound",
    "kuaidi100": "chalicelib.channels.kuaidi100:Kuaidi100Inbound",
}

# channel id of a case -> sender class; each takes a SenderContext
SENDERS: dict[str, str] = {
    "webhook": "chalicelib.channels.webhook.send:WebhookSender",
    "wechat": "chalicelib.channels.wechat.send:WechatSender",
    "wecom": "chalicelib.channels.wechat.send:WechatSender",
    "wecom_kf": "chalicelib.channels.wechat.kf_send:WecomKfSender",
    "douyin": "chalicelib.channels.douyin.send:DouyinSender",
    "sms": "chalicelib.channels.sms.send:SmsSender",
}

# channel id -> puller class, for channels whose callback only says "messages are waiting"; each takes a
# SenderContext and has `run(account, key, token, hand_on)`
PULLERS: dict[str, str] = {
    "wecom_kf": "chalicelib.channels.wechat.kf_sync:KfSync",
}


@dataclass(frozen=True)
class SenderContext:
    """What a sender may use: HTTP, accounts, the shared token cache, settings and a clock."""

    http: HttpClient
    accounts: Accounts
    tokens: TokenStore
    settings: Settings
    sms: OutboundSender | None = None  # the SMS port, for channels that fall back to SMS
    counters: Any = None  # a store with `incr(key, ttl_s) -> int` (SMS daily caps)


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise UnknownChannel(f"channel adapter {path} is not available") from exc


@cache
def inbound(key: str) -> InboundAdapter:
    """The inbound adapter for a route key (`wechat`, `sms:aliyun`, …).

    Raises:
        UnknownChannel: when no adapter serves that key.
    """
    if key not in INBOUND:
        raise UnknownChannel(f"no inbound channel {key!r}")
    adapter: InboundAdapter = _load(INBOUND[key])()
    return adapter


def sender(channel: str, ctx: SenderContext) -> OutboundSender:
    """A sender for a case's channel.

    Raises:
        UnknownChannel: when that channel cannot send.
    """
    if channel not in SENDERS:
        raise UnknownChannel(f"no sender for channel {channel!r}")
    built: OutboundSender = _load(SENDERS[channel])(ctx)
    return built


def puller(channel: str, ctx: SenderContext) -> Any:
    """The message puller of a channel whose callbacks are notices only (微信客服).

    Raises:
        UnknownChannel: when that channel has no puller.
    """
    if channel not in PULLERS:
        raise UnknownChannel(f"no puller for channel {channel!r}")
    return _load(PULLERS[channel])(ctx)
