"""mist-check calendar --format ics: RFC 5545 from icalendar, read back by two independent parsers."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from helpers import REPO

from mist_check.cli import main

MIST = str(REPO / "fixtures" / "mist")


@pytest.fixture
def mist_ics(tmp_path) -> bytes:  # type: ignore[no-untyped-def]
    target = tmp_path / "mist.ics"
    assert main(["calendar", MIST, "--format", "ics", "--output", str(target), "--no-entry-points"]) == 0
    return target.read_bytes()


def test_crlf_line_ends_and_deterministic_bytes(mist_ics: bytes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert mist_ics.startswith(b"BEGIN:VCALENDAR\r\n") and mist_ics.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in mist_ics.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in mist_ics.split(b"\r\n"))  # folded (RFC 5545 §3.1)
    again = tmp_path / "again.ics"
    assert main(["calendar", MIST, "--format", "ics", "--output", str(again), "--no-entry-points"]) == 0
    assert again.read_bytes() == mist_ics


def test_round_trip_through_icalendar(mist_ics: bytes) -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical(mist_ics)
    assert str(cal["version"]) == "2.0" and str(cal["prodid"]).startswith("-//mist-check//")
    events = list(cal.walk("VEVENT"))
    assert len(events) == 9
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        # what Thunderbird and Google Calendar need of an event: UID, DTSTAMP, DTSTART, SUMMARY
        for prop in ("uid", "dtstamp", "dtstart", "dtend", "summary", "description"):
            assert prop in event, prop
        assert event.decoded("dtstamp") == datetime(2005, 6, 30, tzinfo=timezone.utc)  # from the input
        start = event.decoded("dtstart")
        assert type(start) is date  # all day
        assert event.decoded("dtend") == start + timedelta(days=1)
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY" and "description" in alarm
        assert alarm.decoded("trigger") == timedelta(days=-30)
    management = [e for e in events if "Management Agreement before its initial term" in str(e["summary"])]
    assert [e.decoded("dtstart") for e in management] == [date(2005, 12, 31)]
    description = str(management[0]["description"])
    assert "Window: from 2005-10-03 to 2005-12-31" in description
    assert "Citation: Management Agreement §9; Investment Company Act of 1940 §15(a)(2); Rule 15a-2" in description
    assert "fixtures/mist/documents/management-agreement.yaml:32 (annual-continuance)" in description
    overdue = [e for e in events if str(e["summary"]).startswith("OVERDUE: ")]
    assert [e.decoded("dtstart") for e in overdue] == [date(2001, 9, 30), date(2002, 4, 24), date(2003, 8, 31)]


def test_round_trip_through_a_second_parser(mist_ics: bytes) -> None:
    ics = pytest.importorskip("ics")  # ics.py, an independent parser (TatSu grammar)

    cal = ics.Calendar(mist_ics.decode("utf-8"))
    events = sorted(cal.events, key=lambda e: (e.begin, e.uid))
    assert len(events) == 9
    assert len({e.uid for e in events}) == 9
    assert all(e.all_day for e in events)
    assert date(2005, 12, 31) in {e.begin.date() for e in events}


def test_uids_are_stable_when_the_dates_move(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    def uids(start: str) -> dict[str, str]:
        target = tmp_path / f"{start}.ics"
        assert main(["calendar", MIST, "--from", start, "--format", "ics", "--output", str(target),
                     "--no-entry-points"]) == 0
        cal = Calendar.from_ical(target.read_bytes())
        return {str(e["summary"]): str(e["uid"]) for e in cal.walk("VEVENT")}

    before, after = uids("2005-06-30"), uids("2005-07-15")
    key = "Met Investors Series Trust: continue the Management Agreement before its initial term ends on 2005-12-31"
    assert before[key] == after[key]


def test_no_alarm_when_asked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "x.ics"
    assert main(["calendar", MIST, "--format", "ics", "--alarm-days", "0", "--output", str(target),
                 "--no-entry-points"]) == 0
    assert b"VALARM" not in target.read_bytes()


def test_two_trusts_of_one_name_get_distinct_uids(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    for name in ("a", "b"):
        shutil.copytree(MIST, tmp_path / name)
    assert main(["calendar", str(tmp_path), "--format", "json", "--output", str(tmp_path / "c.json"),
                 "--no-entry-points"]) == 0
    data = json.loads((tmp_path / "c.json").read_text())
    uids = [o["uid"] for o in data["obligations"]]
    assert len(uids) == 18 and len(set(uids)) == 18
