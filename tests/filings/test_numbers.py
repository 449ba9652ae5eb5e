"""Numbers however filings write them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mist_check.filings.numbers import PERIOD, format_rate, read_period, read_rate, word_number

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")


@pytest.mark.parametrize(("text", "rate"), [
    (".25%", "0.25%"), ("0.25%", "0.25%"), ("0.25 of 1%", "0.25%"), ("25 basis points", "0.25%"),
    ("one quarter of one percent", "0.25%"), ("one-quarter of one percent (0.25%)", "0.25%"),
    ("one-half of one percent", "0.50%"), ("twenty-five hundredths of one percent", "0.25%"),
    ("1.00%", "1.00%"), ("0.125%", "0.125%"), ("75 basis points", "0.75%"), ("one percent", "1.00%"),
])
def test_rates(text, rate):
    got = read_rate(text)
    assert got is not None and format_rate(got[0]) == rate


def test_words_and_digits_that_disagree_are_not_read():
    assert read_rate("one-half of one percent (0.25%)") is None
    assert read_period(PERIOD.search("sixty (90) days")) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "period"), [
    ("sixty (60) days", (60, "days")), ("ninety days", (90, "days")), ("three months", (3, "months")),
    ("60 days", (60, "days")), ("one year", (1, "year")), ("thirty (30) calendar days", (30, "days")),
])
def test_periods(text, period):
    assert read_period(PERIOD.search(text)) == period  # type: ignore[arg-type]


def test_business_days_are_not_calendar_days():
    assert read_period(PERIOD.search("ten business days")) is None  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=99))
def test_every_number_word_reads_back(n):
    assert word_number(spell(n)) == n
    m = PERIOD.search(f"on {spell(n)} ({n}) days' notice")
    assert m is not None and read_period(m) == (n, "days" if n != 1 else "day")


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=99))
def test_disagreeing_words_and_digits_never_read(words, digits):
    m = PERIOD.search(f"{spell(words)} ({digits}) days")
    assert m is not None
    assert read_period(m) == ((words, "days" if words != 1 else "day") if words == digits else None)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9.99"), places=2))
def test_percent_rates_round_trip(value):
    got = read_rate(f"not to exceed {value}% of net assets")
    assert got is not None and got[0] == value
