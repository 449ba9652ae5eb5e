"""Rates as exact decimals: ``"0.50%"``, ``".25%"``, ``"50bp"``, ``"50 bps"``."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

# ASCII digits, letters and spaces only: IGNORECASE would let "50bpſ" (a long s) through, and `\s`
# means other characters in Python than in the schema validator's ECMA-262 expressions (U+FEFF...).
_RATE = re.compile(r"^[ \t\r\n]*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*(%|[bB][pP][sS]?)[ \t\r\n]*$")
# Matches the pattern the JSON Schema uses, so that a rate that passed the schema always parses.
RATE_PATTERN = r"^[ \t\r\n]*([0-9]+(\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*(%|[bB][pP][sS]?)[ \t\r\n]*$"


@dataclass(frozen=True, order=True)
class Rate:
    """An annual rate held as a percentage (``Rate(Decimal("0.50"))`` is 0.50%, or 50bp)."""

    percent: Decimal

    def __str__(self) -> str:
        return f"{_plain(self.percent)}%"

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.percent + other.percent)


def _plain(value: Decimal) -> str:
    """At least two decimals, no trailing zeros beyond them; exact (``normalize`` would round)."""
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def parse_rate(text: str) -> Rate:
    """Parse a rate string; raise ``ValueError`` with the reason when it is not one."""
    if isinstance(text, str):
        return _parse_rate_text(text)  # a trust writes the same few rates thousands of times
    return _parse_rate(text)


@functools.lru_cache(maxsize=1024)
def _parse_rate_text(text: str) -> Rate:
    return _parse_rate(text)


def _parse_rate(text: str) -> Rate:
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(
            f"a rate must be a string such as \"0.50%\" or \"50bp\"; the bare number {text!r} "
            "is ambiguous (percent or fraction?)"
        )
    match = _RATE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a rate (write a percent, \"0.50%\", or basis points, \"50bp\")")
    number, unit = Decimal(match.group(1)), match.group(2).lower()
    if unit == "%":
        return Rate(number)
    # 100bp = 1%: move the decimal point (exact, where dividing would round past 28 digits)
    sign, digits, exponent = number.as_tuple()
    return Rate(Decimal((sign, digits, int(exponent) - 2)))
