"""Return rules, table-driven: every scenario names its outcome, deciding rule, freight payer and failed checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from chalicelib.workflows import returns
from chalicelib.workflows.returns import ReturnFacts

from .builders import cn, make_order, make_shipment

RULES = returns.load_rules(None)
DELIVERED = cn(2026, 11, 10, 9)  # 签收 11-10 → window 11-11 … 11-17


def facts(**overrides: Any) -> ReturnFacts:
    order_overrides = overrides.pop("order_overrides", {})
    delivered = overrides.pop("delivered", DELIVERED)
    base = ReturnFacts(
        request="return_refund",
        issue="changed_mind",
        priority="p2",
        order=make_order(**order_overrides),
        shipment=make_shipment(delivered),
        now=cn(2026, 11, 14, 10),
        goods_intact=True,
        returns_in_90d=0,
        shop="shop-a",
    )
    return replace(base, **overrides)


# id, facts overrides, outcome, deciding rule, freight payer, failed rules (trace)
SCENARIOS: list[tuple[str, dict[str, Any], str, str | None, str, set[str]]] = [
    ("no_reason_day_4", {}, "auto_approve", None, "customer", set()),
    ("no_reason_last_minute_of_day_7", {"now": cn(2026, 11, 17, 23, 59, 59)}, "auto_approve", None, "customer", set()),
    ("no_reason_first_second_of_day_8", {"now": cn(2026, 11, 18, 0, 0, 0)}, "reject_with_reason",
     "seven_day_window", "customer", {"seven_day_window"}),
    ("late_evening_delivery_counts_from_next_day", {"delivered": cn(2026, 11, 10, 23, 50),
     "now": cn(2026, 11, 17, 23, 0)}, "auto_approve", None, "customer", set()),
    ("late_evening_delivery_day_8_after_midnight", {"delivered": cn(2026, 11, 10, 23, 50),
     "now": cn(2026, 11, 18, 0, 1)}, "reject_with_reason", "seven_day_window", "customer", {"seven_day_window"}),
    ("early_morning_china_date_not_utc_date", {"delivered": cn(2026, 11, 11, 0, 30),
     "now": cn(2026, 11, 18, 20)}, "auto_approve", None, "customer", set()),
    ("same_day_as_delivery", {"now": cn(2026, 11, 10, 20)}, "auto_approve", None, "customer", set()),
    ("excluded_custom_made", {"order_overrides": {"tags": ["定制"]}}, "reject_with_reason", "excluded_category",
     "customer", {"excluded_category"}),
    ("excluded_fresh_food", {"order_overrides": {"tags": ["生鲜"]}}, "reject_with_reason", "excluded_category",
     "customer", {"excluded_category"}),
    ("excluded_digital", {"order_overrides": {"tags": ["数字商品"]}}, "reject_with_reason", "excluded_category",
     "customer", {"excluded_category"}),
    ("excluded_newspaper", {"order_overrides": {"tags": ["报刊"]}}, "reject_with_reason", "excluded_category",
     "customer", {"excluded_category"}),
    ("hygiene_goods_opened", {"order_overrides": {"tags": ["卫生用品"]}, "opened": True}, "reject_with_reason",
     "excluded_category", "customer", {"excluded_category"}),
    ("hygiene_goods_sealed", {"order_overrides": {"tags": ["卫生用品"]}, "opened": False}, "auto_approve", None,
     "customer", set()),
    ("excluded_category_with_quality_fault", {"order_overrides": {"tags": ["定制"]}, "issue": "quality"},
     "auto_approve", None, "merchant", set()),
    ("intactness_unknown_asks_customer", {"goods_intact": None}, "ask_customer", "intactness_known", "customer",
     {"intactness_known"}),
    ("goods_used_rejected", {"goods_intact": False}, "reject_with_reason", "goods_intact", "customer",
     {"goods_intact"}),
    ("intactness_irrelevant_for_fault", {"goods_intact": None, "issue": "quality"}, "auto_approve", None,
     "merchant", set()),
    ("quality_merchant_pays", {"issue": "quality"}, "auto_approve", None, "merchant", set()),
    ("wrong_item_merchant_pays", {"issue": "wrong_item", "request": "exchange"}, "auto_approve", None, "merchant",
     set()),
    ("missing_item_merchant_pays", {"issue": "missing_item"}, "auto_approve", None, "merchant", set()),
    ("damaged_logistics_pays", {"issue": "damaged"}, "auto_approve", None, "logistics", set()),
    ("not_as_described_merchant_pays", {"issue": "not_as_described"}, "auto_approve", None, "merchant", set()),
    ("no_reason_with_freight_insurance", {"order_overrides": {"freight_insurance": True}}, "auto_approve", None,
     "insurance", set()),
    ("fault_outside_no_reason_window_still_approved", {"issue": "quality", "now": cn(2026, 11, 20, 10)},
     "auto_approve", None, "merchant", set()),
    ("fault_after_fault_window_goes_to_review", {"issue": "quality", "now": cn(2026, 11, 26, 10)},
     "needs_review", "fault_window", "merchant", {"fault_window"}),
    ("amount_at_shop_threshold", {"order_overrides": {"amount": 300.0}}, "auto_approve", None, "customer", set()),
    ("amount_over_shop_threshold", {"order_overrides": {"amount": 300.01}}, "needs_review", "amount_threshold",
     "customer", {"amount_threshold"}),
    ("other_shop_uses_default_threshold", {"shop": "shop-b", "order_overrides": {"amount": 250.0}},
     "needs_review", "amount_threshold", "customer", {"amount_threshold"}),
    ("partial_refund_amount_under_threshold", {"order_overrides": {"amount": 900.0}, "amount": 50.0},
     "auto_approve", None, "customer", set()),
    ("two_returns_in_90d", {"returns_in_90d": 2}, "auto_approve", None, "customer", set()),
    ("serial_returner_reviewed", {"returns_in_90d": 3}, "needs_review", "serial_returner", "customer",
     {"serial_returner"}),
    ("p1_goes_to_senior", {"priority": "p1", "issue": "quality"}, "needs_review", "senior_for_p1", "merchant",
     {"senior_for_p1"}),
    ("unknown_order_asks_for_it", {"order": None, "shipment": None}, "ask_customer", "order_known", "merchant",
     {"order_known"}),
    ("not_delivered_refund_only", {"delivered": None, "goods_intact": None}, "auto_approve", None, "merchant",
     set()),
    ("not_shipped_refund_only", {"shipment": None, "request": "refund_only", "goods_intact": None,
     "order_overrides": {"shipments": []}}, "auto_approve", None, "merchant", set()),
    ("order_delivered_time_when_no_shipment", {"shipment": None, "order_overrides": {"delivered_at": DELIVERED},
     "now": cn(2026, 11, 18, 9)}, "reject_with_reason", "seven_day_window", "customer", {"seven_day_window"}),
    ("first_failing_rule_decides", {"order_overrides": {"tags": ["生鲜"]}, "now": cn(2026, 11, 25, 9)},
     "reject_with_reason", "excluded_category", "customer", {"excluded_category", "seven_day_window"}),
    ("amount_before_serial", {"order_overrides": {"amount": 999.0}, "returns_in_90d": 5}, "needs_review",
     "amount_threshold", "customer", {"amount_threshold", "serial_returner"}),
]


@pytest.mark.parametrize(("outcome", "rule", "payer", "failed", "overrides"),
                         [pytest.param(*s[2:], s[1], id=s[0]) for s in SCENARIOS])
def test_return_rules(outcome: str, rule: str | None, payer: str, failed: set[str], overrides: dict[str, Any]) -> None:
    decision = returns.evaluate(RULES, facts(**overrides))

    assert (decision.outcome, decision.rule, decision.freight_payer) == (outcome, rule, payer)
    assert {row["rule"] for row in decision.trace if not row["passed"]} == failed
    assert [row["rule"] for row in decision.trace] == [r.name for r in RULES.rules] + ["freight"]
    assert decision.reason  # the customer always reads why


def test_table_has_at_least_25_scenarios() -> None:
    assert len(SCENARIOS) >= 25


class TestTrace:
    def test_window_row_records_day_and_limit(self) -> None:
        decision = returns.evaluate(RULES, facts(now=cn(2026, 11, 18, 0, 0)))
        row = next(r for r in decision.trace if r["rule"] == "seven_day_window")
        assert row == {"condition": "within_window", "value": {"day": 8, "limit": 7}, "passed": False,
                       "rule": "seven_day_window", "applies": True}
        assert "11月17日" in decision.reason  # the customer sees when the window closed

    def test_rules_outside_their_scope_are_marked_not_applying(self) -> None:
        decision = returns.evaluate(RULES, facts(issue="quality"))
        row = next(r for r in decision.trace if r["rule"] == "seven_day_window")
        assert row["applies"] is False and row["passed"] is True

    def test_excluded_reason_names_the_category(self) -> None:
        decision = returns.evaluate(RULES, facts(order_overrides={"tags": ["定制"]}))
        assert "定制" in decision.reason


class TestQueuesAndInstructions:
    def test_review_goes_to_the_returns_queue(self) -> None:
        assert returns.evaluate(RULES, facts(returns_in_90d=4)).review_queue == "returns"

    def test_p1_review_goes_to_senior(self) -> None:
        assert returns.evaluate(RULES, facts(priority="p1")).review_queue == "senior"

    def test_no_queue_unless_review(self) -> None:
        assert returns.evaluate(RULES, facts()).review_queue is None

    def test_approved_no_reason_return_gets_the_address(self) -> None:
        decision = returns.evaluate(RULES, facts())
        assert "文一西路" in decision.instructions and "6926112200000012345" in decision.instructions
        assert "运费需您承担" in decision.instructions

    def test_approved_fault_return_with_pickup_shop(self) -> None:
        decision = returns.evaluate(RULES, facts(issue="quality"))
        assert "上门取件" in decision.instructions and "商家" in decision.instructions

    def test_undelivered_gets_cancel_or_intercept(self) -> None:
        decision = returns.evaluate(RULES, facts(delivered=None))
        assert decision.path == "refund_only" and "拦截" in decision.instructions

    def test_rejection_has_no_instructions(self) -> None:
        assert returns.evaluate(RULES, facts(goods_intact=False)).instructions == ""

    def test_decision_event_keeps_trace_for_audit(self) -> None:
        event = returns.evaluate(RULES, facts()).to_event("c-1", cn(2026, 11, 14, 10))
        assert event.type == "decision.return" and event.data["trace"] and event.data["outcome"] == "auto_approve"


class TestRulesFile:
    def test_order_of_rules_is_data(self, tmp_path: Path) -> None:
        shipped = (Path(returns.__file__).parent / "data" / "returns.toml").read_text(encoding="utf-8")
        serial = shipped.index('[[rule]]\nname = "serial_returner"')
        amount = shipped.index('[[rule]]\nname = "amount_threshold"')
        block = shipped[serial:shipped.index("[approve]")]
        swapped = shipped[:amount] + block + shipped[amount:serial] + shipped[shipped.index("[approve]"):]
        custom = tmp_path / "rules.toml"
        custom.write_text(swapped, encoding="utf-8")

        both_fail = facts(order_overrides={"amount": 999.0}, returns_in_90d=5)
        decision = returns.evaluate(returns.load_rules(custom), both_fail)

        assert decision.rule == "serial_returner"

    def test_unknown_check_is_rejected(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text('[[rule]]\nname = "x"\ncheck = "moon_phase"\noutcome = "needs_review"\nreason = "r"\n',
                       encoding="utf-8")
        with pytest.raises(returns.RulesInvalid):
            returns.load_rules(bad)

    def test_broken_toml_is_rejected(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text("[[rule]\n", encoding="utf-8")
        with pytest.raises(returns.RulesInvalid):
            returns.load_rules(bad)


class TestAfterTheDecision:
    def test_next_status_follows_the_outcome(self) -> None:
        assert returns.evaluate(RULES, facts(goods_intact=None)).next_status.value == "waiting_customer"
        assert returns.evaluate(RULES, facts()).next_status.value == "waiting_customer"  # send the goods back
        assert returns.evaluate(RULES, facts(returns_in_90d=9)).next_status.value == "open"
        assert returns.evaluate(RULES, facts(goods_intact=False)).next_status.value == "resolved"
        assert returns.evaluate(RULES, facts(delivered=None)).next_status.value == "open"

    def test_agent_approval_of_a_reviewed_request_carries_instructions_and_trace(self) -> None:
        reviewed = facts(order_overrides={"amount": 999.0})
        event = returns.approved_by_agent(RULES, reviewed, "c-1", cn(2026, 11, 14, 12), "agent:7")
        assert event.actor == "agent:7" and event.customer_visible
        assert event.data["outcome"] == "approved" and event.data["rules_outcome"] == "needs_review"
        assert "文一西路" in event.data["instructions"] and event.data["trace"]
