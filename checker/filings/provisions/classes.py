"""A Rule 18f-3 plan's designated classes (``designates``) and those with no 12b-1 fee (``no_12b1``)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import word_number

_DESIGNATION = re.compile(r"\b(?i:following|these|the)\s+(?i:classes|class(?:es)?\s+of\s+shares)\b[^.]{0,40}?:?\s*"
                          r"(?P<list>(?:Class\s+(?:[A-Z0-9]{1,2}\b\s*)?(?:shares)?\s*,?\s*(?:and|or)?\s*){2,})")
_ITEM = re.compile(r"Class\s+(?:([A-Z0-9]{1,2})\b\s*)?(?=shares|,|and\b|or\b|$)")
_LIST = re.compile(r"(?:Class\s+[A-Z0-9]{1,2}\b\s*(?:shares)?\s*,?\s*(?:and|or)?\s*){2,}")
_COUNT = re.compile(r"\b(?:each\s+of\s+the|the)\s+(\w+)\s+classes\b", re.I)
_ONLY = re.compile(r"Rule\s+12b-1\b[^.]{0,80}?\bonly\s+for\s+(?:the\s+)?(?P<list>(?:Class\s+[A-Z0-9]{1,2}\s*(?:shares)?"
                   r"\s*,?\s*(?:and)?\s*)+)", re.I)
_NONE = re.compile(r"\bClass\s+([A-Z0-9]{1,2})\s+shares\b[^.]{0,80}?\b(?:not\s+(?:be\s+)?subject\s+to\s+(?:any\s+)?"
                   r"(?:Rule\s+)?12b-1|no\s+(?:Rule\s+)?12b-1)", re.I)


def read(r: Reading) -> Iterator[Fact | Review]:
    whole = r.whole()
    text = whole.text
    m = _DESIGNATION.search(text)
    if m is None:
        yield Review(("designates",), "no sentence listing the classes the plan designates", None)
        return
    hit = whole.hit(m.start(), m.end())
    from ..sections import section_at

    section = section_at(r.filing, hit.line)
    items = _ITEM.findall(m.group("list"))
    named = [x.upper() for x in items if x]
    mentioned = sorted({x.upper() for x in re.findall(r"\bClass\s+([A-Z0-9]{1,2})\s+(?:shares|shareholders)\b",
                                                      text)})
    designates: list[str] | None = None
    if len(named) == len(items):
        designates = named
    else:
        # A letter is missing ("Class A shares, Class  shares and Class C shares"): read only if the
        # plan states how many classes there are, names exactly that many, and lists them elsewhere
        # in the same order with the named letters in their places ("Class A shares, Class B shares
        # and Class C shares may subsequently be offered").
        c = _COUNT.search(text, m.end())
        n = word_number(c.group(1)) if c else None
        slots = [x.upper() or None for x in items]
        parallel = None
        for other in _LIST.finditer(text):
            letters = re.findall(r"Class\s+([A-Z0-9]{1,2})\b", other.group())
            if other.start() != m.start("list") and len(letters) == len(slots) and all(
                    s is None or s == x for s, x in zip(slots, letters)):
                parallel = (letters, whole.hit(other.start(), other.end()))
                break
        if n == len(items) and len(mentioned) == n and parallel is not None and set(parallel[0]) == set(mentioned):
            designates = parallel[0]
            yield Review(("designates",), f"the list has a class without its letter ({m.group('list').strip()!r}); "
                         f"read as {', '.join(designates)} because the plan says {c.group(0)!r} and lists "  # type: ignore[union-attr]
                         f"them so at line {parallel[1].line}: check it", hit)
        else:
            yield Review(("designates",), f"a class without its letter in {m.group('list').strip()!r}", hit)
            return
    yield Fact(("designates",), designates, hit, section)
    if section:
        yield Fact(("section",), section, hit, section)
    only = _ONLY.search(text)
    if only:
        with_plan = {x.upper() for x in re.findall(r"Class\s+([A-Z0-9]{1,2})", only.group("list"))}
        none = [c for c in designates if c not in with_plan]
        ohit = whole.hit(only.start(), only.end())
        yield Fact(("no_12b1",), none, ohit, section_at(r.filing, ohit.line))
        return
    explicit = sorted({x.upper() for x in _NONE.findall(text)} & set(designates))
    if explicit:
        n = _NONE.search(text)
        yield Fact(("no_12b1",), explicit, whole.hit(n.start(), n.end()), None)  # type: ignore[union-attr]


EXTRACTOR = Extractor("classes", read, ("multi-class-plan",))
