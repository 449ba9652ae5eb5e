"""``mist-check calendar`` writers: text, json, markdown (and ics, in ``ics.py``). They write the
obligations ``calendar.py`` computed; none computes a date."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from ..calendar import CalendarResult, Obligation
from . import count
from .text import _printable

JSON_VERSION = 1
SCHEMA_FILE = "calendar-1.schema.json"


def _status(item: Obligation) -> str:
    if item.overdue:
        return "OVERDUE"
    return "projected" if item.projected else "due"


def _window(item: Obligation) -> str:
    return f"from {item.window_opens} to {item.date}" if item.window_opens is not None else ""


# --- text -------------------------------------------------------------------------------------

def _text_item(item: Obligation, stream: IO[str]) -> None:
    head = f"{item.date}  {_status(item)}"
    if item.window_opens is not None:
        head += f"  (window {_window(item)})"
    stream.write(_printable(f"{head}  {item.trust}: {item.cited}") + "\n")
    stream.write(_printable(f"    {item.what}") + "\n")
    stream.write(_printable(f"    who: {item.who}") + "\n")
    stream.write(_printable(f"    fact: {item.file}:{item.line} ({item.rule})") + "\n")


def text(result: CalendarResult, stream: IO[str]) -> None:
    if result.agenda is not None:
        a = result.agenda
        stream.write(f"Agenda for the board meeting of {a.meeting} (next meeting {a.next_meeting})\n")
        for title, items in a.sections():
            stream.write(f"\n{title}:\n")
            if not items:
                stream.write("    (none)\n")
            for item in items:
                _text_item(item, stream)
    else:
        for item in result.obligations:
            _text_item(item, stream)
    shown = result.obligations if result.agenda is None else [i for _, s in result.agenda.sections() for i in s]
    overdue = sum(1 for i in shown if i.overdue)
    trusts = len(result.trusts)
    span = (f"meeting of {result.agenda.meeting}" if result.agenda is not None
            else f"{result.start} to {result.end}")
    stream.write(f"{count(trusts, 'trust')}, {span}: {count(len(shown), 'obligation')}, {overdue} overdue\n")


# --- json -------------------------------------------------------------------------------------

def as_json(result: CalendarResult) -> dict[str, Any]:
    agenda = None
    if result.agenda is not None:
        a = result.agenda
        agenda = {"meeting": a.meeting.isoformat(), "next_meeting": a.next_meeting.isoformat(),
                  "approve": [i.uid for i in a.approve], "reports": [i.uid for i in a.reports],
                  "early": [i.uid for i in a.early], "other": [i.uid for i in a.other]}
    return {
        "version": JSON_VERSION,
        "from": result.start.isoformat(),
        "until": result.end.isoformat(),
        "trusts": [{"root": t.root, "name": t.name, "policy": t.policy,
                    "as_of": t.as_of.isoformat() if t.as_of else None, "input_errors": t.input_errors}
                   for t in result.trusts],
        "obligations": [i.as_dict() for i in result.obligations],
        "agenda": agenda,
    }


def json_(result: CalendarResult, stream: IO[str]) -> None:
    json.dump(as_json(result), stream, indent=2, ensure_ascii=False, sort_keys=False)
    stream.write("\n")


# --- markdown ---------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return _printable(text).replace("|", "\\|").replace("\n", " ")


def _md_table(items: list[Obligation], stream: IO[str]) -> None:
    if not items:
        stream.write("_None._\n")
        return
    stream.write("| date | status | window | trust | document | what must happen | who | authority | fact |\n")
    stream.write("|---|---|---|---|---|---|---|---|---|\n")
    for i in items:
        status = "**overdue**" if i.overdue else _status(i)
        doc = i.document + (f" §{i.section}" if i.section and i.section[:1].isdigit() else
                            (f', "{i.section}"' if i.section else ""))
        stream.write("| " + " | ".join(_cell(c) for c in (
            str(i.date), status, _window(i), i.trust, doc, i.what, i.who, i.authority or "",
            f"`{i.file}:{i.line}`")) + " |\n")


def markdown(result: CalendarResult, stream: IO[str]) -> None:
    if result.agenda is not None:
        a = result.agenda
        stream.write(f"# Agenda: board meeting of {a.meeting}\n\nNext meeting: {a.next_meeting}.\n")
        for title, items in a.sections():
            stream.write(f"\n## {title}\n\n")
            _md_table(items, stream)
    else:
        overdue = sum(1 for i in result.obligations if i.overdue)
        stream.write(f"# Compliance calendar, {result.start} to {result.end}\n\n"
                     f"{len(result.obligations)} obligations, {overdue} overdue.\n\n")
        _md_table(result.obligations, stream)


def ics(result: CalendarResult, stream: IO[str]) -> None:
    from .ics import write

    write(result, stream)


WRITERS: dict[str, Callable[[CalendarResult, IO[str]], None]] = {
    "text": text, "json": json_, "markdown": markdown, "ics": ics,
}
