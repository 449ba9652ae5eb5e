"""``name_use``: the fund ceases to use a name within a period after a trigger (termination, request)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import PERIOD, read_period
from ._common import clause_passages, sentences, words

_CEASE = re.compile(r"\b(?:cease|discontinue|stop)\b[^.]{0,60}?\buse\b|\bcease\s+to\s+use\b", re.I)
_NAMES = re.compile(r"[\"“]([^\"”]{2,80}?)[.,]?[\"”]")


def read(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            c = _CEASE.search(sentence)
            if not c or "name" not in sentence.lower():
                continue
            hit = passage.hit(s, e)
            path = ("provisions", "name_use")
            names = [" ".join(m.group(1).split()).rstrip(".,") for m in _NAMES.finditer(sentence)
                     if not re.search(r"\((?:the\s+|each\s+a\s+)?$", sentence[:m.start()])]  # not (the "Name")
            if names:
                yield Fact(path + ("names",), names, words(passage, s, sentence, _NAMES, hit), section.label)
            else:
                yield Review(path + ("names",), "the names are not quoted", hit)
            periods = [m for m in PERIOD.finditer(sentence) if re.search(r"\bwithin\s*$", sentence[:m.start()])]
            got = read_period(periods[0]) if len(periods) == 1 else None
            if got is not None:
                yield Fact(path + ("cease_within",), f"{got[0]} {got[1]}",
                           passage.hit(s + periods[0].start() - 7, s + periods[0].end()), section.label)
            elif periods:
                yield Review(path + ("cease_within",), "the period is not read for certain: "
                             + ", ".join(repr(p.group()) for p in periods), hit)
            if re.search(r"\bupon\s+(?:the\s+)?(?:termination|expiration)\b|\bin\s+the\s+event\s+(?:of|that)\s+"
                         r"(?:the\s+)?(?:termination|this\s+Agreement\s+(?:is\s+)?terminat)", sentence, re.I):
                yield Fact(path + ("trigger",), "termination",
                           words(passage, s, sentence, r"upon\s+(?:the\s+)?(?:termination|expiration)[^,;]*|"
                                 r"in\s+the\s+event[^,;]*", hit),
                           section.label)
            elif re.search(r"\bupon\s+(?:the\s+)?(?:written\s+)?request\b", sentence, re.I):
                yield Fact(path + ("trigger",), "request",
                           words(passage, s, sentence, r"upon\s+(?:the\s+)?(?:written\s+)?request[^,;]*", hit),
                           section.label)
            yield Fact(path + ("section",), section.label, hit, section.label)
            return


EXTRACTOR = Extractor("name_use", read, ("management-agreement", "advisory-agreement", "distribution-agreement"))
