"""The JSON Schema of format 1 and its errors as ``schema`` findings: one per error, at its line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, summary
from jsonschema import Draft202012Validator

from mist_check.cli import main
from mist_check.loader import load_text
from mist_check.schema import PRUNED, schema_text, validate

ROOT = """\
format: 1
trust:
  name: T
"""

TRUSTEES = """\
trustees:
  - {name: Ann, independent: true, from: 2000-01-01}
  - {name: Bob, independent: false, from: 2000-01-01}
"""


def _schema_findings(findings):
    return [f for f in findings if f.rule == "schema"]


# --- values ---------------------------------------------------------------------------------------

def test_bare_number_rate_is_one_finding_saying_why(check) -> None:
    findings = check(ROOT + "portfolios:\n  - id: p1\n    management_fee: 0.5\n")
    assert summary(findings) == [("schema", 6, 21)]
    message = findings[0].message
    assert "management_fee" in message
    assert "string" in message and "bare number is ambiguous" in message
    assert "0.5" in message
    assert findings[0].pointer == "/portfolios/0/management_fee"


@pytest.mark.parametrize("rate", ['"0.50%"', '".25%"', '"50bp"', '"50 bps"', "'0.5 %'"])
def test_rate_strings_are_valid(check, rate: str) -> None:
    assert _schema_findings(check(ROOT + f"portfolios:\n  - id: p1\n    management_fee: {rate}\n")) == []


@pytest.mark.parametrize("rate", ['"0.50\\u00a0%"', '"\\ufeff50bp"'])
def test_a_rate_with_an_unusual_space_is_one_finding(check, rate: str) -> None:
    # spaces in a rate are ASCII (README, "Spaces in rates and periods"): the fast validator and
    # jsonschema must agree on what passes, and ECMA-262's \\s is not Python's
    findings = _schema_findings(check(ROOT + f"portfolios:\n  - id: p1\n    management_fee: {rate}\n"))
    assert summary(findings) == [("schema", 6, 21)]
    assert "a rate written as a string" in findings[0].message


@pytest.mark.parametrize(("value", "found"), [
    ('"0.5"', '"0.5"'), ('"-0.5%"', '"-0.5%"'), ("true", "true"), ("50", "the number 50"),
    ('"fifty bp"', '"fifty bp"'),
])
def test_rate_that_is_not_a_rate(check, value: str, found: str) -> None:
    findings = _schema_findings(
        check(ROOT + f"portfolios:\n  - id: p1\n    classes:\n      B: {{distribution_fee: {value}}}\n"))
    assert summary(findings) == [("schema", 7, 29)]
    assert findings[0].message.endswith(f"found {found}")
    assert findings[0].message.startswith("portfolios[0].classes.B.distribution_fee: expected a rate")


@pytest.mark.parametrize(("yaml_value", "key", "expected", "found"), [
    ("name: Ann\n    independent: maybe", "trustees[0].independent", "true or false", '"maybe"'),
    ("name: Ann\n    independent: no", "trustees[0].independent", "true or false", '"no"'),  # YAML 1.1 false
    ("name: 5", "trustees[0].name", "a string", "the number 5"),
    ("name: Ann\n    from: [2000]", "trustees[0].from", "an ISO date (YYYY-MM-DD) or null", "a list"),
])
def test_wrong_type_says_key_expected_and_found(check, yaml_value: str, key: str, expected: str,
                                                found: str) -> None:
    findings = check(ROOT + f"trustees:\n  - {yaml_value}\n")
    schema = _schema_findings(findings)
    assert len(schema) == 1
    assert schema[0].message == f"{key}: expected {expected}, found {found}"


def test_wrong_type_of_a_list(check) -> None:
    findings = check(ROOT + "documents: 5\n")
    assert summary(findings) == [("schema", 4, 12)]
    assert findings[0].message == "documents: expected a list, found the number 5"


def test_whole_file_that_is_not_a_mapping() -> None:
    src = load_text("- a\n- b\n", "t.yaml")
    findings = validate(src)
    assert [(f.rule, f.line, f.column) for f in findings] == [("schema", 1, 1)]
    assert "must be a mapping" in findings[0].message


def test_limits_are_said_in_words(check) -> None:
    findings = check(ROOT + """\
documents:
  - id: d1
    kind: distribution-plan
    title: ""
    provisions:
      related_agreements:
        termination: {notice_days_max: -1}
""")
    assert [f.message for f in findings if f.rule == "schema"] == [
        'documents[0].title: expected a string that is not empty, found ""',
        "documents[0].provisions.related_agreements.termination.notice_days_max: "
        "expected a whole number of at least 0, found the number -1",
    ]


# --- keys -----------------------------------------------------------------------------------------

def test_unknown_key_with_a_hint_at_the_keys_line(check) -> None:
    findings = check(ROOT + "portfolios:\n  - id: p1\n    managment_fee: \"0.10%\"\n    colour: red\n")
    assert summary(findings) == [("schema", 6, 5), ("schema", 7, 5)]
    assert findings[0].message == ("unknown key 'managment_fee' in portfolios[0] "
                                   "(did you mean 'management_fee'?)")
    assert findings[1].message == "unknown key 'colour' in portfolios[0]"


def test_a_required_key_misspelt_is_one_finding_at_the_key(check) -> None:
    """One mistake, one finding: not "the required key 'id' is missing" beside "unknown key 'idd'"."""
    findings = _schema_findings(check(ROOT + "portfolios:\n  - idd: p1\n    name: P\n"))
    assert summary(findings) == [("schema", 5, 5)]
    assert findings[0].message == "unknown key 'idd' in portfolios[0] (did you mean 'id'? it is required)"


def test_a_required_key_written_as_another_word_is_one_finding_saying_both(check) -> None:
    findings = _schema_findings(check(ROOT + "portfolios:\n  - key: p1\n    name: P\n"))
    assert summary(findings) == [("schema", 5, 5)]
    assert findings[0].message == ("unknown key 'key' in portfolios[0], and the required key 'id' is missing: "
                                   "if 'key' holds it, write 'id'")


def test_a_missing_key_beside_two_unknown_ones_is_not_guessed(check) -> None:
    findings = _schema_findings(check(ROOT + "portfolios:\n  - key: p1\n    colour: red\n"))
    assert sorted(f.message for f in findings) == ["portfolios[0]: the required key 'id' is missing",
                                                   "unknown key 'colour' in portfolios[0]",
                                                   "unknown key 'key' in portfolios[0]"]


def test_unknown_top_level_key(check) -> None:
    findings = check(ROOT + "portfolio:\n  - id: p1\n")
    assert summary(findings) == [("schema", 4, 1)]
    assert "did you mean 'portfolios'?" in findings[0].message


def test_x_keys_are_free_in_provisions(check) -> None:
    text = ROOT + """\
documents:
  - id: d1
    kind: fee-waiver
    title: Waiver
    dated: 2004-01-01
    provisions:
      x_board_note: anything
"""
    assert _schema_findings(check(text)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("trust:\n  name: T\n", [("schema", 1, 1, "the file: the required key 'format' is missing")]),
    ("format: 1\ntrust:\n  type: open-end\n",
     [("schema", 2, 1, "trust: the required key 'name' is missing")]),
    (ROOT + "documents:\n  - id: d1\n    kind: fee-waiver\n  - title: X\n",
     [("schema", 5, 5, "documents[0]: the required key 'title' is missing"),
      ("schema", 7, 5, "documents[1]: the required key 'id' is missing"),
      ("schema", 7, 5, "documents[1]: the required key 'kind' is missing")]),
    (ROOT + "portfolios:\n  - name: P\n", [("schema", 5, 5, "portfolios[0]: the required key 'id' is missing")]),
    (ROOT + "meetings:\n  - in_person: true\n",
     [("schema", 5, 5, "meetings[0]: the required key 'actions' is missing"),
      ("schema", 5, 5, "meetings[0]: the required key 'date' is missing")]),
])
def test_missing_required_keys_at_the_objects_line(check, text: str, expected: list) -> None:
    findings = _schema_findings(check(text))
    assert [(f.rule, f.line, f.column, f.message) for f in findings] == expected


def test_format_must_be_one(check) -> None:
    findings = check("format: 2\ntrust: {name: T}\n")
    assert summary(findings) == [("schema", 1, 9)]
    assert findings[0].message == "format: expected format version 1, found the number 2"


# --- share classes --------------------------------------------------------------------------------

def test_unquoted_class_names_are_strings_and_valid(check) -> None:
    text = ROOT + """\
share_classes:
  N: {}
  Y: null
  no: {}
portfolios:
  - id: p1
    classes: {N: {}, Y: {offered: true}, no: null}
documents:
  - id: mcp
    kind: multi-class-plan
    title: Multi-Class Plan
    adopted: 2000-01-01
    designates: [N, Y, no]
"""
    assert [f for f in check(text) if f.rule in ("schema", "parse-error", "reference")] == []


def test_bad_class_name_is_reported_at_its_key(check) -> None:
    findings = check(ROOT + 'share_classes:\n  B: {}\n  "B!": {}\nportfolios:\n  - id: p\n'
                     '    classes: {B: {}, "-z": {}}\n')
    assert summary(findings) == [("schema", 6, 3), ("schema", 9, 22)]
    assert findings[0].message.startswith('share_classes: the key "B!" is not valid: expected a share-class')
    assert findings[0].pointer == "/share_classes/B!"
    assert findings[1].pointer == "/portfolios/0/classes/-z"


# --- dates and periods ----------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "found"), [
    ("2003-02-30", '"2003-02-30"'), ("2003-13-01", '"2003-13-01"'), ("2003-5-1", '"2003-5-1"'),
    ("20030501", "the number 20030501"), ("May 1, 2003", '"May 1, 2003"'),
])
def test_invalid_date(check, day: str, found: str) -> None:
    findings = check(ROOT + f"documents:\n  - id: d1\n    kind: distribution-plan\n    title: P\n"
                     f"    adopted: {day}\n")
    assert summary(_schema_findings(findings)) == [("schema", 8, 14)]
    assert findings[0].message == (f"documents[0].adopted: expected an ISO date (YYYY-MM-DD) or null, "
                                   f"found {found}")


def test_invalid_as_of_and_trustee_dates(check) -> None:
    findings = check("format: 1\nas_of: 2005-02-29\ntrust: {name: T, names: [{name: X, from: 2001-00-10}]}\n")
    assert summary(findings) == [("schema", 2, 8), ("schema", 3, 42)]


@pytest.mark.parametrize("period", ['"30 days"', '"1 day"', '"3 months"', '"1 month"', '"2 years"',
                                    '"1 year"', "quarter", "year", "month"])
def test_valid_periods(check, period: str) -> None:
    text = ROOT + f"""\
documents:
  - id: d1
    kind: distribution-plan
    title: P
    adopted: 2004-01-01
    provisions:
      continuance: {{every: {period}, after: {period}, section: "4"}}
"""
    assert _schema_findings(check(text)) == []


@pytest.mark.parametrize(("period", "found"), [
    ('"1 fortnight"', '"1 fortnight"'), ("30", "the number 30"), ('"days 30"', '"days 30"'),
    ('"-1 days"', '"-1 days"'), ('"quarterly"', '"quarterly"'),
])
def test_invalid_periods(check, period: str, found: str) -> None:
    text = ROOT + f"""\
documents:
  - id: d1
    kind: distribution-plan
    title: P
    adopted: 2004-01-01
    provisions:
      reporting: {{every: {period}, section: "5"}}
"""
    findings = _schema_findings(check(text))
    assert summary(findings) == [("schema", 10, 26)]
    assert findings[0].message == ("documents[0].provisions.reporting.every: expected a period such as "
                                   f'"30 days", "3 months", "1 year" or "quarter", found {found}')


# --- requirement trees ----------------------------------------------------------------------------

def _plan_with(requires: str) -> str:
    return ROOT + f"""\
documents:
  - id: d1
    kind: distribution-plan
    title: P
    adopted: 2004-01-01
    provisions:
      approval: {{requires: {requires}, section: "3"}}
"""


@pytest.mark.parametrize("tree", [
    "trustees", "{all_of: [trustees, independent_trustees]}",
    "{all_of: [{any_of: [trustees, shareholders]}, independent_trustees]}",
    "{any_of: [class_shareholders]}",
])
def test_valid_requirement_trees(check, tree: str) -> None:
    assert _schema_findings(check(_plan_with(tree))) == []


def test_every_bad_body_is_named(check) -> None:
    findings = _schema_findings(check(_plan_with("{all_of: [b1, b2]}")))
    assert summary(findings) == [("schema", 10, 38), ("schema", 10, 42)]
    assert [f.message[-4:] for f in findings] == ['"b1"', '"b2"']


@pytest.mark.parametrize(("tree", "column", "where", "found"), [
    ("{all_of: [trustees, bogus]}", 48, "all_of[1]", '"bogus"'),
    ("{all_of: [trustees, {any_of: [shareholders, boss]}]}", 72, "all_of[1].any_of[1]", '"boss"'),
    ("trustee", 28, "", '"trustee"'),
])
def test_bad_body_is_named(check, tree: str, column: int, where: str, found: str) -> None:
    findings = _schema_findings(check(_plan_with(tree)))
    assert summary(findings) == [("schema", 10, column)]
    key = "documents[0].provisions.approval.requires" + ("." + where if where else "")
    assert findings[0].message == f"{key}: expected a body, {{all_of: [...]}} or {{any_of: [...]}}, found {found}"


def test_empty_all_of(check) -> None:
    findings = _schema_findings(check(_plan_with("{all_of: []}")))
    assert summary(findings) == [("schema", 10, 37)]
    assert findings[0].message.endswith("all_of: expected a list with at least 1 item, found an empty list")


# --- one finding per error; pruning ---------------------------------------------------------------

def test_class_entry_errors_are_all_reported(check) -> None:
    findings = _schema_findings(check(ROOT + "portfolios:\n  - id: p\n    classes: {B: 5, C: {bogus: 1}}\n"))
    assert [(f.line, f.column, f.message) for f in findings] == [
        (6, 18, "portfolios[0].classes.B: expected a mapping or null, found the number 5"),
        (6, 25, "unknown key 'bogus' in portfolios[0].classes.C"),
    ]


def test_one_finding_per_error(check) -> None:
    text = ROOT + """\
portfolios:
  - id: P1
    management_fee: 0.5
    classes: {B: {distribution_fee: 25, offered: "yes"}}
  - id: p2
    typo: 1
"""
    findings = check(text)
    assert summary(findings) == [("schema", 5, 9), ("schema", 6, 21), ("schema", 7, 37),
                                 ("schema", 7, 50), ("schema", 9, 5)]
    assert len({f.message for f in findings}) == 5


def test_failing_document_is_pruned_without_cascading_references(check) -> None:
    text = ROOT + TRUSTEES + """\
share_classes:
  B: {plan: class-b-plan}
documents:
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan
    adopted: 2004-01-01
    colour: red
meetings:
  - date: 2004-01-01
    in_person: true
    called_for_purpose: true
    actions:
      - {approves: class-b-plan, action: initial, for: [Ann, Bob]}
reports:
  - {plan: class-b-plan, period_end: 2004-03-31, reviewed: 2004-04-15}
"""
    assert summary(check(text)) == [("schema", 14, 5)]


def test_pruned_items_keep_the_positions_of_the_others(check) -> None:
    text = ROOT + """\
portfolios:
  - id: p1
    management_fee: 0.5
  - id: p2
documents:
  - id: mgmt
    kind: management-agreement
    title: Management Agreement
    dated: 2004-01-01
    fee_schedule: {p1: "0.10%", ghost: "0.10%"}
"""
    findings = [f for f in check(text) if f.rule in ("schema", "reference")]
    # p1 failed the schema: the fee schedule's p1 is not reported again; ghost still is, at its key
    assert summary(findings) == [("schema", 6, 21), ("reference", 13, 33)]


def test_validate_replaces_failing_list_items_in_place() -> None:
    src = load_text(ROOT + "portfolios:\n  - {id: p1, management_fee: 0.5}\n  - {id: p2}\n", "t.yaml")
    findings = validate(src)
    assert len(findings) == 1
    assert src.data["portfolios"] == [PRUNED, {"id": "p2"}]
    assert src.pruned_ids == {"p1"}


def test_part_files_are_validated_against_the_lists_only(check) -> None:
    findings = check({
        "trust.yaml": ROOT + "include: [parts/*.yaml]\n",
        "parts/a.yaml": "format: 1\nportfolios:\n  - {id: p1, bogus: 1}\n",
    })
    assert [(f.file, f.rule, f.line, f.column) for f in findings] == [
        ("parts/a.yaml", "schema", 1, 1), ("parts/a.yaml", "schema", 3, 14)]


# --- the schema itself ----------------------------------------------------------------------------

def test_schema_command_prints_the_shipped_valid_schema(capsys) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    Draft202012Validator.check_schema(data)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    shipped = (REPO / "checker" / "format-1.schema.json").read_text(encoding="utf-8")
    assert out == shipped == schema_text()


def test_shipped_schema_matches_its_generator(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    subprocess.run([sys.executable, str(REPO / "tools" / "gen_schema.py"), str(out)], check=True)
    assert out.read_text(encoding="utf-8") == schema_text()


def test_sample_trust_is_valid() -> None:
    from mist_check.loader import load_file

    for path in sorted((REPO / "fixtures" / "mist").rglob("*.yaml")):
        assert validate(load_file(path)) == [], path
