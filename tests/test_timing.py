"""checker/timing.py: the one model of due dates, windows and lapses (its public API)."""
from __future__ import annotations

from datetime import date

import pytest

from mist_check.periods import Period
from mist_check.timing import period_ends, report_deadline, window_opens


@pytest.mark.parametrize(("due", "opens"), [
    (date(2005, 12, 31), date(2005, 10, 3)),  # the 90 days up to and including the due date
    (date(2006, 3, 1), date(2005, 12, 2)),
    (date.min, date.min),
])
def test_window_opens_on_the_first_of_the_90_days(due: date, opens: date) -> None:
    assert window_opens(due, Period(90, "day")) == opens
    if due != date.min:
        assert (due - opens).days + 1 == 90


@pytest.mark.parametrize(("end", "deadline"), [
    (date(2005, 9, 30), date(2005, 12, 31)),  # month ends: the last day of the month a quarter on
    (date(2005, 3, 31), date(2005, 6, 30)),
    (date(2005, 2, 15), date(2005, 5, 15)),
])
def test_report_deadline(end: date, deadline: date) -> None:
    assert report_deadline(end, Period(3, "month")) == deadline


def test_period_ends_are_calendar_quarters() -> None:
    assert list(period_ends(date(2005, 2, 1), date(2005, 12, 31), Period(3, "month"))) == [
        date(2005, 3, 31), date(2005, 6, 30), date(2005, 9, 30), date(2005, 12, 31)]


def test_the_continuance_timeline() -> None:
    """What the calendar and the HTML report read: due, window, votes, lapses, projections."""
    import textwrap

    from mist_check.engine import Checker, Options

    text = textwrap.dedent("""\
        format: 1
        trust: {name: T}
        trustees:
          - {name: A, independent: false, from: 2000-01-01}
          - {name: B, independent: true, from: 2000-01-01}
          - {name: C, independent: true, from: 2000-01-01}
        documents:
          - id: ma
            kind: management-agreement
            title: Management Agreement
            dated: 2004-11-01
            provisions:
              term: {initial_until: 2005-12-31, then: "1 year", section: "9"}
        meetings:
          - {date: 2005-11-15, in_person: true, called_for_purpose: true,
             actions: [{approves: ma, action: continuance, for: [A, B, C]}]}
          - {date: 2007-02-01, in_person: true, called_for_purpose: true,
             actions: [{approves: ma, action: continuance, for: [A, B, C]}]}
        """)
    import tempfile
    from pathlib import Path

    from mist_check import timing

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "trust.yaml").write_text(text)
        checker = Checker(Options(paths=[tmp], entry_points=False, as_of=date(2007, 6, 30)))
        seen = {}
        checker.on_model = lambda result, trust, pack: seen.update(trust=trust, pack=pack)
        checker.check_root(Path(tmp) / "trust.yaml")
        trust, pack = seen["trust"], seen["pack"]
        rule = checker.rules["annual-continuance"]
        ctx = checker.context(pack, rule, trust, date(2007, 6, 30))
        line = timing.continuance(trust, trust.documents[0], ctx.params, ctx.majorities, date(2007, 6, 30))
    assert line is not None and line.contract
    assert line.first_due == date(2005, 12, 31)
    assert [(v.meeting.date, v.effective, v.in_window, v.due_after) for v in line.votes] == [
        (date(2005, 11, 15), date(2005, 12, 31), True, date(2006, 12, 31)),
        (date(2007, 2, 1), date(2007, 2, 1), False, date(2008, 2, 1))]
    assert [(lapse.start, lapse.end) for lapse in line.lapses] == [(date(2006, 12, 31), date(2007, 2, 1))]
    assert line.due == date(2008, 2, 1) and line.window_opens == date(2007, 11, 4)
    assert not line.lapsed(date(2008, 2, 1)) and line.lapsed(date(2008, 2, 2))
    assert list(line.projected(date(2010, 3, 1))) == [date(2009, 2, 1), date(2010, 2, 1)]
