"""Return and refund eligibility: ordered rules from TOML, an explainable decision with its trace."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chalicelib.domain import CaseEvent, CaseStatus

from ._return_checks import (
    CHECKS,
    ReturnFacts,
    ShopPolicy,
    day_after_delivery,
    delivered_at,
)
from ._texts import DATA_DIR, text

__all__ = [
    "CHECKS", "ReturnDecision", "ReturnFacts", "Rule", "Rules", "RulesInvalid", "ShopPolicy",
    "approved_by_agent", "day_after_delivery", "delivered_at", "evaluate", "freight_payer", "instructions",
    "load_rules",
]

Outcome = Literal["auto_approve", "needs_review", "reject_with_reason", "ask_customer"]
FreightPayer = Literal["merchant", "logistics", "customer", "insurance"]
Scope = Literal["delivered", "not_delivered", "fault", "no_fault"]
Path_ = Literal["return_refund", "refund_only"]


class RulesInvalid(ValueError):
    """Raised when a return-rules file does not parse or names an unknown check."""


class Rule(BaseModel):
    """One ordered condition: if `check` fails (within `when`), `outcome` decides with `reason`."""

    model_config = ConfigDict(extra="forbid")

    name: str
    check: str
    outcome: Outcome
    reason: str
    when: list[Scope] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_check(self) -> Rule:
        if self.check not in CHECKS:
            raise ValueError(f"rule {self.name}: unknown check {self.check!r}")
        return self


class Rules(BaseModel):
    """A parsed rules file."""

    version: int = 1
    defaults: dict[str, Any] = Field(default_factory=dict)
    shops: dict[str, dict[str, Any]] = Field(default_factory=dict)
    rules: list[Rule] = Field(alias="rule", default_factory=list)
    approve: dict[str, str] = Field(default_factory=dict)

    def policy(self, shop: str) -> ShopPolicy:
        """The effective policy of `shop`: the defaults overlaid with the shop's own keys."""
        return ShopPolicy.model_validate({**self.defaults, **self.shops.get(shop, {})})


@dataclass(frozen=True)
class ReturnDecision:
    """The outcome, the customer's reason, who pays return freight, and the trace that explains it."""

    outcome: Outcome
    reason: str
    freight_payer: FreightPayer
    review_queue: str | None
    trace: list[dict[str, Any]]
    instructions: str = ""
    path: Path_ = "return_refund"
    rule: str | None = None  # the rule that decided; None when every rule passed

    @property
    def next_status(self) -> CaseStatus:
        """The status the case moves to: wait for the customer (answer, or send goods back), or work it."""
        if self.outcome == "ask_customer" or (self.outcome == "auto_approve" and self.path == "return_refund"):
            return CaseStatus.WAITING_CUSTOMER
        if self.outcome == "reject_with_reason":
            return CaseStatus.RESOLVED
        return CaseStatus.OPEN  # a review, or a refund-only / interception the shop now carries out

    def to_event(self, case_id: str, now: datetime, *, actor: str = "system") -> CaseEvent:
        """The audit event of this decision; the board shows only `customer_text`, never the trace."""
        return CaseEvent(
            case_id=case_id,
            at=now,
            type="decision.return",
            actor=actor,
            reason=f"{self.outcome}: {self.rule or 'all rules passed'}",
            data={
                "outcome": self.outcome,
                "customer_text": self.reason,
                "freight_payer": self.freight_payer,
                "review_queue": self.review_queue,
                "path": self.path,
                "instructions": self.instructions,
                "rule": self.rule,
                "trace": self.trace,
            },
            customer_visible=True,
        )


def load_rules(path: str | Path | None = None) -> Rules:
    """Parse a rules file (the shipped ``data/returns.toml`` when `path` is None or empty).

    Raises:
        RulesInvalid: when the file is not valid TOML or does not fit the rules schema.
    """
    source = Path(path) if path else DATA_DIR / "returns.toml"
    try:
        with source.open("rb") as fh:
            rules = Rules.model_validate(tomllib.load(fh))
        rules.policy("")  # validate the defaults now, not at the first request
        for shop in rules.shops:
            rules.policy(shop)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RulesInvalid(f"return rules {source}: {exc}") from exc
    return rules


def evaluate(rules: Rules, facts: ReturnFacts) -> ReturnDecision:
    """Run every rule in order; the first that fails decides, and every rule lands in the trace."""
    policy = rules.policy(facts.shop)
    scopes = _scopes(facts, policy)
    trace: list[dict[str, Any]] = []
    deciding: tuple[Rule, dict[str, Any]] | None = None
    for rule in rules.rules:
        if not set(rule.when) <= scopes:
            trace.append({"condition": rule.check, "value": None, "passed": True, "rule": rule.name, "applies": False})
            continue
        passed, value, values = CHECKS[rule.check](facts, policy)
        trace.append({"condition": rule.check, "value": value, "passed": passed, "rule": rule.name, "applies": True})
        if not passed and deciding is None:
            deciding = (rule, values)
    payer = freight_payer(facts, policy)
    trace.append({"condition": "freight_payer", "value": payer, "passed": True, "rule": "freight", "applies": True})
    path: Path_ = "return_refund" if "delivered" in scopes else "refund_only"
    senior = str(facts.priority) == "p1"
    if deciding is None:
        approved = rules.approve.get("reason_refund_only" if path == "refund_only" else "reason", "")
        how = instructions(rules, facts, payer, path)
        return ReturnDecision("auto_approve", approved, payer, None, trace, how, path, None)
    rule, values = deciding
    queue = (policy.senior_queue if senior else policy.review_queue) if rule.outcome == "needs_review" else None
    return ReturnDecision(rule.outcome, rule.reason.format(**values), payer, queue, trace, "", path, rule.name)


def approved_by_agent(rules: Rules, facts: ReturnFacts, case_id: str, now: datetime, actor: str) -> CaseEvent:
    """The ``decision.return`` event of an agent approving a reviewed request, with its instructions.

    The rules' trace is kept for the audit; the board shows the approval text and instructions.
    """
    ruled = evaluate(rules, facts)
    approved = rules.approve.get("reason_refund_only" if ruled.path == "refund_only" else "reason", "")
    how = ruled.instructions or instructions(rules, facts, ruled.freight_payer, ruled.path)
    event = ReturnDecision("auto_approve", approved, ruled.freight_payer, None, ruled.trace, how, ruled.path,
                           ruled.rule).to_event(case_id, now, actor=actor)
    return event.model_copy(update={"data": {**event.data, "outcome": "approved", "rules_outcome": ruled.outcome},
                                    "reason": f"approved by {actor} (rules: {ruled.outcome})"})


def freight_payer(facts: ReturnFacts, policy: ShopPolicy) -> FreightPayer:
    """Who pays return freight: logistics or merchant on a fault, else 运费险 or the customer."""
    if delivered_at(facts) is None:
        return "merchant"  # nothing to send back; an interception is the merchant's cost
    if facts.issue in policy.logistics_issues:
        return "logistics"
    if facts.issue in policy.fault_issues:
        return "merchant"
    if facts.order is not None and facts.order.freight_insurance:
        return "insurance"
    return "customer"


def instructions(rules: Rules, facts: ReturnFacts, payer: FreightPayer, path: Path_ = "return_refund") -> str:
    """What the customer does next once a return is approved (by the rules or by an agent)."""
    if path == "refund_only":
        return text("return_paths", "refund_only")
    policy = rules.policy(facts.shop)
    order_no = facts.order.order_no if facts.order is not None else ""
    if policy.pickup and payer in ("merchant", "logistics", "insurance"):
        payer_text = text("freight_payer", payer)
        return text("return_paths", "return_pickup", payer=payer_text, order_no=order_no)
    address = policy.return_address
    if address is None:
        raise RulesInvalid(f"shop {facts.shop!r} has no return_address")
    return text(
        "return_paths", "return_address", days=policy.return_days, address=address.address, name=address.name,
        phone=address.phone, order_no=order_no, freight=text("freight_note", payer),
    )


def _scopes(facts: ReturnFacts, policy: ShopPolicy) -> set[str]:
    delivered = "delivered" if delivered_at(facts) is not None else "not_delivered"
    fault = "fault" if facts.issue in policy.fault_issues else "no_fault"
    return {delivered, fault}
