"""Run `python -m chalicelib.local` as a user would, with a given environment, and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STARTUP_S = 40


@dataclass
class StackProcess:
    proc: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def http(self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
             timeout: float = 10) -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def get_json(self, path: str, token: str) -> Any:
        status, body = self.http("GET", path, headers={"Authorization": f"Bearer {token}"})
        assert status == 200, (status, body[:300])
        return json.loads(body)

    def wait_for(self, predicate: Any, timeout_s: float, what: str, interval: float = 0.2) -> Any:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"stack exited ({self.proc.returncode}):\n{self.log.read_text()[-4000:]}"
            try:
                value = predicate()
            except (OSError, urllib.error.URLError, AssertionError):
                value = None
            if value:
                return value
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout_s}s waiting for {what}:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=45)  # a loaded CI machine can take a while to drain the pumps
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def start(tmp: Path, extra_env: dict[str, str]) -> StackProcess:
    """Start the stack on free ports with `extra_env` (accounts file, API base URLs, policy file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHOUHOU_"))}
    env.update(PORT="0", SHOUHOU_LOCAL_CALLBACK_PORT="0", PYTHONUNBUFFERED="1", **extra_env)
    log = tmp / "stack.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "chalicelib.local"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    stack = StackProcess(proc, log)
    found = stack.wait_for(lambda: re.search(r"^  API +(http://127\.0\.0\.1:\d+)", log.read_text(), re.MULTILINE),
                           STARTUP_S, "the banner")
    stack.url = found.group(1)
    stack.wait_for(lambda: stack.http("GET", "/health")[0] == 200, 10, "/health")
    return stack


@contextmanager
def running(tmp: Path, accounts: str, env: dict[str, str]) -> Iterator[StackProcess]:
    """The stack with `accounts` as its accounts file and `env` on top; it must stop cleanly afterwards."""
    path = tmp / "accounts.toml"
    path.write_text(accounts, encoding="utf-8")
    stack = start(tmp, {"SHOUHOU_ACCOUNTS_FILE": str(path), **env})
    try:
        yield stack
    finally:
        assert stack.stop() == 0, stack.log.read_text()[-3000:]
