"""Business calendars: a shop's time zone, working hours per weekday, China's statutory holidays and
调休 make-up working days (from `chinese-calendar`), shop closures, and business-time arithmetic.

`chinese-calendar` 1.11.0 knows 2004–2026 only. For a date in a year it does not cover, a calendar
falls back to its weekday hours and logs a warning once per year; a shop can list that year's
holidays under `closures` and its make-up days under `open_days` until the library is updated.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

log = logging.getLogger(__name__)

DEFAULT_FILE = Path(__file__).parent / "data" / "calendars.toml"
DEFAULT_TIMEZONE = "Asia/Shanghai"
MAX_DAYS = 800  # how far add() searches for working time before giving up
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUPS = {"daily": range(7), "weekdays": range(5), "weekend": range(5, 7)}
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")

Span = tuple[int, int]  # minutes after local midnight, [start, end)


class CalendarInvalid(ValueError):
    """Raised when a calendar file or entry is malformed, or a calendar name is unknown."""


class BusinessCalendar:
    """Working time of one shop (or one platform regime) in its own time zone."""

    def __init__(
        self, name: str, *, timezone: str = DEFAULT_TIMEZONE, hours: Mapping[int, tuple[Span, ...]],
        makeup: tuple[Span, ...] | None = None, statutory: bool = True,
        closures: Iterable[date] = (), open_days: Iterable[date] = (), shops: Iterable[str] = (),
    ) -> None:
        try:
            self.tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarInvalid(f"calendar {name}: unknown time zone {timezone!r}") from exc
        self.name = name
        self.hours = {d: tuple(hours.get(d, ())) for d in range(7)}
        self.makeup = makeup if makeup is not None else next((h for h in self.hours.values() if h), ())
        self.statutory = statutory
        self.closures = frozenset(closures)
        self.open_days = frozenset(open_days)
        self.shops = tuple(shops)
        self._unknown_years: set[int] = set()

    def spans(self, day: date) -> tuple[Span, ...]:
        """Working spans of a local date: closures, then shop open days, then statutory rules, then weekday."""
        if day in self.closures:
            return ()
        if day in self.open_days:
            return self.makeup
        if self.statutory:
            kind = self._statutory_kind(day)
            if kind == "holiday":
                return ()
            if kind == "makeup":
                return self.makeup
        return self.hours[day.weekday()]

    def _statutory_kind(self, day: date) -> str | None:
        try:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            if day.year not in self._unknown_years:
                self._unknown_years.add(day.year)
                log.warning("calendar %s: chinese-calendar has no data for %d; using weekday hours "
                            "(list that year's holidays under closures and 调休 days under open_days)",
                            self.name, day.year)
            return None
        if name is None:
            return None  # an ordinary weekday or weekend
        return "holiday" if is_holiday else "makeup"

    def intervals(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals of a local date, as UTC datetimes."""
        midnight = datetime.combine(day, time(0), tzinfo=self.tz)
        for start, end in self.spans(day):
            yield ((midnight + timedelta(minutes=start)).astimezone(UTC),
                   (midnight + timedelta(minutes=end)).astimezone(UTC))

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when `amount` of working time has passed after `start` (UTC).

        Raises:
            CalendarInvalid: when the calendar has no working time in the next MAX_DAYS days.
        """
        cur, left = start.astimezone(UTC), amount
        if left <= timedelta(0):
            return cur
        day = cur.astimezone(self.tz).date()
        for _ in range(MAX_DAYS):
            for s, e in self.intervals(day):
                if e <= cur:
                    continue
                s = max(s, cur)
                if e - s >= left:
                    return s + left
                left -= e - s
            day += timedelta(days=1)
        raise CalendarInvalid(f"calendar {self.name}: no working time within {MAX_DAYS} days of {start}")

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time between two instants (zero when b <= a)."""
        a, b = a.astimezone(UTC), b.astimezone(UTC)
        total = timedelta(0)
        day, last = a.astimezone(self.tz).date(), b.astimezone(self.tz).date()
        while day <= last:
            for s, e in self.intervals(day):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total


class Calendars:
    """All calendars by name; a shop's calendar is the one listing it under `shops`, else `default`."""

    def __init__(self, calendars: Mapping[str, BusinessCalendar]) -> None:
        if "default" not in calendars:
            raise CalendarInvalid("calendars: a calendar named 'default' is required")
        self._by_name = dict(calendars)
        self._by_shop = {shop: c for c in calendars.values() for shop in c.shops}

    def get(self, name: str) -> BusinessCalendar:
        """A calendar by name.

        Raises:
            CalendarInvalid: when there is none.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise CalendarInvalid(f"no calendar named {name!r}") from None

    def for_shop(self, shop: str) -> BusinessCalendar:
        """The calendar of a shop."""
        return self._by_shop.get(shop) or self._by_name["default"]

    def names(self) -> list[str]:
        return list(self._by_name)


def load_calendars(path: str | Path | None = None) -> Calendars:
    """Load a calendars TOML file (the shipped default when `path` is None or empty).

    Raises:
        CalendarInvalid: naming the calendar and key that is wrong.
    """
    file = Path(path) if path else DEFAULT_FILE
    try:
        doc = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CalendarInvalid(f"{file}: {exc}") from exc
    entries = doc.get("calendar", {})
    if not isinstance(entries, dict):
        raise CalendarInvalid(f"{file}: [calendar.<name>] tables expected")
    return Calendars({name: parse_calendar(name, entry) for name, entry in entries.items()})


def parse_calendar(name: str, entry: Mapping[str, Any]) -> BusinessCalendar:
    """Build one calendar from its TOML table.

    Raises:
        CalendarInvalid: on an unknown key, a bad span, date or time zone.
    """
    known = {"timezone", "holidays", "hours", "closures", "open_days", "shops"}
    if unknown := set(entry) - known:
        raise CalendarInvalid(f"calendar {name}: unknown keys {sorted(unknown)}")
    holidays = entry.get("holidays", "cn")
    if holidays not in ("cn", "none"):
        raise CalendarInvalid(f"calendar {name}: holidays must be 'cn' or 'none'")
    raw = dict(entry.get("hours", {}))
    makeup = _spans(name, raw.pop("makeup")) if "makeup" in raw else None
    return BusinessCalendar(
        name, timezone=entry.get("timezone", DEFAULT_TIMEZONE), hours=_week(name, raw), makeup=makeup,
        statutory=holidays == "cn", closures=_dates(name, entry.get("closures", [])),
        open_days=_dates(name, entry.get("open_days", [])), shops=entry.get("shops", []),
    )


def _week(name: str, raw: Mapping[str, Any]) -> dict[int, tuple[Span, ...]]:
    week: dict[int, tuple[Span, ...]] = {}
    for group, days in _GROUPS.items():  # groups first, single days override them
        if group in raw:
            week.update({d: _spans(name, raw[group]) for d in days})
    for key, value in raw.items():
        if key in _DAYS:
            week[_DAYS.index(key)] = _spans(name, value)
        elif key not in _GROUPS:
            raise CalendarInvalid(f"calendar {name}: unknown hours key {key!r}")
    return week


def _spans(name: str, values: Any) -> tuple[Span, ...]:
    spans: list[Span] = []
    for v in values:
        m = _SPAN.match(str(v).strip())
        if not m:
            raise CalendarInvalid(f"calendar {name}: bad span {v!r} (use '09:00-12:00')")
        h1, m1, h2, m2 = map(int, m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not (0 <= start < end <= 24 * 60 and m1 < 60 and m2 < 60):
            raise CalendarInvalid(f"calendar {name}: bad span {v!r}")
        if spans and start < spans[-1][1]:
            raise CalendarInvalid(f"calendar {name}: spans must be ordered and not overlap: {v!r}")
        spans.append((start, end))
    return tuple(spans)


def _dates(name: str, values: Iterable[Any]) -> list[date]:
    out = []
    for v in values:
        if isinstance(v, date) and not isinstance(v, datetime):
            out.append(v)
            continue
        try:
            out.append(date.fromisoformat(str(v)))
        except ValueError as exc:
            raise CalendarInvalid(f"calendar {name}: bad date {v!r}") from exc
    return out
