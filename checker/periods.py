"""Periods (``"30 days"``, ``"1 year"``, ``"quarter"``) and calendar date arithmetic."""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

# Spaces are ASCII: `\s` means other characters in Python than in ECMA-262 (the schema validator's).
# A count has at most 100 digits (as a plain YAML number, loader._MAX_DIGITS): a longer one is a schema
# finding, not a number too long for Python to convert (4,300 digits) in the middle of a rule.
PERIOD_PATTERN = (r"^[ \t\r\n]*(([1-9][0-9]{0,99})[ \t\r\n]+(day|days|month|months|year|years)|quarter|year|month)"
                  r"[ \t\r\n]*$")
_PERIOD = re.compile(PERIOD_PATTERN)
# RULES.md: periods compare with a month as 30 days and a year as 365 days.
_COMPARE_DAYS = {"day": 1, "month": 30, "year": 365}


@dataclass(frozen=True)
class Period:
    """A count of days, calendar months or years."""

    count: int
    unit: str  # "day" | "month" | "year"

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"

    @property
    def months(self) -> int:
        """The calendar months of a period of months or years (0 for days)."""
        return 0 if self.unit == "day" else self.count * (12 if self.unit == "year" else 1)

    @property
    def nominal_days(self) -> int:
        """The length used to compare periods: a month is 30 days, a year 365."""
        return self.count * _COMPARE_DAYS[self.unit]

    def after(self, start: date) -> date:
        """The date this period after ``start``; months are calendar months, clamped to month end.
        Past the last representable day it stays at ``date.max`` (a due date that never comes)."""
        if self.unit == "day":
            try:
                return start + timedelta(days=self.count)
            except OverflowError:
                return date.max
        return add_months(start, self.months)

    def before(self, end: date) -> date:
        """The date this period before ``end`` (``date.min`` at the earliest)."""
        if self.unit == "day":
            try:
                return end - timedelta(days=self.count)
            except OverflowError:
                return date.min
        return add_months(end, -self.months)


def add_months(start: date, months: int) -> date:
    """Add calendar months: 2005-01-31 plus one month is 2005-02-28 (saturating at the ends of the
    calendar: ``date.min`` and ``date.max``)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def parse_period(text: str) -> Period:
    """Parse ``"N days|months|years"``, ``"quarter"``, ``"year"``; raise ``ValueError`` otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"a period must be a string such as \"30 days\" or \"1 year\", not {text!r}")
    match = _PERIOD.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a period (\"30 days\", \"3 months\", \"1 year\", \"quarter\")")
    if match.group(2) is None:
        word = match.group(1).strip()
        return Period(3, "month") if word == "quarter" else Period(1, word)
    unit = match.group(3).rstrip("s")
    return Period(int(match.group(2)), unit)


def parse_date(value: object) -> date:
    """Parse an ISO date string (``2003-05-01``); raise ``ValueError`` otherwise."""
    if isinstance(value, str):
        return _parse_date_text(value)  # a trust writes the same dates many times
    if isinstance(value, date):
        return value
    raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@functools.lru_cache(maxsize=4096)
def _parse_date_text(value: str) -> date:
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:  # 2005-02-30: say which value, not only "day is out of range"
        raise ValueError(f"{value!r} is not a valid date: {exc}") from None
