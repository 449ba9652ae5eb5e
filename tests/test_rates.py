"""Rates: ``"0.50%"``, ``".25%"``, ``"50bp"``, ``"50 bps"`` as exact decimals, never floats."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mist_check.rates import RATE_PATTERN, Rate, parse_rate


@pytest.mark.parametrize(("text", "percent"), [
    ("0.50%", "0.50"), ("0.5%", "0.5"), (".25%", "0.25"), ("1%", "1"), ("1.%", "1"),
    ("0%", "0"), ("0.125%", "0.125"), (" 0.75 % ", "0.75"),
    ("50bp", "0.50"), ("50bps", "0.50"), ("50 bps", "0.50"), ("50 bp", "0.50"), ("50BP", "0.50"),
    ("50 Bps", "0.50"), ("12.5bp", "0.125"), ("0bp", "0"), ("100bp", "1"), (".5bp", "0.005"),
])
def test_parse_rate(text: str, percent: str) -> None:
    assert parse_rate(text) == Rate(Decimal(percent))
    assert parse_rate(text).percent == Decimal(percent)
    assert isinstance(parse_rate(text).percent, Decimal)


def test_percent_and_basis_points_compare_exactly() -> None:
    assert parse_rate("0.5%") == parse_rate("50bp") == parse_rate("50 bps") == parse_rate("0.50%")
    assert parse_rate(".25%") == parse_rate("25bp")
    assert parse_rate("0.1%") + parse_rate("0.2%") == parse_rate("0.3%")  # 0.1 + 0.2 != 0.3 in floats
    assert parse_rate("0.75%") + parse_rate("0.25%") == parse_rate("1.00%")
    assert parse_rate("0.51%") > parse_rate("50bp")
    assert parse_rate("49.99bp") < parse_rate("0.5%")
    assert hash(parse_rate("0.5%")) == hash(parse_rate("50bp"))


@pytest.mark.parametrize("value", [0.5, 1, 0, Decimal("0.5"), True, None, ["0.5%"]])
def test_bare_numbers_are_rejected_as_ambiguous(value: object) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_rate(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "0.5", "50", "", " ", "%", "bp", "-0.5%", "-50bp", "+0.5%", "0.5%%", "50 basis points", "fifty bp",
    "0,50%", "1e2%", "0.5% ", "50b", "50ps", "0.5 percent", "½%", "٥٠bp", "0x10%", "nan%", "inf%",
    "0.5%\n0.6%", "0..5%", "5.0.0%", "50bpſ", "50ƀp", "50\u00a0bp", "\ufeff50bp", "0.5%\u2003", "\x1c0.5%",
])
def test_garbage_is_rejected(text: str) -> None:
    if text == "0.5% ":  # surrounding blanks are allowed: it parses
        assert parse_rate(text) == parse_rate("0.5%")
        return
    with pytest.raises(ValueError, match="is not a rate"):
        parse_rate(text)


@pytest.mark.parametrize(("percent", "text"), [
    ("0.5", "0.50%"), ("0.50", "0.50%"), ("0.125", "0.125%"), ("1", "1.00%"), ("0", "0.00%"),
    ("1E+1", "10.00%"), ("0.0050", "0.005%"), ("12345678901234567890123456789012.34",
                                                "12345678901234567890123456789012.34%"),
])
def test_str(percent: str, text: str) -> None:
    assert str(Rate(Decimal(percent))) == text


# The exact decimals a rate string can hold: up to 40 digits on either side of the point.
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=40)


@given(whole=_DIGITS, frac=_DIGITS)
def test_round_trip_of_str(whole: str, frac: str) -> None:
    rate = parse_rate(f"{whole}.{frac}%")
    assert parse_rate(str(rate)) == rate
    assert rate.percent == Decimal(f"{whole}.{frac}")


@given(whole=_DIGITS, frac=_DIGITS, space=st.sampled_from(["", " "]), unit=st.sampled_from(["bp", "bps"]))
def test_basis_points_are_hundredths_of_a_percent_exactly(whole: str, frac: str, space: str, unit: str) -> None:
    rate = parse_rate(f"{whole}.{frac}{space}{unit}")
    assert rate.percent == Decimal(f"{whole}.{frac}E-2")  # exact even past 28 digits


@given(a=st.decimals(min_value=0, max_value=100, places=4), b=st.decimals(min_value=0, max_value=100, places=4))
def test_order_is_the_order_of_the_decimals(a: Decimal, b: Decimal) -> None:
    ra, rb = parse_rate(f"{a}%"), parse_rate(f"{b * 100}bp")
    assert (ra < rb) == (a < b)
    assert (ra == rb) == (a == b)


@given(st.text(max_size=12))
@example("50bpſ")
@example("50bp\u00a0")
@example("\ufeff50bp")
@example(" 50 bp\t\r\n")
@example("\u0665\u0660bp")
def test_parse_rate_accepts_exactly_what_the_schema_pattern_accepts(text: str) -> None:
    """A rate that passed the schema always parses, and nothing else does."""
    try:
        parse_rate(text)
        parsed = True
    except ValueError:
        parsed = False
    # the pattern names its spaces ([ \\t\\r\\n]): ECMA-262 (jsonschema-rs) and Python read it alike
    assert parsed == (re.search(RATE_PATTERN, text) is not None)


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers())
def test_numbers_never_parse(value: float | int) -> None:
    with pytest.raises(ValueError):
        parse_rate(value)  # type: ignore[arg-type]
