from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.sla.calendar import CalendarInvalid, load_calendars, parse_calendar

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture(scope="module")
def shop():
    return load_calendars(None).get("default")


class TestWeekdaysAndLunch:
    def test_skips_the_weekend(self, shop):
        assert shop.add(sh(2026, 11, 20, 17, 0), 2 * H) == sh(2026, 11, 23, 10, 0)

    def test_skips_the_lunch_break(self, shop):
        assert shop.add(sh(2026, 11, 23, 11, 0), 2 * H) == sh(2026, 11, 23, 14, 30)

    def test_starting_outside_hours_counts_from_the_next_opening(self, shop):
        assert shop.add(sh(2026, 11, 21, 10, 0), timedelta(minutes=30)) == sh(2026, 11, 23, 9, 30)

    def test_landing_exactly_on_closing_time_stays_on_that_day(self, shop):
        assert shop.add(sh(2026, 11, 23, 16, 0), 2 * H) == sh(2026, 11, 23, 18, 0)

    def test_between_counts_only_working_time(self, shop):
        assert shop.between(sh(2026, 11, 20, 16, 0), sh(2026, 11, 23, 10, 0)) == 3 * H
        assert shop.between(sh(2026, 11, 23, 11, 0), sh(2026, 11, 23, 14, 0)) == timedelta(hours=1.5)
        assert shop.between(sh(2026, 11, 23, 14, 0), sh(2026, 11, 23, 11, 0)) == timedelta(0)


class TestGuoqing:
    def test_2025_friday_before_guoqing_lands_on_the_makeup_sunday(self, shop):
        # 2025-09-28 (Sun) is a 调休 working day before 国庆 (Oct 1-8).
        assert shop.add(sh(2025, 9, 26, 17, 30), 4 * H) == sh(2025, 9, 28, 14, 0)

    def test_2025_holiday_week_is_skipped(self, shop):
        assert shop.add(sh(2025, 9, 30, 17, 0), 2 * H) == sh(2025, 10, 9, 10, 0)

    def test_2025_makeup_saturday_after_guoqing_counts(self, shop):
        assert shop.add(sh(2025, 10, 10, 17, 0), 2 * H) == sh(2025, 10, 11, 10, 0)

    def test_2026_friday_before_zhongqiu_lands_on_the_makeup_sunday(self, shop):
        # 2026: 中秋 Sep 25-27, make-up Sunday Sep 20; 国庆 Oct 1-7, make-up Saturday Oct 10.
        assert shop.add(sh(2026, 9, 18, 17, 30), 4 * H) == sh(2026, 9, 20, 14, 0)

    def test_2026_eve_of_guoqing_to_after_the_holiday(self, shop):
        assert shop.add(sh(2026, 9, 30, 17, 30), 4 * H) == sh(2026, 10, 8, 14, 0)

    def test_2026_makeup_saturday_counts(self, shop):
        assert shop.add(sh(2026, 10, 9, 17, 30), H) == sh(2026, 10, 10, 9, 30)
        assert shop.between(sh(2026, 10, 9, 17, 0), sh(2026, 10, 12, 9, 0)) == timedelta(hours=8.5)


class TestChunjie:
    def test_2025_makeup_sunday_before_and_holiday(self, shop):
        # 2025 春节 Jan 28 - Feb 4; make-up days Sun Jan 26 and Sat Feb 8.
        assert shop.add(sh(2025, 1, 24, 17, 0), 2 * H) == sh(2025, 1, 26, 10, 0)
        assert shop.add(sh(2025, 1, 27, 17, 0), 2 * H) == sh(2025, 2, 5, 10, 0)
        assert shop.add(sh(2025, 2, 7, 17, 30), H) == sh(2025, 2, 8, 9, 30)

    def test_2026_makeup_saturdays_and_holiday(self, shop):
        # 2026 春节 Feb 15-23; make-up Saturdays Feb 14 and Feb 28.
        assert shop.add(sh(2026, 2, 13, 17, 0), 2 * H) == sh(2026, 2, 14, 10, 0)
        assert shop.add(sh(2026, 2, 14, 17, 0), 2 * H) == sh(2026, 2, 24, 10, 0)
        assert shop.add(sh(2026, 2, 27, 18, 0), 3 * H) == sh(2026, 2, 28, 12, 0)


class TestOtherTimeZone:
    def test_berlin_shop_across_the_dst_change(self):
        cal = parse_calendar("berlin", {"timezone": "Europe/Berlin", "holidays": "none",
                                        "hours": {"weekdays": ["09:00-17:00"]}})
        berlin = ZoneInfo("Europe/Berlin")
        start = datetime(2026, 10, 23, 16, 0, tzinfo=berlin)  # CEST, +02:00; DST ends Sunday Oct 25
        due = cal.add(start, 2 * H)
        assert due == datetime(2026, 10, 26, 10, 0, tzinfo=berlin)
        assert due.utcoffset() == timedelta(0) and due.hour == 9  # returned in UTC: 09:00Z = 10:00 CET
        # the same instant given in Shanghai time gives the same answer
        assert cal.add(sh(2026, 10, 23, 22, 0), 2 * H) == due

    def test_cn_holidays_apply_to_the_shop_local_date(self):
        cal = parse_calendar("la", {"timezone": "America/Los_Angeles",
                                    "hours": {"weekdays": ["09:00-17:00"]}})
        la = ZoneInfo("America/Los_Angeles")
        assert cal.add(datetime(2026, 9, 30, 16, 0, tzinfo=la), 2 * H) == datetime(2026, 10, 8, 10, 0, tzinfo=la)


class TestYearsWithoutData:
    def test_2027_falls_back_to_weekday_rules_and_logs(self, caplog):
        cal = load_calendars(None).get("default")
        with caplog.at_level(logging.WARNING, logger="chalicelib.sla.calendar"):
            # 2027-01-01 is 元旦, but chinese-calendar 1.11 has no 2027 data: weekday hours apply
            assert cal.add(sh(2026, 12, 31, 17, 0), 2 * H) == sh(2027, 1, 1, 10, 0)
        assert "no data for 2027" in caplog.text

    def test_shop_closures_cover_missing_years(self):
        cal = parse_calendar("s", {"hours": {"weekdays": ["09:00-12:00", "13:30-18:00"]},
                                   "closures": ["2027-01-01"], "open_days": ["2027-01-09"]})
        assert cal.add(sh(2026, 12, 31, 17, 0), 2 * H) == sh(2027, 1, 4, 10, 0)
        assert cal.add(sh(2027, 1, 8, 17, 0), 2 * H) == sh(2027, 1, 9, 10, 0)


class TestDouyinRegime:
    def test_counts_0800_to_2300_every_day_including_holidays(self):
        dy = load_calendars(None).get("douyin")
        assert dy.add(sh(2026, 11, 21, 22, 30), H) == sh(2026, 11, 22, 8, 30)
        assert dy.add(sh(2026, 10, 1, 12, 0), H) == sh(2026, 10, 1, 13, 0)


class TestFileErrors:
    @pytest.mark.parametrize("entry", [
        {"hours": {"weekdays": ["9-12"]}},
        {"hours": {"weekdays": ["13:00-12:00"]}},
        {"hours": {"weekdays": ["09:00-12:00", "11:00-13:00"]}},
        {"hours": {"someday": ["09:00-12:00"]}},
        {"timezone": "Mars/Olympus"},
        {"holidays": "us"},
        {"closures": ["2026-13-01"]},
        {"color": "red"},
    ])
    def test_rejects_malformed_entries(self, entry):
        with pytest.raises(CalendarInvalid):
            parse_calendar("bad", entry)

    def test_calendar_without_any_hours_cannot_add(self):
        cal = parse_calendar("never", {"hours": {}})
        with pytest.raises(CalendarInvalid):
            cal.add(sh(2026, 11, 23, 9, 0), H)
