"""Progress board: stages from the case and its timeline, signed links, update texts, the page."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain import CaseStatus, Direction, Message
from chalicelib.workflows import board

from .builders import cn, event, make_case, walked_return_case

SECRET = "board-secret"
NOW = cn(2026, 11, 22, 10)


def summary(stages: list[board.Stage]) -> list[tuple[str, str]]:
    return [(s.label, s.state) for s in stages]


class TestStages:
    def test_walked_return_ends_resolved_after_review_and_logistics(self) -> None:
        w = walked_return_case()
        stages = board.stages(w["case"], w["events"])
        assert summary(stages) == [("已受理", "done"), ("审核中", "done"), ("等待物流", "done"), ("已解决", "current")]
        assert stages[2].at == cn(2026, 11, 12, 15, 0, 1)  # first entered a waiting state
        assert stages[3].next_step and stages[3].due is None

    def test_new_case_is_received_with_due_from_sla(self) -> None:
        case = make_case(status=CaseStatus.NEW, request="info", sla={
            "first_response": {"due": "2026-11-22T03:00:00+00:00", "met_at": None},
            "resolution": {"due": "2026-11-23T02:00:00+00:00"},
        })
        stages = board.stages(case, [])
        assert summary(stages) == [("已受理", "current"), ("处理中", "todo"), ("已解决", "todo")]
        assert stages[0].due == cn(2026, 11, 22, 11)

    def test_met_stopped_and_malformed_clocks_are_ignored(self) -> None:
        case = make_case(sla={
            "first_response": {"due": "2026-11-22T03:00:00+00:00", "met_at": "2026-11-22T02:00:00+00:00"},
            "old": {"due": "2026-11-21T03:00:00+00:00", "stopped": "2026-11-21T01:00:00+00:00"},
            "broken": {"due": "not a date"}, "weird": "x", "resolution": {"due": "2026-11-24T02:00:00Z"},
        })
        assert board.next_due(case) == cn(2026, 11, 24, 10)

    def test_waiting_for_customer_is_current_and_has_no_due(self) -> None:
        case = make_case(status=CaseStatus.WAITING_CUSTOMER, sla={"resolution": {"due": "2026-11-24T02:00:00Z"}})
        stages = board.stages(case, [])
        assert summary(stages) == [("已受理", "done"), ("审核中", "done"), ("等待您的回复", "current"),
                                   ("已解决", "todo")]
        assert stages[2].due is None and "回复" in stages[2].next_step

    def test_non_return_case_is_processing(self) -> None:
        case = make_case(request="expedite", issue="shipping")
        assert summary(board.stages(case, [])) == [("已受理", "done"), ("处理中", "current"), ("已解决", "todo")]


class TestSignedLink:
    EXPIRES = NOW + timedelta(days=30)

    def test_round_trip(self) -> None:
        assert board.verify("c-1", board.sign("c-1", SECRET, self.EXPIRES), SECRET, NOW)

    def test_tampered_signature(self) -> None:
        token = board.sign("c-1", SECRET, self.EXPIRES)
        flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert not board.verify("c-1", flipped, SECRET, NOW)

    def test_extended_expiry_breaks_the_signature(self) -> None:
        expiry, mac = board.sign("c-1", SECRET, self.EXPIRES).split(".")
        assert not board.verify("c-1", f"{int(expiry) + 86400}.{mac}", SECRET, NOW)

    def test_other_case_or_secret(self) -> None:
        token = board.sign("c-1", SECRET, self.EXPIRES)
        assert not board.verify("c-2", token, SECRET, NOW)
        assert not board.verify("c-1", token, "other", NOW)

    def test_expired(self) -> None:
        token = board.sign("c-1", SECRET, NOW)
        assert board.verify("c-1", token, SECRET, NOW - timedelta(seconds=1))
        assert not board.verify("c-1", token, SECRET, NOW)

    def test_garbage_tokens(self) -> None:
        for token in (None, "", "abc", "1.2.3", "x.y", "9" * 40 + ".abc", "１２.abc", "123.ü"):
            assert not board.verify("c-1", token, SECRET, NOW)

    def test_url(self) -> None:
        url = board.url("https://cs.example.com/", "c-1", SECRET, self.EXPIRES)
        assert url.startswith("https://cs.example.com/board/c-1?t=")
        assert board.verify("c-1", url.split("?t=")[1], SECRET, NOW)


class TestProgressText:
    def test_from_a_label_as_the_outbox_passes_it(self) -> None:
        case = make_case(status=CaseStatus.OPEN, sla={"return_review": {"due": "2026-11-25T02:00:00Z"}})
        text = board.progress_text(case, "处理中", "https://x/board/c-1?t=1.a")
        assert "处理中" in text and "审核中" in text and "11月25日 10:00" in text and text.endswith("https://x/board/c-1?t=1.a")

    def test_from_a_stage(self) -> None:
        w = walked_return_case()
        stage = board.stages(w["case"], w["events"])[-1]
        text = board.progress_text(w["case"], stage, "https://x/b")
        assert text.startswith("【售后进度】") and "已解决" in text and "预计" not in text


class TestPage:
    def test_page_shows_progress_parcels_and_instructions(self) -> None:
        w = walked_return_case()
        html = board.render_page(w["case"], w["events"], w["messages"], w["order"], w["shipments"], NOW)
        for expected in ("已受理", "审核中", "等待物流", "已解决", 'aria-current="step"', "文一西路", "SF1234567890123",
                         "杭州 售后仓 已签收", "退款 ¥399.00", "已同意退货", "您已寄回商品"):
            assert expected in html, expected

    def test_page_never_shows_internals(self) -> None:
        w = walked_return_case()
        html = board.render_page(w["case"], w["events"], w["messages"], w["order"], w["shipments"], NOW)
        for hidden in ("内部备注", "此客户曾多次退货", "amount_within_threshold", "trace", "needs_review", "triage:",
                       "RF-1", "resolution met", "6926112200000012345", "oABC"):
            assert hidden not in html, hidden

    def test_customer_and_agent_text_is_escaped(self) -> None:
        case = make_case()
        events = [event(case.case_id, NOW, "note.public", visible=True, customer_text="<img src=x onerror=alert(1)>")]
        reply = Message(case_id=case.case_id, message_id="m", direction=Direction.OUTBOUND, channel="wechat",
                        at=NOW, text="<script>alert(1)</script>", author="agent:1")
        html = board.render_page(case, events, [reply], None, [], NOW)
        assert "<script>alert" not in html and "<img src=x" not in html and "&lt;script&gt;" in html

    def test_error_pages(self) -> None:
        assert "链接无效或已过期" in board.render_error(403)
        assert "没有找到" in board.render_error(404)
