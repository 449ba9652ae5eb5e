"""Numbers as filings write them: "sixty (60) days", ".25%", "0.25 of 1%", "25 basis points",
"one quarter of one percent", "three months", "May 1, 2003". Each reader returns a value, or None
when the words do not say one thing for certain (words and digits that disagree are not read)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
         r"seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
         r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one hundred(?: and)?(?: \w+)?|one hundred)")
# "sixty (60)", "sixty", "60", "(60)": the count before a unit.
COUNT = rf"(?:(?P<words>{_WORD})\s*(?:\((?P<paren>\d{{1,4}})\))?|(?P<digits>\d{{1,4}}))"


def word_number(text: str) -> int | None:
    """"sixty" -> 60, "twenty-five" -> 25, "one hundred twenty" -> 120; None if not a number word."""
    words = text.lower().replace("-", " ").replace(" and ", " ").split()
    if not words:
        return None
    total = 0
    current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred" and current:
            current *= 100
        else:
            return None
    return total + current


def count(match: re.Match[str]) -> int | None:
    """The number of a ``COUNT`` match: words and digits must agree ("sixty (90)" is not read)."""
    digits, words, paren = match.group("digits"), match.group("words"), match.group("paren")
    if digits:
        return int(digits)
    value = word_number(words) if words else None
    if paren is not None:
        return int(paren) if value == int(paren) else None
    return value


_FRACTIONS = {"one quarter": Decimal("0.25"), "one-quarter": Decimal("0.25"), "a quarter": Decimal("0.25"),
              "one fourth": Decimal("0.25"), "one-fourth": Decimal("0.25"),
              "one half": Decimal("0.5"), "one-half": Decimal("0.5"), "a half": Decimal("0.5"),
              "three quarters": Decimal("0.75"), "three-quarters": Decimal("0.75"),
              "three fourths": Decimal("0.75"), "three-fourths": Decimal("0.75"),
              "one tenth": Decimal("0.1"), "one-tenth": Decimal("0.1")}
_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
RATE = re.compile(
    rf"(?P<pct>{_NUM})\s*(?:%|percent\b|per cent\b|per centum\b)"
    rf"|(?P<of1>{_NUM})\s+of\s+(?:1|one)\s*(?:%|percent\b|per cent\b)"
    rf"|(?P<bp>{_NUM})\s+basis\s+points?\b"
    rf"|(?P<frac>one[- ]quarter|a quarter|one[- ]fourth|one[- ]half|a half|three[- ]quarters|three[- ]fourths|"
    rf"one[- ]tenth)\s+of\s+(?:one|1)\s*(?:%|percent\b|per cent\b)"
    rf"|(?P<hund>{_WORD})[- ]hundredths\s+of\s+(?:one|1)\s*(?:%|percent\b|per cent\b)"
    rf"|(?P<whole>{_WORD})\s+(?:percent\b|per cent\b)", re.IGNORECASE)
_PAREN_RATE = re.compile(rf"\s*\(\s*(?P<pct>{_NUM})\s*%\s*\)")


def rate_value(match: re.Match[str]) -> Decimal | None:
    """The percentage a ``RATE`` match states (Decimal percent: 0.25 for "0.25%")."""
    try:
        if match.group("pct"):
            return Decimal(match.group("pct"))
        if match.group("of1"):
            return Decimal(match.group("of1"))
        if match.group("bp"):
            return Decimal(match.group("bp")) / 100
    except InvalidOperation:
        return None
    if match.group("frac"):
        return _FRACTIONS.get(match.group("frac").lower().replace("  ", " "))
    if match.group("hund"):
        n = word_number(match.group("hund"))
        return None if n is None else Decimal(n) / 100
    if match.group("whole"):
        n = word_number(match.group("whole"))
        return None if n is None else Decimal(n)
    return None


_UNIT_HINT = re.compile(r"%|percent\b|per\s+cent|basis\s+points?\b", re.I)


def find_rates(text: str) -> list[tuple[Decimal, int, int]]:
    """Every rate of a text, read as ``read_rate`` reads one: found from its unit ("%", "percent",
    "basis points") backwards, which is many times faster than trying the pattern everywhere."""
    out: list[tuple[Decimal, int, int]] = []
    done = 0
    for unit in _UNIT_HINT.finditer(text):
        if unit.start() < done:
            continue
        window = max(done, unit.start() - 60)
        for m in RATE.finditer(text, window, min(len(text), unit.end() + 1)):
            if m.end() < unit.end() - 1:
                continue
            got = read_rate(text, m.start())
            if got is not None and got[1] == m.start():
                out.append(got)
                done = got[2]
            break
    return out


def read_rate(text: str, pos: int = 0) -> tuple[Decimal, int, int] | None:
    """The first rate at or after ``pos``: (percent, start, end); words with digits in parentheses
    ("one quarter of one percent (0.25%)") must agree, else nothing is read."""
    m = RATE.search(text, pos)
    if m is None:
        return None
    value = rate_value(m)
    end = m.end()
    paren = _PAREN_RATE.match(text, end)
    if paren is not None:
        stated = Decimal(paren.group("pct"))
        if value is None or stated != value:
            return None
        end = paren.end()
    if value is None:
        return None
    return value, m.start(), end


def format_rate(value: Decimal) -> str:
    """0.25 -> "0.25%", 0.5 -> "0.50%", 0.125 -> "0.125%"."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{value:.{places}f}%"


UNIT = r"(?P<unit>calendar days?|business days?|days?|months?|years?)"
PERIOD = re.compile(rf"\b{COUNT}\s*{UNIT}\b", re.IGNORECASE)


def read_period(match: re.Match[str]) -> tuple[int, str] | None:
    """(n, "days"|"months"|"years") of a ``PERIOD`` match; business days are not read."""
    n = count(match)
    unit = match.group("unit").lower()
    if n is None or unit.startswith("business"):
        return None
    unit = unit.replace("calendar ", "")
    base = unit.rstrip("s")
    return n, base + ("s" if n != 1 else "")


MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"), 1)}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = re.compile(
    rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+(?P<month2>January|February|March|April|May|June|July|"
    rf"August|September|October|November|December),?\s+(?P<year2>\d{{4}})", re.IGNORECASE)
# A date left blank: "____, 2000", "          , 2000", "/ /00", "[  ], 2004".
BLANK_DATE = re.compile(r"(?:_{2,}|\[\s*\]|\s{3,}|-{3,})\s*(?:\d{1,2}\s*)?,\s*(?:19|20)\d\d|/\s*/\s*\d\d\b"
                        r"|(?:_{2,}|\[\s*\])\s+\d{1,2},\s*(?:19|20)\d\d")


def date_value(match: re.Match[str]) -> date | None:
    month = match.group("month") or match.group("month2")
    day = match.group("day") or match.group("day2")
    year = match.group("year") or match.group("year2")
    try:
        return date(int(year), MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None
