"""Lazy, cached access to the workflow data files (Chinese texts, return rules) and China time."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no DST in China: a fixed offset is exact


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Return the parsed TOML data file ``name`` (read once per process)."""
    with (DATA_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_template(name: str) -> str:
    """Return the text of the HTML template ``name`` (read once per process)."""
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def texts(section: str) -> dict[str, Any]:
    """One section of ``templates.toml``."""
    return load_toml("templates.toml")[section]


def text(section: str, key: str, **values: Any) -> str:
    """A Chinese text from ``templates.toml`` with ``values`` filled in."""
    return str(texts(section)[key]).format(**values)


def china(at: datetime) -> datetime:
    """``at`` in China time (naive datetimes are taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(CHINA)


def fmt_time(at: datetime | None) -> str:
    """``11月22日 09:30`` in China time; empty for None."""
    if at is None:
        return ""
    local = china(at)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def carrier_name(carrier: str) -> str:
    """The Chinese name of a carrier code (``yuantong`` → 圆通速递), or the code itself."""
    return str(texts("carriers").get(carrier.lower(), carrier))
