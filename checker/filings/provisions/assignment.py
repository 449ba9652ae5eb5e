"""``assignment``: the agreement ends automatically on its assignment (for a plan, what it requires
of its related agreements: ``related_agreements.assignment``)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ._common import clause_passages, sentences
from .termination import _related_sections

_AUTOMATIC = re.compile(r"\b(?:shall|will)\s+(?:automatically\s+)?terminate(?:\s+automatically)?"
                        r"(?:\s+and\s+immediately)?"
                        r"\s+(?:in\s+the\s+event\s+of|upon|on)\s+(?:its|any|an)\s+[\"']?assignment\b"
                        r"|\bautomatically\s+(?:and\s+immediately\s+)?terminate[^.]{0,80}?\bassignment\b", re.I)


def read(r: Reading) -> Iterator[Fact | Review]:
    related = _related_sections(r) if r.kind == "distribution-plan" else []
    for section, passage in clause_passages(r):
        in_related = any(section.start >= s.start and section.end <= s.end for s in related)
        if r.kind == "distribution-plan" and not in_related:
            continue
        for s, e in sentences(passage):
            if _AUTOMATIC.search(passage.text[s:e]):
                hit = passage.hit(s, e)
                path = (("provisions", "related_agreements", "assignment") if in_related
                        else ("provisions", "assignment"))
                yield Fact(path + ("terminates_automatically",), True, hit, section.label)
                yield Fact(path + ("section",), section.label, hit, section.label)
                return


EXTRACTOR = Extractor("assignment", read, ("distribution-plan", "distribution-agreement", "management-agreement",
                                          "advisory-agreement"))
