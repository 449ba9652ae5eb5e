"""filed-text: recorded facts against the filed text their `source:` names."""
from __future__ import annotations

import os

import pytest

from helpers import REPO

DATA = REPO / "tests" / "filings" / "data"
PINECREST = (DATA / "pinecrest-advisory.txt").read_text(encoding="utf-8")
OAKRIDGE = (DATA / "oakridge-subadvisory.htm").read_text(encoding="utf-8")
NORTHWIND = (DATA / "northwind-class-c-plan.txt").read_text(encoding="utf-8")
LAKESIDE = (DATA / "lakeside-plan-amendment.txt").read_text(encoding="utf-8")

HEAD = """\
format: 1
as_of: 2011-06-30
trust: {name: Pinecrest Funds Trust}
documents:
"""


def _pinecrest(by_fund: str) -> str:
    """The Pinecrest advisory agreement as a document entry, its fund's termination right ``by_fund``."""
    return ("  - id: pc\n    kind: advisory-agreement\n    title: Investment Advisory Agreement\n"
            "    source: pinecrest.txt\n    provisions:\n      termination:\n"
            f"        by_fund: {by_fund}\n")


# recorded with 90 days' notice where its §3.2 reads sixty: one error
PC_NINETY = _pinecrest('{notice_days: 90, notice_bound: exactly, section: "3.2"}')


def _trust(body: str) -> str:
    return HEAD + body


def _findings(check, files: dict[str, str], **kw: object) -> list[tuple[str, int, str, str]]:
    found = check(files, select=("filed-text",), **kw)
    return [(f.severity.value if hasattr(f.severity, "value") else f.severity.value, f.line, f.rule, f.message)
            for f in found]


def test_a_recorded_fact_that_disagrees_is_an_error_at_the_value_citing_the_filing(check):
    yaml_text = _trust(PC_NINETY)
    found = check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",))
    assert [(f.rule, f.line, f.column, f.severity.value) for f in found] == [("filed-text", 11, 32, "error")]
    assert found[0].message == ("Investment Advisory Agreement records termination.by_fund.notice_days 90; "
                                "pinecrest.txt:39, §3.2, reads \"sixty days' written notice\"; write 60")
    assert (found[0].citation.document, found[0].citation.section) == ("Investment Advisory Agreement", "3.2")
    assert found[0].citation.authority == "the document as filed (Form N-1A, Item 28 exhibits)"


def test_a_section_the_text_does_not_say_it_in_is_a_warning(check):
    yaml_text = _trust("""\
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: pinecrest.txt
    provisions:
      assignment: {terminates_automatically: true, section: "3.2"}
""")
    found = check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",))
    assert [(f.line, f.severity.value) for f in found] == [(10, "warning")]
    assert "records assignment at §3.2; pinecrest.txt:47, §3.4, reads it" in found[0].message


def test_facts_the_extractor_cannot_read_are_not_judged(check):
    # §4 reads "sixty (90) days'" (words and digits disagree) and "three months'": neither is read,
    # so neither recorded value is judged; the schedule's tiered rate is not read either.
    yaml_text = _trust("""\
  - id: oak
    kind: advisory-agreement
    title: Investment Sub-Advisory Agreement
    counterparty: Someone Else LLC
    source: oakridge.htm
    fee_schedule: {oakridge-value-fund: "0.30%"}
    provisions:
      termination:
        by_fund: {notice_days: 90, section: "4"}
        by_counterparty: {notice_days: 90, section: "4"}
""")
    files = {"trust.yaml": yaml_text + "portfolios:\n  - {id: oakridge-value-fund, name: Oakridge Value Fund}\n",
             "oakridge.htm": OAKRIDGE}
    assert check(files, select=("filed-text",)) == []


def test_a_fact_not_recorded_is_not_judged(check):
    yaml_text = _trust("""\
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: pinecrest.txt
""")
    assert check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",)) == []


def test_requirements_compare_as_trees_and_rates_as_numbers(check):
    yaml_text = _trust("""\
  - id: nw
    kind: distribution-plan
    title: Class C Plan
    source: nw.txt
    provisions:
      fee_cap: {rate: "25bp", section: 1}
      termination: {by: {any_of: [class_shareholders, independent_trustees]}, section: "6"}
      fee_increase: {requires: class_shareholders, section: "8"}
      approval: {requires: {all_of: [trustees]}, section: "3"}
""")
    found = check({"trust.yaml": yaml_text, "nw.txt": NORTHWIND}, select=("filed-text",))
    assert [(f.line, f.severity.value) for f in found] == [(13, "error")]
    assert "records approval.requires {all_of: [trustees]}" in found[0].message
    assert "write {all_of: [trustees, independent_trustees]}" in found[0].message


def test_a_date_the_filing_left_blank_is_unsupported(check, tmp_path):
    blank = NORTHWIND.replace("Adopted as of March 1, 2010", "Adopted as of ____________, 2010")
    yaml_text = _trust("""\
  - id: nw
    kind: distribution-plan
    title: Class C Plan
    adopted: 2010-03-01
    source: nw.txt
""")
    found = check({"trust.yaml": yaml_text, "nw.txt": blank}, select=("filed-text",))
    assert [(f.line, f.severity.value) for f in found] == [(8, "warning")]
    assert "leaves the date blank" in found[0].message


def test_an_amendment_source_is_read_for_the_amendment(check):
    yaml_text = _trust("""\
  - id: lk
    kind: distribution-plan
    title: Class A Distribution Plan
    amendments:
      - id: amendment-2
        dated: 2018-02-01
        effective: 2018-04-01
        source: lakeside.txt
        changes: {fee_cap: {from: "0.35%", to: "0.20%"}}
""")
    found = check({"trust.yaml": yaml_text, "lakeside.txt": LAKESIDE}, select=("filed-text",))
    assert [(f.line, f.severity.value) for f in found] == [(11, "error"), (13, "error")]
    assert "records effective 2018-04-01" in found[0].message
    assert "records changes.fee_cap.to 0.20%" in found[1].message


@pytest.mark.parametrize(("source", "why"), [
    ("missing.txt", "cannot be read (No such file or directory)"),
    ("../outside.txt", "reaches outside the trust's directory and was not read"),
    ("/etc/passwd", "is an absolute path (write it relative to this file)"),
    ("sub", "is a directory, not a regular file; it was not read"),
])
def test_a_source_that_cannot_be_read_is_a_warning_and_nothing_is_judged(check, tmp_path, source, why):
    (tmp_path / "sub").mkdir()
    (tmp_path.parent / "outside.txt").write_text(PINECREST, encoding="utf-8")
    yaml_text = _trust(f"""\
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: {source}
    provisions:
      termination: {{by_fund: {{notice_days: 90}}}}
""")
    found = check({"trust.yaml": yaml_text}, select=("filed-text",))
    assert [(f.line, f.column, f.severity.value) for f in found] == [(8, 13, "warning")]
    assert found[0].message == (f"Investment Advisory Agreement: its source {source} {why}; its facts are not "
                                "checked against the filing")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_read(check, tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    yaml_text = _trust("""\
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: pipe.txt
""")
    found = check({"trust.yaml": yaml_text}, select=("filed-text",))
    assert "not a regular file" in found[0].message


def test_a_filing_of_another_kind_is_not_compared(check):
    yaml_text = _trust("""\
  - id: pc
    kind: distribution-plan
    title: Class C Plan
    source: pinecrest.txt
    provisions:
      fee_cap: {rate: "0.50%"}
""")
    found = check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",))
    assert [f.severity.value for f in found] == ["warning"]
    assert "reads as advisory-agreement, not as a distribution-plan" in found[0].message


def test_source_resolves_relative_to_the_file_that_holds_it(check):
    root = """\
format: 1
as_of: 2011-06-30
trust: {name: Pinecrest Funds Trust}
include: [docs/*.yaml]
"""
    part = """\
documents:
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: ../filings/pinecrest.txt
    provisions:
      termination: {by_fund: {notice_days: 90}}
"""
    found = check({"trust.yaml": root, "docs/pc.yaml": part, "filings/pinecrest.txt": PINECREST},
                  select=("filed-text",))
    assert [(f.file, f.line, f.severity.value) for f in found] == [("docs/pc.yaml", 7, "error")]


def test_max_file_bytes_is_honoured(tmp_path, monkeypatch, capsys):
    from mist_check.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pinecrest.txt").write_text(PINECREST, encoding="utf-8")
    (tmp_path / "trust.yaml").write_text(_trust("""\
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: pinecrest.txt
"""), encoding="utf-8")
    assert main(["check", ".", "--select", "filed-text", "--max-file-bytes", "1000", "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    assert "is 3467 bytes; the limit is 1000 (raise it with --max-file-bytes)" in out


def test_a_filing_is_read_once_per_content(check, monkeypatch):
    from mist_check.filings import extract
    from mist_check.plugins import filed_text

    calls = []
    real = extract.read

    def counting(filing, extractors):
        calls.append(filing.digest)
        return real(filing, extractors)

    monkeypatch.setattr(extract, "read", counting)  # (filed_text imports it when a filing is read)
    filed_text._FILINGS.clear()
    body = "".join(f"""\
  - id: pc{i}
    kind: advisory-agreement
    title: Investment Advisory Agreement
    source: pinecrest.txt
""" for i in range(5))
    check({"trust.yaml": _trust(body), "pinecrest.txt": PINECREST}, select=("filed-text",))
    assert len(calls) == 1


@pytest.mark.parametrize(("recorded", "findings"), [
    ('"3"', 0),        # the section that holds 3.2
    ('"3.2"', 0),
    ('"3.4"', 1),      # another clause
])
def test_a_section_holding_the_clause_is_not_contradicted(check, recorded, findings):
    yaml_text = _trust(_pinecrest(f"{{notice_days: 60, section: {recorded}}}"))
    assert len(check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",))) == findings


@pytest.mark.parametrize(("name", "findings"), [
    ("Pinecrest Capital", 0), ("PINECREST CAPITAL MANAGEMENT LLC", 0), ("Granite Peak Securities Corp.", 1),
])
def test_a_shorter_form_of_the_counterparty_is_the_same_party(check, name, findings):
    yaml_text = _trust(f"""\
  - id: pc
    kind: advisory-agreement
    title: Investment Advisory Agreement
    counterparty: {name}
    source: pinecrest.txt
""")
    assert len(check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",))) == findings


def test_an_unreadable_document_elsewhere_withholds_nothing(check):
    """Each document is judged against its own filing: a schema error in another document does not
    silence this one's disagreement."""
    yaml_text = _trust(PC_NINETY + """\
  - id: other
    kind: distribution-agreement
    title: Distribution Agreement
    dated: 2010/01/01
""")
    found = check({"trust.yaml": yaml_text, "pinecrest.txt": PINECREST}, select=("filed-text",))
    assert [(f.rule, f.line) for f in found] == [("filed-text", 11), ("schema", 15)]
