"""Baselines: record today's findings by fingerprint; later fail only on new ones."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .engine import RunResult
from .errors import UsageError
from .files import Unreadable, read_limited
from .findings import INCOMPLETE, Finding, Suppression
from .loader import DEFAULT_LIMITS

VERSION = 1


def write_baseline(result: RunResult, path: Path) -> None:
    """Write the fingerprints of every unsuppressed finding (rule, file, subject, pointer)."""
    entries = {
        f.fingerprint: {"rule": f.rule, "file": f.file, "subject": f.subject, "pointer": f.pointer,
                        "message": f.message}
        for f in result.findings if f.suppressed is None and f.rule not in INCOMPLETE
    }
    data = {"mist-check-baseline": VERSION, "findings": dict(sorted(entries.items()))}
    try:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8",
                        errors="backslashreplace")
    except OSError as exc:
        raise UsageError(f"--write-baseline {path}: {exc.strerror or exc}") from None


_ENTRY_FIELDS = ("rule", "file", "subject", "pointer", "message")


def read_baseline(path: Path, max_bytes: int = DEFAULT_LIMITS.max_bytes) -> dict[str, dict[str, object]]:
    """The entries of a baseline file (fingerprint -> its fields); anything else is a ``UsageError``.

    A baseline is read as any input (a regular file within ``--max-file-bytes``, never a FIFO or a
    device), and each entry must be what ``--write-baseline`` writes: strings, or ``null`` for a
    finding without a subject."""
    if not path.exists():
        raise UsageError(f"baseline {path} does not exist (create it with --write-baseline)")
    try:
        data = json.loads(read_limited(path, max_bytes).decode("utf-8"))
    except Unreadable as exc:
        raise UsageError(f"baseline {path} cannot be read: it {exc}") from None
    except RecursionError:
        raise UsageError(f"baseline {path} cannot be read: it nests too deeply") from None
    except ValueError as exc:  # (UnicodeDecodeError and json's errors)
        raise UsageError(f"baseline {path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("mist-check-baseline") != VERSION \
            or not isinstance(data.get("findings"), dict):
        raise UsageError(f"baseline {path} is not a mist-check baseline (version {VERSION})")
    for fingerprint, entry in data["findings"].items():
        if not isinstance(entry, dict) or not all(entry.get(key) is None or isinstance(entry[key], str)
                                                  for key in _ENTRY_FIELDS):
            raise UsageError(f"baseline {path}: the entry {fingerprint[:40]!r} is not a finding "
                             f"({', '.join(_ENTRY_FIELDS)}: strings); rewrite it with --write-baseline")
    return data["findings"]  # type: ignore[no-any-return]


def apply_baseline(result: RunResult, path: Path, max_bytes: int = DEFAULT_LIMITS.max_bytes) -> RunResult:
    """Mark baselined findings as suppressed (reason: the baseline) and list entries that are gone."""
    known = read_baseline(path, max_bytes)
    seen: set[str] = set()

    def mark(findings: list[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if f.suppressed is None and f.rule not in INCOMPLETE and f.fingerprint in known:
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
