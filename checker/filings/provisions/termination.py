"""``termination``: who may end a plan; the fund's and the counterparty's right to end an
agreement (days, bound, written, at any time, without penalty, by whom); and what a plan requires
of its related agreements (``related_agreements.termination``).

Only a number tied to the word notice is read ("sixty (60) days' written notice"): a cure period
("fails to cure within thirty days after notice") or a payment term beside the clause is not.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import COUNT, count
from ..sections import Hit, Passage, Section
from ._common import clause_passages, requirement, sentences, words

_TERMINATED = re.compile(r"\bmay\s+(?:be\s+)?(?:terminated|terminate)\b|\bmay\s*,[^.;]{0,80}?,\s*be\s+terminated\b",
                         re.I)
_NOTICE = re.compile(rf"(?P<bound>not\s+more\s+than|no\s+more\s+than|not\s+less\s+than|no\s+less\s+than|"
                     rf"at\s+least|up\s+to|a\s+maximum\s+of|a\s+minimum\s+of)?\s*{COUNT}\s*(?:\(\d+\)\s*)?"
                     rf"(?P<unit>calendar\s+days|business\s+days|days|months?)['’]?\s+(?:prior\s+|advance\s+)?"
                     rf"(?P<written>written\s+)?notice", re.I)
_WRITTEN_AFTER = re.compile(r"notice\s+in\s+writing", re.I)
_BOUNDS = {"not more than": "at-most", "no more than": "at-most", "up to": "at-most", "a maximum of": "at-most",
           "not less than": "at-least", "no less than": "at-least", "at least": "at-least",
           "a minimum of": "at-least"}
_RELATED = re.compile(r"\b(?:agreements?\s+(?:related|relating)\s+to\s+(?:this|the)\s+Plan|related\s+agreements?)\b"
                      r"[^.]{0,200}?\b(?:shall|must|will)\s+(?:provide|contain|include)", re.I)
_PENALTY = r"\bwithout\s+(?:the\s+)?payment\s+of\s+any\s+penalty\b|\bwithout\s+penalty\b"
_COUNTERPARTY_ROLES = r"(?:Manager|Adviser|Advisor|Sub-?[Aa]dviser|Sub-?[Aa]dvisor|Distributor|Underwriter)"


def read(r: Reading) -> Iterator[Fact | Review]:
    if r.kind == "distribution-plan":
        yield from _plan(r)
    else:
        yield from _agreement(r)


def _related_sections(r: Reading) -> list[Section]:
    return [s for s, p in r.passages(1) if _RELATED.search(p.text)]


def _plan(r: Reading) -> Iterator[Fact | Review]:
    related = _related_sections(r)
    plan_done = related_done = False
    for section, passage in clause_passages(r):
        in_related = any(section.start >= s.start and section.end <= s.end for s in related)
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            if not _TERMINATED.search(sentence):
                continue
            hit = passage.hit(s, e)
            if in_related and not related_done:
                related_done = True
                yield from _related_termination(sentence, hit, section, passage, s)
            elif not in_related and not plan_done and re.search(r"\b(?:This|the)\s+Plan\s+may\s+be\s+terminated",
                                                                sentence):
                plan_done = True
                path = ("provisions", "termination")
                m = re.search(r"\bby\b", sentence[_TERMINATED.search(sentence).end():])  # type: ignore[union-attr]
                tree = requirement(sentence) if m else None
                if tree is None:
                    yield Review(path + ("by",), "who may terminate the plan is not read for certain: "
                                 + repr(sentence[:160]), hit)
                else:
                    yield Fact(path + ("by",), tree[0], hit, section.label)
                yield Fact(path + ("section",), section.label, hit, section.label)


def _related_termination(sentence: str, hit: Hit, section: Section, passage: Passage,
                         s: int) -> Iterator[Fact | Review]:
    path = ("provisions", "related_agreements", "termination")

    def at(pattern: str | re.Pattern[str]) -> Hit:
        return words(passage, s, sentence, pattern, hit)
    notices = list(_NOTICE.finditer(sentence))
    if len(notices) == 1:
        n = notices[0]
        days = count(n)
        bound = _BOUNDS.get(" ".join((n.group("bound") or "").lower().split()))
        if days is None or n.group("unit").lower() != "days" or bound != "at-most":
            yield Review(path + ("notice_days_max",), f"a notice period not read as 'not more than N days': "
                         f"{n.group().strip()!r}", hit)  # type: ignore[arg-type]
        else:
            yield Fact(path + ("notice_days_max",), days, passage.hit(s + n.start(), s + n.end()), section.label)
        if n.group("written") or _WRITTEN_AFTER.search(sentence):
            yield Fact(path + ("written",), True, at(r"written\s+notice|notice\s+in\s+writing"), section.label)
        fragment = sentence[:n.start()]
    else:
        if notices:
            yield Review(path + ("notice_days_max",), "more than one notice period in the clause", hit)  # type: ignore[arg-type]
        fragment = sentence
    if re.search(_PENALTY, sentence, re.I):
        yield Fact(path + ("without_penalty",), True, at(_PENALTY), section.label)
    by = re.search(r"\bby\b", fragment[_TERMINATED.search(fragment).end():] if _TERMINATED.search(fragment) else "")
    tree = requirement(fragment) if by else None
    if tree is not None:
        yield Fact(path + ("by",), tree[0], at(r"\bby\b.*" if not notices else r"\bby\b.*?(?=,?\s*(?:on|upon)\s+not)"),
                   section.label)
    else:
        yield Review(path + ("by",), "who may terminate a related agreement is not read for certain", hit)
    yield Fact(path + ("section",), section.label, hit, section.label)  # type: ignore[arg-type]


def _agreement(r: Reading) -> Iterator[Fact | Review]:
    roles = {role for _, role, _ in _parties(r) if role.lower() not in ("trust", "fund", "company", "funds", "series")}
    role_words = "|".join(re.escape(x) for x in sorted(roles, key=len, reverse=True)) or _COUNTERPARTY_ROLES
    split = re.compile(rf",?\s*(?:;\s*)?(?:and\s+|or\s+)?(?:it\s+may\s+be\s+terminated\s+)?by\s+(?:the\s+)?"
                       rf"(?:{role_words}|{_COUNTERPARTY_ROLES})\b(?!['’]s)"
                       rf"(?!\s+(?:and|or)\s+the\s+(?:Trust|Fund))")
    for section, passage in clause_passages(r):
        text = passage.text
        for s, e in sentences(passage):
            sentence = text[s:e]
            t = _TERMINATED.search(sentence)
            if not t or re.search(r"\bPlan\s+may\s+be\s+terminated\b", sentence):
                continue
            if not re.search(r"\b(?:This|the)\s+(?:Agreement|Contract)\b", sentence[:t.start() + 1]):
                continue
            if "notice" not in sentence or not _NOTICE.search(sentence):
                continue
            hit = passage.hit(s, e)
            cut = split.search(sentence, t.end())
            if s + len(sentence) < len(text):
                # "The Manager may terminate this Agreement upon ninety (90) days' notice": the next
                # sentence gives the counterparty's own right.
                for s2, e2 in sentences(passage):
                    if s2 >= e and re.match(rf"\s*(?:The\s+)?(?:{role_words}|{_COUNTERPARTY_ROLES})\s+may\s+"
                                            r"(?:also\s+)?terminate\s+this\s+(?:Agreement|Contract)\b", text[s2:e2]):
                        if cut is None:
                            yield from _notice(("provisions", "termination", "by_fund"), sentence, hit, section,
                                               True, passage, s)
                            yield from _notice(("provisions", "termination", "by_counterparty"), text[s2:e2],
                                               passage.hit(s2, e2), section, False, passage, s2)
                            return
                        break
            fund_part = sentence[:cut.start()] if cut else sentence
            counter_part = sentence[cut.start():] if cut else ""
            yield from _notice(("provisions", "termination", "by_fund"), fund_part, hit, section, True, passage, s)
            if counter_part:
                yield from _notice(("provisions", "termination", "by_counterparty"), counter_part, hit, section,
                                   False, passage, s + cut.start())  # type: ignore[union-attr]
            return


def _notice(path: tuple[str, ...], part: str, hit: Hit, section: Section, fund: bool, passage: Passage,
            s: int) -> Iterator[Fact | Review]:
    label = section.label

    def at(pattern: str | re.Pattern[str]) -> Hit:
        return words(passage, s, part, pattern, hit)
    notices = list(_NOTICE.finditer(part))
    if not notices and (not fund or not re.search(r"\bby\b", part)):
        # "This Agreement may be terminated by the Adviser ...": nothing about the fund's own right
        yield Review(path, "the clause gives this party no notice period or right of its own that is read "
                     "for certain", hit)
        return
    if len(notices) > 1:
        yield Review(path + ("notice_days",), "more than one notice period: "
                     + "; ".join(repr(n.group().strip()) for n in notices), hit)  # type: ignore[arg-type]
    elif notices:
        n = notices[0]
        days = count(n)
        unit = " ".join(n.group("unit").lower().split())
        if days is None or unit != "days":
            yield Review(path + ("notice_days",), f"a notice period not read as a number of days: "
                         f"{n.group().strip()!r}", hit)
        else:
            notice = passage.hit(s + n.start(), s + n.end())
            yield Fact(path + ("notice_days",), days, notice, label)
            bound = _BOUNDS.get(" ".join((n.group("bound") or "").lower().split()), "exactly")
            yield Fact(path + ("notice_bound",), bound, notice, label)
        if n.group("written") or _WRITTEN_AFTER.search(part):
            yield Fact(path + ("written",), True, at(r"written\s+notice|notice\s+in\s+writing"), label)
    if fund:
        if re.search(r"\bat\s+any\s+time\b", part, re.I):
            yield Fact(path + ("at_any_time",), True, at(r"\bat\s+any\s+time\b"), label)
        if re.search(_PENALTY, part, re.I):
            yield Fact(path + ("without_penalty",), True, at(_PENALTY), label)
        by = re.search(r"\bby\b", part)
        front = part[by.start():] if by else ""
        stop = _NOTICE.search(front)
        tree = requirement(front[:stop.start()] if stop else front) if by else None
        if tree is not None:
            end = (by.start() + stop.start()) if (by and stop) else len(part)
            yield Fact(path + ("by",), tree[0], passage.hit(s + by.start(), s + end) if by else hit, label)
        else:
            yield Review(path + ("by",), "who may terminate for the fund is not read for certain", hit)
    yield Fact(path + ("section",), label, hit, label)


def _parties(r: Reading) -> list[tuple[str, str, object]]:
    from ..document import parties

    return parties(r)  # type: ignore[return-value]


EXTRACTOR = Extractor("termination", read, ("distribution-plan", "distribution-agreement", "management-agreement",
                                            "advisory-agreement", "fee-waiver"))
