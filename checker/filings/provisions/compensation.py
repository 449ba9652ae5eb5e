"""``compensation``: the section where the fund agrees to pay the adviser its fee."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ._common import clause_passages, sentences

_PAY = re.compile(r"\b(?:will|shall)\s+pay\s+(?:to\s+)?(?:the\s+)?(?:Manager|Adviser|Advisor|Sub-?[Aa]dviser|"
                  r"Sub-?[Aa]dvisor)\b[^.]{0,80}?\bfee\b|\bas\s+(?:full\s+)?compensation\b[^.]{0,120}?\bfee\b", re.I)


def read(r: Reading) -> Iterator[Fact | Review]:
    for section, passage in clause_passages(r):
        for s, e in sentences(passage):
            if _PAY.search(passage.text[s:e]):
                hit = passage.hit(s, e)
                yield Fact(("provisions", "compensation", "section"), section.label, hit, section.label)
                return


EXTRACTOR = Extractor("compensation", read, ("management-agreement", "advisory-agreement"))
