"""One timing model: every due-soon warning and every lapse the rules report is in the calendar on
the same date, and every overdue or soon-due obligation of the calendar is a finding of its rule.

Run over every fixture (at its own `as_of` and later days) and a seeded benchmark corpus. Lapses
that a late approval already ended ("lapsed from ... to ...") and late reviews are history, not
obligations: they are in neither list. Findings about the text itself (no clause, no `replaces`)
carry no date and are not compared."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import REPO

from mist_check.calendar import TIMING_RULES, run_calendar
from mist_check.engine import Options, run

FIXTURES = sorted({p.parent for p in (REPO / "fixtures").rglob("trust.yaml")})
# a rule's sample trusts, one per behaviour, whose behaviour is a date the calendar shows too
DATED_BEHAVIOURS = {"board-composition/fail/over-the-years", "board-composition/fail/shareholder-meeting-due",
                    "board-composition/fail/shareholder-meeting-overdue"}
WARN_DAYS = 60  # annual-continuance's warn_days in both built-in packs (checked below)
Fact = tuple[str, str, str, str, str]  # trust, rule, document id, date or periods, overdue | due-soon

_PATTERNS = {
    "annual-continuance": [(re.compile(r"has lapsed: its continuance was due by (\S+) "), "overdue"),
                           (re.compile(r"must be continued by (\S+) \("), "due-soon")],
    "quarterly-reports": [(re.compile(r"no written report reviewed in time for (\d+ periods? ending .*)$"), "overdue")],
    "interim-contract": [(re.compile(r"has run as an interim contract past (\S+),"), "overdue")],
    "name-cessation": [(re.compile(r"it had to cease by (\S+) \("), "overdue")],
    "board-composition": [(re.compile(r"still on \S+, only .*, and no shareholders' meeting elected trustees by "
                                      r"(\S+), within"), "overdue"),
                          (re.compile(r"a shareholders' meeting to elect trustees must be held by (\S+)$"), "due-soon")],
}


def from_rules(paths: list[str], as_of: date | None) -> set[Fact]:
    result = run(Options(paths=paths, entry_points=False, as_of=as_of))
    assert result.errors == []
    trust_of = {file: t.name for t in result.trusts for file in t.files}
    facts = set()
    for f in result.findings:
        for pattern, status in _PATTERNS.get(f.rule, ()):
            match = pattern.search(f.message)
            if match:
                facts.add((trust_of[f.file], f.rule, f.subject or "", match[1], status))
    return facts


def from_calendar(paths: list[str], as_of: date | None) -> set[Fact]:
    result = run_calendar(Options(paths=paths, entry_points=False), as_of, None, 400)
    facts = set()
    for item in result.obligations:
        if item.projected:
            continue
        if item.kind == "quarterly-report":
            if item.overdue:
                periods = re.search(r"for the (\d+ periods? ending .*): none was reviewed in time$", item.what)
                assert periods is not None
                facts.add((item.trust, item.rule, item.document_id, periods[1], "overdue"))
        elif item.overdue:
            facts.add((item.trust, item.rule, item.document_id, str(item.date), "overdue"))
        elif item.kind == "shareholder-meeting":
            facts.add((item.trust, item.rule, item.document_id, str(item.date), "due-soon"))
        elif item.kind in ("continuance", "initial-term"):
            as_of_day = next(t.as_of for t in result.trusts if t.name == item.trust)
            assert as_of_day is not None
            if (item.date - as_of_day).days <= WARN_DAYS:
                facts.add((item.trust, item.rule, item.document_id, str(item.date), "due-soon"))
    return facts


def test_warn_days_is_the_packs() -> None:
    from mist_check.policy import load_policy

    for pack in ("ica-1940", "mist"):
        params = load_policy(pack).rules["annual-continuance"].params
        assert params["warn_days"].history[-1][1] == WARN_DAYS


def _days(root: Path) -> list[date | None]:
    """The trust's own as_of, and a few later days that move its dates into view."""
    text = (root / "trust.yaml").read_text(encoding="utf-8")
    own = re.search(r"^as_of: (\d{4}-\d{2}-\d{2})", text, re.M)
    base = date.fromisoformat(own[1]) if own else date(2005, 6, 30)
    return [None, base + timedelta(days=45), base + timedelta(days=200), base + timedelta(days=800)]


@pytest.mark.parametrize("root", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_rules_and_calendar_agree_on_every_fixture(root: Path) -> None:
    compared = 0
    for day in _days(root):
        rules, calendar = from_rules([str(root)], day), from_calendar([str(root)], day)
        assert rules == calendar, f"as of {day}: only the rules {rules - calendar}; only the calendar {calendar - rules}"
        compared += len(rules)
    name = str(root.relative_to(REPO / "fixtures"))
    if name in {f"{rule}/fail" for rule in TIMING_RULES} or name in DATED_BEHAVIOURS:
        assert compared  # the comparison is not vacuous where the rule fails


def test_rules_and_calendar_agree_on_the_benchmark_corpus(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--seed", "14", "--trusts", "8",
                    "--out", str(out)], check=True, capture_output=True)
    roots = sorted(p.parent for p in out.glob("*/trust.yaml"))
    compared = 0
    for root in roots:
        for day in (None, date(2009, 1, 15)):
            rules, calendar = from_rules([str(root)], day), from_calendar([str(root)], day)
            assert rules == calendar, f"{root.name} as of {day}: {rules ^ calendar}"
            compared += len(rules)
    assert compared
