"""``--format github``: a GitHub Actions workflow command per unsuppressed finding, then a summary.

What comes from the data (file names, messages, citations) is first made ``printable`` (a line
break, a terminal escape or a bidirectional mark is shown as its escape, so that an annotation is
one line, shown in the order written), then escaped as the runner reads a command."""
from __future__ import annotations

from typing import IO, Any

from ..engine import RunResult
from ..findings import Finding, Severity
from . import count, printable
from .json_ import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """A command's message, escaped as the Actions runner reads it (``%`` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property's value: as a message, and ``:`` and ``,`` too (they end a property)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    """``::error file=…,line=…,col=…,title=rule::message [citation]``."""
    props = ",".join(f"{key}={escape_property(printable(str(value)))}" for key, value in
                     (("file", f.file), ("line", f.line), ("col", f.column), ("title", f.rule)))
    cite = f.citation.text()
    message = f"{f.message} [{cite}]" if cite else f.message
    return f"::{COMMANDS[f.severity]} {props}::{escape_data(printable(message))}"


def report(result: RunResult, stream: IO[str], **_: Any) -> None:
    """The commands of the unsuppressed findings and of failed trusts, then a plain summary line."""
    for f in result.findings:
        if f.suppressed is None:
            stream.write(command(f) + "\n")
    for error in result.errors:
        stream.write(f"::error title=mist-check::{escape_data(printable(error))}\n")
    s = summary(result)
    stream.write(f"{count(s['trusts'], 'trust')}, {count(s['files'], 'file')}: {count(s['errors'], 'error')}, "
                 f"{count(s['warnings'], 'warning')}, {count(s['notes'], 'note')}, {s['suppressed']} suppressed\n")


