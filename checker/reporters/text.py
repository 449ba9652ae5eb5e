"""``--format text``: ``file:line:col: severity rule message [citation]``, then a summary line."""
from __future__ import annotations

from typing import IO, Any

from ..engine import RunResult, TrustResult
from ..findings import Severity
from . import count
from . import printable as _printable
from .json_ import summary

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTE: "\x1b[36m"}
_RESET, _DIM = "\x1b[0m", "\x1b[2m"


def _judged(trust: TrustResult) -> str:
    """What a trust was judged by: a verdict means little without its pack and its day."""
    if trust.error:
        return f"{trust.root}: not judged (the check failed, below)"
    if trust.rules == ["parse-error"]:
        return f"{trust.root}: not judged (it could not be read)"
    if not trust.policy:
        return f"{trust.root}: not judged (its policy cannot be used)"
    if trust.as_of is None:
        return f"{trust.root}: policy {trust.policy}; no rule was run (its as_of is not a date)"
    return f"{trust.root}: policy {trust.policy}, as of {trust.as_of.isoformat()}"


def report(result: RunResult, stream: IO[str], color: bool = False, **_: Any) -> None:
    for f in result.findings:
        severity = f.severity.value
        if color:
            severity = f"{_COLORS[f.severity]}{severity}{_RESET}"
        cite = f.citation.text()
        tail = _printable(f" [{cite}]" if cite else "")
        if f.suppressed is not None:
            tail += _printable(f" (suppressed: {f.suppressed.reason})")
            if color:
                tail = f"{_DIM}{tail}{_RESET}"
        where = _printable(f"{f.file}:{f.line}:{f.column}:")
        stream.write(f"{where} {severity} {_printable(f.rule)} {_printable(f.message)}{tail}\n")
    for trust in result.trusts:
        stream.write(_printable(_judged(trust)) + "\n")
    s = summary(result)
    notes = f", {count(s['notes'], 'note')}" if s["notes"] else ""
    stream.write(f"{count(s['trusts'], 'trust')}, {count(s['files'], 'file')}: {count(s['errors'], 'error')}, "
                 f"{count(s['warnings'], 'warning')}{notes}, {s['suppressed']} suppressed\n")
    for error in result.errors:
        stream.write(f"failed: {_printable(error)}\n")
