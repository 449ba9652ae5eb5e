"""Work grows linearly with the input: many meetings and votes on one document, huge roll calls.

Each test counts the work (calls of the expensive step, findings, bytes of output) rather than
only the time, so that it fails on a quadratic algorithm on any machine, and keeps a generous wall
clock bound besides.
"""
from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from mist_check import approvals
from mist_check.cli import main

ENTRY = "--no-entry-points"
HEAD = """\
format: 1
policy: ica-1940
as_of: 2030-06-30
trust: {name: Big Trust, type: open-end}
trustees:
  - {name: Ann Inside, independent: false, from: 1990-01-01}
  - {name: Bob Outside, independent: true, from: 1990-01-01}
  - {name: Cal Outside, independent: true, from: 1990-01-01}
portfolios:
  - {id: value-fund, name: Value Fund, management_fee: "0.10%"}
documents:
  - id: ma
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    fee_schedule: {value-fund: "0.10%"}
    provisions:
      compensation: {section: "4"}
      term: {initial_until: 2005-12-31, then: "1 year", section: "9"}
      termination:
        by_fund: {notice_days: 60, written: true, at_any_time: true, without_penalty: true,
                  by: {any_of: [trustees, shareholders]}, section: "9"}
      assignment: {terminates_automatically: true, section: "9"}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def meetings_and_votes(n: int, spread_days: int) -> str:
    """``n`` continuance meetings of the agreement and ``n`` failing shareholder votes on it."""
    start = date(1995, 1, 1)
    out = [HEAD, "meetings:\n"]
    for i in range(n):
        day = start + timedelta(days=i % spread_days)
        out.append(f"  - date: {day}\n    in_person: true\n    called_for_purpose: true\n    actions:\n"
                   "      - {approves: ma, action: continuance, for: [Ann Inside, Bob Outside, Cal Outside]}\n")
    out.append("shareholder_votes:\n")
    for i in range(n):
        day = start + timedelta(days=i % spread_days)
        out.append(f"  - {{date: {day}, approves: ma, action: continuance, portfolio: value-fund, "
                   "for: 400, present: 700, outstanding: 1000}\n")
    return "".join(out)


@pytest.mark.parametrize("spread_days", [12_000, 1], ids=["over-33-years", "all-on-one-day"])
def test_n_meetings_and_n_votes_on_one_document_cost_n_log_n(here: Path, capsys, monkeypatch,
                                                              spread_days: int) -> None:
    n = 3000
    (here / "trust.yaml").write_text(meetings_and_votes(n, spread_days))
    calls = [0]
    real = approvals.shareholder_passes

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(approvals, "shareholder_passes", counted)
    started = time.monotonic()
    code = main(["check", ".", "--format", "json", ENTRY])
    elapsed = time.monotonic() - started
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert not [f for f in out["findings"] if f["rule"] in ("plugin-error", "parse-error", "schema")]
    # each vote is judged once per kind of question, not once per meeting (the old scan: ~n * n / 3)
    assert calls[0] <= 4 * n, calls[0]
    assert elapsed < 60  # 3,000 of each took about 40 s before (quadratic); about 2 s now


def test_the_next_in_person_meeting_is_found_by_bisection(here: Path, capsys) -> None:
    # n remote meetings under SEC relief, each waiting for ratification at the next in-person one
    n = 3000
    start = date(2020, 3, 1)
    out = [HEAD.replace("as_of: 2030-06-30", "as_of: 2040-06-30"), "meetings:\n"]
    for i in range(n):
        out.append(f"  - date: {start + timedelta(days=i)}\n    in_person: false\n    relief: SEC order\n"
                   "    called_for_purpose: true\n    actions:\n"
                   "      - {approves: ma, action: continuance, for: [Ann Inside, Bob Outside, Cal Outside]}\n")
    (here / "trust.yaml").write_text("".join(out))
    started = time.monotonic()
    code = main(["check", ".", "--format", "json", ENTRY])
    elapsed = time.monotonic() - started
    found = json.loads(capsys.readouterr().out)["findings"]
    assert code in (0, 1)
    assert not [f for f in found if f["rule"] in ("plugin-error", "parse-error", "schema")]
    assert elapsed < 60


def roll_call(names: int, retired: int = 0) -> str:
    """One meeting whose roll call lists ``names`` people not on the roster, and ``retired`` on the
    roster but out of office that day."""
    roster = "".join(f"  - {{name: Retired {i}, independent: true, from: 1990-01-01, until: 1999-12-31}}\n"
                     for i in range(retired))
    text = HEAD.replace("portfolios:", roster + "portfolios:", 1) if retired else HEAD
    people = "".join(f"          - Person {i}\n" for i in range(names))
    people += "".join(f"          - Retired {i}\n" for i in range(retired))
    return (text + "meetings:\n  - date: 2005-06-01\n    in_person: true\n    called_for_purpose: true\n"
            "    actions:\n      - approves: ma\n        action: continuance\n        for:\n" + people)


def test_a_roll_call_of_many_unknown_names_is_a_bounded_number_of_findings(here: Path, capsys) -> None:
    n = 50_000
    (here / "trust.yaml").write_text(roll_call(n))
    code = main(["check", ".", "--format", "json", ENTRY])
    out = capsys.readouterr().out
    found = json.loads(out)["findings"]
    assert code == 1
    refs = [f for f in found if f["rule"] == "reference"]
    assert len(refs) == 11  # ten names, then one finding for the rest, with their count
    assert [f["line"] for f in refs[:10]] == sorted(f["line"] for f in refs[:10])
    assert refs[10]["message"] == ("49,990 more names in the roll call of 2005-06-01 (for), from 'Person 10' "
                                   "on, are not on the trustees roster")
    assert len(out) < 100_000  # was 26 MB: one finding a name


def test_a_roll_call_of_many_trustees_out_of_office_is_bounded_too(here: Path, capsys) -> None:
    n = 20_000
    (here / "trust.yaml").write_text(roll_call(0, retired=n))
    started = time.monotonic()
    code = main(["check", ".", "--format", "json", ENTRY])
    elapsed = time.monotonic() - started
    found = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    out_of_office = [f for f in found if f["rule"] == "required-approvals" and "not a trustee in office" in f["message"]
                     or "more names voted" in f["message"]]
    assert len(out_of_office) == 11
    assert elapsed < 60  # each name was looked up in the whole roll call (quadratic)
