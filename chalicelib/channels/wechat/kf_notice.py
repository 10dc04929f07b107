"""WeCom 微信客服 callbacks: `kf_msg_or_event` is only a pointer, so ingress turns it into one sync task.

Nothing is fetched on the ack path: the inbound worker pulls the messages with `kf/sync_msg`
(`kf_sync.py`). WeChat's retries of one callback carry the same Token and CreateTime, hence the
same dedupe id; the Token itself never appears in the dedupe id (which is logged).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ...accounts import WechatAccount
from ...domain import ChannelId
from ...domain.tasks import PlatformEvent
from ..errors import PayloadInvalid

KF_EVENT = "kf_msg_or_event"
SYNC_KIND = f"{ChannelId.WECOM_KF.value}.sync"  # the PlatformEvent kind the inbound worker syncs on


def is_kf_notice(fields: Mapping[str, str]) -> bool:
    """Whether a decrypted push is the 微信客服 "messages are waiting" notice."""
    return fields.get("MsgType") == "event" and fields.get("Event") == KF_EVENT


def sync_task(fields: Mapping[str, str], account: WechatAccount) -> PlatformEvent:
    """The task that makes the inbound worker pull this 客服账号's new messages.

    Raises:
        PayloadInvalid: no OpenKfId, or the notice arrived on an Official Account.
    """
    if account.kind != "wecom":
        raise PayloadInvalid("kf_msg_or_event on an Official Account")
    open_kfid, token = fields.get("OpenKfId", ""), fields.get("Token", "")
    if not open_kfid:
        raise PayloadInvalid("kf_msg_or_event without OpenKfId")
    digest = hashlib.sha256(f"{open_kfid}\n{token}\n{fields.get('CreateTime', '')}".encode()).hexdigest()[:24]
    return PlatformEvent(
        dedupe_id=f"{KF_EVENT}#{open_kfid}#{digest}", channel=ChannelId.WECOM_KF.value, account=account.account,
        shop=account.shop, kind=SYNC_KIND, data={"open_kfid": open_kfid, "token": token},
    )
