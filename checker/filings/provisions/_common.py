"""What the provision extractors share: clauses, bodies of persons, requirement trees, sections."""
from __future__ import annotations

import re
from typing import Any

from ..extract import Fact, Reading, Review
from ..sections import Hit, Passage, Section, section_at

# The bodies the format knows, in the order drafts list them.
ORDER = ("trustees", "independent_trustees", "shareholders", "class_shareholders")

_IND = re.compile(
    r"(?:Independent|Qualified|Disinterested|Non-?interested|non-interested)\s+(?:Trustees|Directors|Board Members)"
    r"|(?:Trustees|Directors|members of the Board)(?:\s+of\s+the\s+(?:Trust|Fund|Company|Corporation))?\s*,?\s+who\s+"
    r"(?:\(i\)\s+)?(?:are|is)\s+not\s+(?:parties\s+to\s+(?:this|the|such)\s+(?:Agreement|Contract|Plan)\s+or\s+)?"
    r"[\"']?interested\s+persons[\"']?"
    r"(?:\s+(?:\(as\s+defined\s+in\s+the\s+1940\s+Act\)\s+)?of\s+(?:any\s+(?:such\s+)?party(?:\s+to\s+(?:this|the|such)"
    r"\s+(?:Agreement|Contract))?|the\s+Trust\s+or\s+(?:of\s+)?the\s+\w+|the\s+(?:Trust|Fund|Company|\w+)|any\s+party))?",
    re.IGNORECASE)
_BOARD = re.compile(r"\b(?:Board\s+of\s+(?:Trustees|Directors)|Board|Trustees|Directors)\b")
_SHARE = re.compile(r"\b(?:outstanding\s+voting\s+(?:securities|shares)|(?:share|stock)holders|persons\s+having\s+"
                    r"voting\s+rights|holders\s+of\s+(?:a\s+majority\s+of\s+)?(?:the\s+)?(?:outstanding\s+)?shares"
                    r"|outstanding\s+(?:Class\s+[A-Z0-9]{1,2}\s+|[A-Z][a-z]+\s+Class\s+)?shares)\b", re.I)
_CLASS_WORDS = re.compile(r"[^;,]{0,80}?(?:\bClass\s+[A-Z0-9]{1,2}\b|\b[A-Z][a-z]+\s+Class\s+shares\b|"
                          r"\bof\s+(?:the|such|that|each|any)\s+"
                          r"(?:applicable\s+)?[Cc]lass\b|\b(?:such|that|the\s+applicable)\s+[Cc]lass\b|"
                          r"\brepresenting\s+the\s+(?:shares\s+of\s+the\s+)?[Cc]lass)")


def bodies(fragment: str) -> list[tuple[int, int, str]]:
    """(start, end, body) of each body of persons the fragment names, in order."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _IND.finditer(fragment):
        found.append((m.start(), m.end(), "independent_trustees"))
        taken.append((m.start(), m.end()))
    for m in _BOARD.finditer(fragment):
        if any(a <= m.start() < b for a, b in taken):
            continue
        # "Trustees' fees", "Trustee of the Trust, which may..." are not votes
        if fragment[m.end():m.end() + 2].startswith("'"):
            continue
        found.append((m.start(), m.end(), "trustees"))
        taken.append((m.start(), m.end()))
    for m in _SHARE.finditer(fragment):
        if any(a <= m.start() < b for a, b in taken):
            continue
        body = "class_shareholders" if "Class" in m.group() or _CLASS_WORDS.match(fragment, m.end()) or re.search(
            r"Class\s+[A-Z0-9]{1,2}\s+(?:share)?holders", fragment[max(0, m.start() - 12):m.end()]) else "shareholders"
        found.append((m.start(), m.end(), body))
    found.sort()
    # "the Board of Trustees, including a majority of the Independent Trustees" and a body named twice
    out: list[tuple[int, int, str]] = []
    for item in found:
        if out and out[-1][2] == item[2] and not re.search(r"\bor\b", fragment[out[-1][1]:item[0]]):
            continue
        out.append(item)
    return out


def requirement(fragment: str) -> tuple[Any, str] | None:
    """The requirement tree a fragment states, and a note if it cannot be read for certain.

    ``by A or by B`` -> any_of; ``of both (a) A and (b) B`` / ``A, including a majority of B`` ->
    all_of; one body -> that body. Mixed connectors are not read (None).
    """
    found = bodies(fragment)
    if not found:
        return None
    # Every alternative ("..., or by ...", "and by ...") must name a body this reader knows: an
    # alternative it cannot read would otherwise be dropped from the tree.
    cuts = [m.start() for m in re.finditer(r"\b(?:or|and)\s+(?:\([a-z0-9]+\)\s+)?by\b", fragment)]
    edges = [0, *cuts, len(fragment)]
    for a, b in zip(edges, edges[1:]):
        if (a > 0 or re.search(r"\bby\b", fragment[a:b])) and not any(a <= s < b for s, _, _ in found):
            return None
    names = [b for _, _, b in found]
    if len(found) == 1:
        return names[0], ""
    joins = [fragment[found[i][1]:found[i + 1][0]] for i in range(len(found) - 1)]
    ors = [bool(re.search(r"\bor\b", j)) for j in joins]
    ands = [bool(re.search(r"\band\b|\bincluding\b|\bas well as\b", j)) and not o for j, o in zip(joins, ors)]
    if len(set(names)) != len(names):
        return None
    if all(ors):
        return {"any_of": sorted(names, key=ORDER.index)}, ""
    if all(ands):
        return {"all_of": sorted(names, key=ORDER.index)}, ""
    # "by A, by B, or by C": an enumeration, its last link says how all are joined
    commas = [bool(re.fullmatch(r"\s*,\s*(?:(?:by\s+)?(?:(?:the\s+)?(?:affirmative\s+)?vote\s+of\s+)?"
                                r"(?:a\s+majority\s+of\s+)?"
                                r"(?:the\s+)?)?", j)) for j in joins[:-1]]
    if all(commas) and len(joins) > 1:
        if ors[-1]:
            return {"any_of": sorted(names, key=ORDER.index)}, ""
        if ands[-1]:
            return {"all_of": sorted(names, key=ORDER.index)}, ""
    return None


_SENTENCE_END = re.compile(r"\.[\"']?\s+(?=[A-Z(\"])")
# "No.", "Inc.", "J.P.", "Mr. J. Smith": not the end of a sentence; "Class B." and "Schedule A." are.
_NOT_AN_END = re.compile(r"(?:\b(?:No|Nos|Inc|Co|Corp|Ltd|Sec|Secs|Mr|Ms|Dr|St|U\.S|[A-Z]\.[A-Z])"
                         r"|(?<!Class)(?<!Schedule)(?<!Appendix)(?<!Exhibit)(?<!Article)\s[A-Z])$")


def sentences(passage: Passage) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage (a period, then a space and a capital or quote;
    not after "No.", "Inc.", "Co.", "Sec." or an initial). Worked out once per passage."""
    cached = passage.__dict__.get("_sentences")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    text = passage.text
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _NOT_AN_END.search(text, max(0, m.start() - 10), m.start()):
            continue
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    passage.__dict__["_sentences"] = out
    return out


def where(r: Reading, hit: Hit) -> str | None:
    """The label of the section the words were read in (never a section they refer to)."""
    return section_at(r.filing, hit.line)


def fact(r: Reading, path: tuple[str | int, ...], value: Any, passage: Passage, start: int, end: int) -> Fact:
    hit = passage.hit(start, end)
    return Fact(path, value, hit, where(r, hit))


def provision_section(r: Reading, path: tuple[str | int, ...], hits: list[Hit]) -> Fact | Review:
    """The ``section`` of a provision: the one section all its words were read in."""
    labels = {where(r, h) for h in hits}
    first = hits[0]
    if len(labels) == 1 and None not in labels:
        label = labels.pop()
        return Fact(path + ("section",), label, first, label)
    return Review(path + ("section",), "its words were read in more than one section or before the first: "
                  + ", ".join(sorted(str(x) for x in labels)), first)


def clause_passages(r: Reading) -> list[tuple[Section, Passage]]:
    """The innermost sections' passages (a subsection rather than the section holding it), so that
    every clause is read once, in the section that says it (worked out once per filing)."""
    cached = r.filing._cache.get("clauses")
    if cached is not None:
        return cached  # type: ignore[return-value]
    out: list[tuple[Section, Passage]] = []
    all_sections = r.passages()
    for section, passage in all_sections:
        inner = [s for s, _ in all_sections if s.level > section.level and s.start >= section.start
                 and s.end <= section.end]
        if not inner:
            out.append((section, passage))
            continue
        # the parent's own words before its first subsection
        first = min(s.start for s in inner)
        if first > section.start:
            out.append((section, Passage(r.filing, section.start, first - 1)))
    r.filing._cache["clauses"] = out
    return out


def review(path: tuple[str | int, ...], note: str, passage: Passage, start: int, end: int) -> Review:
    return Review(path, note, passage.hit(start, end))


def words(passage: Passage, start: int, sentence: str, pattern: str | re.Pattern[str], fallback: Hit) -> Hit:
    """The words of ``pattern`` in a sentence that starts at ``start`` of the passage (its evidence)."""
    m = re.search(pattern, sentence, re.I) if isinstance(pattern, str) else pattern.search(sentence)
    return passage.hit(start + m.start(), start + m.end()) if m else fallback
