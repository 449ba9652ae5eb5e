"""``mist-check calendar --format ics``: one all-day VEVENT per obligation, through ``icalendar``.

RFC 5545 by a well-kept library (icalendar, BSD-2-Clause), not by hand. Deterministic: the UID of
an event is derived from its trust, document and obligation (re-importing updates the event), and
DTSTAMP is the calendar's start date at midnight UTC (derived from the input, never the clock).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import IO

from .. import __version__
from ..calendar import CalendarResult, Obligation

PRODID = f"-//mist-check//mist-check {__version__}//EN"


def _event(item: Obligation, stamp: datetime, alarm_days: int) -> object:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.date)
    event.add("dtend", item.date + timedelta(days=1))  # all-day: DTEND is the next day (exclusive)
    prefix = "OVERDUE: " if item.overdue else ""
    event.add("summary", f"{prefix}{item.trust}: {item.what}")
    lines = [item.what, f"Who: {item.who}"]
    if item.window_opens is not None:
        lines.append(f"Window: from {item.window_opens} to {item.date}")
    lines += [f"Citation: {item.cited}", f"Fact: {item.file}:{item.line} ({item.rule})"]
    if item.projected:
        lines.append("Projected: assumes each earlier due date is met on time")
    event.add("description", "\n".join(lines))
    event.add("categories", [item.kind])
    event.add("transp", "TRANSPARENT")
    event.add("status", "CONFIRMED")
    if alarm_days > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{item.trust}: {item.what}")
        alarm.add("trigger", timedelta(days=-alarm_days))
        event.add_component(alarm)
    return event


def write(result: CalendarResult, stream: IO[str]) -> None:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "mist-check compliance calendar")
    stamp = datetime.combine(result.start, time(0, 0), tzinfo=timezone.utc)
    for item in result.obligations:
        cal.add_component(_event(item, stamp, result.alarm_days))
    # to_ical gives CRLF line ends (RFC 5545 §3.1); the stream must not translate them
    stream.write(cal.to_ical().decode("utf-8"))
