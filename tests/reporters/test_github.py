"""``--format github``: workflow commands, escaped as the Actions runner reads them."""
from __future__ import annotations

import io

import pytest

from mist_check.engine import RunResult, TrustResult
from mist_check.findings import Citation, Finding, Severity, Suppression
from mist_check.reporters import github


@pytest.mark.parametrize(("text", "data", "prop"), [
    ("plain", "plain", "plain"),
    ("0.60%", "0.60%25", "0.60%25"),
    ("%0A is literal", "%250A is literal", "%250A is literal"),
    ("two\nlines\r\n", "two%0Alines%0D%0A", "two%0Alines%0D%0A"),
    ("a: b, c", "a: b, c", "a%3A b%2C c"),
    ("C:\\funds,x.yaml", "C:\\funds,x.yaml", "C%3A\\funds%2Cx.yaml"),
])
def test_escaping(text, data, prop):
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


def test_one_command_per_unsuppressed_finding(cli):
    code, out = cli("violating", "github")
    assert code == 1
    lines = out.decode("utf-8").splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::notice", "::warning", "::error"]
    assert lines[2] == (
        "::error file=tests/reporters/data/violating/trust.yaml,line=24,col=31,title=fee-cap::"
        "Growth Portfolio charges a class B distribution fee of 0.60%25; the Class B Distribution Plan caps it "
        "at 0.50%25 [Class B Distribution Plan §1; Rule 12b-1(b)(1)]")
    assert "90 days" not in out.decode("utf-8")  # the suppressed finding
    assert lines[-1] == "1 trust, 3 files: 1 error, 1 warning, 1 note, 1 suppressed"


def test_properties_and_message_are_escaped():
    # a line break from the data is shown as its escape: one annotation, one line
    f = Finding(file="funds/a,b:c.yaml", line=7, column=2, rule="fee-cap", message="50% over\nthe cap",
                severity=Severity.WARNING, citation=Citation(None, None, None, None))
    assert github.command(f) == "::warning file=funds/a%2Cb%3Ac.yaml,line=7,col=2,title=fee-cap::50%25 over\\x0athe cap"


def test_failed_trusts_are_reported_too():
    kept = Finding(file="a.yaml", line=1, column=1, rule="schema", message="m", severity=Severity.NOTE,
                   suppressed=Suppression("why", 1))
    result = RunResult([TrustResult(root="a.yaml", error="boom:\n1")], [kept], {}, None, None)
    stream = io.StringIO()
    github.report(result, stream)
    assert stream.getvalue() == ("::error title=mist-check::a.yaml: boom:\\x0a1\n"
                                 "1 trust, 1 file: 0 errors, 0 warnings, 0 notes, 1 suppressed\n")
