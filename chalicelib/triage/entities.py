"""Entity extraction: order numbers, courier tracking numbers, mobiles and amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .fastre import needs_digit
from .resources import load_json

_EDGE_L = r"(?<![0-9a-z])"
_EDGE_R = r"(?![0-9a-z])"
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class _Patterns:
    tracking: tuple[re.Pattern[str], ...]
    tracking_context: re.Pattern[str]
    order_context: re.Pattern[str]
    order: tuple[re.Pattern[str], ...]
    phone: re.Pattern[str]
    amounts: tuple[re.Pattern[str], ...]
    amount_cn: re.Pattern[str]
    digits_only: bool  # every pattern but amount_cn needs a digit: a text without one skips them


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    raw = load_json("entity_patterns.json")
    edge = lambda p: re.compile(_EDGE_L + "(" + p + ")" + _EDGE_R)
    tracking = tuple(edge(p) for p, _ in raw["tracking"])
    order = tuple(edge(p) for p in raw["order"])
    phone = re.compile(_EDGE_L + raw["phone"] + r"(?![0-9])")
    amounts = tuple(re.compile(raw[k]) for k in ("amount_currency", "amount_unit", "amount_verb", "amount_goods"))
    return _Patterns(
        tracking=tracking,
        tracking_context=re.compile(raw["tracking_context"]),
        order_context=re.compile(raw["order_context"]),
        order=order,
        phone=phone,
        amounts=amounts,
        amount_cn=re.compile(raw["amount_cn"]),
        digits_only=all(needs_digit(p.pattern) for p in (*tracking, *order, phone, *amounts)),
    )


def parse_cn_number(text: str) -> int | None:
    """Parse a Chinese numeral such as 两千五 or 三百 (None when it is not one)."""
    total, section, digit, last_unit = 0, 0, None, 1
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total, section = (total + section + (digit or 0)) * unit, 0
            else:
                section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        section += digit * (last_unit // 10 if last_unit >= 10 else 1)
    value = total + section
    return value or None


def _num(s: str) -> float | int:
    value = float(s)
    return int(value) if value.is_integer() else value


def _context(text: str, start: int, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(text[max(0, start - 8):start]))


def _codes(text: str, p: _Patterns, out: dict[str, Any]) -> list[tuple[int, int]]:
    """Find tracking and order numbers; return the spans they used."""
    spans: list[tuple[int, int]] = []
    for pat in p.tracking:
        for m in pat.finditer(text):
            if "tracking_no" not in out and not _context(text, m.start(), p.order_context):
                out["tracking_no"] = m.group(1).upper()
                spans.append(m.span())
    for pat in p.order:
        for m in pat.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            code = m.group(1).upper()
            if "order_no" not in out:
                out["order_no"] = code
            elif "tracking_no" not in out and _context(text, m.start(), p.tracking_context):
                out["tracking_no"] = code
            spans.append(m.span())
    return spans


def _amount(text: str, p: _Patterns, spans: list[tuple[int, int]]) -> float | int | None:
    found: list[float | int] = []
    for pat in p.amounts:
        for m in pat.finditer(text):
            if not any(a <= m.start(1) < b for a, b in spans) and float(m.group(1)) > 0:
                found.append(_num(m.group(1)))
    return _amount_cn(text, p, found)


def _amount_cn(text: str, p: _Patterns, found: list[float | int]) -> float | int | None:
    """Add the Chinese-numeral amounts to ``found`` and return the largest amount (None when there is none)."""
    for m in p.amount_cn.finditer(text):
        value = parse_cn_number(m.group(1) or m.group(2))
        if value is not None and value >= 10:
            found.append(value)
    return max(found) if found else None


def extract_entities(text: str) -> dict[str, Any]:
    """Return ``order_no``, ``tracking_no``, ``phone`` and ``amount`` found in normalised ``text``."""
    p = _patterns()
    out: dict[str, Any] = {}
    if p.digits_only and _DIGIT.search(text) is None:
        value = _amount_cn(text, p, [])
        if value is not None:
            out["amount"] = value
        return out
    spans = _codes(text, p, out)
    for m in p.phone.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            out["phone"] = "".join(m.groups())
            spans.append(m.span())
            break
    amount = _amount(text, p, spans)
    if amount is not None:
        out["amount"] = amount
    return out
