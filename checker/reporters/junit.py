"""``--format junit``: a test suite per trust, a test case per rule that ran on it; no clock values."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from typing import IO, Any

from ..engine import RunResult, TrustResult
from ..findings import Finding, Severity

# The suite of findings that belong to no trust (a file that discovery could not read, say).
UNATTACHED = "(no trust)"
# The test case of a trust that the checker failed on.
ENGINE_CASE = "mist-check"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def finding_line(f: Finding) -> str:
    """``file:line:col: severity rule message [citation]``, as the text format writes it."""
    cite = f.citation.text()
    tail = f" [{cite}]" if cite else ""
    if f.suppressed is not None:
        tail += f" (suppressed: {f.suppressed.reason})"
    return f"{f.file}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}{tail}"


def _key(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.file, f.line, f.column, f.rule, f.message)


def group_findings(result: RunResult) -> tuple[list[list[Finding]], list[Finding]]:
    """The run's findings (a baseline may have marked them suppressed) by trust, and the rest.

    ``result.findings`` is the authority on suppression; each trust's own list only says which of
    them it produced, so the two are matched by the finding's sort key.
    """
    wanted = [Counter(_key(f) for f in t.findings) for t in result.trusts]
    grouped: list[list[Finding]] = [[] for _ in result.trusts]
    unattached: list[Finding] = []
    for f in result.findings:
        key = _key(f)
        for counts, bucket in zip(wanted, grouped):
            if counts[key] > 0:
                counts[key] -= 1
                bucket.append(f)
                break
        else:
            unattached.append(f)
    return grouped, unattached


def _text(lines: Iterable[str]) -> str:
    return _clean("\n".join(lines) + "\n")


def _testcase(suite: ET.Element, classname: str, rule: str, findings: list[Finding]) -> str | None:
    """Add the test case of one rule; return ``"failure"`` when it failed."""
    case = ET.SubElement(suite, "testcase", {"classname": _clean(classname), "name": rule, "time": "0"})
    live = [f for f in findings if f.suppressed is None]
    errors = [f for f in live if f.severity is Severity.ERROR]
    outcome = None
    if errors:
        failure = ET.SubElement(case, "failure", {"message": _clean(errors[0].message),
                                                  "type": Severity.ERROR.value})
        failure.text = _text(finding_line(f) for f in live)
        outcome = "failure"
    quiet = [f for f in findings if f.suppressed is not None or not errors]
    if quiet:  # warnings and notes of a passing rule, and what was suppressed
        ET.SubElement(case, "system-out").text = _text(finding_line(f) for f in quiet)
    return outcome


def _suite(parent: ET.Element, name: str, rules: Iterable[str], findings: list[Finding],
           trust: TrustResult | None) -> tuple[int, int, int]:
    suite = ET.SubElement(parent, "testsuite", {"name": _clean(name)})
    if trust is not None:
        props = ET.SubElement(suite, "properties")
        for key, value in (("trust", trust.name), ("policy", trust.policy),
                           ("as_of", trust.as_of.isoformat() if trust.as_of else "")):
            ET.SubElement(props, "property", {"name": key, "value": _clean(value)})
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    tests = failures = errors = 0
    if trust is not None and trust.error:
        case = ET.SubElement(suite, "testcase", {"classname": _clean(name), "name": ENGINE_CASE, "time": "0"})
        ET.SubElement(case, "error", {"message": _clean(trust.error), "type": "engine-error"}).text = \
            _text([f"{trust.root}: {trust.error}"])
        tests, errors = 1, 1
    for rule in sorted(set(rules) | set(by_rule)):
        tests += 1
        if _testcase(suite, name, rule, by_rule.get(rule, [])) == "failure":
            failures += 1
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", "0")
    return tests, failures, errors


def document(result: RunResult) -> ET.Element:
    """The ``<testsuites>`` element: a suite per trust, then one for findings of no trust."""
    root = ET.Element("testsuites", {"name": "mist-check"})
    totals = [0, 0, 0]
    grouped, unattached = group_findings(result)
    for trust, findings in zip(result.trusts, grouped):
        counts = _suite(root, trust.root, trust.rules, findings, trust)
        totals = [a + b for a, b in zip(totals, counts)]
    if unattached:
        counts = _suite(root, UNATTACHED, (), unattached, None)
        totals = [a + b for a, b in zip(totals, counts)]
    for name, value in zip(("tests", "failures", "errors"), totals):
        root.set(name, str(value))
    root.set("time", "0")
    return root


def report(result: RunResult, stream: IO[str], **_: Any) -> None:
    """Write the XML declaration and the indented document."""
    root = document(result)
    ET.indent(root, space="  ")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
