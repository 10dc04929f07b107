"""Label sets and issue-derived fields, loaded from ``data/taxonomy.json``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .resources import load_json


@dataclass(frozen=True)
class Taxonomy:
    """The label ids of every axis plus the per-issue responsibility and scenario."""

    issues: tuple[str, ...]
    requests: tuple[str, ...]
    priorities: tuple[str, ...]
    sentiments: tuple[str, ...]
    responsibility: dict[str, str]
    scenario: dict[str, str]
    request_tier: dict[str, int]
    no_fault_issues: frozenset[str]
    shipping_responsibility: dict[str, str]


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """Return the taxonomy (parsed once)."""
    raw = load_json("taxonomy.json")
    issues = raw["issue"]
    return Taxonomy(
        issues=tuple(issues),
        requests=tuple(raw["request"]),
        priorities=tuple(raw["priority"]),
        sentiments=tuple(raw["sentiment"]),
        responsibility={k: v["responsibility"] for k, v in issues.items()},
        scenario={k: v["scenario"] for k, v in issues.items()},
        request_tier={k: int(v["tier"]) for k, v in raw["request"].items()},
        no_fault_issues=frozenset(raw["no_fault_issues"]),
        shipping_responsibility=dict(raw["shipping_responsibility"]),
    )


def derive_responsibility(issue: str, shipped: bool | None = None) -> str:
    """Return who is responsible for ``issue``; ``shipped`` refines ``shipping``.

    Raises:
        ValueError: if ``issue`` is not a taxonomy issue id.
    """
    tax = taxonomy()
    if issue not in tax.responsibility:
        raise ValueError(f"unknown issue id: {issue!r}")
    if issue == "shipping":
        key = "unknown" if shipped is None else ("shipped" if shipped else "not_shipped")
        return tax.shipping_responsibility[key]
    return tax.responsibility[issue]


def derive_scenario(issue: str) -> str:
    """Return the scenario (product, service, experience) of ``issue``."""
    return taxonomy().scenario[issue]
