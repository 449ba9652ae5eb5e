"""``approval`` (a plan takes effect when approved by ...) and ``fee_increase`` (no material
increase without the class's shareholders)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ._common import clause_passages, requirement, sentences, words

_TAKES_EFFECT = re.compile(r"\b(?:shall\s+not\s+take\s+effect|shall\s+(?:not\s+)?become\s+effective|"
                           r"shall\s+take\s+effect|will\s+(?:not\s+)?become\s+effective)\b[^.]{0,60}?\b(?:until|upon|when|after)\b"
                           r"[^.]{0,40}?\bapprov", re.I)
_PURPOSE = r"meeting\s+called\s+for\s+(?:the|that|such)\s+purpose"
_BY = re.compile(r"\bapproved\b[^.]*?\bby\b", re.I)
_INCREASE = re.compile(r"\b(?:may|shall)\s+not\s+be\s+amended\s+to\s+(?:materially\s+)?increase\b|"
                       r"\bno\s+(?:material\s+)?(?:amendment|increase)\b[^.]{0,80}?\bincrease\b|"
                       r"\bany\s+(?:amendment|change)\s+to\s+(?:materially\s+)?increase\b", re.I)
_SHARE_VOTE = re.compile(r"\b(?:vote|approval|approved)\b[^.]{0,60}?\b(?:outstanding\s+voting\s+securities|"
                         r"shareholders)\b", re.I)


def _until_end(text: str, start: int) -> int:
    """The end of the approval's own words: before a cross-reference or the next clause."""
    m = re.search(r"\b(?:cast\s+in\s+person|at\s+a\s+meeting|;|\.\s)", text[start:])
    return start + (m.end() if m else len(text) - start)


def read(r: Reading) -> Iterator[Fact | Review]:
    yield from _approval(r)
    yield from _increase(r)


def _approval(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            if not _TAKES_EFFECT.search(sentence) or "terminat" in sentence.lower():
                continue
            by = _BY.search(sentence)
            frag_start = by.end() if by else 0
            tree = requirement(sentence[frag_start:])
            hit = passage.hit(s, e)
            path = ("provisions", "approval")
            if tree is None:
                yield Review(path + ("requires",), "the bodies that must approve are not read for certain: "
                             + repr(sentence[:160]), hit)
            else:
                value = tree[0] if isinstance(tree[0], dict) else {"all_of": [tree[0]]}
                yield Fact(path + ("requires",), value, hit, section.label)
            if re.search(r"\bcast\s+in\s+person\b|\bin\s+person\s+at\s+a\s+meeting\b", sentence, re.I):
                yield Fact(path + ("in_person",), True,
                           words(passage, s, sentence, r"cast\s+in\s+person|in\s+person", hit), section.label)
            if re.search(r"\bmeeting\s+called\s+for\s+(?:the|that|such)\s+purpose\b", sentence, re.I):
                yield Fact(path + ("called_for_purpose",), True,
                           words(passage, s, sentence, _PURPOSE, hit), section.label)
            yield Fact(path + ("section",), section.label, hit, section.label)
            return


def _increase(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            m = _INCREASE.search(sentence)
            if not m or not _SHARE_VOTE.search(sentence, m.end()):
                continue
            hit = passage.hit(s, e)
            path = ("provisions", "fee_increase")
            tree = requirement(sentence[m.end():])
            if tree is None or isinstance(tree[0], dict) or tree[0] not in ("shareholders", "class_shareholders"):
                yield Review(path + ("requires",), "the vote a material increase needs is not read for certain: "
                             + repr(sentence[:160]), hit)
            else:
                yield Fact(path + ("requires",), {"all_of": [tree[0]]}, hit, section.label)
            yield Fact(path + ("section",), section.label, hit, section.label)
            return


EXTRACTOR = Extractor("approval", read, ("distribution-plan",))
