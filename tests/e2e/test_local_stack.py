"""`python -m chalicelib.local` as a user runs it: a signed webhook over HTTP becomes a case, visible in the API."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from chalicelib.accounts import parse_accounts
from chalicelib.local.send_webhook import message_event, post, signed_webhook

ROOT = Path(__file__).resolve().parents[2]
DEMO = parse_accounts((ROOT / "local" / "accounts.demo.toml").read_text(encoding="utf-8"))
TOKEN = "demo-agent-token-0123456789"  # the demo file's [[api_token]]
STARTUP_S = 30
PIPELINE_S = 45


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str, token: str | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:  # noqa: S310
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


def sink_posts(log: Path, path: str) -> list[dict[str, Any]]:
    """Bodies the callback sink logged for POSTs to `path` (one `callback POST <path> <body>` line each)."""
    marker = f"callback POST {path} "
    return [json.loads(line.split(marker, 1)[1]) for line in log.read_text().splitlines() if marker in line]


def test_signed_webhook_becomes_case_with_callback_and_stack_stops_on_sigint() -> None:
    port, sink_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHOUHOU_"))}
    env.update(PORT=str(port), SHOUHOU_LOCAL_CALLBACK_PORT=str(sink_port), PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "stack.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "chalicelib.local"], cwd=ROOT, env=env,
                                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            # GIVEN the stack is up
            wait_for(lambda: get_json(f"{base}/health")[0] == 200, STARTUP_S, proc, log, "/health")
            banner = f"python -m chalicelib.local.send_webhook --url {base}"
            wait_for(lambda: banner in log.read_text(), 5, proc, log, "the banner with a copy-paste example")

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
            updates = wait_for(lambda: [u for u in sink_posts(log, "/callbacks/erp")
                                        if u.get("data", {}).get("case_id") == case_id],
                               PIPELINE_S, proc, log, "a progress callback")
            assert updates[0]["type"] == "case.progress"

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
