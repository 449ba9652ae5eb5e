"""fee-cap: fees stay within the plan's cap, the FINRA ceiling and the management agreement's Schedule A."""
from __future__ import annotations

import textwrap

import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "fee-cap"
PLAN_CAP = Citation("Class B Distribution Plan", "1", None, "Rule 12b-1(b)(1)")
INCREASE = Citation("Class B Distribution Plan", "8", None, "Rule 12b-1(b)(4), (g); Rule 18f-3(a)(2)")
SCHEDULE = Citation("Management Agreement", "4, Schedule A", None, "Investment Company Act of 1940 §15(a)(1)")
# the ceiling is cited to the sources of the two parameters it adds up, as in force at as_of: NASD
# Rule 2830 until FINRA Rule 2341 replaced it on 2016-06-09
CEILING_AUTHORITY = "NASD Rule 2830 (asset-based sales charge); NASD Rule 2830 (service fee)"
FINRA_AUTHORITY = "FINRA Rule 2341 (asset-based sales charge); FINRA Rule 2341 (service fee)"

FEE_AT = (RULE, 7, 29)  # the class B distribution_fee of the portfolio below
MANAGEMENT_AT = (RULE, 5, 21)  # its management_fee


def fee_trust(fee: str = "0.50%", management: str = "0.10%", *, plan_amendments: str = "",
              documents: str = "", votes: str = "") -> str:
    """One portfolio (its fees on lines 5 and 7), the Class B plan (cap 0.50%, §1; increases §8) and
    the Management Agreement (Schedule A: 0.10%, §4)."""
    text = textwrap.dedent(f"""\
        format: 1
        portfolios:
          - id: value-fund
            name: Value Fund
            management_fee: "{management}"
            classes:
              B: {{distribution_fee: "{fee}"}}
          - {{id: other-fund, name: Other Fund, classes: {{E: {{distribution_fee: "0.00%"}}}}}}
        trust: {{name: Fee Trust}}
        share_classes:
          B: {{plan: class-b-plan}}
        documents:
          - id: class-b-plan
            kind: distribution-plan
            title: Class B Distribution Plan
            share_class: B
            adopted: 2004-01-01
            provisions:
              fee_cap: {{rate: "0.50%", section: "1"}}
              fee_increase: {{requires: {{all_of: [class_shareholders]}}, section: "8"}}
        """)
    if plan_amendments:
        text += "    amendments:\n" + textwrap.indent(textwrap.dedent(plan_amendments), "      ")
    text += textwrap.indent(textwrap.dedent("""\
        - id: management-agreement
          kind: management-agreement
          title: Management Agreement
          dated: 2004-11-01
          fee_schedule: {value-fund: "0.10%"}
          provisions:
            compensation: {section: "4"}
        """), "  ")
    text += textwrap.indent(textwrap.dedent(documents), "  ")
    return text + textwrap.dedent(votes)


@pytest.fixture
def check_rule(check):  # type: ignore[no-untyped-def]
    """The rule's findings only, from a trust the schema accepts whole (a pruned element would
    make a test of "no finding" pass for the wrong reason)."""
    def _check(text: str, **kwargs):  # type: ignore[no-untyped-def]
        findings = check(text, select=(RULE,), **kwargs)
        assert [f for f in findings if f.rule in ("parse-error", "schema")] == []
        return [f for f in findings if f.rule == RULE]
    return _check


# --- the plan's cap ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fee", ["0.50%", "0.5%", "50bp", "50 bps", ".50%", "0.25%", "0%", "0.500%"])
def test_distribution_fee_within_the_cap(check_rule, fee: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(fee_trust(fee)) == []


@pytest.mark.parametrize(("fee", "shown"), [
    ("0.60%", "0.60%"),
    ("51bp", "0.51%"),
    ("0.5001%", "0.5001%"),  # compared exactly: no rounding to two places
    ("1%", "1.00%"),
])
def test_distribution_fee_above_the_cap(check_rule, fee: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(fee_trust(fee))
    assert summary(findings) == [FEE_AT]
    finding = findings[0]
    assert finding.message == (f"Value Fund charges a class B distribution fee of {shown}; the Class B "
                               "Distribution Plan caps it at 0.50%")
    assert finding.severity is Severity.ERROR
    assert finding.citation == PLAN_CAP
    assert finding.subject == "value-fund"
    assert finding.pointer == "/portfolios/0/classes/B/distribution_fee"


def test_a_class_with_no_plan_is_left_to_plan_coverage(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = fee_trust("0.60%").replace("B: {distribution_fee", "C: {distribution_fee")
    assert check_rule(text) == []


# --- the FINRA ceiling ------------------------------------------------------------------------------

def plan_with_cap(cap: str, amended_to: str = "0.50%") -> str:
    return textwrap.dedent(f"""\
        format: 1
        documents:
          - id: class-b-plan
            kind: distribution-plan
            title: Class B Distribution Plan
            share_class: B
            provisions:
              fee_cap: {{rate: "{cap}", section: "1"}}
            amendments:
              - id: class-b-plan-amendment-1
                title: Amendment No. 1
                dated: 2005-01-01
                changes: {{fee_cap: {{from: "{cap}", to: "{amended_to}"}}}}
                section: "8"
        trust: {{name: Ceiling Trust}}
        share_classes:
          B: {{plan: class-b-plan}}
        """)


@pytest.mark.parametrize(("cap", "amended_to"), [("1.00%", "100bp"), ("0.75%", "0.50%"), ("100 bps", "1%")])
def test_cap_within_the_ceiling(check_rule, cap: str, amended_to: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(plan_with_cap(cap, amended_to)) == []


def test_cap_above_the_ceiling(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan_with_cap("1.25%"))
    assert summary(findings) == [(RULE, 8, 23)]
    assert findings[0].message == ("Class B Distribution Plan caps the fee at 1.25%; the ceiling is 1.00% "
                                   "(asset-based sales charge plus service fee)")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == Citation("Class B Distribution Plan", "1", None, CEILING_AUTHORITY)
    assert findings[0].subject == "class-b-plan"


def test_ceiling_authority_in_force_at_as_of(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan_with_cap("1.25%"), as_of="2016-06-09")
    assert summary(findings) == [(RULE, 8, 23)]
    assert findings[0].citation == Citation("Class B Distribution Plan", "1", None, FINRA_AUTHORITY)


def test_amendment_above_the_ceiling(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan_with_cap("0.50%", "101bp"))
    assert summary(findings) == [(RULE, 13, 48)]
    assert findings[0].message == ("Class B Distribution Plan caps the fee at 1.01%; the ceiling is 1.00% "
                                   "(asset-based sales charge plus service fee)")
    assert findings[0].citation == Citation("Class B Distribution Plan", "8", None, CEILING_AUTHORITY)
    assert findings[0].pointer == "/documents/0/amendments/0/changes/fee_cap/to"


# --- an amendment that raises the cap (Plan §8, Rule 12b-1(b)(4)) -------------------------------------

RAISE = """\
- id: class-b-plan-amendment-1
  title: Amendment No. 1
  dated: 2005-01-01
  changes: {fee_cap: {from: "0.50%", to: "0.60%"}}
  section: "8"
"""


def class_vote(day: str, votes_for: int = 600, portfolio: str = "value-fund", share_class: str = "B",
               target: str = "class-b-plan-amendment-1") -> str:
    return ("shareholder_votes:\n"
            f"  - {{date: {day}, approves: {target}, action: material-amendment, portfolio: {portfolio},\n"
            f"     share_class: {share_class}, for: {votes_for}, present: 700, outstanding: 1000}}\n")


@pytest.mark.parametrize("votes", [
    class_vote("2004-12-15"),
    class_vote("2005-01-01"),  # on the amendment's date
    class_vote("2004-12-15", votes_for=469),  # 67% of the 70% present (469 of 700)
    class_vote("2005-02-01") + class_vote("2004-12-01").replace("shareholder_votes:\n", ""),
])
def test_raised_cap_with_the_class_vote(check_rule, votes: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(fee_trust("0.60%", plan_amendments=RAISE, votes=votes)) == []


NO_VOTE = "no vote of its class B shareholders is recorded"


@pytest.mark.parametrize(("votes", "why"), [
    ("", NO_VOTE),
    (class_vote("2005-02-01"), "the class vote of 2005-02-01 came after 2005-01-01, the date it had to be taken by"),
    (class_vote("2004-12-15", votes_for=468), "the class vote of 2004-12-15 (468 for of 1000 outstanding, 700 present) "
                                              "fails §2(a)(42)"),
    (class_vote("2004-12-15", portfolio="other-fund"), NO_VOTE),  # another portfolio's class
    (class_vote("2004-12-15", share_class="E"), NO_VOTE),  # another class
    (class_vote("2004-12-15", target="class-b-plan"), NO_VOTE),  # a vote on the plan, not on the amendment
])
def test_raised_cap_without_the_class_vote(check_rule, votes: str, why: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(fee_trust("0.60%", plan_amendments=RAISE, votes=votes))
    assert summary(findings) == [FEE_AT]
    assert findings[0].message == (
        "Value Fund charges 0.60% on class B, above the 0.50% cap: the increase to 0.60% by Amendment No. 1 "
        f"is not in effect for it: {why}")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == INCREASE


def test_unapproved_raise_leaves_the_old_cap(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(fee_trust("0.50%", plan_amendments=RAISE)) == []
    findings = check_rule(fee_trust("0.70%", plan_amendments=RAISE))
    assert summary(findings) == [FEE_AT]
    assert findings[0].message.endswith("the Class B Distribution Plan caps it at 0.50%")
    assert findings[0].citation == PLAN_CAP


def test_above_an_approved_raised_cap(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(fee_trust("0.70%", plan_amendments=RAISE, votes=class_vote("2004-12-15")))
    assert summary(findings) == [FEE_AT]
    assert findings[0].message.endswith("the Class B Distribution Plan caps it at 0.60%")
    assert findings[0].citation == PLAN_CAP


def test_amendment_after_as_of_is_not_in_force(check_rule) -> None:  # type: ignore[no-untyped-def]
    later = RAISE.replace("dated: 2005-01-01", "dated: 2005-07-01")
    findings = check_rule(fee_trust("0.60%", plan_amendments=later, votes=class_vote("2005-06-01")))
    assert summary(findings) == [FEE_AT]
    assert findings[0].message.endswith("caps it at 0.50%")
    assert findings[0].citation == PLAN_CAP


def test_amendment_lowering_the_cap_needs_no_vote(check_rule) -> None:  # type: ignore[no-untyped-def]
    lower = RAISE.replace('to: "0.60%"', 'to: "0.40%"')
    assert check_rule(fee_trust("40bp", plan_amendments=lower)) == []
    findings = check_rule(fee_trust("0.50%", plan_amendments=lower))
    assert summary(findings) == [FEE_AT]
    assert findings[0].message.endswith("caps it at 0.40%")


# --- the management fee and Schedule A ---------------------------------------------------------------

@pytest.mark.parametrize("management", ["0.10%", "10bp", "0.1%"])
def test_management_fee_on_schedule(check_rule, management: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(fee_trust(management=management)) == []


def test_management_fee_above_schedule(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(fee_trust(management="0.15%"))
    assert summary(findings) == [MANAGEMENT_AT]
    assert findings[0].message == ("Value Fund is charged a management fee of 0.15%; Management Agreement "
                                   "Schedule A sets 0.10%")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == SCHEDULE
    assert findings[0].pointer == "/portfolios/0/management_fee"


WAIVER = """\
- id: expense-waiver
  kind: fee-waiver
  title: Expense Limitation Agreement
  dated: 2005-01-01
  fee_schedule: {value-fund: "0.05%"}
"""


@pytest.mark.parametrize("documents", [
    "",
    WAIVER.replace("value-fund", "other-fund"),  # the waiver does not list the portfolio
    WAIVER + "  terminated: 2005-06-01\n",  # ended before as_of
    WAIVER.replace("dated: 2005-01-01", "dated: 2005-07-01"),  # not yet in force
])
def test_management_fee_below_schedule(check_rule, documents: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(fee_trust(management="0.05%", documents=documents))
    assert summary(findings) == [MANAGEMENT_AT]
    assert findings[0].message == ("Value Fund is charged a management fee of 0.05%, below the 0.10% of "
                                   "Management Agreement Schedule A, and no fee waiver covers it")
    assert findings[0].severity is Severity.WARNING
    assert findings[0].citation == SCHEDULE


def test_management_fee_below_schedule_under_a_waiver(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(fee_trust(management="0.05%", documents=WAIVER)) == []


def test_schedule_as_amended_by_as_of(check_rule) -> None:  # type: ignore[no-untyped-def]
    amended = fee_trust(management="0.15%").replace(
        '      compensation: {section: "4"}\n',
        '      compensation: {section: "4"}\n'
        "    amendments:\n"
        "      - {id: fee-amendment, dated: 2005-01-01, fee_schedule: {value-fund: \"0.15%\"}}\n"
        "      - {id: later-amendment, dated: 2005-09-01, fee_schedule: {value-fund: \"0.20%\"}}\n")
    assert check_rule(amended) == []
    findings = check_rule(amended, as_of="2005-10-01")
    assert summary(findings) == [MANAGEMENT_AT]
    assert findings[0].severity is Severity.WARNING
    assert "below the 0.20% of Management Agreement Schedule A" in findings[0].message


def test_terminated_agreement_sets_no_rate(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = fee_trust(management="0.15%").replace("    dated: 2004-11-01\n",
                                                 "    dated: 2004-11-01\n    terminated: 2005-05-01\n")
    assert check_rule(text) == []


def test_schedule_without_a_compensation_section(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = fee_trust(management="0.15%").replace('      compensation: {section: "4"}\n', "      compensation: {}\n")
    findings = check_rule(text)
    assert summary(findings) == [MANAGEMENT_AT]
    assert findings[0].citation == Citation("Management Agreement", "Schedule A", None,
                                            "Investment Company Act of 1940 §15(a)(1)")
