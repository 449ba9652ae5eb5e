"""``--format html``: one self-contained audit report a board reads (the CSS and the script inline,
the timelines inline SVG; nothing fetched), rendered from Jinja2 templates with autoescaping on.

Every string from a trust is data: the templates never mark one safe. The same input renders the
same bytes (no clock: the report's day is each trust's as-of day). With JavaScript off everything is
readable; with it on, filters by severity, rule and trust and a search box. The engine keeps what
is drawn (``Options.views``): timelines from ``timing``, what falls due from the calendar's model,
fee tables from fee-cap's own cap, the lines of YAML around each finding.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources
from typing import IO, Any

from ..findings import Finding, where
from ..reporters import count, printable
from . import timeline

# Folded by default past this many findings in one trust, so that a large audit stays usable.
OPEN_UP_TO = 40
# An audit of more trusts than this is compact: each rule's explain page once, at the end; in each
# trust, the fees that are not within their limits and the timelines of the documents that lapsed
# or fall due within SOON_DAYS (the rest is counted; a report of that trust alone shows it all).
COMPACT_FROM = 25
SOON_DAYS = 90
SEVERITY_WORDS = {"error": ("✖", "Error"), "warning": ("▲", "Warning"), "note": ("●", "Note")}


def _visible(value: Any) -> Any:
    """Every value a template prints, before autoescaping: a string from the data with what a
    browser would act on rather than show (controls, bidirectional overrides) written as escapes,
    as the terminal reporters write them; the report's own markup (``Markup``) as it is."""
    from markupsafe import Markup

    return printable(value, lines=True) if isinstance(value, str) and not isinstance(value, Markup) else value


def _environment() -> Any:
    from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

    def load(name: str) -> str:
        return resources.files(__name__).joinpath("templates", name).read_text(encoding="utf-8")

    env = Environment(loader=FunctionLoader(load), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_visible)
    env.filters["plural"] = count
    return env


def _explain_pages(result: Any, used: set[str]) -> dict[str, str]:
    from ..engine import CORE_CHECKS

    pages = {}
    for rule_id in sorted(used):
        if rule_id in CORE_CHECKS:
            pages[rule_id] = f"{CORE_CHECKS[rule_id][1]}. A finding of the checker itself, not of a plugin."
        elif rule_id in result.rules:
            pages[rule_id] = (result.rules[rule_id].doc or "").strip()
    return pages


def _group(findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings by document and section (the trust-wide ones, without a document, last)."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.citation.document or "", f.citation.section or ""), []).append(f)
    order = sorted(groups, key=lambda k: (k[0] == "", k[0], k[1]))
    return [{"heading": where(doc, section or None) if doc else "Trust-wide (no document)",
             "findings": groups[(doc, section)]} for doc, section in order]


def _trust(result: Any, t: Any, index: int, compact: bool) -> dict[str, Any]:
    shown = [f for f in t.findings if f.suppressed is None]
    hidden = [f for f in t.findings if f.suppressed is not None]
    counts = Counter(f.severity.value for f in shown)
    view = t.view or {}
    as_of = t.as_of
    drawings, undrawn = [], 0
    for doc in view.get("documents", []):
        if compact and as_of is not None and not (doc["lapsed"] or (doc["due"] and (doc["due"] - as_of).days <= SOON_DAYS)):
            undrawn += 1
            continue
        drawn = timeline.layout(doc, as_of) if as_of is not None else None
        if drawn is not None:
            drawings.append({"doc": doc, "svg": drawn})
    fees = view.get("fees", [])
    within = [f for f in fees if f["status"] in ("within", "waived")] if compact else []
    fees = [f for f in fees if f["status"] not in ("within", "waived")] if compact else fees
    due = view.get("due", [])
    later = 0
    if compact and as_of is not None:
        soon = [o for o in due if o["overdue"] or (date.fromisoformat(o["date"]) - as_of).days <= SOON_DAYS]
        due, later = soon, len(due) - len(soon)
    return {"anchor": f"trust-{index}", "later": later, "t": t, "shown": shown, "hidden": hidden, "groups": _group(shown),
            "counts": counts, "timelines": drawings, "undrawn": undrawn, "fees": fees, "within": len(within),
            "due": due, "problems": view.get("problems", []), "open": len(shown) <= OPEN_UP_TO,
            "excerpts": t.excerpts or {}}


def render(result: Any) -> str:
    from .. import __version__
    from ..reporters.json_ import summary

    compact = len(result.trusts) > COMPACT_FROM
    trusts = [_trust(result, t, i, compact) for i, t in enumerate(result.trusts, 1)]
    # findings of no trust (a part no root includes): shown once, at the end
    of_trusts = {id(f) for t in result.trusts for f in t.findings}
    loose = [f for f in result.findings if id(f) not in of_trusts]
    used = {f.rule for f in result.findings}
    env = _environment()
    return env.get_template("report.html.j2").render(
        result=result, trusts=trusts, loose=loose, summary=summary(result), version=__version__,
        explain=_explain_pages(result, used), severity=SEVERITY_WORDS, rules=sorted(used), compact=compact,
        css=env.get_template("report.css").render(), script=resources.files(__name__).joinpath(
            "templates", "report.js").read_text(encoding="utf-8"),
        today=result.as_of)


def report(result: Any, stream: IO[str], **_: Any) -> None:
    stream.write(render(result))
