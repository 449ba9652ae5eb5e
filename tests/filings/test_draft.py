"""`mist-check draft`: YAML in the format, with evidence; and the README's scored table."""
from __future__ import annotations

import importlib.util
import sys
import textwrap

import pytest
import yaml

from helpers import REPO
from mist_check.cli import main
from mist_check.loader import load_file
from mist_check.schema import validate

DATA = REPO / "tests" / "filings" / "data"
FILINGS = sorted(p for p in DATA.iterdir() if p.suffix in (".txt", ".htm"))


def _score_tool():
    spec = importlib.util.spec_from_file_location("score_filings", REPO / "tools" / "score_filings.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("filing", FILINGS, ids=lambda p: p.name)
def test_every_draft_is_valid_against_the_schema(tmp_path, filing):
    out = tmp_path / "draft.yaml"
    assert main(["draft", str(filing), "--output", str(out), "--no-entry-points"]) == 0
    loaded = load_file(out)
    assert loaded.findings == [] and validate(loaded) == []
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))["documents"][0]
    source = doc.get("source") or doc["amendments"][0]["source"]
    assert (out.parent / source).resolve() == filing.resolve()  # relative to the YAML file


def test_every_value_carries_its_evidence(capsys):
    assert main(["draft", str(DATA / "pinecrest-advisory.txt"), "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    assert "          notice_days: 90  # pinecrest-advisory.txt:41 §3.2: \"ninety (90) days' written notice\"" in out
    assert "        initial_until: 2012-06-30  # pinecrest-advisory.txt:28 §3.1: \"until June 30, 2012\"" in out
    assert ("      # review: fee_schedule.pinecrest-global-fund: a rate not read as one flat percentage: "
            "'Pinecrest Global Fund 0.90% of the first $500 million; 0.80% over $500 million' "
            "(pinecrest-advisory.txt:72)") in out
    # traps: the 30-day cure period and the 60-day payment term are not notice periods
    assert "notice_days: 30" not in out and out.count("notice_days: 60") == 1


def test_a_blank_date_is_null_with_the_words(capsys, tmp_path):
    blank = (DATA / "northwind-class-c-plan.txt").read_text(encoding="utf-8").replace(
        "Adopted as of March 1, 2010", "Adopted as of ______________, 2010")
    (tmp_path / "nw.txt").write_text(blank, encoding="utf-8")
    assert main(["draft", str(tmp_path / "nw.txt"), "--no-entry-points"]) == 0
    assert '    adopted: null  # nw.txt:69: "Adopted as of ______________, 2010"' in capsys.readouterr().out


def test_text_prints_the_numbered_lines(capsys):
    assert main(["draft", "--text", str(DATA / "harbor-plan-and-agreement.htm"), "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("==> harbor-plan-and-agreement.htm (HTML, rendered) <==\n")
    assert "    30  Harbor Light Growth Fund  0.25%\n" in out


def test_an_unknown_document_is_left_for_review(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("CUSTODY AGREEMENT\n\n1. Custody. The Bank holds the assets.\n", encoding="utf-8")
    assert main(["draft", str(tmp_path / "x.txt"), "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    assert "documents: []" in out and "# nothing drafted: the kind of document was not read" in out
    assert yaml.safe_load(out) == {"documents": []}


@pytest.mark.parametrize(("args", "message"), [
    (["draft", "missing.txt"], "missing.txt: cannot be read (No such file or directory)"),
    (["draft", "."], ".: is a directory, not a regular file; it was not read"),
    (["draft", "f.txt", "--output", "f.txt"], "--output f.txt is one of the filings; it was not overwritten"),
    (["draft", "f.txt", "--max-file-bytes", "5"], "is 21 bytes; the limit is 5 (raise it with --max-file-bytes)"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.txt").write_text("MANAGEMENT AGREEMENT\n", encoding="utf-8")
    assert main([*args, "--no-entry-points"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert (tmp_path / "f.txt").read_text(encoding="utf-8") == "MANAGEMENT AGREEMENT\n"


PLUGIN = '''
import re
from mist_check import Extractor, Fact, hookimpl
from mist_check.filings.sections import Passage


def read(reading):
    whole = Passage(reading.filing)
    m = re.search(r"governed by the laws of the State of (\\w+(?: \\w+)?)", whole.text)
    if m:
        yield Fact(("provisions", "x_governing_law", "state"), m.group(1), whole.hit(m.start(), m.end()))


@hookimpl
def mist_check_extractors():
    return [Extractor("x_governing_law", read, ("distribution-agreement",))]
'''


def test_a_plugin_adds_its_extractor_through_the_hook(tmp_path, monkeypatch, capsys):
    (tmp_path / "acme_law.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["draft", str(DATA / "summit-underwriting-submission.txt"), "--plugin", "acme_law",
                 "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    assert "      x_governing_law:\n        state: New York  # summit-underwriting-submission.txt:48" in out
    sys.modules.pop("acme_law", None)


def test_readme_score_table_is_current_and_no_fact_is_wrong():
    tool = _score_tool()
    table, notes = tool.table()
    assert notes == []  # every wrong fact is named here: there must be none
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(tool.MARK_START) + len(tool.MARK_START)
    assert readme[start:readme.index(tool.MARK_END)].strip() == table.strip(), \
        "run: python tools/score_filings.py --readme"


def test_a_draft_checked_against_its_own_filings_has_no_filed_text_finding(tmp_path, monkeypatch):
    from mist_check.engine import Options, run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "filings").mkdir()
    for filing in FILINGS:
        (tmp_path / "filings" / filing.name).write_bytes(filing.read_bytes())
    (tmp_path / "trust.yaml").write_text("format: 1\nas_of: 2020-01-01\ntrust: {name: Test}\ninclude: [draft.yaml]\n",
                                         encoding="utf-8")
    assert main(["draft", *(f"filings/{f.name}" for f in FILINGS), "--output", "draft.yaml",
                 "--no-entry-points"]) == 0
    result = run(Options(paths=["."], entry_points=False, select=("filed-text",)))
    assert [f for f in result.findings if f.rule in ("filed-text", "schema", "parse-error")] == []
