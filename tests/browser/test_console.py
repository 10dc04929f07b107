"""Issue 8: the console in headless Chromium against the real app served over HTTP (moto behind it).

Log in with a token, see the queue sorted by urgency with live countdowns (breached rows stand out),
open a case, reply; the reply goes through the outbound worker to the fake channel API (the recorder).
Screenshots land in artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, TOKEN_A, WEBHOOK_SECRET, accounts_toml, pumps_for
from tests.signing import message_event, signed_webhook

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "artifacts"
FAST = ROOT / "tests" / "data" / "policies_fast.toml"


@pytest.fixture
def served(deps_for: Any, recorder: Any) -> Any:
    """The real app with second-scale SLA policies, served over HTTP on 127.0.0.1, plus its queue pumps."""
    from chalice.config import Config
    from chalice.local import create_local_server

    import app as app_module

    deps = deps_for(accounts_toml(recorder.url), policy_file=str(FAST))
    config = Config(chalice_stage="local", config_from_disk=json.loads((ROOT / ".chalice" / "config.json").read_text()),
                    default_params={"project_dir": str(ROOT)}, user_provided_params={"chalice_app": app_module.app})
    server = create_local_server(app_module.app, config, "127.0.0.1", 0)
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server.server_address[1]}", pumps_for(deps), deps
    server.server.shutdown()


def post_webhook(base: str, text: str, customer: str) -> None:
    headers, body = signed_webhook(WEBHOOK_SECRET, message_event(text, customer=customer))
    req = urllib.request.Request(f"{base}/webhooks/erp", data=body, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 202


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_agent_logs_in_works_the_queue_and_replies(served: Any, recorder: Any) -> None:
    base, pumps, _deps = served
    post_webhook(base, "杯子碎了，补发一个", "c-cup")
    post_webhook(base, "请问什么时候发货", "c-ask")
    pumps.drain()
    time.sleep(6)  # the fast policy's first-response clock (5 s) runs out: the queue must show the breach

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(f"{base}/console")
        assert page.title().startswith("售后工作台")
        page.fill("#token", "wrong-token-0000000000")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:has-text('令牌无效')")
        page.fill("#token", TOKEN_A)
        page.click("#login-form button")

        # the queue: both open cases, urgency order, live countdowns, breached rows marked
        page.wait_for_selector("#queue tbody tr.case-row")
        rows = page.locator("#queue tbody tr.case-row")
        assert rows.count() == 2
        assert page.locator("#queue tr.breached .countdown:has-text('已超时')").count() >= 1
        first = page.locator("#queue .countdown").first.inner_text()
        # it ticks (waits for the next tick rather than sleeping: a busy CI machine delays timers)
        page.wait_for_function("t => document.querySelector('#queue .countdown').innerText !== t", arg=first,
                               timeout=10_000)
        shot(page, "console-queue.png")

        # filters: a status filter narrows the queue through the API
        page.select_option("#filters select[name=status]", "resolved")
        page.click("#filters button[type=submit]")
        page.wait_for_selector("#queue td:has-text('没有符合条件的工单')")
        page.select_option("#filters select[name=status]", "")
        page.click("#filters button[type=submit]")
        page.wait_for_selector("#queue tbody tr.case-row")

        # the case page: thread, timeline with decisions, labels, SLA clocks
        page.locator("#queue tr.case-row", has_text="c-cup").click()
        page.wait_for_selector("#thread .msg.in:has-text('杯子碎了')")
        assert page.locator("#timeline li", has_text="created").count() == 1
        assert page.locator("#clocks .clock").count() >= 1
        shot(page, "console-case.png")

        # reply: the API accepts it, the outbound worker delivers it to the channel (the recorder)
        page.fill("#reply-text", "您好，已为您安排补发，请留意物流")
        page.click("#reply-send")
        page.wait_for_selector("#toast:has-text('回复已发送')")
        pumps.drain()
        replies = [b["data"] for b in recorder.json_bodies()
                   if b["type"] == "case.reply" and b["data"]["customer"]["user"] == "c-cup"]
        assert [r["text"] for r in replies] == ["您好，已为您安排补发，请留意物流"]
        page.reload()
        page.wait_for_selector("#thread .msg.out:has-text('已为您安排补发')")
        assert "agent:alice" in page.locator("#thread .msg.out", has_text="已为您安排补发").inner_text()
        assert page.locator("#timeline li", has_text="reply").count() >= 1

        # quick action: resolve, then the reports view
        page.click("#resolve")
        page.wait_for_selector("#case-status:has-text('已解决')")
        shot(page, "console-case-replied.png")
        page.click("[data-nav=reports]")
        page.wait_for_selector("#service")
        assert "新增工单" in page.locator("#service").inner_text()
        shot(page, "console-reports.png")
        browser.close()
