"""mist-check calendar: obligations from the timing model, the agenda, and each output format."""
from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest
from helpers import REPO

from mist_check.calendar import Obligation, run_calendar, who
from mist_check.cli import main
from mist_check.engine import Options
from mist_check.model import requirement
from mist_check.approvals import Requirements

MIST = str(REPO / "fixtures" / "mist")


def mist(**kwargs):  # type: ignore[no-untyped-def]
    return run_calendar(Options(paths=[MIST], entry_points=False), kwargs.pop("start", None),
                        kwargs.pop("until", None), kwargs.pop("days", 365), **kwargs)


def by_document(items: list[Obligation], doc_id: str) -> list[Obligation]:
    return [i for i in items if i.document_id == doc_id]


# --- what the MIST trust owes, as of 2005-06-30 ---------------------------------------------------

def test_mist_management_agreement_first_continuance_with_its_window() -> None:
    result = mist()
    assert (result.start, result.end) == (date(2005, 6, 30), date(2006, 6, 30))
    [item] = by_document(result.obligations, "management-agreement")
    assert (item.date, item.window_opens, item.kind, item.overdue) == (
        date(2005, 12, 31), date(2005, 10, 3), "initial-term", False)
    assert item.what == "continue the Management Agreement before its initial term ends on 2005-12-31"
    assert (item.document, item.section) == ("Management Agreement", "9")
    assert item.authority == "Investment Company Act of 1940 §15(a)(2); Rule 15a-2"
    assert item.who == ("the board or the shareholders (a majority of the outstanding voting securities), and a "
                        "majority of the independent trustees, in person, at a meeting called for the purpose")
    assert item.file.endswith("fixtures/mist/documents/management-agreement.yaml")
    text = (REPO / "fixtures/mist/documents/management-agreement.yaml").read_text().splitlines()
    assert text[item.line - 1].strip().startswith("term:")


def test_mist_class_e_plan_continuance_and_reports() -> None:
    items = by_document(mist().obligations, "class-e-plan")
    continuance = [i for i in items if i.kind == "continuance"]
    assert [(i.date, i.overdue, i.window_opens) for i in continuance] == [(date(2002, 4, 24), True, None)]
    assert continuance[0].authority == "Rule 12b-1(b)(3)(i)"
    reports = [i for i in items if i.kind == "quarterly-report"]
    assert reports[0].overdue and reports[0].date == date(2001, 9, 30)
    assert "15 periods ending 2001-06-30" in reports[0].what
    assert [(i.date, i.window_opens) for i in reports[1:]] == [
        (date(2005, 6, 30), date(2005, 4, 1)), (date(2005, 9, 30), date(2005, 7, 1)),
        (date(2005, 12, 31), date(2005, 10, 1)), (date(2006, 3, 31), date(2006, 1, 1)),
        (date(2006, 6, 30), date(2006, 4, 1))]
    assert all(i.authority == "Rule 12b-1(b)(3)(ii)" and i.section == "5" for i in reports)


def test_overdue_come_first_then_by_date() -> None:
    items = mist().obligations
    flags = [i.overdue for i in items]
    assert flags == sorted(flags, reverse=True)
    assert [i.date for i in items if not i.overdue] == sorted(i.date for i in items if not i.overdue)


def test_a_range_that_excludes_the_due_date() -> None:
    items = mist(days=90).obligations
    assert by_document(items, "management-agreement") == []
    items = mist(until=date(2005, 12, 31)).obligations
    assert len(by_document(items, "management-agreement")) == 1


# --- who must act, in words -------------------------------------------------------------------------

@pytest.mark.parametrize(("tree", "in_person", "purpose", "words"), [
    ({"all_of": ["trustees", "independent_trustees"]}, True, True,
     "the board and a majority of the independent trustees, in person, at a meeting called for the purpose"),
    ("shareholders", False, False, "the shareholders (a majority of the outstanding voting securities)"),
    ({"any_of": ["trustees", "shareholders"]}, False, False,
     "the board or the shareholders (a majority of the outstanding voting securities)"),
])
def test_who_in_words(tree, in_person: bool, purpose: bool, words: str) -> None:  # type: ignore[no-untyped-def]
    req = requirement(tree)
    assert req is not None
    assert who(Requirements(req, in_person, purpose, None)) == words


# --- the agenda -------------------------------------------------------------------------------------

AGENDA_TRUST = textwrap.dedent("""\
    format: 1
    policy: ica-1940
    as_of: 2006-06-30
    trust: {name: Agenda Trust}
    trustees:
      - {name: Ann Inside, independent: false, from: 2000-01-01}
      - {name: Bob Outside, independent: true, from: 2000-01-01}
      - {name: Cal Outside, independent: true, from: 2000-01-01}
    documents:
      - id: advisory
        kind: advisory-agreement
        title: Advisory Agreement
        dated: 2005-01-15
        provisions:
          term: {initial_until: 2006-12-31, then: "1 year", section: "9"}
      - id: plan
        kind: distribution-plan
        title: Class B Plan
        adopted: 2005-09-01
        provisions:
          continuance: {every: "1 year", after: "1 year", section: "4"}
          reporting: {every: quarter, section: "5"}
    reports:
      - {plan: plan, period_end: 2005-09-30, reviewed: 2005-11-15}
      - {plan: plan, period_end: 2005-12-31, reviewed: 2006-02-15}
      - {plan: plan, period_end: 2006-03-31, reviewed: 2006-05-15}
    """)


def test_agenda_of_a_quarterly_meeting(tmp_path: Path) -> None:
    (tmp_path / "trust.yaml").write_text(AGENDA_TRUST)
    result = run_calendar(Options(paths=[str(tmp_path)], entry_points=False), None, None, 365,
                          meeting=date(2006, 8, 10))
    agenda = result.agenda
    assert agenda is not None and agenda.next_meeting == date(2006, 11, 10)
    # the plan is due 2006-09-01, before the next meeting: approve it now
    assert [(i.document_id, i.date) for i in agenda.approve] == [("plan", date(2006, 9, 1))]
    # the quarter ending 2006-06-30 has ended: its report can be reviewed
    assert [(i.document_id, i.key) for i in agenda.reports] == [("plan", "2006-06-30")]
    # the advisory agreement is due 2006-12-31, after the next meeting; its window opens 2006-10-03
    assert agenda.early == []
    later = run_calendar(Options(paths=[str(tmp_path)], entry_points=False), None, None, 365,
                         meeting=date(2006, 10, 5), next_meeting=date(2007, 1, 20)).agenda
    assert later is not None
    # the plan lapsed on 2006-09-01 (overdue, first); the agreement falls due before 2007-01-20
    assert [(i.document_id, i.date, i.overdue) for i in later.approve] == [
        ("plan", date(2006, 9, 1), True), ("advisory", date(2006, 12, 31), False)]
    inside = run_calendar(Options(paths=[str(tmp_path)], entry_points=False), None, None, 365,
                          meeting=date(2006, 10, 5), next_meeting=date(2006, 11, 30)).agenda
    assert inside is not None
    assert [(i.document_id, i.window_opens) for i in inside.early] == [("advisory", date(2006, 10, 3))]
    assert [i.document_id for i in inside.approve] == ["plan"]


# --- the command line and its formats ------------------------------------------------------------------

def run_cli(args: list[str], capsys) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["calendar", *args, "--no-entry-points"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_text_is_deterministic(capsys) -> None:  # type: ignore[no-untyped-def]
    first = run_cli([MIST], capsys)
    second = run_cli([MIST], capsys)
    assert first == second and first[0] == 0
    assert "2005-12-31  due  (window from 2005-10-03 to 2005-12-31)  Met Investors Series Trust: Management " \
           "Agreement §9; Investment Company Act of 1940 §15(a)(2); Rule 15a-2" in first[1]


def test_json_matches_its_published_schema(capsys) -> None:  # type: ignore[no-untyped-def]
    from importlib import resources

    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads(resources.files("mist_check").joinpath("calendar-1.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    for args in ([MIST], [MIST, "--meeting", "2005-08-15"]):
        code, out, _ = run_cli([*args, "--format", "json"], capsys)
        data = json.loads(out)
        errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))
        assert errors == [] and code == 0
    assert len({o["uid"] for o in data["obligations"]}) == len(data["obligations"])


def test_markdown(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli([MIST, "--format", "markdown"], capsys)
    assert out.startswith("# Compliance calendar, 2005-06-30 to 2006-06-30\n")
    assert "| 2005-12-31 | due | from 2005-10-03 to 2005-12-31 | Met Investors Series Trust | Management " \
           "Agreement §9 |" in out
    assert "| 2002-04-24 | **overdue** |" in out


def test_output_file_and_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.ics"
    assert run_cli([MIST, "--format", "ics", "--output", str(target)], capsys)[0] == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    for args, words in [
        (["--until", "2005-01-01", "--from", "2005-06-30"], "--until 2005-01-01 is before the first day"),
        (["--from", "2005-13-01"], "--from '2005-13-01' is not a date"),
        (["--meeting", "2005-08-01", "--next-meeting", "2005-07-01"], "must be after --meeting"),
        (["--next-meeting", "2005-07-01"], "--next-meeting needs --meeting"),
        (["--days", "-1"], "--days must be at least 0"),
        (["--output", str(tmp_path / "missing" / "x.ics")], "--output"),
    ]:
        code, _, err = run_cli([MIST, *args], capsys)
        assert code == 2 and words in err and err.count("\n") == 1


def test_a_trust_with_schema_errors_is_named_and_exits_1(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "trust.yaml").write_text(AGENDA_TRUST.replace("dated: 2005-01-15", "dated: 15 January 2005"))
    code, _, err = run_cli([str(tmp_path)], capsys)
    assert code == 1
    assert "schema or reference error(s); what they hide is not in the calendar" in err


def test_readme_calendar_example_is_what_the_command_prints(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- calendar-example -->\n```text\n", 1)[1].split("```\n<!-- /calendar-example -->", 1)[0]
    command, expected = block.split("\n", 1)
    assert command.startswith("$ mist-check calendar ")
    monkeypatch.chdir(REPO)
    assert main([*command[len("$ mist-check "):].split(), "--no-entry-points"]) == 0
    assert capsys.readouterr().out == expected
    assert "2005-12-31  due  (window from 2005-10-03 to 2005-12-31)" in expected  # the Management Agreement


# --- ICA §16(a): a shareholders' meeting, from board-composition's own reckoning ------------------

SIXTEEN_A = """\
format: 1
as_of: 2010-06-30
trust: {name: Elected Trust, type: open-end}
trustees:
  - {name: Ann Elect, independent: true, from: 2000-01-01, elected: {by: shareholders, on: 2000-01-01}}
  - {name: Bob Elect, independent: true, from: 2000-01-01, until: 2010-05-15,
     elected: {by: shareholders, on: 2000-01-01}}
  - {name: Cal Chosen, independent: true, from: 2000-01-01, elected: {by: board, on: 2000-01-01}}
"""


@pytest.mark.parametrize(("day", "overdue"), [(None, False), (date(2010, 8, 1), True)])
def test_a_shareholders_meeting_due_under_16a_is_listed_where_the_rule_reports_it(
        tmp_path: Path, day: date | None, overdue: bool) -> None:
    from mist_check.engine import run

    (tmp_path / "trust.yaml").write_text(SIXTEEN_A)
    result = run_calendar(Options(paths=[str(tmp_path)], entry_points=False), day, None, 365)
    [item] = [i for i in result.obligations if i.kind == "shareholder-meeting"]
    # Bob left after 2010-05-15: from the 16th, 1 of 2 trustees elected by the shareholders; 60 days
    assert (item.date, item.overdue, item.window_opens) == (date(2010, 7, 15), overdue, date(2010, 5, 16))
    assert item.rule == "board-composition" and item.authority == "Investment Company Act of 1940 §16(a)"
    assert item.what.startswith("hold a shareholders' meeting to elect trustees: since 2010-05-16 "
                                "(Bob Elect left on 2010-05-15) only 1 of the 2 trustees")
    assert item.line == 6  # Bob's `until`, where the rule reports it
    checked = run(Options(paths=[str(tmp_path)], entry_points=False, as_of=day))
    [finding] = [f for f in checked.findings if f.rule == "board-composition"]
    assert "2010-07-15" in finding.message
    assert finding.severity.value == ("error" if overdue else "warning")


def test_a_meeting_held_in_time_leaves_nothing_to_list(tmp_path: Path) -> None:
    text = SIXTEEN_A + "  - {name: Dee Elect, independent: true, from: 2010-06-20, elected: {by: shareholders, on: 2010-06-20}}\n"
    (tmp_path / "trust.yaml").write_text(text)
    result = run_calendar(Options(paths=[str(tmp_path)], entry_points=False), None, None, 365)
    assert [i for i in result.obligations if i.kind == "shareholder-meeting"] == []
