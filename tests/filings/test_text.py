"""Filings as numbered lines: plain text, EDGAR full-submission wrappers, HTML exhibits."""
from __future__ import annotations

import os

import pytest

from helpers import REPO
from mist_check.filings.text import FilingError, parse_filing, read_filing

DATA = REPO / "tests" / "filings" / "data"


def test_plain_text_keeps_the_file_line_numbers():
    filing = read_filing(DATA / "pinecrest-advisory.txt", "p.txt")
    assert filing.line(1).strip() == "INVESTMENT ADVISORY AGREEMENT"
    assert "ninety (90) days' written notice" in filing.line(41)
    assert not filing.html


def test_a_full_submission_blanks_its_wrapper_and_keeps_numbers():
    filing = read_filing(DATA / "summit-underwriting-submission.txt")
    raw = (DATA / "summit-underwriting-submission.txt").read_text(encoding="utf-8").splitlines()
    assert len(filing.lines) == len(raw) + 1  # (the empty line after the last newline)
    assert filing.line(2) == "" and filing.line(11) == "" and filing.line(14) == ""  # header, <TYPE>, <TEXT>
    assert filing.line(15).strip() == "PRINCIPAL UNDERWRITING AGREEMENT"
    assert filing.line(29).strip() == ""  # <PAGE>, blanked in place


def test_edgar_layout_tags_become_spaces_of_their_width():
    filing = parse_filing("<S>     <C>\nFund A        <C>0.25%\n", "t.txt", html=False)
    assert filing.lines[1] == "Fund A           0.25%"


def test_html_is_rendered_with_entities_and_tables():
    filing = read_filing(DATA / "harbor-plan-and-agreement.htm")
    assert filing.html
    text = "\n".join(filing.lines)
    assert "SERVICE CLASS DISTRIBUTION PLAN AND AGREEMENT" in text  # &nbsp; is a space
    assert '(the "Plan")' in text  # &#147; &#148; as quotes
    rows = [line for line in filing.lines if line.startswith("Harbor Light")]
    assert rows == ["Harbor Light Growth Fund  0.25%", "Harbor Light Income Fund  0.25%"]


def test_a_submission_holding_html_is_rendered():
    html = (DATA / "harbor-plan-and-agreement.htm").read_text(encoding="utf-8")
    wrapped = f"<DOCUMENT>\n<TYPE>EX-99.M\n<TEXT>\n{html}\n</TEXT>\n</DOCUMENT>\n"
    filing = parse_filing(wrapped, "w.txt")
    assert filing.html and any("Harbor Light Growth Fund" in line for line in filing.lines)


def test_windows_1252_bytes_are_read(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes("MANAGEMENT AGREEMENT\n60 days\x92 notice\n".encode("latin-1"))
    assert read_filing(path).line(2) == "60 days' notice"


@pytest.mark.parametrize("make", ["missing", "directory", "large", "binary"])
def test_unreadable_filings_are_one_line_errors(tmp_path, make):
    path = tmp_path / "f.txt"
    if make == "directory":
        path.mkdir()
    elif make == "large":
        path.write_text("x" * 100, encoding="utf-8")
    elif make == "binary":
        path.write_bytes(b"\x00\x01\x02" * 10)
    with pytest.raises(FilingError) as exc:
        read_filing(path, max_bytes=50)
    assert "\n" not in str(exc.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(FilingError, match="not a regular file"):
        read_filing(tmp_path / "p.txt")
