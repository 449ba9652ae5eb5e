"""Suppression comments: on the fact's line or the line above, with a required reason."""
from __future__ import annotations

import json

import pytest

from helpers import summary
from mist_check.cli import main

AGREEMENT = """\
format: 1
trust: {{name: T}}
documents:
  - id: ma
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      termination:
{comment_above}        by_fund: {{notice_days: 90, at_any_time: true, without_penalty: true, section: "9"}}{comment_same}
      assignment: {{terminates_automatically: true, section: "9"}}
"""


def _trust(above: str = "", same: str = "") -> str:
    return AGREEMENT.format(comment_above=f"        {above}\n" if above else "", comment_same=f"  {same}" if same else "")


def test_unsuppressed_finding_is_reported(check):
    findings = check(_trust(), select=("termination-notice",))
    assert summary(findings) == [("termination-notice", 10, 32)]
    assert findings[0].suppressed is None


@pytest.mark.parametrize("where", ["above", "same"])
def test_comment_on_the_line_or_above_suppresses_with_reason(check, where):
    comment = "# mist-check: ignore[termination-notice] -- board resolution 2005-11-15 waived notice"
    text = _trust(above=comment) if where == "above" else _trust(same=comment)
    findings = check(text, select=("termination-notice",))
    assert [f.rule for f in findings] == ["termination-notice"]
    assert findings[0].suppressed is not None
    assert findings[0].suppressed.reason == "board resolution 2005-11-15 waived notice"


def test_comment_two_lines_above_does_not_suppress(check):
    text = _trust().replace("      termination:\n",
                            "      # mist-check: ignore[termination-notice] -- too far away\n      termination:\n")
    findings = check(text, select=("termination-notice",))
    live = [f for f in findings if f.rule == "termination-notice"]
    assert live[0].suppressed is None
    assert ("unused-suppression", 9, 7) in summary(findings)


@pytest.mark.parametrize("comment, words", [
    ("# mist-check: ignore[termination-notice]", "gives no reason"),
    ("# mist-check: ignore[termination-notice] --   ", "gives no reason"),
    ("# mist-check: ignore[no-such-rule] -- because", "unknown rule 'no-such-rule'"),
    ("# mist-check: ignore[fee-cap] -- nothing here", "suppresses nothing"),
    ("# mist-check: please ignore", "cannot read"),
])
def test_bad_or_unused_suppressions_are_reported(check, comment, words):
    findings = check(_trust(above=comment))
    unused = [f for f in findings if f.rule == "unused-suppression"]
    assert len(unused) == 1
    assert words in unused[0].message
    assert unused[0].severity.value == "warning"
    assert (unused[0].line, unused[0].column) == (10, 9)
    notice = [f for f in findings if f.rule == "termination-notice"]
    if "no reason" in words:  # a suppression without a reason does not suppress
        assert notice[0].suppressed is None


def test_suppression_of_a_rule_not_run_is_not_unused(check):
    comment = "# mist-check: ignore[termination-notice] -- waived"
    findings = check(_trust(above=comment), select=("assignment-termination",))
    assert findings == []


def test_suppressed_findings_are_counted_and_listed_in_json(run_files, capsys):
    run_files(_trust(same="# mist-check: ignore[termination-notice] -- waived by the board"))
    assert main(["check", ".", "--format", "json", "--no-entry-points", "--select", "termination-notice",
                 "--as-of", "2005-06-30"]) == 0  # suppressed: not failing
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["suppressed"] == 1 and doc["summary"]["errors"] == 0
    assert doc["findings"][0]["suppressed"] == {"reason": "waived by the board", "line": 10}


def test_parse_errors_cannot_be_suppressed(check):
    findings = check("format: 1\ntrust: {name: T}\n# mist-check: ignore[parse-error] -- no\ntrust: {name: U}\n")
    assert [(f.rule, f.suppressed) for f in findings if f.rule == "parse-error"] == [("parse-error", None)]


@pytest.mark.parametrize("rule, part", [
    ("schema", "documents:\n  - {id: x, kind: bogus}  # mist-check: ignore[schema] -- we know\n"),
    ("reference", "share_classes:\n  A: {plan: no-such-plan}  # mist-check: ignore[reference] -- later\n"),
])
def test_findings_of_an_incomplete_check_cannot_be_suppressed(check, rule, part):
    findings = check("format: 1\ntrust: {name: T}\n" + part)
    hidden = [f for f in findings if f.rule == rule]
    assert hidden and all(f.suppressed is None for f in hidden)
    unused = [f for f in findings if f.rule == "unused-suppression"]
    assert len(unused) == 1 and unused[0].line == 4
    assert unused[0].message == (f"{rule} cannot be suppressed: it means the check is incomplete; "
                                 "correct the input instead and remove the comment")
