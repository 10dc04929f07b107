"""Composition root: builds clients and adapters once per warm container, lazily, and hands out `Deps`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from .accounts import Accounts, parse_accounts
from .settings import Settings

log = logging.getLogger("shouhou")


class SystemClock:
    """Wall-clock UTC time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def new_case_id(now: datetime) -> str:
    """Short, sortable-ish, unguessable case number shown to customers."""
    return now.strftime("%y%m%d") + uuid.uuid4().hex[:8].upper()


@dataclass
class Deps:
    """Everything the journeys use; each part is built on first use (the ack path builds only two)."""

    settings: Settings
    overrides: dict[str, Any] = field(default_factory=dict)

    def _get(self, name: str, build: Callable[[], Any]) -> Any:
        if name not in self.overrides:
            self.overrides[name] = build()
        return self.overrides[name]

    @cached_property
    def session(self) -> Any:
        import boto3

        return self.overrides.get("session") or boto3.session.Session()

    def client(self, service: str) -> Any:
        endpoint = self.overrides.get("endpoint_url")
        return self._get(f"client:{service}", lambda: self.session.client(service, endpoint_url=endpoint))

    @property
    def clock(self) -> Any:
        return self._get("clock", SystemClock)

    @property
    def ids(self) -> Callable[[datetime], str]:
        return self._get("ids", lambda: new_case_id)

    @property
    def accounts(self) -> Accounts:
        return self._get("accounts", self._load_accounts)

    def _load_accounts(self) -> Accounts:
        s = self.settings
        if s.accounts_parameter:
            value = self.client("ssm").get_parameter(Name=s.accounts_parameter, WithDecryption=True)
            return parse_accounts(value["Parameter"]["Value"], f"SSM {s.accounts_parameter}")
        if s.accounts_file:
            return parse_accounts(Path(s.accounts_file).read_text(encoding="utf-8"), s.accounts_file)
        log.warning("no accounts configured (SHOUHOU_ACCOUNTS_FILE / SHOUHOU_ACCOUNTS_PARAMETER)")
        return Accounts({})

    @property
    def repo(self) -> Any:
        from .store import DynamoCaseRepository

        s = self.settings
        return self._get("repo", lambda: DynamoCaseRepository(
            self.client("dynamodb"), s.table_name, shards=s.queue_shards, retention_s=s.message_retention_days * 86400))

    @property
    def tasks(self) -> Any:
        from .store import SqsTaskQueue

        return self._get("tasks", lambda: SqsTaskQueue(self.client("sqs"), self.settings.inbound_queue_url))

    @property
    def outbound(self) -> Any:
        from .store import SqsOutboundQueue

        return self._get("outbound", lambda: SqsOutboundQueue(self.client("sqs"), self.settings.outbound_queue_url))

    @property
    def tokens(self) -> Any:
        from .store import DynamoTokenStore

        return self._get("tokens", lambda: DynamoTokenStore(self.client("dynamodb"), self.settings.table_name))

    @property
    def counters(self) -> Any:
        from .store import DynamoCounters

        return self._get("counters", lambda: DynamoCounters(self.client("dynamodb"), self.settings.table_name))

    @property
    def http(self) -> Any:
        from .channels._common.http import HttpClient

        return self._get("http", lambda: HttpClient(self.settings.http_timeout_s))

    @property
    def classify(self) -> Callable[[str], Any]:
        def load() -> Callable[[str], Any]:
            from .triage import classify, warm  # the segmenter loads here, in the worker only

            warm()  # load the data once per container and freeze it out of the GC's way
            return classify

        return self._get("classify", load)

    @property
    def sla(self) -> Any:
        def load() -> Any:
            from .sla import SlaEngine, load_calendars, load_policies

            return SlaEngine(policies=load_policies(self.settings.policy_file or None), calendars=load_calendars(None))

        return self._get("sla", load)

    @property
    def return_rules(self) -> Any:
        def load() -> Any:
            from .workflows import returns

            return returns.load_rules(self.settings.returns_rules_file or None)

        return self._get("return_rules", load)

    @property
    def timer(self) -> Any:
        from .store.scheduler import SchedulerSlaTimer

        s = self.settings
        return self._get("timer", lambda: SchedulerSlaTimer(
            self.client("scheduler"), s.scheduler_group, s.sla_target_arn, s.scheduler_role_arn))

    @property
    def notifier(self) -> Any:
        from .channels.webhook.verify import sign
        from .sla.notify import SlaNotifier

        return self._get("notifier", lambda: SlaNotifier(self.http, self.accounts, signer=sign))

    @property
    def public_url(self) -> str:
        """Where customers reach the API: the setting, else what the first API request was addressed to."""
        return str(self.overrides.get("public_url") or self.settings.public_url)

    def learn_public_url(self, host: str | None, stage: str | None) -> None:
        """Behind API Gateway without SHOUHOU_PUBLIC_URL, links use the host the request came to."""
        if host and "public_url" not in self.settings.model_fields_set and "public_url" not in self.overrides:
            self.overrides["public_url"] = f"https://{host}/{stage}" if stage else f"https://{host}"

    @property
    def board_secret(self) -> str:
        return self.settings.board_secret or f"shouhou-board-{self.settings.table_name}"

    def sender_context(self) -> Any:
        from .channels.registry import SenderContext

        return self._get("sender_context", lambda: SenderContext(
            http=self.http, accounts=self.accounts, tokens=self.tokens, settings=self.settings,
            counters=self.counters))

    def sender(self, channel: str) -> Any:
        """The outbound sender of a channel (cached)."""
        from .channels import registry

        return self._get(f"sender:{channel}", lambda: registry.sender(channel, self.sender_context()))


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Deps:
    """Build the dependencies; tests pass fakes as keyword overrides (repo=…, clock=…, http=…)."""
    return Deps(settings or Settings(), dict(overrides))
