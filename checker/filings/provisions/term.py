"""``term``: an agreement's initial term (until a date) and its continuance (year to year, approved
at least annually by whom, in person, at a meeting called for the purpose)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import DATE, date_value
from ..sections import Hit, Passage
from ._common import ORDER, bodies, clause_passages, requirement, sentences, words

_CONTINUE = re.compile(r"\b(?:shall|will)\s+(?:remain|continue)\s+in\s+(?:full\s+force\s+and\s+)?(?:effect|force)\b",
                       re.I)
_UNTIL = re.compile(r"\buntil\s+", re.I)
_ANNUAL = re.compile(r"\b(?:at\s+least\s+annually|from\s+year\s+to\s+year|year\s+to\s+year|annually|"
                     r"successive\s+(?:one-year|annual|twelve-month)\s+periods)\b", re.I)
_ALSO = re.compile(r"(?:;\s*)?(?:and\s+)?(?:further\s+)?provided,?\s+(?:however,?\s+)?(?:further,?\s+)?that\b"
                   r"[^.]*?\balso\b",
                   re.I)
# "... by the independent trustees, cast in person ..., and by the vote of either the Board or ..."
_AND_BY = re.compile(r",?\s+and\s+(?:also\s+)?by\s+(?:the\s+)?(?:vote|approval)\s+of\s+(?:either\s+)?", re.I)
# "(i) by the Board or by the shareholders, and (ii) by a majority of the independent trustees"
_SECOND = re.compile(r",?\s+and\s+(?:\(ii\)|\(b\)|\(2\))\s+", re.I)
_APPROVED = re.compile(r"\bapproved\b[^.;]*?\bby\b", re.I)


def read(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            c = _CONTINUE.search(sentence)
            if not c or not re.search(r"\b(?:This|the)\s+(?:Agreement|Contract)\b", sentence[:c.start() + 1]):
                continue
            hit = passage.hit(s, e)
            path = ("provisions", "term")

            def at(pattern: str | re.Pattern[str], _p: Passage = passage, _s: int = s, _t: str = sentence,
                   _h: Hit = hit) -> Hit:
                return words(_p, _s, _t, pattern, _h)
            u = _UNTIL.search(sentence, c.end())
            if u and u.start() - c.end() < 80:
                d = DATE.match(sentence, u.end())
                if d and (value := date_value(d)):
                    yield Fact(path + ("initial_until",), value.isoformat(), passage.hit(s + u.start(), s + d.end()),
                               section.label)
                else:
                    yield Review(path + ("initial_until",), "the initial term's end is not a date: "
                                 + repr(sentence[u.start():u.start() + 60]), hit)
            else:
                yield Review(path + ("initial_until",), "the initial term is not stated as a date: "
                             + repr(sentence[:160]), hit)
            if _ANNUAL.search(sentence):
                yield Fact(path + ("then",), "1 year", at(_ANNUAL), section.label)  # type: ignore[arg-type]
                tree = _continuance(sentence)
                if tree is None:
                    yield Review(path + ("continuance_requires",), "who must approve the continuance is not "
                                 "read for certain", hit)
                else:
                    yield Fact(path + ("continuance_requires",), tree, hit, section.label)
                if re.search(r"\bcast\s+in\s+person\b|\bin\s+person\s+at\s+a\s+meeting\b", sentence, re.I):
                    yield Fact(path + ("in_person",), True, at(r"cast\s+in\s+person|in\s+person"), section.label)  # type: ignore[arg-type]
                if re.search(r"\bmeeting\s+called\s+for\s+(?:the|that|such)\s+purpose\b", sentence, re.I):
                    yield Fact(path + ("called_for_purpose",), True,
                               at(r"meeting\s+called\s+for\s+(?:the|that|such)\s+purpose"),  # type: ignore[arg-type]
                               section.label)
            yield Fact(path + ("section",), section.label, hit, section.label)
            return


def _continuance(sentence: str) -> object | None:
    """``by A or by B; and further provided ... also approved by C`` -> all_of [any_of [A, B], C]."""
    a = _APPROVED.search(sentence)
    if a is None:
        return None
    also = _ALSO.search(sentence, a.end()) or _SECOND.search(sentence, a.end()) or _AND_BY.search(sentence, a.end())
    whole = sentence[a.end():also.start() if also else len(sentence)]
    first = re.split(r"\b(?:by\s+the\s+vote\s+stated|voted\s+in\s+accordance|cast\s+in\s+person)\b", whole)[0]
    if bodies(whole[len(first):]):
        return None  # a body after the words cut off: the tree would lose it
    head = requirement(first)
    if head is None:
        return None
    if also is None:
        return head[0] if isinstance(head[0], dict) else {"all_of": [head[0]]}
    rest = sentence[also.end():]
    rest = re.split(r"\b(?:cast\s+in\s+person|at\s+a\s+meeting)\b", rest)[0]
    tail = requirement(rest)
    if tail is None:
        return None
    parts = [head[0], tail[0]]
    if all(isinstance(p, str) for p in parts):
        return {"all_of": sorted(set(parts), key=ORDER.index)} if parts[0] != parts[1] else {"all_of": [parts[0]]}
    # the tree with its any_of first, then the single bodies ({all_of: [{any_of: [...]}, independent_trustees]})
    return {"all_of": sorted(parts, key=lambda p: -1 if isinstance(p, dict) else ORDER.index(p))}


EXTRACTOR = Extractor("term", read, ("distribution-agreement", "management-agreement", "advisory-agreement",
                                    "fee-waiver"))
