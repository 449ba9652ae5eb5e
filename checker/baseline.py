"""Baselines: record today's findings by fingerprint; later fail only on new ones."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .engine import RunResult
from .errors import UsageError
from .findings import Finding, Suppression

VERSION = 1


def write_baseline(result: RunResult, path: Path) -> None:
    """Write the fingerprints of every unsuppressed finding (rule, file, subject, pointer)."""
    entries = {
        f.fingerprint: {"rule": f.rule, "file": f.file, "subject": f.subject, "pointer": f.pointer,
                        "message": f.message}
        for f in result.findings if f.suppressed is None
    }
    data = {"mist-check-baseline": VERSION, "findings": dict(sorted(entries.items()))}
    try:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--write-baseline {path}: {exc.strerror or exc}") from None


def read_baseline(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"baseline {path} does not exist (create it with --write-baseline)") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"baseline {path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("mist-check-baseline") != VERSION \
            or not isinstance(data.get("findings"), dict):
        raise UsageError(f"baseline {path} is not a mist-check baseline (version {VERSION})")
    return data["findings"]  # type: ignore[no-any-return]


def apply_baseline(result: RunResult, path: Path) -> RunResult:
    """Mark baselined findings as suppressed (reason: the baseline) and list entries that are gone."""
    known = read_baseline(path)
    seen: set[str] = set()

    def mark(findings: list[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if f.suppressed is None and f.fingerprint in known:
                seen.add(f.fingerprint)
                f = dataclasses.replace(f, suppressed=Suppression(f"in baseline {path.name}", 0))
            out.append(f)
        return out

    trusts = [dataclasses.replace(t, findings=mark(t.findings)) for t in result.trusts]
    findings = mark(result.findings)
    # only entries of the files this run read can be said to be gone (pre-commit checks a few trusts)
    checked = set(result.files)
    gone = {fp: entry for fp, entry in known.items() if fp not in seen and entry.get("file") in checked}
    return dataclasses.replace(result, trusts=trusts, findings=findings, baseline_gone=gone)
