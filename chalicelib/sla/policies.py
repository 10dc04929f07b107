"""SLA policies (DESIGN.md §6): which clocks a case runs, with what targets, warnings and escalations.

Policies are tried in order and the first whose `match` fits the case applies (an empty match fits
all). A policy with `overlay = true` is a *platform regime*: when it fits, its clock settings are laid
over those of the policy that applies (key by key; a clock it names that the policy lacks is added),
and matching goes on. That is how the Douyin 08:00–23:00 measuring window and the WeChat 48 h
customer-service window apply on top of whatever policy a case gets.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..domain import Case
from .durations import DurationInvalid, parse_duration, warn_threshold

DEFAULT_FILE = Path(__file__).parent / "data" / "policies.toml"
MATCH_KEYS = ("issue", "request", "priority", "channel", "shop", "flags")
TRIGGERS = ("opened", "customer_message")
MET_BY = ("answer", "resolution", "decision")
# Behaviour of the four named clocks; any other clock name must spell start_on and met_by itself.
CLOCK_DEFAULTS: dict[str, dict[str, Any]] = {
    "first_response": {"start_on": ["opened"], "met_by": "answer", "pause_when_waiting": False},
    "next_response": {"start_on": ["customer_message"], "met_by": "answer", "pause_when_waiting": False},
    "resolution": {"start_on": ["opened"], "met_by": "resolution", "pause_when_waiting": True},
    "return_review": {"start_on": ["opened"], "met_by": "decision", "pause_when_waiting": True},
}
_CLOCK_KEYS = {"target", "business_hours", "calendar", "human", "warn_at", "escalate", "start_on", "met_by",
               "pause_when_waiting", "restart_on_message", "match"}
_ACTIONS = ("queue:", "assign:", "notify:")


class PolicyInvalid(ValueError):
    """Raised when a policy file or entry is malformed (names the policy, clock and key)."""


@dataclass(frozen=True)
class Tier:
    """One escalation tier: `after` past the deadline, perform `actions`."""

    after: timedelta
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ClockSpec:
    """One clock of the policy that applies to a case."""

    name: str
    policy: str
    target: timedelta
    business_hours: bool
    calendar: str | None
    human: bool
    warn: timedelta | None  # how much of the target is used when the warning fires
    tiers: tuple[Tier, ...]
    start_on: tuple[str, ...]
    met_by: str
    pause_when_waiting: bool
    restart_on_message: bool
    match: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Policy:
    """A named policy: a match, clock settings and whether it is an overlay (platform regime)."""

    name: str
    match: Mapping[str, frozenset[str]]
    clocks: Mapping[str, Mapping[str, Any]]
    overlay: bool = False


@dataclass(frozen=True)
class Plan:
    """What applies to a case: the policy's name, the regimes laid over it, and its clocks."""

    policy: str
    regimes: tuple[str, ...]
    clocks: Mapping[str, ClockSpec]


def fits(match: Mapping[str, frozenset[str]], case: Case) -> bool:
    """Whether a case fits a match (every key given must list the case's value; flags: any set flag)."""
    for key, allowed in match.items():
        if key == "flags":
            if not any(case.flags.get(f) for f in allowed):
                return False
        elif str(getattr(case, key) or "") not in allowed:
            return False
    return True


class Policies:
    """The ordered policies of one policy file."""

    def __init__(self, policies: list[Policy]) -> None:
        if not any(not p.overlay and not p.match for p in policies):
            raise PolicyInvalid("policies: a policy with an empty match (a catch-all) is required")
        self.policies = policies

    def resolve(self, case: Case) -> Plan:
        """The policy that applies to `case`, with the regimes that fit it laid over its clocks."""
        overlays: list[Policy] = []
        for p in self.policies:
            if not fits(p.match, case):
                continue
            if p.overlay:
                overlays.append(p)
                continue
            raw = {name: (p.name, dict(c)) for name, c in p.clocks.items()}
            for o in overlays:
                for name, c in o.clocks.items():
                    if name not in raw and "target" not in c:
                        continue  # a regime adjusts the policy's clocks; it adds one only with its own target
                    source, base = raw.get(name, (o.name, {}))
                    raw[name] = (source, {**base, **c})
            clocks = {n: build_clock(n, src, c) for n, (src, c) in raw.items()}
            return Plan(p.name, tuple(o.name for o in overlays),
                        {n: s for n, s in clocks.items() if fits(s.match, case)})
        raise AssertionError("unreachable: a catch-all policy exists")  # checked in __init__


def build_clock(name: str, policy: str, raw: Mapping[str, Any]) -> ClockSpec:
    """Validate one clock's settings (defaults by clock name) into a ClockSpec.

    Raises:
        PolicyInvalid: naming the policy, clock and key.
    """
    where = f"policy {policy}, clock {name}"
    if unknown := set(raw) - _CLOCK_KEYS:
        raise PolicyInvalid(f"{where}: unknown keys {sorted(unknown)}")
    c = {**CLOCK_DEFAULTS.get(name, {}), **raw}
    for key in ("target", "start_on", "met_by"):
        if key not in c:
            raise PolicyInvalid(f"{where}: missing {key!r}")
    try:
        target = parse_duration(c["target"])
        warn = warn_threshold(c["warn_at"], target) if c.get("warn_at") else None
        tiers = tuple(_tier(where, t) for t in c.get("escalate", []))
    except DurationInvalid as exc:
        raise PolicyInvalid(f"{where}: {exc}") from exc
    if target <= timedelta(0):
        raise PolicyInvalid(f"{where}: target must be positive")
    if bad := [t for t in c["start_on"] if t not in TRIGGERS]:
        raise PolicyInvalid(f"{where}: start_on {bad} (known: {', '.join(TRIGGERS)})")
    if c["met_by"] not in MET_BY:
        raise PolicyInvalid(f"{where}: met_by must be one of {', '.join(MET_BY)}")
    return ClockSpec(
        name=name, policy=policy, target=target, business_hours=_bool(where, c, "business_hours", False),
        calendar=c.get("calendar"), human=_bool(where, c, "human", False), warn=warn, tiers=tiers,
        start_on=tuple(c["start_on"]), met_by=c["met_by"],
        pause_when_waiting=_bool(where, c, "pause_when_waiting", False),
        restart_on_message=_bool(where, c, "restart_on_message", False), match=_match(where, c.get("match", {})),
    )


def _bool(where: str, c: Mapping[str, Any], key: str, default: bool) -> bool:
    v = c.get(key, default)
    if not isinstance(v, bool):
        raise PolicyInvalid(f"{where}: {key} must be true or false")
    return v


def _tier(where: str, t: Any) -> Tier:
    if not isinstance(t, dict) or set(t) - {"after", "actions"} or "actions" not in t:
        raise PolicyInvalid(f"{where}: escalate entries are {{ after = '0s', actions = [...] }}")
    for a in t["actions"]:
        if a != "raise_priority" and not (a.startswith(_ACTIONS) and a.split(":", 1)[1]):
            raise PolicyInvalid(f"{where}: unknown action {a!r} (raise_priority, queue:<q>, assign:<a>, notify:<t>)")
    return Tier(parse_duration(t.get("after", "0s")), tuple(t["actions"]))


def _match(where: str, m: Any) -> dict[str, frozenset[str]]:
    if not isinstance(m, dict):
        raise PolicyInvalid(f"{where}: match must be a table")
    if unknown := set(m) - set(MATCH_KEYS):
        raise PolicyInvalid(f"{where}: unknown match keys {sorted(unknown)} (known: {', '.join(MATCH_KEYS)})")
    return {k: frozenset([v] if isinstance(v, str) else map(str, v)) for k, v in m.items()}


def parse_policies(text: str, source: str = "policy file") -> Policies:
    """Validate a policy TOML document.

    Raises:
        PolicyInvalid: naming the policy, clock and key that is wrong.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid(f"{source}: not valid TOML: {exc}") from exc
    policies = []
    for n, p in enumerate(doc.get("policy", []), 1):
        name = p.get("name") or f"#{n}"
        if unknown := set(p) - {"name", "match", "clocks", "overlay"}:
            raise PolicyInvalid(f"{source}: policy {name}: unknown keys {sorted(unknown)}")
        policy = Policy(name, _match(f"policy {name}", p.get("match", {})), p.get("clocks", {}),
                        bool(p.get("overlay", False)))
        for clock, raw in policy.clocks.items():
            if not policy.overlay:
                build_clock(clock, name, raw)
            elif unknown := set(raw) - _CLOCK_KEYS:
                raise PolicyInvalid(f"{source}: policy {name}, clock {clock}: unknown keys {sorted(unknown)}")
        policies.append(policy)
    return Policies(policies)


def load_policies(path: str | Path | None = None) -> Policies:
    """Load the policy file at `path` (SHOUHOU_POLICY_FILE), or the shipped defaults when empty.

    Raises:
        PolicyInvalid: when the file cannot be read or is malformed.
    """
    file = Path(path) if path else DEFAULT_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyInvalid(f"{file}: {exc}") from exc
    return parse_policies(text, str(file))
