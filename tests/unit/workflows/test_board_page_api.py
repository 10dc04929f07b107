"""`board_page`: 200 with the page for a good link, 403 for a tampered or expired one, 404 for a gone case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.api.board import board_page
from chalicelib.workflows import board

from .builders import BoardRepo, cn, walked_return_case

SECRET = "s3cret-board"
NOW = cn(2026, 11, 22, 10)


def make_repo() -> tuple[BoardRepo, str]:
    w: dict[str, Any] = walked_return_case()
    return BoardRepo(**w), w["case"].case_id


def test_valid_link_renders_the_page_with_both_parcels() -> None:
    repo, cid = make_repo()
    status, html = board_page(cid, board.sign(cid, SECRET, NOW + timedelta(days=30)), repo=repo, secret=SECRET, now=NOW)
    assert status == 200
    assert "已解决" in html and "YT0000000000000" in html and "SF1234567890123" in html


def test_tampered_token_is_403_and_the_case_is_not_read() -> None:
    repo, cid = make_repo()
    token = board.sign(cid, SECRET, NOW + timedelta(days=30))
    tampered = token[:-2] + ("xx" if not token.endswith("xx") else "yy")

    status, html = board_page(cid, tampered, repo=repo, secret=SECRET, now=NOW)

    assert status == 403 and "链接无效或已过期" in html and "已解决" not in html
    assert repo.reads == []


def test_token_of_another_case_is_403() -> None:
    repo, cid = make_repo()
    other = board.sign("c-other", SECRET, NOW + timedelta(days=1))
    status, _ = board_page(cid, other, repo=repo, secret=SECRET, now=NOW)
    assert status == 403


def test_expired_token_is_403() -> None:
    repo, cid = make_repo()
    status, _ = board_page(cid, board.sign(cid, SECRET, NOW - timedelta(seconds=1)), repo=repo, secret=SECRET, now=NOW)
    assert status == 403


def test_missing_token_is_403() -> None:
    repo, cid = make_repo()
    assert board_page(cid, None, repo=repo, secret=SECRET, now=NOW)[0] == 403


def test_valid_link_to_a_gone_case_is_404() -> None:
    repo, _ = make_repo()
    status, html = board_page("c-gone", board.sign("c-gone", SECRET, NOW + timedelta(days=1)), repo=repo,
                              secret=SECRET, now=NOW)
    assert status == 404 and "没有找到" in html
