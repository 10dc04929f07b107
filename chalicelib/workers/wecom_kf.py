"""微信客服 sync: a `wecom_kf.sync` notice → every new customer message → one MessageReceived task each.

The pulled messages go back onto the inbound queue (group = customer, dedupe id = msgid), so each
gets exactly the processing and the dedupe of any other inbound message: threading, triage,
automation, and a message seen before (a replayed page after a crash) is dropped by its SEEN claim.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..channels import registry
from ..channels.errors import SendPermanent
from ..domain.tasks import MessageReceived, PlatformEvent, TaskEnvelope

log = logging.getLogger("shouhou.wecom_kf")
SYNC_KIND = "wecom_kf.sync"


def on_sync(deps: Any, task: PlatformEvent) -> str:
    """Pull one 客服账号's new messages and queue the customers' ones; permanent refusals are logged, not retried.

    Raises:
        SendRetryable: WeCom or the network failed; the inbound queue redelivers and the sync resumes at the cursor.
    """
    open_kfid = str(task.data.get("open_kfid") or "")
    if not open_kfid:
        log.warning("wecom_kf sync %s without open_kfid ignored", task.dedupe_id)
        return "ignored"
    puller = registry.puller(task.channel, deps.sender_context())
    try:
        result = puller.run(task.account, open_kfid, str(task.data.get("token") or ""),
                            lambda tasks: hand_on(deps, tasks))
    except SendPermanent as exc:
        log.error("wecom_kf sync of %s/%s refused: %s", task.account, open_kfid, exc)
        return "failed"
    log.info("wecom_kf sync %s/%s: %d page(s), %d message(s) queued", task.account, open_kfid,
             result.pages, result.handed_on)
    return "synced"


def hand_on(deps: Any, tasks: Sequence[MessageReceived]) -> None:
    """Queue pulled messages exactly as ingress queues pushed ones (returns once SQS has them all)."""
    deps.tasks.send_many([
        (TaskEnvelope(task=t).model_dump_json(), t.group, f"{t.channel}:{t.account}:{t.dedupe_id}") for t in tasks
    ])
