"""termination-notice: the fund can end each agreement at any time, without penalty, on <= 60 days."""
from __future__ import annotations


import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "termination-notice"
ADVISORY = "Investment Company Act of 1940 §15(a)(3)"
RELATED = "Rule 12b-1(b)(3)(iv)"

MGMT_OK = ("{notice_days: 60, notice_bound: exactly, written: true, at_any_time: true, without_penalty: true, "
           "by: {any_of: [trustees, shareholders]}, section: \"9\"}")
DIST_OK = ("{notice_days: 60, notice_bound: at-most, at_any_time: true, without_penalty: true, "
           "by: {any_of: [independent_trustees, class_shareholders]}, section: \"5\"}")

# The management agreement's `by_fund` is on line 21, the distribution agreement's on line 30; both
# flow mappings open at column 18, so a key whose text starts at offset k in the mapping sits at 18 + k.
MGMT_LINE, DIST_LINE = 21, 30


def trust(mgmt: str = MGMT_OK, dist: str = DIST_OK, *, mgmt_extra: str = "", dist_extra: str = "") -> str:
    return f"""\
format: 1
trust:
  name: Test Trust
share_classes:
  B: {{plan: class-b-plan}}
documents:
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan
    share_class: B
    provisions:
      termination: {{by: {{any_of: [independent_trustees, class_shareholders]}}, section: "6"}}
      related_agreements:
        termination: {{notice_days_max: 60, without_penalty: true, section: "7(a)"}}
        assignment: {{terminates_automatically: true, section: "7(b)"}}
  - id: management-agreement
    kind: management-agreement
    title: Management Agreement
    provisions:
      termination:
        by_fund: {mgmt}
        by_counterparty: {{notice_days: 90, notice_bound: exactly, written: true, section: "9"}}
      assignment: {{terminates_automatically: true, section: "9"}}
{mgmt_extra}  - id: class-b-distribution
    kind: distribution-agreement
    title: Class B Distribution Agreement
    related_plan: class-b-plan
    provisions:
      termination:
        by_fund: {dist}
      assignment: {{terminates_automatically: true, section: "11"}}
{dist_extra}"""


MGMT_CITE = Citation("Management Agreement", "9", None, ADVISORY)
DIST_CITE = Citation("Class B Distribution Agreement", "5", "Class B Distribution Plan §7(a)", RELATED)


def test_compliant_agreements_have_no_finding(check):
    assert check(trust(), select=(RULE,)) == []


def test_the_managers_own_90_days_notice_is_lawful(check):
    # The 60-day ceiling binds the fund's right only (Management Agreement §9: the Manager on 90 days).
    text = trust()
    assert "by_counterparty: {notice_days: 90" in text
    assert check(text, select=(RULE,)) == []


def test_written_false_is_not_judged(check):
    mgmt = MGMT_OK.replace("written: true", "written: false")
    assert check(trust(mgmt=mgmt), select=(RULE,)) == []


@pytest.mark.parametrize(("by_fund", "column"), [
    ("{notice_days: 90, notice_bound: exactly, at_any_time: true, without_penalty: true, section: \"9\"}", 32),
    ("{notice_days: 61, notice_bound: at-most, at_any_time: true, without_penalty: true, section: \"9\"}", 32),
    ("{notice_days: 90, notice_bound: at-least, at_any_time: true, without_penalty: true, section: \"9\"}", 32),
    ("{notice_bound: exactly, notice_days: 90, at_any_time: true, without_penalty: true, section: \"9\"}", 55),
    ("{at_any_time: true, without_penalty: true, notice_days: 120, section: \"9\"}", 74),
])
def test_notice_above_the_maximum_is_an_error_whatever_the_bound(check, by_fund, column):
    findings = check(trust(mgmt=by_fund), select=(RULE,))
    assert summary(findings) == [(RULE, MGMT_LINE, column)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == MGMT_CITE
    assert finding.subject == "management-agreement"
    assert finding.pointer == "/documents/1/provisions/termination/by_fund/notice_days"
    assert "Management Agreement lets the fund terminate only on" in finding.message
    assert "at most 60 are allowed" in finding.message


def test_notice_above_the_maximum_on_a_related_agreement_cites_the_plan(check):
    dist = DIST_OK.replace("notice_days: 60", "notice_days: 75")
    findings = check(trust(dist=dist), select=(RULE,))
    assert summary(findings) == [(RULE, DIST_LINE, 32)]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == DIST_CITE
    assert "75 days' notice" in findings[0].message


@pytest.mark.parametrize("days", [60, 30])
def test_at_least_with_the_maximum_or_fewer_days_is_a_warning(check, days):
    by_fund = (f"{{notice_days: {days}, notice_bound: at-least, at_any_time: true, without_penalty: true, "
               "section: \"9\"}")
    findings = check(trust(mgmt=by_fund), select=(RULE,))
    # the warning is at the bound, the words that set a floor
    assert summary(findings) == [(RULE, MGMT_LINE, 50)]
    (finding,) = findings
    assert finding.severity is Severity.WARNING
    assert finding.citation == MGMT_CITE
    assert finding.pointer.endswith("/by_fund/notice_bound")
    assert f"not less than {days} days' notice" in finding.message
    assert "not more than 60 days" in finding.message


@pytest.mark.parametrize(("by_fund", "column", "pointer"), [
    # no number, as the format writes it
    ("{notice_days: null, notice_bound: none, at_any_time: true, without_penalty: true, section: \"9\"}",
     32, "/notice_days"),
    # a number the bound denies
    ("{notice_bound: none, notice_days: 60, at_any_time: true, without_penalty: true, section: \"9\"}",
     52, "/notice_days"),
    # null days with the default bound
    ("{notice_days: null, at_any_time: true, without_penalty: true, section: \"9\"}", 32, "/notice_days"),
    # no notice_days key at all: at the clause
    ("{notice_bound: none, at_any_time: true, without_penalty: true, section: \"9\"}", 9, ""),
    ("{at_any_time: true, without_penalty: true, section: \"9\"}", 9, ""),
])
def test_no_number_of_days_is_an_error(check, by_fund, column, pointer):
    findings = check(trust(mgmt=by_fund), select=(RULE,))
    assert summary(findings) == [(RULE, MGMT_LINE, column)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == MGMT_CITE
    assert finding.pointer == "/documents/1/provisions/termination/by_fund" + pointer
    assert "gives no number of days' notice" in finding.message


@pytest.mark.parametrize(("by_fund", "column", "words"), [
    ("{notice_days: 60, at_any_time: true, without_penalty: false, section: \"9\"}", 72,
     "without payment of any penalty"),
    ("{notice_days: 60, at_any_time: true, section: \"9\"}", 9, "without payment of any penalty"),
    ("{notice_days: 60, at_any_time: false, without_penalty: true, section: \"9\"}", 49, "at any time"),
    ("{notice_days: 60, without_penalty: true, section: \"9\"}", 9, "at any time"),
])
def test_no_without_penalty_or_no_at_any_time_is_an_error(check, by_fund, column, words):
    findings = check(trust(mgmt=by_fund), select=(RULE,))
    assert summary(findings) == [(RULE, MGMT_LINE, column)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == MGMT_CITE
    assert finding.message == f"Management Agreement does not let the fund terminate it {words}"


def test_each_missing_word_is_its_own_finding(check):
    findings = check(trust(mgmt="{notice_days: 60, section: \"9\"}"), select=(RULE,))
    assert summary(findings) == [(RULE, MGMT_LINE, 9), (RULE, MGMT_LINE, 9)]
    assert sorted(f.message.rsplit(" it ", 1)[1] for f in findings) == [
        "at any time", "without payment of any penalty"]


@pytest.mark.parametrize(("which", "by", "bodies"), [
    # an advisory agreement: the board and the shareholders must each be able to act alone
    ("mgmt", "trustees", "the shareholders"),
    ("mgmt", "{all_of: [trustees, shareholders]}", "the trustees or the shareholders"),
    ("mgmt", "{any_of: [independent_trustees, shareholders]}", "the trustees"),
    # a distribution agreement related to a plan: the independent trustees and the class's shareholders
    ("dist", "{any_of: [trustees, shareholders]}", "the independent trustees or the class shareholders"),
    ("dist", "{any_of: [independent_trustees, trustees]}", "the class shareholders"),
    ("dist", "{all_of: [independent_trustees, class_shareholders]}",
     "the independent trustees or the class shareholders"),
])
def test_by_must_let_each_body_the_law_names_act_alone(check, which, by, bodies):
    by_fund = f"{{notice_days: 60, at_any_time: true, without_penalty: true, by: {by}, section: \"{{s}}\"}}"
    if which == "mgmt":
        findings = check(trust(mgmt=by_fund.replace("{s}", "9")), select=(RULE,))
        line, cite, title = MGMT_LINE, MGMT_CITE, "Management Agreement"
    else:
        findings = check(trust(dist=by_fund.replace("{s}", "5")), select=(RULE,))
        line, cite, title = DIST_LINE, DIST_CITE, "Class B Distribution Agreement"
    # `by:` is at offset 60 of the mapping: its value at column 18 + 60 + 4
    assert summary(findings) == [(RULE, line, 82)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == cite
    assert finding.pointer.endswith("/by_fund/by")
    assert finding.message.startswith(f"{title} does not let {bodies} terminate it alone")


@pytest.mark.parametrize(("which", "by"), [
    ("mgmt", "{any_of: [trustees, shareholders]}"),
    ("mgmt", "{any_of: [trustees, independent_trustees, shareholders]}"),
    ("dist", "{any_of: [independent_trustees, class_shareholders]}"),
    ("dist", "{any_of: [class_shareholders, {all_of: [trustees, shareholders]}, independent_trustees]}"),
])
def test_by_that_lets_each_body_act_alone_is_compliant(check, which, by):
    by_fund = f"{{notice_days: 60, at_any_time: true, without_penalty: true, by: {by}, section: \"9\"}}"
    text = trust(mgmt=by_fund) if which == "mgmt" else trust(dist=by_fund)
    assert check(text, select=(RULE,)) == []


MISSING_DIST = """\
  - id: other-distribution
    kind: distribution-agreement
    title: Class C Distribution Agreement
{related}    provisions:
      assignment: {{terminates_automatically: true, section: "11"}}
"""


@pytest.mark.parametrize(("related", "classes"), [
    ("    related_plan: class-b-plan\n", ""),
    ("", "  C: {plan: class-b-plan, distribution_agreement: other-distribution}\n"),
])
def test_missing_clause_of_a_related_agreement_is_cited_to_plan_section_7a(check, related, classes):
    text = trust(dist_extra=MISSING_DIST.format(related=related))
    text = text.replace("  B: {plan: class-b-plan}\n", "  B: {plan: class-b-plan}\n" + classes)
    findings = check(text, select=(RULE,))
    provisions_line = text.splitlines().index("    provisions:", 30) + 1
    assert summary(findings) == [(RULE, provisions_line, 5)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation("Class B Distribution Plan", "7(a)", None, RELATED)
    assert finding.pointer.endswith("/provisions")
    assert finding.message == ("Class C Distribution Agreement has no clause letting the fund terminate it; "
                               "Class B Distribution Plan §7(a) requires one")


def test_missing_clause_of_an_advisory_agreement_is_located_at_provisions(check):
    extra = """\
  - id: sub-advisory
    kind: advisory-agreement
    title: Sub-Advisory Agreement
    provisions:
      assignment: {terminates_automatically: true, section: "8"}
"""
    findings = check(trust(mgmt_extra=extra), select=(RULE,))
    assert summary(findings) == [(RULE, 27, 5)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation("Sub-Advisory Agreement", None, None, ADVISORY)
    assert finding.message == "Sub-Advisory Agreement has no clause letting the fund terminate it"


def test_missing_clause_without_provisions_key_is_located_at_the_id(check):
    extra = """\
  - id: sub-advisory
    kind: advisory-agreement
    title: Sub-Advisory Agreement
"""
    findings = check(trust(mgmt_extra=extra), select=(RULE,))
    assert summary(findings) == [(RULE, 24, 9)]
    assert findings[0].pointer == "/documents/2/id"


def test_counterparty_clause_alone_is_a_missing_fund_clause(check):
    text = trust().replace("        by_fund: " + MGMT_OK + "\n", "")
    findings = check(text, select=(RULE,))
    assert summary(findings) == [(RULE, 19, 5)]
    assert findings[0].citation == Citation("Management Agreement", None, None, ADVISORY)


@pytest.mark.parametrize(("terminated", "expected"), [
    ("2005-01-31", []),
    ("2005-06-30", []),  # ended on as_of: not judged
    ("2005-07-01", [(RULE, MGMT_LINE, 32)]),  # still in force at as_of
    ("null", [(RULE, MGMT_LINE, 32)]),
])
def test_agreements_that_ended_by_as_of_are_not_judged(check, terminated, expected):
    by_fund = "{notice_days: 90, at_any_time: true, without_penalty: true, section: \"9\"}"
    text = trust(mgmt=by_fund, mgmt_extra=f"    terminated: {terminated}\n")
    assert summary(check(text, select=(RULE,))) == expected


def test_fee_waiver_documents_are_not_judged(check):
    extra = """\
  - id: expense-cap
    kind: fee-waiver
    title: Expense Limitation Agreement
"""
    assert check(trust(dist_extra=extra), select=(RULE,)) == []


def test_a_clause_replaced_by_an_amendment_is_cited_to_the_amendment(check):
    extra = """\
    amendments:
      - id: mgmt-amendment-1
        title: Amendment No. 1
        dated: 2005-01-01
        provisions:
          termination:
            by_fund: {notice_days: 90, at_any_time: true, without_penalty: true, section: "2"}
"""
    findings = check(trust(mgmt_extra=extra), select=(RULE,))
    assert summary(findings) == [(RULE, 30, 36)]
    assert findings[0].citation == Citation("Amendment No. 1 to the Management Agreement", "2", None, ADVISORY)


PLAN_AUTHORITY = "Rule 12b-1(b)(3)(iii)"


def _plan_trust(termination: str, trust_type: str = "open-end") -> str:
    return f"""\
format: 1
trust: {{name: T, type: {trust_type}}}
share_classes: {{B: {{plan: class-b-plan}}}}
documents:
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan
    share_class: B
    provisions:
{termination}      fee_cap: {{rate: "0.50%", section: "1"}}
"""


@pytest.mark.parametrize("by, ok", [
    ("{any_of: [independent_trustees, class_shareholders]}", True),
    ("{any_of: [independent_trustees, class_shareholders, trustees]}", True),
    ("{all_of: [independent_trustees, class_shareholders]}", False),  # neither may act alone
    ("independent_trustees", False),                                  # the shareholders may not
    ("{any_of: [trustees, class_shareholders]}", False),              # the whole board is not the rule's body
])
def test_a_plan_must_be_terminable_by_each_body_alone(check, by, ok):
    findings = check(_plan_trust(f'      termination: {{by: {by}, section: "6"}}\n'), select=(RULE,))
    if ok:
        assert findings == []
        return
    assert summary(findings) == [(RULE, 10, 25)]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == Citation("Class B Distribution Plan", "6", None, PLAN_AUTHORITY)
    assert "terminate it alone" in findings[0].message


def test_a_plan_without_a_termination_clause_is_reported_at_provisions(check):
    findings = check(_plan_trust(""), select=(RULE,))
    assert summary(findings) == [(RULE, 9, 5)]
    assert findings[0].citation == Citation("Class B Distribution Plan", None, None, PLAN_AUTHORITY)
    assert "does not say who may terminate it" in findings[0].message


def test_closed_end_trusts_plans_and_distribution_agreements_are_not_judged(check):
    assert check(_plan_trust("", trust_type="closed-end"), select=(RULE,)) == []
    text = trust(dist=DIST_OK.replace("notice_days: 60", "notice_days: 90")).replace(
        "  name: Test Trust", "  name: Test Trust\n  type: closed-end")
    findings = check(text, select=(RULE,))
    assert findings == []  # the distribution agreement's 90 days is not judged for a closed-end fund
    text = trust(mgmt=MGMT_OK.replace("notice_days: 60", "notice_days: 90")).replace(
        "  name: Test Trust", "  name: Test Trust\n  type: closed-end")
    assert [f.citation.authority for f in check(text, select=(RULE,))] == [ADVISORY]  # §15(a)(3) still binds


# --- the plan's own clause on its related agreements (Rule 12b-1(b)(3)(iv)), judged as written ----------
PLAN_RELATED = '{notice_days_max: 60, without_penalty: true, section: "7(a)"}'
PLAN_7A = Citation("Class B Distribution Plan", "7(a)", None, RELATED)


@pytest.mark.parametrize("clause, column, key, words", [
    ('{notice_days_max: 90, without_penalty: true, section: "7(a)"}', 40, "notice_days_max",
     "require 90 days' notice for the fund to terminate them; at most 60 are allowed: write 60"),
    ('{notice_days_max: 60, without_penalty: false, section: "7(a)"}', 61, "without_penalty",
     "terminable without payment of any penalty: write `without_penalty: true`"),
    ('{notice_days_max: 60, without_penalty: true, by: {all_of: [independent_trustees, class_shareholders]}, '
     'section: "7(a)"}', 71, "by", "does not let the independent trustees or the class shareholders terminate the "
                                   "agreements related to it alone; the clause names independent trustees and class "
                                   "shareholders"),
])
def test_a_plan_that_asks_less_of_its_related_agreements_is_an_error_at_the_value(check, clause, column, key, words):
    findings = check(trust().replace(PLAN_RELATED, clause), select=(RULE,))
    assert summary(findings) == [(RULE, 14, column)]
    (finding,) = findings
    assert finding.pointer == f"/documents/0/provisions/related_agreements/termination/{key}"
    assert finding.citation == PLAN_7A and words in finding.message and finding.severity is Severity.ERROR


@pytest.mark.parametrize("clause", [
    '{notice_days_max: 30, without_penalty: true, section: "7(a)"}',
    '{notice_days_max: 60, section: "7(a)"}',  # what the plan does not say is not judged here
    '{by: {any_of: [independent_trustees, class_shareholders]}, section: "7(a)"}',
])
def test_a_plan_that_asks_as_much_or_says_nothing_more_is_no_finding(check, clause):
    assert check(trust().replace(PLAN_RELATED, clause), select=(RULE,)) == []


def test_a_plan_without_the_related_agreements_clause_is_no_finding_of_its_own(check):
    text = trust().replace(f"        termination: {PLAN_RELATED}\n", "")
    assert check(text, select=(RULE,)) == []
