"""`python -m chalicelib.local` as a user runs it: a signed webhook over HTTP becomes a case, visible in the API."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from chalicelib.accounts import parse_accounts
from chalicelib.local.firer import ScheduleFirer
from chalicelib.local.pump import SqsPump
from chalicelib.local.resources import create_resources
from chalicelib.local.send_webhook import message_event, post, signed_webhook

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS")

ROOT = Path(__file__).resolve().parents[2]
DEMO = parse_accounts((ROOT / "local" / "accounts.demo.toml").read_text(encoding="utf-8"))
TOKEN = "demo-agent-token-0123456789"  # the demo file's [[api_token]]
STARTUP_S = 30
PIPELINE_S = 45


def get_json(url: str, token: str | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def wait_for(predicate: Any, timeout_s: float, proc: subprocess.Popen[bytes], log: Path, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"local stack exited ({proc.returncode}) while waiting for {what}:\n{log.read_text()}"
        try:
            value = predicate()
        except (OSError, urllib.error.URLError):
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}:\n{log.read_text()[-5000:]}")


def sink_posts(log: Path, path: str) -> list[str]:
    """Bodies the callback sink logged for POSTs to `path` (one `callback POST <path> <body>` line each)."""
    marker = f"callback POST {path} "
    return [line.split(marker, 1)[1] for line in log.read_text().splitlines() if marker in line]


def test_signed_webhook_becomes_case_with_callback_and_stack_stops_on_sigint() -> None:
    # PORT=0: the stack binds a free port itself and prints it (picking one here and passing it races other tests).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHOUHOU_"))}
    env.update(PORT="0", SHOUHOU_LOCAL_CALLBACK_PORT="0", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "stack.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "chalicelib.local"], cwd=ROOT, env=env,
                                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            # GIVEN the stack is up and says where
            found = wait_for(lambda: re.search(r"^  API +(http://127\.0\.0\.1:\d+)", log.read_text(), re.MULTILINE),
                             STARTUP_S, proc, log, "the banner")
            base = found.group(1)
            wait_for(lambda: get_json(f"{base}/health")[0] == 200, 5, proc, log, "/health")
            assert f"python -m chalicelib.local.send_webhook --url {base}" in log.read_text()

            # WHEN the demo ERP sends a signed message
            text = f"杯子碎了，补发一个 {uuid.uuid4().hex[:6]}"
            customer = f"cust-{uuid.uuid4().hex[:8]}"
            body, headers = signed_webhook(DEMO.get("webhook", "erp").secrets[0], message_event(text, customer))
            status, answer = post(f"{base}/webhooks/erp", body, headers)
            assert 200 <= status < 300, answer

            # THEN a case appears in the agent API, with the message and a timeline
            def case_ids() -> list[str]:
                code, page = get_json(f"{base}/api/cases", TOKEN)
                return [c["case_id"] for c in page["cases"]] if code == 200 else []

            (case_id,) = wait_for(case_ids, PIPELINE_S, proc, log, "the case in GET /api/cases")
            code, detail = get_json(f"{base}/api/cases/{case_id}", TOKEN)
            assert code == 200
            assert detail["case"]["case_id"] == case_id
            assert text in [m["text"] for m in detail["messages"]]
            assert detail["timeline"], "case has no timeline"

            # AND the progress update reached the demo account's callback URL (the stack's sink)
            updates = wait_for(lambda: [u for u in sink_posts(log, "/callbacks/erp") if f'"case_id":"{case_id}"' in u],
                               PIPELINE_S, proc, log, "a progress callback")
            assert updates[0].startswith('{"type":"case.progress"'), updates[0]

            # AND an unsigned request is refused
            status, _ = post(f"{base}/webhooks/erp", body, {"content-type": "application/json"})
            assert status == 401
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                rc = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
        # Ctrl-C stops everything cleanly
        output = log.read_text()
        assert rc == 0, output[-3000:]
        assert "stopped" in output
        assert "Traceback" not in output.split("stopping")[-1], output[-3000:]


# --- the stack's parts, in-process against a moto server (a stand-in handler; the real app is above) ---------


@pytest.fixture(scope="module")
def aws() -> Any:
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    yield lambda service: session.client(service, endpoint_url=endpoint), endpoint
    server.stop()


class RecordingHandler:
    """Fails every record whose body contains 'poison'; records what Lambda would have been given."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.batches.append(event["Records"])
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]
                                      if "poison" in r["body"]]}


def visible(sqs: Any, url: str) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                                    "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attrs["Attributes"].values())


class TestSqsPump:
    def test_deletes_successes_and_redrives_the_poison_message_to_the_dlq(self, aws: Any) -> None:
        client, endpoint = aws
        env = create_resources(endpoint, prefix=f"p{uuid.uuid4().hex[:6]}-")
        sqs = client("sqs")
        url = env["SHOUHOU_INBOUND_QUEUE_URL"]
        for i, body in enumerate(["ok-1", "poison", "ok-2"]):
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=f"cust-{i}", MessageDeduplicationId=body)
        handler = RecordingHandler()
        pump = SqsPump(sqs, url, handler, lambda: None, region="us-east-1", name="t", wait_s=0, retry_after_s=0)

        for _ in range(10):
            pump.tick()

        first = {r["body"]: r for r in handler.batches[0]}
        assert set(first) == {"ok-1", "poison", "ok-2"}
        assert first["ok-1"]["attributes"]["MessageGroupId"] == "cust-0"
        assert first["ok-1"]["eventSourceARN"].endswith(url.rsplit("/", 1)[-1])
        assert len({r["messageId"] for r in handler.batches[0]}) == 3
        bodies_after_first = [r["body"] for batch in handler.batches[1:] for r in batch]
        assert set(bodies_after_first) == {"poison"} and len(bodies_after_first) == 4  # 5 receives in all
        assert visible(sqs, url) == 0
        dlq = sqs.receive_message(QueueUrl=env["SHOUHOU_INBOUND_DLQ_URL"], MaxNumberOfMessages=10)["Messages"]
        assert [m["Body"] for m in dlq] == ["poison"]
        assert (pump.processed, pump.failed) == (2, 5)

    def test_a_raising_handler_fails_the_batch_and_the_pump_keeps_going(self, aws: Any) -> None:
        client, endpoint = aws
        env = create_resources(endpoint, prefix=f"r{uuid.uuid4().hex[:6]}-")
        sqs = client("sqs")
        url = env["SHOUHOU_OUTBOUND_QUEUE_URL"]
        sqs.send_message(QueueUrl=url, MessageBody="m")
        calls: list[int] = []

        def flaky(event: dict[str, Any], context: Any) -> dict[str, Any]:
            calls.append(len(event["Records"]))
            if len(calls) == 1:
                raise RuntimeError("boom")
            return {"batchItemFailures": []}

        pump = SqsPump(sqs, url, flaky, lambda: None, region="us-east-1", name="t", wait_s=0, retry_after_s=0)
        pump.tick()
        pump.tick()
        assert calls == [1, 1]
        assert visible(sqs, url) == 0


class TestScheduleFirer:
    def test_fires_due_at_schedules_once_with_their_input_and_leaves_future_ones(self, aws: Any) -> None:
        client, endpoint = aws
        env = create_resources(endpoint, prefix=f"s{uuid.uuid4().hex[:6]}-")
        scheduler, group, arn = client("scheduler"), env["SHOUHOU_SCHEDULER_GROUP"], env["SHOUHOU_SLA_TARGET_ARN"]
        for name, when in (("due", "at(2020-01-01T00:00:00)"), ("later", "at(2099-01-01T00:00:00)")):
            scheduler.create_schedule(
                Name=name, GroupName=group, ScheduleExpression=when, FlexibleTimeWindow={"Mode": "OFF"},
                Target={"Arn": arn, "RoleArn": env["SHOUHOU_SCHEDULER_ROLE_ARN"], "Input": json.dumps({"n": name})})
        fired: list[dict[str, Any]] = []
        firer = ScheduleFirer(scheduler, client("sqs"), group, {arn: fired.append})

        assert firer.tick() == ["due"]
        assert firer.tick() == []
        assert fired == [{"n": "due"}]
        assert [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]] == ["later"]

    def test_a_failing_target_is_retried_then_dropped(self, aws: Any) -> None:
        client, endpoint = aws
        env = create_resources(endpoint, prefix=f"f{uuid.uuid4().hex[:6]}-")
        scheduler, group, arn = client("scheduler"), env["SHOUHOU_SCHEDULER_GROUP"], env["SHOUHOU_SLA_TARGET_ARN"]
        scheduler.create_schedule(
            Name="bad", GroupName=group, ScheduleExpression="at(2020-01-01T00:00:00)",
            FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": arn, "RoleArn": env["SHOUHOU_SCHEDULER_ROLE_ARN"]})
        attempts: list[dict[str, Any]] = []

        def broken(payload: dict[str, Any]) -> None:
            attempts.append(payload)
            raise ValueError("handler bug")

        firer = ScheduleFirer(scheduler, client("sqs"), group, {arn: broken})
        for _ in range(5):
            assert firer.tick() == []
        assert len(attempts) == 3
        assert scheduler.list_schedules(GroupName=group)["Schedules"] == []
