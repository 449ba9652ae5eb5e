"""``fee_cap``: a 12b-1 plan's ceiling on its fee ("not to exceed .25% of the average daily net assets")."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import find_rates, format_rate
from ._common import clause_passages, fact

_CAP = re.compile(r"(?:not\s+(?:to\s+)?exceed(?:ing)?|up\s+to|maximum\s+(?:annual\s+)?(?:rate\s+)?of|not\s+more\s+than|"
                  r"limited\s+to|(?:at|of)\s+(?:an|the)\s+annual\s+rate\s+(?:of\s+)?(?:up\s+to\s+)?|"
                  r"annual\s+rate\s+not\s+(?:to\s+)?exceed(?:ing)?)\s*(?:the\s+lesser\s+of\s+)?$", re.I)
_CAP_HINT = re.compile(r"exceed|up\s+to|annual\s+rate|maximum|not\s+more\s+than|limited\s+to", re.I)
_BASIS = re.compile(r"\s*(?:per\s+annum\s+|on\s+an\s+annual\s+basis\s+|annually\s+)?(?:of|on)\s+(?:the\s+)?"
                    r"(?:value\s+of\s+(?:the\s+)?)?(?:(?:its|each|such|the)\s+)?(?:[\w']+\s+){0,3}?"
                    r"(?P<basis>average\s+daily\s+net\s+assets|average\s+net\s+assets|daily\s+net\s+assets|net\s+assets)",
                    re.I)


def read(r: Reading) -> Iterator[Fact | Review]:
    found: list[tuple[str, str | None, Fact]] = []
    for _, passage in clause_passages(r):
        text = passage.text
        if not _CAP_HINT.search(text):
            continue
        for value, start, end in find_rates(text):
            before = text[max(0, start - 80):start]
            if not _CAP.search(before):
                continue
            basis = _BASIS.match(text, end)
            cap_start = start - len(before) + _CAP.search(before).start()  # type: ignore[union-attr]
            stop = basis.end() if basis else end
            rate_fact = fact(r, ("provisions", "fee_cap", "rate"), format_rate(value), passage, cap_start, stop)
            found.append((rate_fact.value, " ".join(basis.group("basis").lower().split()) if basis else None,
                          rate_fact))
    rates = {rate for rate, _, _ in found}
    if not found:
        return
    if len(rates) > 1:
        yield Review(("provisions", "fee_cap"), "more than one ceiling: " + "; ".join(
            f"{f.value} (§{f.section}, line {f.hit.line})" for _, _, f in found if f.hit), found[0][2].hit)
        return
    rate, basis, first = found[0]
    yield first
    if basis:
        yield Fact(("provisions", "fee_cap", "basis"), basis, first.hit, first.section)
    if first.section:
        yield Fact(("provisions", "fee_cap", "section"), first.section, first.hit, first.section)


EXTRACTOR = Extractor("fee_cap", read, ("distribution-plan",))
