"""``--format json``: one JSON document, the same bytes for the same input."""
from __future__ import annotations

import json
from typing import IO, Any

from .. import __version__
from ..engine import RunResult
from ..findings import Finding, Severity


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "suppressed": None if f.suppressed is None else {"reason": f.suppressed.reason,
                                                         "line": f.suppressed.line},
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "pointer": f.pointer,
        "subject": f.subject,
        "citation": f.citation.as_dict(),
        "fingerprint": f.fingerprint,
    }


def summary(result: RunResult) -> dict[str, int]:
    live = [f for f in result.findings if f.suppressed is None]
    return {
        "files": len(result.files),
        "trusts": len(result.trusts),
        "errors": sum(f.severity is Severity.ERROR for f in live),
        "warnings": sum(f.severity is Severity.WARNING for f in live),
        "notes": sum(f.severity is Severity.NOTE for f in live),
        "suppressed": len(result.findings) - len(live),
    }


def document(result: RunResult) -> dict[str, Any]:
    return {
        "tool": {"name": "mist-check", "version": __version__},
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "policy": result.policy,
        "summary": summary(result),
        "trusts": [{"root": t.root, "name": t.name, "policy": t.policy,
                    "as_of": t.as_of.isoformat() if t.as_of else None, "files": t.files,
                    "error": t.error} for t in result.trusts],
        "findings": [finding_dict(f) for f in result.findings],
    }


def report(result: RunResult, stream: IO[str], **_: Any) -> None:
    doc = document(result)
    if getattr(result, "base", None):  # --new-from-rev: what was compared, and what is gone
        doc["new_from"] = {"revision": result.base, "resolved": list(result.resolved)}
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
