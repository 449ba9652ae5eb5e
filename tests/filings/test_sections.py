"""Sections as documents number them."""
from __future__ import annotations

import pytest

from mist_check.filings.sections import find_sections, section_at
from mist_check.filings.text import parse_filing


def labels(text: str) -> list[str]:
    return [s.label for s in find_sections(parse_filing(text, "t.txt", html=False))]


@pytest.mark.parametrize(("text", "expected"), [
    ("Section 1. The Trust shall pay.\nSection 2. It may end.\n", ["1", "2"]),
    ("SECTION 1: PAYMENTS.\nSECTION 2: TERM.\n", ["1", "2"]),
    ("1. Appointment.\n2. Term.\n", ["1", "2"]),
    ("ARTICLE I\nSection 1.1 x\nSection 1.2 y\nARTICLE II\nSection 2.1 z\n",
     ["Article I", "1.1", "1.2", "Article II", "2.1"]),
    ("Section 1. Agreements shall provide:\n(a) that it may end;\n(b) that it ends on assignment.\nSection 2. x\n",
     ["1", "1(a)", "1(b)", "2"]),
    ("1. Fee.\n2. Term.\n\n                SCHEDULE A\nFund A   0.25%\n", ["1", "2", "Schedule A"]),
    ("CLASS DESIGNATIONS\n\nEach fund may offer Class A.\n\nVOTING RIGHTS\n\nEach class votes.\n",
     ["Class designations", "Voting rights"]),
])
def test_sections_are_labelled_as_the_document_numbers_them(text, expected):
    assert labels(text) == expected


def test_a_wrapped_number_is_not_a_section():
    # "2005." and "12." start wrapped lines; numbered sections are accepted only in sequence.
    text = "1. Term. This Agreement continues until December 31,\n2005. It may end on\n12. months' notice.\n2. Name.\n"
    assert labels(text) == ["1", "2"]


def test_a_cross_reference_is_not_the_section_it_is_read_in():
    text = "Section 1. Subject to Section 8 hereof, the fee is 0.25%.\nSection 2. Other.\n"
    filing = parse_filing(text, "t.txt", html=False)
    assert section_at(filing, 1) == "1"
