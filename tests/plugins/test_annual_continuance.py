"""annual-continuance: plans and agreements are continued by a valid approval at least annually."""
from __future__ import annotations

import textwrap

import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "annual-continuance"
PLAN_S4 = Citation("Class B Distribution Plan", "4", None, "Rule 12b-1(b)(3)(i)")
PROVISION_AT = (RULE, 9, 7)  # the plan's `continuance:` key below

ROSTER = textwrap.dedent("""\
    trust: {name: Continuance Trust}
    trustees:
      - {name: Ann Inside, independent: false, from: 2000-01-01}
      - {name: Bob Outside, independent: true, from: 2000-01-01}
      - {name: Cal Outside, independent: true, from: 2000-01-01}
      - {name: Dee Retired, independent: true, from: 2000-01-01, until: 2003-12-31}
    """)
VALID = "Ann Inside, Bob Outside, Cal Outside"


def votes(*meetings: tuple[str, str] | tuple[str, str, str], target: str = "class-b-plan") -> str:
    """Meetings, seven lines each from line 11: (date, roll call[, in_person]); the ``approves`` value
    of the n-th (from 0) is on line 15 + 7n, column 19."""
    if not meetings:
        return "meetings: []\n"
    out = "meetings:\n"
    for date, voters, *in_person in meetings:
        out += (f"  - date: {date}\n"
                f"    in_person: {in_person[0] if in_person else 'true'}\n"
                "    called_for_purpose: true\n"
                "    actions:\n"
                f"      - approves: {target}\n"
                "        action: continuance\n"
                f"        for: [{voters}]\n")
    return out


def plan(*meetings: tuple[str, str] | tuple[str, str, str], adopted: str = "2004-01-01",
         continuance: str = '{every: "1 year", after: "1 year", section: "4"}') -> str:
    return textwrap.dedent(f"""\
        format: 1
        documents:
          - id: class-b-plan
            kind: distribution-plan
            title: Class B Distribution Plan
            adopted: {adopted}
            provisions:
              approval: {{requires: {{all_of: [trustees, independent_trustees]}}, section: "3"}}
              continuance: {continuance}
        """) + votes(*meetings) + ROSTER


def late(n: int) -> tuple[str, int, int]:
    return (RULE, 15 + 7 * n, 19)


@pytest.fixture
def check_rule(check):  # type: ignore[no-untyped-def]
    """The rule's findings only, from a trust the schema accepts whole."""
    def _check(text: str, **kwargs):  # type: ignore[no-untyped-def]
        findings = check(text, select=(RULE,), **kwargs)
        assert [f for f in findings if f.rule in ("parse-error", "schema", "reference")] == []
        return [f for f in findings if f.rule == RULE]
    return _check


# --- continued in time ----------------------------------------------------------------------------

@pytest.mark.parametrize("meetings", [
    [("2004-12-15", VALID)],  # within 90 days of 2005-01-01: carries to 2006-01-01
    [("2004-06-01", VALID), ("2005-05-20", VALID)],
    [("2004-12-15", VALID), ("2005-07-15", "Ann Inside")],  # a vote after as_of is not judged
])
def test_continued_in_time(check_rule, meetings: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(plan(*meetings)) == []


def test_within_its_first_period(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(plan(adopted="2004-12-01")) == []


# --- a lapse still running at as_of ---------------------------------------------------------------

def test_never_continued(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan())
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].message == ("Class B Distribution Plan has lapsed: its continuance was due by 2005-01-01 "
                                   "and no valid approval is recorded since")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == PLAN_S4
    assert findings[0].subject == "class-b-plan"
    assert findings[0].pointer == "/documents/0/provisions/continuance"


@pytest.mark.parametrize(("adopted", "lapsed"), [("2004-06-30", False), ("2004-06-29", True)])
def test_due_on_as_of_is_not_yet_lapsed(check_rule, adopted: str, lapsed: bool) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(adopted=adopted))
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].severity is (Severity.ERROR if lapsed else Severity.WARNING)


def test_continued_once_but_not_again(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(("2004-03-01", VALID)))  # early: carries to 2005-03-01 only
    assert summary(findings) == [PROVISION_AT]
    assert "its continuance was due by 2005-03-01" in findings[0].message


@pytest.mark.parametrize(("meeting", "reason"), [
    # 1 of the 2 independent trustees in office
    (("2004-12-15", "Ann Inside, Bob Outside"),
     "a majority of the independent trustees did not approve (1 of 2 in office voted for; 2 needed)"),
    # Dee Retired left on 2003-12-31: her vote is not counted
    (("2004-12-15", "Ann Inside, Bob Outside, Dee Retired"),
     "a majority of the independent trustees did not approve (1 of 2 in office voted for; 2 needed)"),
    # by written consent: ICA §15(c) and Rule 12b-1(b)(2) need the vote cast in person
    (("2004-12-15", VALID, "false"),
     "the meeting of 2004-12-15 was not held in person (written consent, telephone or video), and the vote "
     "must be cast in person"),
])
def test_an_invalid_continuance_does_not_count(check_rule, meeting: tuple[str, ...], reason: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(meeting))  # type: ignore[arg-type]
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].message == ("Class B Distribution Plan has lapsed: its continuance was due by 2005-01-01 "
                                   "and no valid approval is recorded since; the approval of 2004-12-15 does "
                                   f"not count: {reason}")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == PLAN_S4


def test_invalid_continuances_are_counted_in_the_message(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(("2004-03-01", VALID), ("2004-12-15", "Ann Inside"), ("2005-02-01", "Bob Outside")))
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].message.startswith("Class B Distribution Plan has lapsed: its continuance was due by "
                                          "2005-03-01 and no valid approval is recorded since; the approval of "
                                          "2004-12-15 does not count (and 1 more): ")


# --- a lapse that a late approval ended -------------------------------------------------------------

def test_late_approval_ends_a_lapse(check_rule) -> None:  # type: ignore[no-untyped-def]
    # due by 2004-01-01, approved on 2004-03-01 (lapsed), then in time within the Rule 15a-2 window
    findings = check_rule(plan(("2004-03-01", VALID), ("2005-02-15", VALID), adopted="2003-01-01"))
    assert summary(findings) == [late(0)]
    assert findings[0].message == ("Class B Distribution Plan lapsed from 2004-01-01 to 2004-03-01: its "
                                   "continuance was due by 2004-01-01 and was approved only on 2004-03-01")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == PLAN_S4
    assert findings[0].pointer == "/meetings/0/actions/0/approves"


def test_past_lapse_and_running_lapse(check_rule) -> None:  # type: ignore[no-untyped-def]
    # the late vote of 2004-03-01 carries the plan to 2005-03-01 only
    findings = check_rule(plan(("2004-02-01", "Ann Inside"), ("2004-03-01", VALID), adopted="2003-01-01"))
    assert summary(findings) == [PROVISION_AT, late(1)]
    assert "has lapsed: its continuance was due by 2005-03-01" in findings[0].message
    assert findings[1].message == ("Class B Distribution Plan lapsed from 2004-01-01 to 2004-03-01: its "
                                   "continuance was due by 2004-01-01 and was approved only on 2004-03-01; the "
                                   "approval of 2004-02-01 does not count: a majority of the trustees did not "
                                   "approve (1 of 3 in office voted for; 2 needed)")


def test_two_lapses(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(("2003-02-01", VALID), ("2004-03-01", VALID), ("2005-03-01", VALID),
                               adopted="2002-01-01"))
    assert summary(findings) == [late(0), late(1)]
    assert "lapsed from 2003-01-01 to 2003-02-01" in findings[0].message
    assert "lapsed from 2004-02-01 to 2004-03-01" in findings[1].message


# --- Rule 15a-2 as written: contracts only ---------------------------------------------------------

@pytest.mark.parametrize(("vote", "due", "as_of"), [
    ("2004-10-03", "2005-10-03", "2005-09-15"),  # a plan has no window: one year from each approval
    ("2004-12-31", "2005-12-31", "2005-12-01"),
    ("2005-01-01", "2006-01-01", "2005-12-01"),  # on the due date itself
])
def test_a_plan_runs_a_year_from_each_approval(check_rule, vote: str, due: str, as_of: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan((vote, VALID)), as_of=as_of)
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message.startswith(f"Class B Distribution Plan must be continued by {due}")


def contract_votes(*meetings: tuple[str, str] | tuple[str, str, str]) -> str:
    return agreement(extra=votes(*meetings, target="the-agreement"))


@pytest.mark.parametrize(("vote", "due"), [
    ("2005-10-03", "2006-12-31"),  # the first of the 90 days up to and including 2005-12-31
    ("2005-12-31", "2006-12-31"),  # the due date itself
])
def test_a_contract_voted_inside_the_window_runs_from_the_anniversary(check_rule, vote: str, due: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(contract_votes((vote, VALID)), as_of="2006-11-15")
    assert summary(findings) == [AGREEMENT_AT]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == f"Management Agreement must be continued by {due} (46 days after 2006-11-15)"


def test_a_contract_voted_before_the_window_counts_from_its_date_with_a_note(check_rule) -> None:  # type: ignore[no-untyped-def]
    # 2005-10-02 is the 91st day before 2005-12-31: outside the safe harbour, it runs from its own date
    findings = check_rule(contract_votes(("2005-10-02", VALID)), as_of="2006-09-15")
    assert summary(findings) == [AGREEMENT_AT, (RULE, 14, 19)]
    assert findings[0].message == "Management Agreement must be continued by 2006-10-02 (17 days after 2006-09-15)"
    note = findings[1]
    assert note.severity is Severity.NOTE
    assert note.message == ("Management Agreement was continued on 2005-10-02, before the 90 days window of Rule "
                            "15a-2 (from 2005-10-03 to 2005-12-31): it counts from its own date, so the next "
                            "continuance is due by 2006-10-02, outside the rule's safe harbour")
    assert note.citation == Citation("Management Agreement", "9", None, "Investment Company Act of 1940 §15(a)(2)")


def test_an_early_vote_never_shortens_the_initial_term(check_rule) -> None:  # type: ignore[no-untyped-def]
    # a vote in 2004 would run to 2005-06-01; the initial term still runs to 2005-12-31
    findings = check_rule(contract_votes(("2004-06-01", VALID)), as_of="2005-11-15")
    assert [f.message for f in findings if f.severity is Severity.WARNING] == [
        "Management Agreement must be continued by 2005-12-31 (46 days after 2005-11-15)"]


def test_later_continuances_run_from_the_previous_effective_date(check_rule) -> None:  # type: ignore[no-untyped-def]
    # in the window of 2005-12-31 (effective then), then in the window of 2006-12-31: due 2007-12-31
    findings = check_rule(contract_votes(("2005-11-15", VALID), ("2006-10-20", VALID)), as_of="2007-11-30")
    assert [f.message for f in findings] == ["Management Agreement must be continued by 2007-12-31 "
                                             "(31 days after 2007-11-30)"]


def test_a_recorded_effective_date(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = contract_votes(("2005-11-15", VALID)).replace("action: continuance\n",
                                                         "action: continuance\n        effective: 2005-12-01\n")
    findings = check_rule(text, as_of="2006-11-15")
    assert [f.message for f in findings] == ["Management Agreement must be continued by 2006-12-01 "
                                             "(16 days after 2006-11-15)"]


def test_a_late_effective_date_is_a_lapse(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = contract_votes(("2005-12-15", VALID)).replace("action: continuance\n",
                                                         "action: continuance\n        effective: 2006-01-15\n")
    findings = check_rule(text, as_of="2006-06-30")
    assert [f.message for f in findings] == [
        "Management Agreement lapsed from 2005-12-31 to 2006-01-15: its continuance was due by 2005-12-31 and "
        "was approved only on 2005-12-15, effective 2006-01-15"]
    assert findings[0].severity is Severity.ERROR


# --- due soon -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("adopted", "message"), [
    ("2004-08-01", "Class B Distribution Plan must be continued by 2005-08-01 (32 days after 2005-06-30)"),
    ("2004-08-29", "Class B Distribution Plan must be continued by 2005-08-29 (60 days after 2005-06-30)"),
    ("2004-06-30", "Class B Distribution Plan must be continued by 2005-06-30 (the day judged: a later approval "
                   "comes too late)"),
])
def test_due_soon(check_rule, adopted: str, message: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(adopted=adopted))
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].message == message
    assert findings[0].severity is Severity.WARNING
    assert findings[0].citation == PLAN_S4


def test_not_yet_due_soon(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(plan(adopted="2004-08-30")) == []  # 61 days


def test_due_soon_after_a_continuance(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(("2004-08-15", VALID)))  # early: carries to 2005-08-15
    assert summary(findings) == [PROVISION_AT]
    assert findings[0].message.startswith("Class B Distribution Plan must be continued by 2005-08-15")


# --- periods --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("continuance", "due"), [
    # the law's year is the longest a plan may run first (plan_initial_max) and between continuances
    ('{every: "2 years", after: "2 years", section: "4"}', "2005-01-01"),
    ('{every: "1 year", after: "6 months", section: "4"}', "2004-07-01"),
    ('{section: "4"}', "2005-01-01"),
])
def test_period_from_the_text_within_the_law(check_rule, continuance: str, due: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(plan(continuance=continuance))
    assert summary(findings) == [PROVISION_AT]
    assert f"was due by {due}" in findings[0].message


def test_text_period_longer_than_a_year_between_continuances(check_rule) -> None:  # type: ignore[no-untyped-def]
    # "every 2 years" in the text: the law still wants a continuance at least annually
    findings = check_rule(plan(("2004-06-01", VALID), continuance='{every: "2 years", section: "4"}'))
    assert summary(findings) == [PROVISION_AT]
    assert "its continuance was due by 2005-06-01" in findings[0].message


# --- the date the plan runs from -----------------------------------------------------------------

def test_not_judged_without_a_date(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(plan(adopted="null")) == []


def test_runs_from_the_first_approval_when_the_date_is_blank(check_rule) -> None:  # type: ignore[no-untyped-def]
    initial = ("meetings:\n"
               "  - date: 2003-05-01\n"
               "    in_person: true\n"
               "    called_for_purpose: true\n"
               "    actions:\n"
               f"      - {{approves: class-b-plan, action: initial, for: [{VALID}]}}\n")
    text = plan(adopted="null").replace("meetings: []\n", initial)
    findings = check_rule(text)
    assert summary(findings) == [PROVISION_AT]
    assert "its continuance was due by 2004-05-01" in findings[0].message


def test_runs_from_effective_when_adopted_is_blank(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = plan(adopted="null").replace("    adopted: null\n", "    effective: 2004-03-01\n")
    findings = check_rule(text)
    assert summary(findings) == [PROVISION_AT]
    assert "its continuance was due by 2005-03-01" in findings[0].message


# --- agreements -----------------------------------------------------------------------------------

def agreement(kind: str = "management-agreement", title: str = "Management Agreement",
              term: str = '{initial_until: 2005-12-31, then: "1 year", section: "9"}',
              extra: str = "") -> str:
    return textwrap.dedent(f"""\
        format: 1
        documents:
          - id: the-agreement
            kind: {kind}
            title: {title}
            dated: 2004-01-01
            provisions:
              term: {term}
        """) + extra + ROSTER


AGREEMENT_AT = (RULE, 8, 7)


@pytest.mark.parametrize(("kind", "title", "authority"), [
    ("management-agreement", "Management Agreement", "Investment Company Act of 1940 §15(a)(2)"),
    ("advisory-agreement", "Sub-Advisory Agreement", "Investment Company Act of 1940 §15(a)(2)"),
    ("distribution-agreement", "Distribution Agreement", "Investment Company Act of 1940 §15(b)(1)"),
])
def test_agreement_initial_term_past_two_years(check_rule, kind: str, title: str, authority: str) -> None:  # type: ignore[no-untyped-def]
    # the text says until 2006-12-31; ICA §15(a)(2) allows two years from 2004-01-01: 2006-01-01
    text = agreement(kind, title, '{initial_until: 2006-12-31, then: "1 year", section: "9"}')
    findings = check_rule(text, as_of="2005-12-01")
    assert summary(findings) == [AGREEMENT_AT]
    assert findings[0].message == f"{title} must be continued by 2006-01-01 (31 days after 2005-12-01)"
    assert findings[0].severity is Severity.WARNING
    assert findings[0].citation == Citation(title, "9", None, authority)
    findings = check_rule(text, as_of="2006-02-01")
    assert summary(findings) == [AGREEMENT_AT]
    assert findings[0].message == (f"{title} has lapsed: its continuance was due by 2006-01-01 and no valid "
                                   "approval is recorded since")
    assert findings[0].severity is Severity.ERROR


@pytest.mark.parametrize(("term", "as_of", "due"), [
    ('{initial_until: 2005-12-31, then: "1 year", section: "9"}', "2006-01-15", "2005-12-31"),
    ('{then: "1 year", section: "9"}', "2006-01-15", "2006-01-01"),  # no stated term: the statute's two years
    ('{initial_until: null, section: "9"}', "2006-01-15", "2006-01-01"),
])
def test_agreement_due_date(check_rule, term: str, as_of: str, due: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(agreement(term=term), as_of=as_of)
    assert summary(findings) == [AGREEMENT_AT]
    assert f"was due by {due}" in findings[0].message
    assert check_rule(agreement(term=term)) == []  # 2005-06-30


def test_agreement_continued_by_the_board(check_rule) -> None:  # type: ignore[no-untyped-def]
    # §15(c): the board (or the shareholders) and the independent trustees, in person
    extra = votes(("2005-11-15", VALID), target="the-agreement")
    assert check_rule(agreement(extra=extra), as_of="2006-06-30") == []
    invalid = votes(("2005-11-15", "Ann Inside, Bob Outside"), target="the-agreement")
    findings = check_rule(agreement(extra=invalid), as_of="2006-06-30")
    assert summary(findings) == [AGREEMENT_AT]
    assert findings[0].message == (
        "Management Agreement has lapsed: its continuance was due by 2005-12-31 and no valid approval is "
        "recorded since; the approval of 2005-11-15 does not count: a majority of the independent trustees did "
        "not approve (1 of 2 in office voted for; 2 needed)")


def test_agreement_without_a_term_provision(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = agreement().replace('      term: {initial_until: 2005-12-31, then: "1 year", section: "9"}\n',
                               "      compensation: {}\n")
    findings = check_rule(text, as_of="2006-06-30")
    assert summary(findings) == [(RULE, 7, 5)]  # the `provisions:` key
    assert "was due by 2006-01-01" in findings[0].message
    assert findings[0].citation == Citation("Management Agreement", None, None,
                                            "Investment Company Act of 1940 §15(a)(2)")


# --- documents not judged ---------------------------------------------------------------------------

@pytest.mark.parametrize("terminated", ["2005-01-01", "2005-06-30"])
def test_terminated_document_not_judged(check_rule, terminated: str) -> None:  # type: ignore[no-untyped-def]
    text = plan().replace("    adopted: 2004-01-01\n", f"    adopted: 2004-01-01\n    terminated: {terminated}\n")
    assert check_rule(text) == []


def test_document_terminated_after_as_of_is_judged(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = plan().replace("    adopted: 2004-01-01\n", "    adopted: 2004-01-01\n    terminated: 2005-07-01\n")
    findings = check_rule(text)
    assert summary(findings) == [(RULE, 10, 7)]
    assert "has lapsed" in findings[0].message


@pytest.mark.parametrize("document", [
    "- {id: waiver, kind: fee-waiver, title: Expense Limitation Agreement, dated: 2001-01-01}",
    "- {id: multi-class, kind: multi-class-plan, title: Rule 18f-3 Plan, adopted: 2001-01-01}",
])
def test_fee_waivers_and_multi_class_plans_not_judged(check_rule, document: str) -> None:  # type: ignore[no-untyped-def]
    text = "format: 1\ndocuments:\n  " + document + "\n" + ROSTER
    assert check_rule(text) == []
