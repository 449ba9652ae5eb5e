"""``--format markdown``: a report sized for a GitHub job summary or a pull-request comment.

GitHub caps ``$GITHUB_STEP_SUMMARY`` at 1 MiB per step and a comment at 65,536 characters;
``--budget BYTES`` (default 1 MiB) bounds the report, and what does not fit is counted, never cut
mid-row. Data are escaped so that a value can neither close a table cell nor open a link or a tag.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ..findings import Finding
from . import count, printable

DEFAULT_BUDGET = 1024 * 1024  # GitHub's limit on one step's job summary
COMMENT_BUDGET = 65536  # GitHub's limit on a pull-request comment
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def cell(text: object) -> str:
    """A value for a table cell or a list item: one line, Markdown's specials escaped."""
    flat = printable(str(text).replace("\r", " ").replace("\n", " "))
    return _SPECIAL.sub(r"\\\1", flat)


def code(text: object) -> str:
    """A value as inline code (a path, a rule id); backticks in it are replaced by a quote."""
    return "`" + printable(str(text)).replace("`", "'").replace("\n", " ") + "`"


def _size(text: str) -> int:
    return len(text.encode("utf-8", "backslashreplace"))


def fit(head: Sequence[str], rows: Iterable[tuple[str, str]], budget: int) -> str:
    """``head`` then as many of ``rows`` (``(group heading, row)``, the heading written before the
    first row of its group) as fit in ``budget`` bytes with the note of what was left out."""
    rows = list(rows)
    out = "".join(head)
    used = _size(out)
    shown = 0
    group = None
    reserve = 200  # the note of what was left out
    for heading, row in rows:
        piece = (heading if heading != group else "") + row
        if used + _size(piece) + reserve > budget:
            break
        out += piece
        used += _size(piece)
        group = heading
        shown += 1
    left = len(rows) - shown
    if left:
        out += (f"\n_{count(left, 'more row')} not shown: the report is limited to {budget:,} bytes "
                "(--budget); the full report: --format json._\n")
    return out


FINDINGS_TABLE = "\n| Severity | Rule | Where | Finding | Citation |\n|---|---|---|---|---|\n"


def finding_row(f: Finding) -> str:
    return (f"| {f.severity.value} | {code(f.rule)} | {code(f'{f.file}:{f.line}:{f.column}')} | "
            f"{cell(f.message)} | {cell(f.citation.text())} |\n")


def report(result: Any, stream: IO[str], budget: int | None = None, **_: Any) -> None:
    from .json_ import summary

    s = summary(result)
    base = getattr(result, "base", None)
    head = [f"## mist-check: {count(s['errors'], 'error')}, {count(s['warnings'], 'warning')}, "
            f"{count(s['notes'], 'note')}\n\n",
            f"{count(s['trusts'], 'trust')}, {count(s['files'], 'file')}; {s['suppressed']} suppressed"]
    resolved = list(getattr(result, "resolved", ()) or ())
    if base:
        head.append(f"; only findings new since {code(base)} are shown, {len(resolved)} resolved")
    head.append(".\n")
    for error in result.errors:
        head.append(f"\n**Failed:** {cell(error)}\n")
    live = [f for f in result.findings if f.suppressed is None]
    rows: list[tuple[str, str]] = [(FINDINGS_TABLE, finding_row(f)) for f in live]
    if not live:
        head.append("\nNo findings.\n" if not base else f"\nNo new findings since {code(base)}.\n")
    resolved_head = f"\n### Resolved since {code(base)}\n\n| Rule | File | Subject |\n|---|---|---|\n"
    rows += [(resolved_head, f"| {code(e.get('rule'))} | {code(e.get('file'))} | {cell(e.get('subject') or '')} |\n")
             for e in resolved]
    stream.write(fit(head, rows, budget or DEFAULT_BUDGET))
