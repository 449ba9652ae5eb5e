"""``--format junit``: valid against Jenkins' junit-10.xsd, and read back as CI tools read it."""
from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml

from mist_check.engine import RunResult, TrustResult
from mist_check.findings import Citation, Finding, Severity, Suppression
from mist_check.reporters import junit

XSD = Path(__file__).resolve().parents[1] / "schemas" / "junit-10.xsd"
# tests/schemas/README.md: Jenkins xunit-plugin's junit-10.xsd (MIT), as pytest 9.2.0's sdist keeps it.
XSD_SHA256 = "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"
ROOT = "tests/reporters/data/violating/trust.yaml"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    assert hashlib.sha256(XSD.read_bytes()).hexdigest() == XSD_SHA256, f"{XSD} is not the pinned copy"
    return xmlschema.XMLSchema(str(XSD))


def render(result: RunResult) -> str:
    stream = io.StringIO()
    junit.report(result, stream)
    return stream.getvalue()


def parse(text: str | bytes) -> JUnitXml:
    # Bytes: junitparser uses lxml where it is installed (inscriptis brings it), and lxml refuses a
    # str that carries an encoding declaration.
    return JUnitXml.fromstring(text.encode("utf-8") if isinstance(text, str) else text)


@pytest.mark.parametrize("case", ["mist", "violating"])
def test_valid_against_junit_10_xsd(cli, schema, case):
    schema.validate(cli(case, "junit")[1].decode("utf-8"))


def test_read_back_with_junitparser(cli):
    xml = parse(cli("violating", "junit")[1])
    suites = list(xml)
    assert [s.name for s in suites] == [ROOT]
    (suite,) = suites
    cases = {c.name: c for c in suite}
    assert {"fee-cap", "termination-notice", "assignment-termination", "parse-error", "schema",
            "reference", "plugin-error", "unused-suppression"} <= set(cases)
    assert list(cases) == sorted(cases)
    assert all(c.classname == ROOT and c.time == 0 for c in suite)
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (len(cases), 1, 0, 0)
    assert (xml.tests, xml.failures, xml.errors) == (len(cases), 1, 0)
    assert {p.name: p.value for p in suite.properties()} == {
        "trust": "Example Trust: Reporter Tests", "policy": "reporter-tests", "as_of": "2005-06-30"}

    (failure,) = cases["fee-cap"].result
    assert isinstance(failure, Failure)
    assert failure.type == "error"
    assert failure.message == ("Growth Portfolio charges a class B distribution fee of 0.60%; "
                               "the Class B Distribution Plan caps it at 0.50%")
    assert failure.text == ("tests/reporters/data/violating/trust.yaml:24:31: error fee-cap " + failure.message
                            + " [Class B Distribution Plan §1; Rule 12b-1(b)(1)]\n")
    # a warning and a suppressed error: the rule passes, and says what it saw
    assert cases["termination-notice"].is_passed
    out = cases["termination-notice"].system_out.splitlines()
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in out] == ["warning", "error"]
    assert out[1].endswith("(suppressed: the board accepted 90 days on 2005-01-03, pending an amendment)")
    assert cases["assignment-termination"].is_passed
    assert ": note assignment-termination " in cases["assignment-termination"].system_out
    assert cases["annual-continuance"].is_passed and cases["annual-continuance"].system_out is None


def test_the_text_has_no_clock_values(cli):
    text = cli("violating", "junit")[1].decode("utf-8")
    assert "timestamp=" not in text and "hostname=" not in text
    assert text.count('time="0"') == text.count("<testcase") + text.count("<testsuite")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')


def finding(rule: str, severity: Severity, message: str, *, line: int = 5, file: str = "a/trust.yaml",
            suppressed: Suppression | None = None) -> Finding:
    return Finding(file=file, line=line, column=3, rule=rule, message=message, severity=severity,
                   citation=Citation("Plan", "7(a)", None, "Rule 12b-1"), suppressed=suppressed)


def test_failures_list_every_unsuppressed_finding_of_the_rule(schema):
    fs = [finding("fee-cap", Severity.WARNING, "first a warning", line=1),
          finding("fee-cap", Severity.ERROR, "the first error", line=2),
          finding("fee-cap", Severity.ERROR, "a second error", line=3),
          finding("fee-cap", Severity.ERROR, "accepted", line=4, suppressed=Suppression("why", 3))]
    trust = TrustResult(root="a/trust.yaml", name="A", policy="ica-1940", as_of=date(2005, 6, 30),
                        files=["a/trust.yaml"], findings=list(fs), rules=["fee-cap", "schema"])
    text = render(RunResult([trust], fs, {}, "ica-1940", date(2005, 6, 30)))
    schema.validate(text)
    (suite,) = parse(text)
    cases = {c.name: c for c in suite}
    (failure,) = cases["fee-cap"].result
    assert failure.message == "the first error"
    assert failure.text.splitlines() == [
        "a/trust.yaml:1:3: warning fee-cap first a warning [Plan §7(a); Rule 12b-1]",
        "a/trust.yaml:2:3: error fee-cap the first error [Plan §7(a); Rule 12b-1]",
        "a/trust.yaml:3:3: error fee-cap a second error [Plan §7(a); Rule 12b-1]"]
    assert cases["fee-cap"].system_out == ("a/trust.yaml:4:3: error fee-cap accepted [Plan §7(a); Rule 12b-1] "
                                           "(suppressed: why)\n")
    assert cases["schema"].is_passed


def test_a_failed_trust_is_an_error_case_and_stray_findings_get_a_suite(schema):
    ok = TrustResult(root="b/trust.yaml", name="B", files=["b/trust.yaml"], rules=["schema"])
    failed = TrustResult(root="a/trust.yaml", error="the checker failed on this trust: KeyError: 'x'")
    stray = finding("parse-error", Severity.ERROR, "bad <yaml> & \x01 control", file="c/broken.yaml")
    text = render(RunResult([failed, ok], [stray], {}, None, None))
    schema.validate(text)
    xml = parse(text)
    suites = {s.name: s for s in xml}
    assert list(suites) == ["a/trust.yaml", "b/trust.yaml", junit.UNATTACHED]
    (case,) = list(suites["a/trust.yaml"])
    assert case.name == junit.ENGINE_CASE
    (error,) = case.result
    assert isinstance(error, Error) and error.message == "the checker failed on this trust: KeyError: 'x'"
    assert (suites["a/trust.yaml"].errors, suites["a/trust.yaml"].tests) == (1, 1)
    (stray_case,) = list(suites[junit.UNATTACHED])
    assert stray_case.name == "parse-error"
    assert stray_case.result[0].message == "bad <yaml> & \ufffd control"
    assert (xml.tests, xml.failures, xml.errors) == (3, 1, 1)


def test_a_baseline_suppresses_what_the_trust_reported(cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    cli("violating", "json", "--write-baseline", str(baseline))
    code, out = cli("violating", "junit", "--baseline", str(baseline))
    assert code == 0
    (suite,) = parse(out)
    assert suite.failures == 0
    assert "(suppressed: in baseline baseline.json)" in {c.name: c for c in suite}["fee-cap"].system_out
