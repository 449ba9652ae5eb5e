"""``continuance`` (a plan continues past its first year only if approved at least annually) and
``reporting`` (written reports at least quarterly)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import PERIOD, read_period
from ._common import clause_passages, sentences, words

_CONTINUE = re.compile(r"\bcontinue\s+in\s+(?:full\s+force\s+and\s+)?effect\b", re.I)
_ANNUAL = re.compile(r"\b(?:at\s+least\s+annually|annually|from\s+year\s+to\s+year|year\s+to\s+year|"
                     r"successive\s+(?:one-year|annual|twelve-month)\s+periods)\b", re.I)
_AFTER = re.compile(r"\b(?:for\s+a\s+period\s+of\s+(?:more\s+than\s+)?|for\s+(?:more\s+than\s+)?)" + PERIOD.pattern,
                    re.I)
_QUARTERLY = re.compile(r"\bat\s+least\s+quarterly\b|\bquarterly\b", re.I)
_REPORT = re.compile(r"\bwritten\s+reports?\b|\breports?\s+in\s+writing\b", re.I)


def read(r: Reading) -> Iterator[Fact | Review]:
    yield from _continuance(r)
    yield from _reporting(r)


def _continuance(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            if not _CONTINUE.search(sentence) or not _ANNUAL.search(sentence) or "approv" not in sentence:
                continue
            hit = passage.hit(s, e)
            path = ("provisions", "continuance")
            yield Fact(path + ("every",), "1 year", words(passage, s, sentence, _ANNUAL, hit), section.label)
            after = _AFTER.search(sentence)
            if after:
                got = read_period(PERIOD.search(sentence, after.start()))  # type: ignore[arg-type]
                if got is not None and got[1].startswith("year"):
                    yield Fact(path + ("after",), f"{got[0]} {got[1]}", passage.hit(s + after.start(), s + after.end()),
                               section.label)
                else:
                    yield Review(path + ("after",), f"a first period not read as years: {after.group()!r}", hit)
            yield Fact(path + ("section",), section.label, hit, section.label)
            return


def _reporting(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            if _REPORT.search(sentence) and _QUARTERLY.search(sentence) and re.search(
                    r"\b(?:amounts?|expend|spent|expenditures?)\b", sentence, re.I):
                hit = passage.hit(s, e)
                yield Fact(("provisions", "reporting", "every"), "quarter",
                           words(passage, s, sentence, r"at\s+least\s+quarterly[^.]*?report", hit), section.label)
                yield Fact(("provisions", "reporting", "section"), section.label, hit, section.label)
                return


EXTRACTOR = Extractor("continuance", read, ("distribution-plan",))
