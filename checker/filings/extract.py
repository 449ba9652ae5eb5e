"""What a filing says: its kind, title, parties and dates, and each provision's facts with evidence.

An extractor returns facts it read with certainty (each with the words and line it read them from)
and reviews (what it saw but could not read for certain); nothing is guessed. ``read`` runs the
document reader and every extractor for the document's kind, once per filing content (cached by
the SHA-256 of its bytes within a run).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .sections import Hit, Passage, Section, find_sections, section_passages
from .text import Filing

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Fact:
    """A value read from the filing, at ``path`` below the document (or amendment) it describes."""

    path: Path
    value: Any
    hit: Hit | None
    section: str | None = None  # the filing's section it was read in


@dataclass(frozen=True)
class Review:
    """Something seen but not read for certain: ``note`` says what, for a person to decide."""

    path: Path
    note: str
    hit: Hit | None = None


@dataclass(frozen=True)
class Extractor:
    """One provision's reader: ``read(reading)`` yields ``Fact`` and ``Review`` objects.

    ``kinds`` are the document kinds (``distribution-plan``...) it applies to; ``()`` means all.
    """

    name: str
    read: Callable[[Reading], Iterable[Fact | Review]]
    kinds: tuple[str, ...] = ()


# Document kinds as the titles name them, most specific first.
_KINDS: Sequence[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(PLAN PURSUANT TO RULE 18F-3|RULE 18F-3 PLAN|MULTIPLE CLASS PLAN|MULTI-?CLASS PLAN|"
                r"MULTIPLE CLASS EXPENSE ALLOCATION PLAN|18F-3 PLAN)\b"), "multi-class-plan"),
    (re.compile(r"\b(EXPENSE LIMITATION|FEE WAIVER|EXPENSE CAP|OPERATING EXPENSES? (LIMITATION )?AGREEMENT|"
                r"EXPENSE REIMBURSEMENT AGREEMENT|WAIVER AGREEMENT)\b"), "fee-waiver"),
    (re.compile(r"\b(DISTRIBUTION (AND (SHAREHOLDER )?SERVICES? )?PLAN( AND AGREEMENT)?|PLAN OF DISTRIBUTION|"
                r"RULE 12B-1 PLAN|12B-1 PLAN|DISTRIBUTION AND SERVICE PLAN|SERVICE AND DISTRIBUTION PLAN|"
                r"(?:DISTRIBUTION|12B-1) REIMBURSEMENT PLAN|RULE 12B-1 (?:SHAREHOLDER )?SERVICES? PLAN)\b"),
     "distribution-plan"),
    (re.compile(r"\b(SUB-?ADVISORY AGREEMENT|SUB-?ADVISORY CONTRACT|INVESTMENT ADVISORY AGREEMENT|"
                r"ADVISORY AGREEMENT|INVESTMENT ADVISORY CONTRACT|ADVISORY CONTRACT|SUB-?INVESTMENT ADVISORY)\b"),
     "advisory-agreement"),
    (re.compile(r"\b(INVESTMENT MANAGEMENT AGREEMENT|MANAGEMENT AGREEMENT|MANAGEMENT CONTRACT)\b"),
     "management-agreement"),
    (re.compile(r"\b(DISTRIBUTION AGREEMENT|PRINCIPAL UNDERWRITING AGREEMENT|UNDERWRITING AGREEMENT|"
                r"DISTRIBUTION CONTRACT|DISTRIBUTOR'?S? AGREEMENT|DISTRIBUTION SERVICES AGREEMENT|"
                r"UNDERWRITING CONTRACT)\b"), "distribution-agreement"),
]
_AMENDMENT = re.compile(r"^\s*((?:FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+)?AMENDMENT(\s+NO\.?\s*(\d+))?\b", re.I)


@dataclass
class Reading:
    """A filing with its kind and sections: what every extractor is handed."""

    filing: Filing
    kind: str | None
    amendment: bool
    title_lines: tuple[int, ...]  # the lines of the title block
    body_start: int  # the first line after the title block
    extras: dict[str, Any] = field(default_factory=dict)  # what one reader tells the next

    @property
    def sections(self) -> tuple[Section, ...]:
        return find_sections(self.filing)

    def passages(self, level: int | None = None) -> list[tuple[Section, Passage]]:
        return section_passages(self.filing, level)

    def operative(self) -> list[tuple[Section, Passage]]:
        """Sections (and subsections) that state terms: not the recitals before the first one."""
        return self.passages()

    def preamble(self) -> Passage:
        first = min((s.start for s in self.sections), default=len(self.filing.lines) + 1)
        return Passage(self.filing, 1, first - 1)

    def whole(self) -> Passage:
        key = "whole"
        if key not in self.filing._cache:
            self.filing._cache[key] = Passage(self.filing)
        return self.filing._cache[key]  # type: ignore[return-value]


def title_block(filing: Filing) -> tuple[list[int], int]:
    """The lines of the title block: capitalised lines before the first sentence of text."""
    lines: list[int] = []
    for number, raw in enumerate(filing.lines, 1):
        text = raw.strip()
        if not text:
            continue
        if len(lines) >= 12:
            break
        letters = [c for c in text if c.isalpha()]
        caps = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
        if re.match(r"^(N-1A|N-14|485[AB]POS|Previous:|Next:|EX-\d)", text) or (caps and len(text) <= 90):
            lines.append(number)
            continue
        break
    body = (lines[-1] + 1) if lines else 1
    return lines, body


def classify(filing: Filing) -> tuple[str | None, bool, tuple[int, ...], int]:
    """(kind, is an amendment, title lines, first body line) from the title block."""
    lines, body = title_block(filing)
    block = " ".join(filing.line(n).strip() for n in lines).upper()
    if not lines:
        # No title block: "THIS INVESTMENT ADVISORY AGREEMENT is made ..." names the kind itself.
        first = " ".join(" ".join(filing.line(n).split()) for n in range(1, min(len(filing.lines), 12) + 1))
        m = re.match(r"\s*THIS\s+((?:[A-Z0-9'-]+\s+){0,8}?(?:AGREEMENT|PLAN|CONTRACT))\b", first)
        block = m.group(1) if m else ""
    amendment = any(_AMENDMENT.match(filing.line(n)) for n in lines)
    for pattern, kind in _KINDS:
        if pattern.search(block):
            return kind, amendment, tuple(lines), body
    return None, amendment, tuple(lines), body


def reading(filing: Filing) -> Reading:
    kind, amendment, lines, body = classify(filing)
    return Reading(filing, kind, amendment, lines, body)


_READ_CACHE: dict[tuple[str, tuple[str, ...]], tuple[Reading, list[Fact | Review]]] = {}


def read(filing: Filing, extractors: Sequence[Extractor]) -> tuple[Reading, list[Fact | Review]]:
    """Every fact of a filing: the document's own, then each extractor's for its kind (cached by
    content and extractor set)."""
    key = (filing.digest, tuple(e.name for e in extractors))
    cached = _READ_CACHE.get(key)
    if cached is not None and cached[0].filing.name == filing.name:
        return cached
    from .document import read_document

    r = reading(filing)
    out: list[Fact | Review] = list(read_document(r))
    for extractor in extractors:
        if extractor.kinds and r.kind not in extractor.kinds:
            continue
        out.extend(extractor.read(r))
    if len(_READ_CACHE) > 256:
        _READ_CACHE.clear()
    _READ_CACHE[key] = (r, out)
    return r, out


def clear_cache() -> None:
    _READ_CACHE.clear()
