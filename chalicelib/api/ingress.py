"""Webhook ingress: size check → account → verify/normalise (channel adapter) → one SQS call → ACK."""

from __future__ import annotations

import logging
from typing import Any

from ..channels import registry
from ..channels.base import Ack, RawRequest
from ..channels.errors import PayloadTooLarge
from ..domain.tasks import TaskEnvelope

log = logging.getLogger("shouhou.ingress")


def receive(deps: Any, key: str, request: RawRequest) -> Ack:
    """Handle one channel request and return the provider's ACK.

    Raises:
        PayloadTooLarge, UnknownChannel, AccountNotFound, SignatureInvalid, ReplayRejected, PayloadInvalid.
    """
    settings = deps.settings
    if len(request.body) > settings.max_body_bytes:
        raise PayloadTooLarge(f"{len(request.body)} bytes")
    adapter = registry.inbound(key)
    account = deps.accounts.get(adapter.section, request.account)
    provider = key.partition(":")[2]
    if provider and getattr(account, "provider", provider) != provider:
        deps.accounts.get(key, request.account)  # raises AccountNotFound: wrong provider for this account
    result = adapter.receive(request, account, deps.clock.now(), tolerance_s=settings.webhook_tolerance_s)
    if result.tasks:
        deps.tasks.send_many([
            (TaskEnvelope(task=t).model_dump_json(), t.group, f"{t.channel}:{t.account}:{t.dedupe_id}")
            for t in result.tasks
        ])
    log.info("accepted %s/%s: %d task(s) %s", key, request.account, len(result.tasks),
             ",".join(f"{t.type}:{t.dedupe_id}" for t in result.tasks))
    return result.ack
