"""Escalation notices a seller can trust: signed webhooks, stable ids, scheduled retries, at most once per attempt."""

from __future__ import annotations

import base64
import json
import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.accounts import AccountsInvalid, parse_accounts
from chalicelib.bootstrap import bootstrap
from chalicelib.channels._common.http import HttpClient
from chalicelib.channels.errors import SignatureInvalid
from chalicelib.channels.webhook.verify import sign, verify
from chalicelib.domain import CaseStatus
from chalicelib.settings import Settings
from chalicelib.sla import apply_timer
from chalicelib.sla.notify import KIND, Notice, SlaNotifier, retry_delay
from chalicelib.workers import notices
from chalicelib.workers.sla import handle_fire

from .helpers import Accounts, InMemoryRepo, ManualClock, RecordingTimer, engine, make_case

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
BREACH = T0 + timedelta(minutes=30)
SECRET = "whsec_" + base64.b64encode(b"shop-a-notify-secret-0123456789").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"some-other-secret-abcdefghijkl").decode()


class World:
    """A complaint past its first-response deadline, whose tier-1 action is `notify:ops` (the target under test)."""

    def __init__(self, kind: str, url: str, secret: str | None = None) -> None:
        self.engine, self.timer = engine(), RecordingTimer()
        case = make_case()
        apply_timer(self.timer, self.engine.on_trigger(case, "opened", T0))
        self.repo = InMemoryRepo(case)
        target = (kind, url, secret) if secret else (kind, url)
        self.notifier = SlaNotifier(HttpClient(timeout_s=2), Accounts({("shop-a", "ops"): target}), signer=sign)
        self.clock = ManualClock(BREACH)

    def breach(self) -> dict:
        payload = self.timer.schedules["sla-c1-first_response-breach"][1]
        return handle_fire(payload, repo=self.repo, timer=self.timer, engine=self.engine, notifier=self.notifier,
                           clock=self.clock)

    def retries(self) -> dict[str, tuple[datetime, dict]]:
        return {n: s for n, s in self.timer.schedules.items() if s[1].get("kind") == KIND}

    def fire_retry(self, name: str) -> dict:
        """What sla_check does with a retry fire: dispatch by kind to workers.notices."""
        at, payload = self.timer.schedules[name]
        self.clock.at = at
        deps = bootstrap(Settings(), repo=self.repo, timer=self.timer, notifier=self.notifier, clock=self.clock)
        return notices.handle(deps, payload)

    def notice_events(self) -> list:
        return [e for e in self.repo.events if e.type in ("sla.notified", "sla.notify_failed")]


class TestSignedWebhookNotices:
    def test_signature_verifies_over_the_exact_body_bytes_received(self, recorder):
        w = World("webhook", f"{recorder.url}/shop-hook", SECRET)
        w.breach()
        (req,) = recorder.requests
        h = req["headers"]
        assert h["webhook-id"].startswith("ntc_") and h["webhook-signature"].startswith("v1,")
        assert abs(int(h["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 60
        got = verify(req["raw"], h, [SECRET], now_s=datetime.now(UTC).timestamp())
        assert got == h["webhook-id"]
        assert json.loads(req["raw"])["type"] == "sla.escalation"

    def test_signature_does_not_verify_with_another_secret_or_a_changed_body(self, recorder):
        w = World("webhook", f"{recorder.url}/shop-hook", SECRET)
        w.breach()
        req = recorder.requests[0]
        now = datetime.now(UTC).timestamp()
        with pytest.raises(SignatureInvalid):
            verify(req["raw"], req["headers"], [OTHER_SECRET], now_s=now)
        with pytest.raises(SignatureInvalid):
            verify(req["raw"].replace(b"c1", b"c2"), req["headers"], [SECRET], now_s=now)

    def test_without_a_secret_the_notice_carries_its_id_but_no_signature(self, recorder):
        World("webhook", f"{recorder.url}/shop-hook").breach()
        h = recorder.requests[0]["headers"]
        assert h["webhook-id"].startswith("ntc_") and "webhook-signature" not in h

    def test_a_signed_target_is_never_sent_unsigned(self, recorder):
        w = World("webhook", f"{recorder.url}/shop-hook", SECRET)
        w.notifier = SlaNotifier(HttpClient(timeout_s=2), Accounts({("shop-a", "ops"): ("webhook", recorder.url, SECRET)}))
        out = w.breach()
        assert recorder.requests == [] and out["notified"][0]["sent"] is False
        assert out["notified"][0]["retry_scheduled"] is False

    def test_the_secret_never_reaches_reprs_or_logs(self, recorder, caplog):
        caplog.set_level(logging.DEBUG)
        recorder.statuses = [503]
        w = World("webhook", f"{recorder.url}/shop-hook", SECRET)
        w.breach()
        target = w.notifier._accounts.notify_target("shop-a", "ops")
        assert SECRET not in repr(target) and SECRET not in caplog.text
        assert SECRET not in json.dumps([e.model_dump(mode="json") for e in w.repo.events])


class TestRetries:
    def test_503_then_200_delivers_once_after_the_scheduled_retry(self, recorder):
        recorder.statuses = [503, 200]
        w = World("webhook", f"{recorder.url}/shop-hook", SECRET)
        out = w.breach()
        # GIVEN the shop's webhook answers 503 THEN a retry is scheduled a minute later, not slept for
        assert out["notified"][0]["sent"] is False and out["notified"][0]["retry_scheduled"] is True
        (name,) = w.retries()
        at, payload = w.timer.schedules[name]
        assert at == BREACH + timedelta(minutes=1) and payload["attempt"] == 2
        # WHEN the retry fires THEN the notice is delivered, with the same webhook-id and body
        result = w.fire_retry(name)
        assert result["sent"] is True and result["attempt"] == 2
        first, second = recorder.requests
        assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
        assert first["raw"] == second["raw"]
        verify(second["raw"], second["headers"], [SECRET], now_s=datetime.now(UTC).timestamp())
        # both attempts are on the timeline
        assert [(e.type, e.data["attempt"], e.data.get("retry_scheduled")) for e in w.notice_events()] == [
            ("sla.notify_failed", 1, True), ("sla.notified", 2, None)]
        assert [r["status"] for r in recorder.requests] == [503, 200]

    def test_400_is_not_retried(self, recorder):
        recorder.statuses = [400]
        w = World("webhook", f"{recorder.url}/shop-hook")
        out = w.breach()
        assert out["notified"][0]["retry_scheduled"] is False and w.retries() == {}
        (event,) = w.notice_events()
        assert event.type == "sla.notify_failed" and event.data["attempt"] == 1 and event.data["status"] == 400

    def test_429_is_retried(self, recorder):
        recorder.statuses = [429]
        w = World("webhook", f"{recorder.url}/shop-hook")
        assert w.breach()["notified"][0]["retry_scheduled"] is True and len(w.retries()) == 1

    def test_unknown_target_is_not_retried(self, recorder):
        w = World("webhook", f"{recorder.url}/shop-hook")
        w.notifier = SlaNotifier(HttpClient(timeout_s=2), Accounts({}), signer=sign)
        out = w.breach()
        assert out["notified"][0]["retry_scheduled"] is False and w.retries() == {}

    def test_wecom_robot_rate_limit_errcode_is_retried_and_other_errcodes_are_not(self, recorder):
        recorder.answers = [{"errcode": 45009, "errmsg": "api freq out of limit"}]
        w = World("wecom_robot", f"{recorder.url}/cgi-bin/webhook/send?key=k")
        out = w.breach()
        assert out["notified"][0]["errcode"] == 45009 and out["notified"][0]["retry_scheduled"] is True

        recorder.answers = [{"errcode": 93000, "errmsg": "invalid webhook url"}]
        w = World("wecom_robot", f"{recorder.url}/cgi-bin/webhook/send?key=k")
        out = w.breach()
        assert out["notified"][0]["errcode"] == 93000 and out["notified"][0]["retry_scheduled"] is False

    def test_transport_error_is_retried(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        w = World("webhook", f"http://127.0.0.1:{port}/hook")
        out = w.breach()
        assert out["notified"][0]["reason"] == "SendRetryable" and out["notified"][0]["retry_scheduled"] is True

    def test_firing_the_same_retry_twice_delivers_once(self, recorder):
        recorder.statuses = [503]
        w = World("webhook", f"{recorder.url}/shop-hook")
        w.breach()
        (name,) = w.retries()
        payload = w.timer.schedules[name][1]
        first = w.fire_retry(name)
        w.timer.schedules[name] = (w.clock.at, payload)  # Scheduler delivers the same fire again
        again = w.fire_retry(name)
        assert first["sent"] is True and again["duplicate"] is True
        assert len(recorder.requests) == 2  # attempt 1 (503) and attempt 2, once
        assert [e.type for e in w.notice_events()] == ["sla.notify_failed", "sla.notified"]

    def test_a_retry_for_a_case_resolved_meanwhile_is_skipped_and_recorded(self, recorder):
        recorder.statuses = [503, 200]
        w = World("webhook", f"{recorder.url}/shop-hook")
        w.breach()
        (name,) = w.retries()
        w.repo.cases["c1"].status = CaseStatus.RESOLVED  # an agent solved it before the retry fired
        result = w.fire_retry(name)
        assert result["sent"] is False and result["skipped"] == "case resolved"
        assert len(recorder.requests) == 1  # only the first, failed attempt reached the shop
        assert [e.type for e in w.repo.events if e.type.startswith("sla.notif")] == [
            "sla.notify_failed", "sla.notify_skipped"]

    def test_backoff_is_1_5_30_minutes_then_the_notice_is_given_up(self, recorder):
        recorder.statuses = [503] * 4
        w = World("webhook", f"{recorder.url}/shop-hook")
        w.breach()
        delays = []
        for attempt in (2, 3, 4):
            (name,) = [n for n, (_, p) in w.retries().items() if p["attempt"] == attempt]
            delays.append(w.timer.schedules[name][0] - w.clock.at)
            w.fire_retry(name)
        assert delays == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30)]
        events = w.notice_events()
        assert [(e.data["attempt"], e.data["retry_scheduled"]) for e in events] == [
            (1, True), (2, True), (3, True), (4, False)]
        assert events[-1].data["gave_up"] is True and len(recorder.requests) == 4

    def test_retry_after_of_a_429_stretches_the_backoff_up_to_an_hour(self):
        assert retry_delay(1) == timedelta(minutes=1)
        assert retry_delay(1, 600) == timedelta(minutes=10)
        assert retry_delay(2, 99999) == timedelta(hours=1)
        assert retry_delay(4) is None


class TestNoticeIds:
    def test_the_same_escalation_gets_the_same_id_and_another_tier_another(self):
        from chalicelib.sla.notify import escalation_notice
        from chalicelib.sla.update import Escalation

        case = make_case()
        engine().on_trigger(case, "opened", T0)
        a = escalation_notice(case, Escalation("first_response", "complaint", 1, ("notify:ops",)), "ops")
        b = escalation_notice(case, Escalation("first_response", "complaint", 1, ("notify:ops",)), "ops")
        c = escalation_notice(case, Escalation("first_response", "complaint", 2, ("notify:ops",)), "ops")
        d = escalation_notice(case, Escalation("first_response", "complaint", 1, ("notify:ops",)), "manager")
        assert a.notice_id == b.notice_id and len({a.notice_id, c.notice_id, d.notice_id}) == 3
        assert len(f"ntf-{a.notice_id}-4") <= 64

    def test_a_malformed_retry_fire_is_ignored_not_raised(self):
        deps = bootstrap(Settings(), repo=InMemoryRepo(), timer=RecordingTimer(), notifier=None, clock=ManualClock(T0))
        assert "notice_id" in notices.handle(deps, {"kind": KIND, "shop": "shop-a", "target": "ops"})["ignored"]

    def test_a_retry_payload_round_trips(self):
        n = Notice(notice_id="ntc_x", shop="shop-a", target="ops", text="升级", data={"case_id": "c1", "tier": 1})
        assert Notice.from_payload(n.retry_payload(2)) == n
        with pytest.raises(ValueError):
            Notice.from_payload({"kind": KIND, "shop": "shop-a"})


class TestNotifyTargetSecret:
    def base(self, **extra: str) -> str:
        lines = ['[[notify]]', 'name = "ops"', 'shop = "shop-a"', 'url = "https://example.invalid/h"']
        lines += [f'{k} = "{v}"' for k, v in extra.items()]
        return "\n".join(lines) + "\n"

    def test_a_whsec_secret_is_accepted_on_a_webhook_target(self):
        t = parse_accounts(self.base(kind="webhook", secret=SECRET)).notify_target("shop-a", "ops")
        assert t.secret == SECRET and t.digest is False

    def test_a_malformed_secret_is_refused_without_echoing_it(self):
        with pytest.raises(AccountsInvalid) as e:
            parse_accounts(self.base(kind="webhook", secret="whsec_not*base64*at*all"))
        assert "not*base64" not in str(e.value) and "not*base64" not in str(e.value.__cause__)

    def test_a_secret_on_a_wecom_robot_is_refused(self):
        with pytest.raises(AccountsInvalid, match="webhook"):
            parse_accounts(self.base(kind="wecom_robot", secret=SECRET))
