"""Periods (``"30 days"``, ``"quarter"``), calendar arithmetic and ISO dates."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mist_check.periods import PERIOD_PATTERN, Period, add_months, parse_date, parse_period

# Dates far enough from the ends of the calendar that a few thousand days or months fit.
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@pytest.mark.parametrize(("text", "period"), [
    ("30 days", Period(30, "day")), ("1 day", Period(1, "day")), ("1 days", Period(1, "day")),
    ("3 months", Period(3, "month")), ("1 month", Period(1, "month")),
    ("2 years", Period(2, "year")), ("1 year", Period(1, "year")), ("quarter", Period(3, "month")),
    ("year", Period(1, "year")), ("month", Period(1, "month")), (" 30  days ", Period(30, "day")),
    ("365 days", Period(365, "day")),
])
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", [
    "", "30", "days", "30days", "-1 days", "1.5 years", "thirty days", "1 quarter", "quarterly",
    "annually", "1 week", "2 weeks", "1 yr", "1 Year", "Quarter", "P1Y", "1 year and 1 day",
    "\u0663 days", "30\u00a0days", "\ufeff30 days", "30 days\u0085",
])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a period"):
        parse_period(text)


@pytest.mark.parametrize("value", [30, 1.0, None, True, ["30 days"]])
def test_a_period_must_be_a_string(value: object) -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse_period(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("period", "text"), [
    (Period(30, "day"), "30 days"), (Period(1, "day"), "1 day"), (Period(3, "month"), "3 months"),
    (Period(1, "year"), "1 year"),
])
def test_str_round_trips(period: Period, text: str) -> None:
    assert str(period) == text
    assert parse_period(text) == period


@given(count=st.integers(min_value=1, max_value=10_000), unit=st.sampled_from(["day", "month", "year"]))
def test_str_round_trip_property(count: int, unit: str) -> None:
    period = Period(count, unit)
    assert parse_period(str(period)) == period
    assert re.search(PERIOD_PATTERN, str(period))


@pytest.mark.parametrize(("period", "start", "end"), [
    ("30 days", date(2005, 1, 31), date(2005, 3, 2)),       # FORMAT.md
    ("1 month", date(2005, 1, 31), date(2005, 2, 28)),      # FORMAT.md: clamped to the month's end
    ("1 month", date(2004, 1, 31), date(2004, 2, 29)),      # a leap year
    ("1 month", date(2005, 2, 28), date(2005, 3, 28)),
    ("3 months", date(2005, 11, 30), date(2006, 2, 28)),
    ("quarter", date(2005, 3, 31), date(2005, 6, 30)),
    ("quarter", date(2005, 12, 31), date(2006, 3, 31)),
    ("1 year", date(2004, 2, 29), date(2005, 2, 28)),
    ("4 years", date(2004, 2, 29), date(2008, 2, 29)),
    ("year", date(2003, 8, 31), date(2004, 8, 31)),
    ("30 days", date(2004, 2, 1), date(2004, 3, 2)),        # 29 days in February 2004
    ("30 days", date(2005, 2, 1), date(2005, 3, 3)),
    ("12 months", date(2005, 1, 15), date(2006, 1, 15)),
])
def test_after(period: str, start: date, end: date) -> None:
    assert parse_period(period).after(start) == end


@pytest.mark.parametrize(("period", "end", "start"), [
    ("30 days", date(2005, 3, 2), date(2005, 1, 31)),
    ("1 month", date(2005, 3, 31), date(2005, 2, 28)),
    ("1 year", date(2008, 2, 29), date(2007, 2, 28)),
    ("quarter", date(2005, 6, 30), date(2005, 3, 30)),
])
def test_before(period: str, end: date, start: date) -> None:
    assert parse_period(period).before(end) == start


@given(day=DATES, count=st.integers(min_value=0, max_value=5_000))
def test_days_after_is_timedelta(day: date, count: int) -> None:
    period = Period(count, "day")
    assert period.after(day) == day + timedelta(days=count)
    assert period.before(period.after(day)) == day


@given(day=DATES, count=st.integers(min_value=0, max_value=600))
@example(day=date(2005, 1, 31), count=1)
@example(day=date(2004, 1, 31), count=1)
def test_months_after_are_calendar_months_clamped(day: date, count: int) -> None:
    result = Period(count, "month").after(day)
    assert result.year * 12 + result.month == day.year * 12 + day.month + count
    assert result.day == min(day.day, calendar.monthrange(result.year, result.month)[1])
    assert result >= day  # never backwards


@given(day=DATES, count=st.integers(min_value=0, max_value=50))
def test_years_are_twelve_months(day: date, count: int) -> None:
    assert Period(count, "year").after(day) == Period(12 * count, "month").after(day)
    assert Period(count, "year").before(day) == add_months(day, -12 * count)


@given(day=DATES, a=st.integers(min_value=0, max_value=400), b=st.integers(min_value=0, max_value=400),
       unit=st.sampled_from(["day", "month", "year"]))
def test_after_is_monotonic_in_the_count(day: date, a: int, b: int, unit: str) -> None:
    if unit == "year":
        a, b = a % 60, b % 60
    low, high = sorted((a, b))
    assert Period(low, unit).after(day) <= Period(high, unit).after(day)


@given(first=DATES, second=DATES, count=st.integers(min_value=0, max_value=100),
       unit=st.sampled_from(["day", "month", "year"]))
def test_after_is_monotonic_in_the_start(first: date, second: date, count: int, unit: str) -> None:
    early, late = sorted((first, second))
    assert Period(count, unit).after(early) <= Period(count, unit).after(late)


@pytest.mark.parametrize(("a", "b", "longer"), [
    ("1 month", "30 days", False),   # RULES.md: "1 month" is not longer than "30 days"
    ("3 months", "30 days", True),
    ("quarter", "90 days", False),
    ("quarter", "89 days", True),
    ("1 year", "365 days", False),
    ("1 year", "12 months", True),   # 365 > 360
    ("2 years", "730 days", False),
    ("31 days", "1 month", True),
])
def test_nominal_days_compare_a_month_as_30_and_a_year_as_365(a: str, b: str, longer: bool) -> None:
    assert (parse_period(a).nominal_days > parse_period(b).nominal_days) is longer


def test_nominal_days_values() -> None:
    assert parse_period("1 month").nominal_days == 30
    assert parse_period("1 year").nominal_days == 365
    assert parse_period("quarter").nominal_days == 90
    assert parse_period("7 days").nominal_days == 7


# --- dates ----------------------------------------------------------------------------------------

@given(DATES)
def test_parse_date_round_trips_isoformat(day: date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.dates(min_value=date(1000, 1, 1)))
def test_parse_date_round_trips_every_four_digit_year(day: date) -> None:
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize("text", [
    "2005-6-30", "20050630", "2005-W26-4", "2005-181", "2005-06-30T00:00:00", "2005-06-30 ",
    " 2005-06-30", "2005/06/30", "30.06.2005", "2005-02-29", "2005-13-01", "2005-00-10", "2005-06-31",
    "", "\u0662\u0660\u0660\u0665-\u0660\u0666-\u0663\u0660", "2005-06-30\n",
])
def test_parse_date_accepts_only_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("value", [20050630, None, 2005.0])
def test_parse_date_rejects_non_strings(value: object) -> None:
    with pytest.raises(ValueError, match="not an ISO date"):
        parse_date(value)


def test_parse_date_passes_dates_through() -> None:
    assert parse_date(date(2005, 6, 30)) == date(2005, 6, 30)


@pytest.mark.parametrize("text", ["0 days", "0 months", "00 years"])
def test_a_period_of_zero_is_not_a_period(text):
    # A zero period would make every "at least every period" rule loop or judge nothing.
    with pytest.raises(ValueError):
        parse_period(text)
