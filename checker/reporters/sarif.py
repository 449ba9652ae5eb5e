"""``--format sarif``: one SARIF 2.1.0 log with one run, the same bytes for the same input."""
from __future__ import annotations

import inspect
import json
import os
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any
from urllib.parse import quote

from .. import __version__
from ..engine import CORE_CHECKS, RunResult
from ..findings import Finding, Severity
from ..paths import name_bytes

SARIF_VERSION = "2.1.0"
# The OASIS schema's own id (errata01), which the log is valid against.
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
# partialFingerprints key: a versioned name, so that a change in how the hash is made can be told apart.
FINGERPRINT_KEY = "mistCheck/v1"

_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*$")


def rule_name(rule_id: str) -> str:
    """``termination-notice`` -> ``TerminationNotice``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def doc_sections(doc: str) -> tuple[str, dict[str, str]]:
    """A rule docstring's summary line and its ``## Heading`` sections (text without the heading)."""
    text = inspect.cleandoc(doc or "")
    lines = text.splitlines()
    summary = lines[0].strip() if lines else ""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[1:]:
        match = _HEADING.match(line)
        if match:
            current = sections.setdefault(match.group("title").lower(), [])
        elif current is not None:
            current.append(line)
    return summary, {title: "\n".join(body).strip() for title, body in sections.items()}


def doc_citations(doc: str) -> list[str]:
    """The items of the docstring's ``## References`` list (continuation lines joined)."""
    items: list[str] = []
    for line in doc_sections(doc)[1].get("references", "").splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            items.append(stripped[2:].strip())
        elif stripped and items:
            items[-1] = f"{items[-1]} {stripped}"
        elif stripped:
            items.append(stripped)
    return items


def artifact_location(path: str) -> dict[str, Any]:
    """A file as findings name it: relative to ``%SRCROOT%`` (the working directory), else a file URI."""
    if "\\" in path and os.sep == "/":  # a name escaped by ``escape_name``: the URI has its bytes
        raw = name_bytes(path)
        if raw.startswith(b"/"):
            return {"uri": "file://" + quote(raw, safe="/")}
        return {"uri": quote(raw, safe="/"), "uriBaseId": SRCROOT}
    for flavour in (PurePosixPath, PureWindowsPath):
        pure = flavour(path)
        if pure.is_absolute():
            return {"uri": pure.as_uri()}
    return {"uri": quote(path.replace("\\", "/"), safe="/"), "uriBaseId": SRCROOT}


def _descriptor(rule_id: str, level: str, summary: str, doc: str, properties: dict[str, Any]) -> dict[str, Any]:
    _, sections = doc_sections(doc) if doc else ("", {})
    full = sections.get("what it does") or summary
    help_text = inspect.cleandoc(doc) if doc else summary
    return {
        "id": rule_id,
        "name": rule_name(rule_id),
        "shortDescription": {"text": summary or rule_id},
        "fullDescription": {"text": full or rule_id},
        "help": {"text": help_text or rule_id, "markdown": help_text or rule_id},
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }


def rule_descriptors(result: RunResult) -> list[dict[str, Any]]:
    """Every rule of the run and every core check, by id; and any other rule a finding names."""
    ids = sorted(set(result.rules) | set(CORE_CHECKS) | {f.rule for f in result.findings})
    out = []
    for rule_id in ids:
        rule = result.rules.get(rule_id)
        if rule is not None:
            props: dict[str, Any] = {"tags": ["compliance"], "citations": doc_citations(rule.doc),
                                     "plugin": rule.plugin}
            if rule.cases:
                props["cases"] = dict(rule.cases)
            if rule.params:
                props["parameters"] = dict(rule.params)
            out.append(_descriptor(rule_id, Severity.parse(rule.severity).value, rule.summary, rule.doc, props))
        elif rule_id in CORE_CHECKS:
            severity, text = CORE_CHECKS[rule_id]
            props = {"tags": ["compliance", "core"], "citations": [], "plugin": "mist_check (core)"}
            out.append(_descriptor(rule_id, severity, text, "", props))
        else:  # a finding of a rule no longer registered (e.g. from a baseline): describe it by id
            out.append(_descriptor(rule_id, "error", rule_id, "", {"tags": ["compliance"], "citations": []}))
    return out


def _message(f: Finding) -> str:
    cite = f.citation.text()
    return f"{f.message} [{cite}]" if cite else f.message


def _physical(f: Finding, line: int, column: int | None, index: int | None) -> dict[str, Any]:
    location = artifact_location(f.file)
    if index is not None:
        location["index"] = index
    region: dict[str, Any] = {"startLine": max(line, 1)}
    if column is not None:
        region["startColumn"] = max(column, 1)
    return {"physicalLocation": {"artifactLocation": location, "region": region}}


def _properties(f: Finding) -> dict[str, Any]:
    props: dict[str, Any] = {"pointer": f.pointer}
    if f.subject is not None:
        props["subject"] = f.subject
    citation = {key: value for key, value in f.citation.as_dict().items() if value is not None}
    if citation:
        props["citation"] = citation
    return props


def result_object(f: Finding, rule_index: int, artifact_index: int | None) -> dict[str, Any]:
    """One finding as a SARIF ``result``, with its suppression if it has one."""
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.severity.value,
        "message": {"text": _message(f)},
        "locations": [_physical(f, f.line, f.column, artifact_index)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": _properties(f),
    }
    if f.suppressed is not None:
        # A baseline's suppressions have no line: they live outside the source (kind "external").
        if f.suppressed.line > 0:
            suppression = {"kind": "inSource", "justification": f.suppressed.reason,
                           "location": _physical(f, f.suppressed.line, None, artifact_index)}
        else:
            suppression = {"kind": "external", "justification": f.suppressed.reason}
        out["suppressions"] = [suppression]
    return out


def document(result: RunResult) -> dict[str, Any]:
    """The whole SARIF log, built in a fixed order (the JSON keys keep it)."""
    rules = rule_descriptors(result)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    files = sorted(set(result.files) | {f.file for f in result.findings})
    file_index = {path: i for i, path in enumerate(files)}
    notifications = [{"level": "error", "message": {"text": error}} for error in result.errors]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "mist-check", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [invocation],
        "artifacts": [{"location": artifact_location(path), "roles": ["analysisTarget"]} for path in files],
        "results": [result_object(f, rule_index[f.rule], file_index.get(f.file)) for f in result.findings],
        # Columns count characters (code points), as the YAML loader does, not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "properties": {"policy": result.policy,
                       "asOf": result.as_of.isoformat() if result.as_of else None},
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def report(result: RunResult, stream: IO[str], **_: Any) -> None:
    """Write the log as indented JSON with a final newline."""
    json.dump(document(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
