"""The geometry of a document's timeline: dates to x positions on an SVG of fixed width.

The template draws what this computes (year ticks, spans for continuance windows and lapses, a
marker per event, a line for the as-of day); nothing is drawn by string concatenation.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

WIDTH = 760  # the drawing's width in SVG units (it scales to the page)
LEFT, RIGHT = 12, 12  # margins, so that the first and last markers are not cut
PAD = timedelta(days=45)  # room before the first date and after the last
ROW = 18  # the height of one row of event labels


def layout(document: dict[str, Any], as_of: date) -> dict[str, Any] | None:
    """The drawing of one document (a dict of ``views._timelines``), or None when it has no date."""
    days = [e["date"] for e in document["events"]]
    days += [d for s in document["spans"] for d in (s["start"], s["end"]) if d is not None]
    if not days:
        return None
    first = min([*days, as_of]) - PAD
    last = max([*days, as_of]) + PAD
    span = max(1, (last - first).days)

    def x(day: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span, 1)

    ticks = [{"x": x(date(year, 1, 1)), "label": str(year)}
             for year in range(first.year + 1, last.year + 1)]
    step = max(1, len(ticks) // 12)  # at most a dozen year labels
    ticks = [t for i, t in enumerate(ticks) if i % step == 0]
    markers = []
    rows_end: list[float] = []  # the right end of the last label in each row, to stack labels
    for event in document["events"]:
        at = x(event["date"])
        width = 6.2 * (len(event["label"]) + 11)
        row = next((i for i, end in enumerate(rows_end) if end < at), None)
        if row is None:
            row = len(rows_end)
            rows_end.append(0.0)
        rows_end[row] = at + width
        markers.append({**event, "x": at, "row": row, "text": f"{event['date']} {event['label']}",
                        "anchor": "end" if at + width > WIDTH else "start"})
    rows = max(1, len(rows_end))
    spans = [{**s, "x": x(s["start"]), "w": max(2.0, round(x(s["end"]) - x(s["start"]), 1))}
             for s in document["spans"] if s["start"] is not None and s["end"] is not None]
    axis = 34
    return {"width": WIDTH, "height": axis + 16 + rows * ROW, "axis": axis, "ticks": ticks,
            "markers": markers, "spans": spans, "as_of": x(as_of), "row": ROW}
