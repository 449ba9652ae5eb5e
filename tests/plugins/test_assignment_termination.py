"""assignment-termination: every advisory and distribution agreement ends on its assignment."""
from __future__ import annotations


import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "assignment-termination"
ADVISORY = "Investment Company Act of 1940 §15(a)(4)"
UNDERWRITING = "Investment Company Act of 1940 §15(b)(2); Rule 12b-1(b)(3)(iv)"
PLAN_7B = Citation("Class B Distribution Plan", "7(b)", None, UNDERWRITING)

MGMT_OK = '{terminates_automatically: true, section: "9"}'
DIST_OK = '{terminates_automatically: true, section: "11"}'
# The management agreement's `assignment` is on line 19, the distribution agreement's on line 26;
# both flow mappings open at column 19, so `terminates_automatically`'s value is at column 46.
MGMT_LINE, DIST_LINE, VALUE_COLUMN = 19, 26, 46


def trust(mgmt: str | None = MGMT_OK, dist: str | None = DIST_OK, *, mgmt_extra: str = "",
          dist_extra: str = "", related: str = "    related_plan: class-b-plan\n", classes: str = "") -> str:
    mgmt_line = f"      assignment: {mgmt}\n" if mgmt is not None else ""
    dist_line = f"      assignment: {dist}\n" if dist is not None else ""
    return f"""\
format: 1
trust:
  name: Test Trust
share_classes:
  B: {{plan: class-b-plan}}
{classes}documents:
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan
    share_class: B
    provisions:
      related_agreements:
        assignment: {{terminates_automatically: true, section: "7(b)"}}
  - id: management-agreement
    kind: management-agreement
    title: Management Agreement
    provisions:
      term: {{initial_until: 2005-12-31, section: "9"}}
{mgmt_line}{mgmt_extra}  - id: class-b-distribution
    kind: distribution-agreement
    title: Class B Distribution Agreement
{related}    provisions:
      term: {{initial_until: 2005-12-31, section: "3"}}
{dist_line}{dist_extra}"""


def test_compliant_agreements_have_no_finding(check):
    assert check(trust(), select=(RULE,)) == []


def test_missing_clause_of_a_management_agreement_is_at_provisions_under_15a4(check):
    findings = check(trust(mgmt=None), select=(RULE,))
    assert summary(findings) == [(RULE, 17, 5)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "/documents/1/provisions"
    assert finding.subject == "management-agreement"
    assert finding.citation == Citation("Management Agreement", None, None, ADVISORY)
    assert finding.message == ("Management Agreement does not provide that it terminates automatically on "
                               "its assignment")


@pytest.mark.parametrize(("related", "classes"), [
    ("    related_plan: class-b-plan\n", ""),
    ("", "  C: {plan: class-b-plan, distribution_agreement: class-b-distribution}\n"),
])
def test_missing_clause_of_a_related_agreement_is_cited_to_plan_section_7b(check, related, classes):
    findings = check(trust(dist=None, related=related, classes=classes), select=(RULE,))
    # the distribution agreement's `provisions:` is on line 24 either way (one line moves above it)
    assert summary(findings) == [(RULE, 24, 5)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == PLAN_7B
    assert finding.message == ("Class B Distribution Agreement does not provide that it terminates "
                               "automatically on its assignment; Class B Distribution Plan §7(b) requires it")


def test_missing_clause_of_an_unrelated_distribution_agreement_is_cited_to_it(check):
    findings = check(trust(dist=None, related=""), select=(RULE,))
    assert summary(findings) == [(RULE, 23, 5)]
    assert findings[0].citation == Citation("Class B Distribution Agreement", None, None, UNDERWRITING)
    assert "requires" not in findings[0].message


def test_missing_clause_without_provisions_key_is_located_at_the_id(check):
    extra = """\
  - id: sub-advisory
    kind: advisory-agreement
    title: Sub-Advisory Agreement
"""
    findings = check(trust(dist_extra=extra), select=(RULE,))
    assert summary(findings) == [(RULE, 27, 9)]
    (finding,) = findings
    assert finding.pointer == "/documents/3/id"
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation("Sub-Advisory Agreement", None, None, ADVISORY)


@pytest.mark.parametrize(("which", "line", "citation"), [
    ("mgmt", MGMT_LINE, Citation("Management Agreement", "9", None, ADVISORY)),
    ("dist", DIST_LINE, Citation("Class B Distribution Agreement", "11", "Class B Distribution Plan §7(b)",
                                 UNDERWRITING)),
])
def test_terminates_automatically_false_is_an_error_at_the_value(check, which, line, citation):
    clause = '{terminates_automatically: false, section: "%s"}' % ("9" if which == "mgmt" else "11")
    text = trust(mgmt=clause) if which == "mgmt" else trust(dist=clause)
    findings = check(text, select=(RULE,))
    assert summary(findings) == [(RULE, line, VALUE_COLUMN)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.pointer.endswith("/provisions/assignment/terminates_automatically")
    assert finding.citation == citation
    assert finding.message.endswith("does not terminate automatically on its assignment")


def test_clause_without_terminates_automatically_is_an_error_at_the_clause(check):
    findings = check(trust(mgmt='{section: "9"}'), select=(RULE,))
    assert summary(findings) == [(RULE, MGMT_LINE, 7)]
    assert findings[0].citation == Citation("Management Agreement", "9", None, ADVISORY)


def test_advisory_agreement_is_judged_under_15a4(check):
    extra = """\
  - id: sub-advisory
    kind: advisory-agreement
    title: Sub-Advisory Agreement
    provisions:
      assignment: {terminates_automatically: false, section: "8"}
"""
    findings = check(trust(dist_extra=extra), select=(RULE,))
    assert summary(findings) == [(RULE, 31, 46)]
    assert findings[0].citation == Citation("Sub-Advisory Agreement", "8", None, ADVISORY)


@pytest.mark.parametrize(("terminated", "expected"), [
    ("2004-12-31", []),
    ("2005-06-30", []),  # ended on as_of: not judged
    ("2005-07-01", [(RULE, 17, 5)]),
    ("null", [(RULE, 17, 5)]),
])
def test_agreements_that_ended_by_as_of_are_not_judged(check, terminated, expected):
    text = trust(mgmt=None, mgmt_extra=f"    terminated: {terminated}\n")
    assert summary(check(text, select=(RULE,))) == expected


def test_fee_waiver_and_plans_are_not_judged(check):
    extra = """\
  - id: expense-cap
    kind: fee-waiver
    title: Expense Limitation Agreement
"""
    assert check(trust(dist_extra=extra), select=(RULE,)) == []


def test_plan_without_section_for_related_agreements_is_still_named(check):
    text = trust(dist=None).replace('        assignment: {terminates_automatically: true, section: "7(b)"}\n',
                                    '        termination: {notice_days_max: 60, section: "7(a)"}\n')
    findings = check(text, select=(RULE,))
    assert summary(findings) == [(RULE, 24, 5)]
    assert findings[0].citation == Citation("Class B Distribution Plan", None, None, UNDERWRITING)
    assert findings[0].message.endswith("; Class B Distribution Plan requires it")


def test_closed_end_distribution_agreements_are_not_judged_but_advisory_ones_are(check):
    # ICA §15(b)(2) binds open-end companies' principal underwriters; §15(a)(4) binds every adviser.
    text = trust(mgmt=None, dist=None).replace("  name: Test Trust", "  name: Test Trust\n  type: closed-end")
    findings = check(text, select=(RULE,))
    assert [(f.subject, f.citation.authority) for f in findings] == [("management-agreement", ADVISORY)]
    text = trust(mgmt=None, dist=None).replace("  name: Test Trust", "  name: Test Trust\n  type: open-end")
    assert sorted(f.subject for f in check(text, select=(RULE,))) == ["class-b-distribution",
                                                                     "management-agreement"]


# --- the plan's own clause on its related agreements (Rule 12b-1(b)(3)(iv)), judged as written ----------


def test_a_plan_that_lets_related_agreements_survive_assignment_is_an_error_at_its_value(check):
    text = trust().replace('assignment: {terminates_automatically: true, section: "7(b)"}',
                           'assignment: {terminates_automatically: false, section: "7(b)"}')
    findings = check(text, select=(RULE,))
    assert summary(findings) == [(RULE, 13, 48)]
    (finding,) = findings
    assert finding.pointer == "/documents/0/provisions/related_agreements/assignment/terminates_automatically"
    assert finding.citation == Citation("Class B Distribution Plan", "7(b)", None, "Rule 12b-1(b)(3)(iv)")
    assert "write `terminates_automatically: true`" in finding.message


def test_a_plan_without_the_clause_is_not_a_finding_where_each_agreement_has_its_own(check):
    text = trust().replace('    provisions:\n      related_agreements:\n        assignment: '
                           '{terminates_automatically: true, section: "7(b)"}\n', "", 1)
    assert check(text, select=(RULE,)) == []


def test_a_closed_end_trusts_plan_is_not_judged(check):
    text = trust().replace('assignment: {terminates_automatically: true, section: "7(b)"}',
                           'assignment: {terminates_automatically: false, section: "7(b)"}')
    text = text.replace("  name: Test Trust\n", "  name: Test Trust\n  type: closed-end\n")
    assert [f for f in check(text, select=(RULE,)) if f.subject == "class-b-plan"] == []
