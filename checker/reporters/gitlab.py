"""``--format gitlab``: a GitLab Code Quality report (the Code Climate issue subset GitLab reads).

A JSON array of issues, each with ``description``, ``check_name``, ``fingerprint``, ``severity``
(``info``, ``minor``, ``major``, ``critical`` or ``blocker``) and ``location.path`` with
``location.lines.begin``, as GitLab's "Code Quality" documentation lists them; ``type`` and
``categories`` as the Code Climate engine specification requires them. Suppressed findings are left
out (a merge request shows what needs doing).
"""
from __future__ import annotations

import json
from typing import IO, Any

from ..findings import Finding, Severity
from . import printable

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.NOTE: "info"}


def issue(f: Finding) -> dict[str, Any]:
    cite = f.citation.text()
    return {
        "type": "issue",
        "check_name": f.rule,
        "description": printable(f"{f.message} [{cite}]" if cite else f.message),
        "categories": ["Bug Risk"],
        "severity": SEVERITY[f.severity],
        "fingerprint": f.fingerprint,
        "location": {"path": f.file, "lines": {"begin": f.line}},
    }


def report(result: Any, stream: IO[str], **_: Any) -> None:
    issues = [issue(f) for f in result.findings if f.suppressed is None]
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
