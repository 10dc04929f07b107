"""The progress page in headless Chromium: a return walked through to refund, served over HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.api.board import board_page
from chalicelib.workflows import board
from tests.unit.workflows.builders import BoardRepo, cn, walked_return_case

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
SECRET = "browser-board-secret"
NOW = cn(2026, 11, 22, 10)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, Any]]]:
    """`GET /board/{case_id}?t=…` answered by `board_page` over a real HTTP server; records requests."""
    walk = walked_return_case()
    repo = BoardRepo(**walk)
    seen: list[tuple[str, int]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if not parts.path.startswith("/board/"):
                self.send_error(404)
                return
            token = parse_qs(parts.query).get("t", [None])[0]
            status, html = board_page(parts.path.removeprefix("/board/"), token, repo=repo, secret=SECRET, now=NOW)
            seen.append((self.path, status))
            body = html.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", {"walk": walk, "seen": seen}
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any, url: str) -> tuple[Any, Any, Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  locale="zh-CN")
    page = context.new_page()
    response = page.goto(url)
    return context, page, response


def test_return_walked_to_refund_shows_the_right_stages(server: tuple[str, dict[str, Any]], browser: Any) -> None:
    base, state = server
    case_id = state["walk"]["case"].case_id
    token = board.sign(case_id, SECRET, NOW + timedelta(days=30))

    context, page, response = open_page(browser, f"{base}/board/{case_id}?t={token}")
    try:
        assert response.status == 200
        stages = page.locator("ol.stages > li")
        labels = stages.evaluate_all("els => els.map(e => e.firstChild.textContent)")
        assert labels == ["已受理", "审核中", "等待物流", "已解决"]
        assert stages.evaluate_all("els => els.map(e => e.className)") == [
            "stage done", "stage done", "stage done", "stage current"]
        assert page.locator('[aria-current="step"]').get_attribute("data-stage") == "resolved"
        assert "文一西路" in page.locator("section.instructions").inner_text()
        assert page.locator("article.shipment").count() == 2
        parcel_back = page.locator('article.shipment[data-tracking="SF1234567890123"]')
        assert parcel_back.get_attribute("data-status") == "Delivered"
        timeline = page.locator("ul.timeline > li").all_inner_texts()
        assert "进度更新：已解决" in timeline[0] and any("退款 ¥399.00" in t for t in timeline)
        body = page.locator("body").inner_text()
        assert "内部" not in body and "amount_within_threshold" not in body
        # mobile-first: nothing wider than the phone screen
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "board_page.png"), full_page=True)
    finally:
        context.close()


def test_tampered_link_gets_the_403_page(server: tuple[str, dict[str, Any]], browser: Any) -> None:
    base, state = server
    case_id = state["walk"]["case"].case_id
    token = board.sign(case_id, SECRET, NOW + timedelta(days=30))
    expiry, mac = token.split(".")

    context, page, response = open_page(browser, f"{base}/board/{case_id}?t={int(expiry) + 1}.{mac}")
    try:
        assert response.status == 403
        assert "链接无效或已过期" in page.locator("h1").inner_text()
        assert page.locator("ol.stages").count() == 0
    finally:
        context.close()
    assert (f"/board/{case_id}?t={int(expiry) + 1}.{mac}", 403) in state["seen"]
