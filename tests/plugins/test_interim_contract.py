"""interim-contract: an interim advisory contract (Rule 15a-4) runs at most 150 days unapproved."""
from __future__ import annotations

import textwrap

import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "interim-contract"
AUTHORITY = "Rule 15a-4; Investment Company Act of 1940 §15(a)"
INTERIM = "Interim Sub-Advisory Agreement"
INTERIM_AT = (RULE, 19, 14)  # the interim agreement's `interim: true` below
BOARD = "Ann Inside, Bob Outside, Cal Outside"


def trust(*, predecessor: str = "    terminated: 2005-01-01\n", interim: str = "", votes: str = "",
          kind: str = "advisory-agreement", board: str = BOARD) -> str:
    """The sub-advisory agreement (``old-advisory``) and the interim one that replaces it (its
    ``interim`` on line 19, column 14), approved by the board on 2004-12-20, with the shareholder
    votes given."""
    return textwrap.dedent("""\
        format: 1
        trust: {name: Interim Trust}
        trustees:
          - {name: Ann Inside, independent: false, from: 2000-01-01}
          - {name: Bob Outside, independent: true, from: 2000-01-01}
          - {name: Cal Outside, independent: true, from: 2000-01-01}
        portfolios:
          - {id: value-fund, name: Value Fund}
        documents:
          - id: old-advisory
            kind: advisory-agreement
            title: Sub-Advisory Agreement
            dated: 2003-01-01
        """) + predecessor + (
        "  - id: interim-advisory\n"
        f"    kind: {kind}\n"
        f"    title: {INTERIM}\n"
        "    dated: 2005-01-01\n"
        "    interim: true\n"
        "    replaces: old-advisory\n") + interim + textwrap.dedent(f"""\
        meetings:
          - date: 2004-12-20
            in_person: true
            called_for_purpose: true
            actions:
              - {{approves: interim-advisory, action: initial, for: [{board}]}}
        """) + votes


def vote(day: str, votes_for: int = 600, outstanding: int = 1000, present: int | None = None) -> str:
    shown = "" if present is None else f"present: {present}, "
    return ("shareholder_votes:\n"
            f"  - {{date: {day}, approves: interim-advisory, action: initial, portfolio: value-fund,\n"
            f"     for: {votes_for}, {shown}outstanding: {outstanding}}}\n")


def message(why: str, deadline: str = "2005-05-31", ended: str = "2005-01-01") -> str:
    return (f"{INTERIM} has run as an interim contract past {deadline}, 150 days after the Sub-Advisory "
            f"Agreement ended on {ended}; {why}")


@pytest.fixture
def check_rule(check):  # type: ignore[no-untyped-def]
    """The rule's findings only, from a trust the schema and the references accept whole."""
    def _check(text: str, **kwargs):  # type: ignore[no-untyped-def]
        findings = check(text, select=(RULE,), **kwargs)
        assert [f for f in findings if f.rule in ("parse-error", "schema", "reference", "plugin-error")] == []
        return [f for f in findings if f.rule == RULE]
    return _check


# --- within its 150 days ------------------------------------------------------------------------

@pytest.mark.parametrize("as_of", ["2005-01-01", "2005-03-01", "2005-05-31"])  # 2005-05-31: the 150th day
def test_within_150_days_of_the_predecessor_ending(check_rule, as_of: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(trust(), as_of=as_of) == []


# --- past its 150 days ----------------------------------------------------------------------------

@pytest.mark.parametrize("as_of", ["2005-06-01", "2005-06-30", "2007-01-01"])
def test_past_150_days_without_a_shareholder_vote(check_rule, as_of: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(trust(), as_of=as_of)
    assert summary(findings) == [INTERIM_AT]
    (finding,) = findings
    assert finding.message == message("no shareholder vote approving it is recorded")
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation(INTERIM, None, None, AUTHORITY)
    assert finding.pointer == "/documents/1/interim"
    assert finding.subject == "interim-advisory"


@pytest.mark.parametrize("day", [
    "2004-12-28",  # before the predecessor even ended
    "2005-03-15",
    "2005-05-31",  # the 150th day
])
def test_a_passing_shareholder_vote_in_time(check_rule, day: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(trust(votes=vote(day)), as_of="2005-06-30") == []


@pytest.mark.parametrize(("votes_for", "present"), [(501, None), (402, 600)])  # §2(a)(42)(B), (A)
def test_either_test_of_2a42_suffices(check_rule, votes_for: int, present: int | None) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(trust(votes=vote("2005-05-01", votes_for, present=present)), as_of="2005-06-30") == []


def test_a_late_vote_is_named(check_rule) -> None:  # type: ignore[no-untyped-def]
    # a day late: the contract ran on 2005-06-01 without the shareholders' approval
    findings = check_rule(trust(votes=vote("2005-06-01")), as_of="2005-06-30")
    assert summary(findings) == [INTERIM_AT]
    assert findings[0].message == message("the shareholders approved it only on 2005-06-01")
    assert findings[0].severity is Severity.ERROR


def test_a_failing_vote_does_not_approve_it(check_rule) -> None:  # type: ignore[no-untyped-def]
    # 400 of 1000 outstanding, 600 present: under 67% of those present and not half the outstanding
    findings = check_rule(trust(votes=vote("2005-04-01", 400, present=600)), as_of="2005-06-30")
    assert summary(findings) == [INTERIM_AT]
    assert findings[0].message == message(
        "the shareholder vote of 2005-04-01 (400 for of 1000 outstanding, 600 present) fails the §2(a)(42) test")


def test_a_failing_vote_then_a_late_passing_one(check_rule) -> None:  # type: ignore[no-untyped-def]
    votes = vote("2005-04-01", 400, present=600) + vote("2005-06-10").replace("shareholder_votes:\n", "")
    findings = check_rule(trust(votes=votes), as_of="2005-06-30")
    assert summary(findings) == [INTERIM_AT]
    assert findings[0].message == message("the shareholders approved it only on 2005-06-10")


def test_a_vote_after_as_of_has_not_been_held(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(trust(votes=vote("2005-07-15")), as_of="2005-06-30")
    assert summary(findings) == [INTERIM_AT]
    assert findings[0].message == message("no shareholder vote approving it is recorded")
    findings = check_rule(trust(votes=vote("2005-07-15")), as_of="2005-08-01")
    assert findings[0].message == message("the shareholders approved it only on 2005-07-15")


# --- the interim contract itself ended ------------------------------------------------------------

@pytest.mark.parametrize(("terminated", "expected"), [
    ("2005-03-01", []),
    ("2005-05-31", []),  # ended on the 150th day
    ("2005-06-01", [INTERIM_AT]),  # ran a day past it
    ("2005-06-30", [INTERIM_AT]),
    ("2005-12-31", [INTERIM_AT]),  # ends after as_of: still running past its time
])
def test_the_interim_contract_ended_in_time(check_rule, terminated: str, expected: list) -> None:  # type: ignore[no-untyped-def, type-arg]
    text = trust(interim=f"    terminated: {terminated}\n")
    assert summary(check_rule(text, as_of="2005-06-30")) == expected


# --- the predecessor ------------------------------------------------------------------------------

@pytest.mark.parametrize("predecessor", [
    "",  # not terminated
    "    terminated: null\n",
    "    terminated: 2005-07-01\n",  # ends after as_of
])
def test_predecessor_not_ended_is_not_judged(check_rule, predecessor: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(trust(predecessor=predecessor), as_of="2005-06-30") == []


@pytest.mark.parametrize(("as_of", "expected"), [("2005-07-01", []), ("2005-07-02", [INTERIM_AT])])
def test_the_150_days_run_from_the_predecessor_ending(check_rule, as_of: str, expected: list) -> None:  # type: ignore[no-untyped-def, type-arg]
    findings = check_rule(trust(predecessor="    terminated: 2005-02-01\n"), as_of=as_of)
    assert summary(findings) == expected
    if expected:
        assert findings[0].message == message("no shareholder vote approving it is recorded",
                                              deadline="2005-07-01", ended="2005-02-01")


def test_a_predecessor_ending_on_the_last_calendar_day(check_rule) -> None:  # type: ignore[no-untyped-def]
    # 150 days after 9999-12-31 is past what a date can hold: no as_of is later, and the rule does not fail
    assert check_rule(trust(predecessor="    terminated: 9999-12-31\n"), as_of="9999-12-31") == []


def test_an_unknown_predecessor_is_a_reference_finding(check) -> None:  # type: ignore[no-untyped-def]
    findings = check(trust().replace("replaces: old-advisory", "replaces: no-such-agreement"),
                     select=(RULE,), as_of="2005-06-30")
    assert [(f.rule, f.line, f.column) for f in findings if f.rule in (RULE, "reference")] == [("reference", 20, 15)]


# --- which agreements ----------------------------------------------------------------------------

def test_a_management_agreement_is_judged(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert summary(check_rule(trust(kind="management-agreement"), as_of="2005-06-30")) == [INTERIM_AT]


def test_a_distribution_agreement_is_not_judged(check_rule) -> None:  # type: ignore[no-untyped-def]
    # Rule 15a-4 is an exception to §15(a); a principal underwriting contract (§15(b)) needs no shareholders
    assert check_rule(trust(kind="distribution-agreement"), as_of="2005-06-30") == []


def test_an_agreement_not_marked_interim_is_not_judged(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(trust().replace("    interim: true\n", "    interim: false\n"), as_of="2005-06-30") == []


# --- a pack may set the period ------------------------------------------------------------------

PACK = """\
    id: short-interim
    extends: ica-1940
    rules:
      interim-contract:
        params:
          max_duration:
            value: "120 days"
            reference: "Board policy (an interim contract runs at most 120 days)"
    """


def test_max_duration_from_the_pack(check_rule) -> None:  # type: ignore[no-untyped-def]
    files = {"trust.yaml": trust(), "pack.yaml": PACK}
    assert check_rule(files, policy="pack.yaml", as_of="2005-05-01") == []
    findings = check_rule(files, policy="pack.yaml", as_of="2005-05-02")
    assert summary(findings) == [INTERIM_AT]
    assert findings[0].message.startswith(f"{INTERIM} has run as an interim contract past 2005-05-01, 120 days "
                                          "after the Sub-Advisory Agreement ended on 2005-01-01")


# --- required-approvals: the board approves an interim contract alone (Rule 15a-4) --------------------

def approvals(text: str, check) -> list:  # type: ignore[no-untyped-def, type-arg]
    findings = check(text, select=("required-approvals",), as_of="2005-03-01")
    return [f for f in findings if f.rule == "required-approvals"]


def test_the_board_alone_approves_an_interim_contract(check) -> None:  # type: ignore[no-untyped-def]
    assert approvals(trust(), check) == []
    assert approvals(trust(kind="management-agreement"), check) == []


def test_the_independent_trustees_must_still_approve_it(check) -> None:  # type: ignore[no-untyped-def]
    findings = approvals(trust(board="Ann Inside, Bob Outside"), check)
    assert [(f.line, f.column) for f in findings] == [(26, 55)]
    assert findings[0].message == (
        f"the initial approval of {INTERIM} on 2004-12-20 is not valid: a majority of the independent trustees "
        "did not approve (1 of 2 in office voted for; 2 needed)")


def test_a_contract_not_interim_needs_the_shareholders(check) -> None:  # type: ignore[no-untyped-def]
    for kind in ("advisory-agreement", "management-agreement"):
        findings = approvals(trust(kind=kind).replace("    interim: true\n", ""), check)
        assert [(f.line, f.column) for f in findings] == [(25, 55)]
        assert findings[0].severity is Severity.ERROR
        assert findings[0].message == (
            f"the initial approval of {INTERIM} on 2004-12-20 is not valid: a majority of the outstanding voting "
            "securities of the portfolio did not approve: no shareholder vote is recorded")
        assert findings[0].citation == Citation(INTERIM, None, None, "Investment Company Act of 1940 §2(a)(42)")


# --- which contract it replaces (Rule 15a-4) ------------------------------------------------------

def test_an_interim_contract_must_name_the_contract_it_replaces(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(trust().replace("    replaces: old-advisory\n", ""), as_of="2005-03-01")
    assert summary(findings) == [(RULE, 19, 14)]
    assert findings[0].message == (
        f"{INTERIM} is an interim contract but names no contract it replaces; write `replaces: <id>` of the "
        "contract that ended, or `predecessor: {title, terminated, note}` when it is not among the documents")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == Citation(INTERIM, None, None, AUTHORITY)


PREDECESSOR = ("    predecessor: {title: Sub-Advisory Agreement with Prior Adviser, terminated: 2005-02-01,\n"
               "                  note: the prior contract predates these records}\n")


@pytest.mark.parametrize(("as_of", "found"), [("2005-07-01", False), ("2005-07-02", True)])
def test_an_unrecorded_predecessor_counts_from_its_stated_end(check_rule, as_of: str, found: bool) -> None:  # type: ignore[no-untyped-def]
    text = trust().replace("    replaces: old-advisory\n", PREDECESSOR)
    findings = check_rule(text, as_of=as_of)  # 150 days after 2005-02-01: 2005-07-01
    assert summary(findings) == ([INTERIM_AT] if found else [])
    if found:
        assert findings[0].message == (
            f"{INTERIM} has run as an interim contract past 2005-07-01, 150 days after the Sub-Advisory Agreement "
            "with Prior Adviser ended on 2005-02-01; no shareholder vote approving it is recorded")


def test_a_predecessor_must_give_its_end(check) -> None:  # type: ignore[no-untyped-def]
    text = trust().replace("    replaces: old-advisory\n",
                           "    predecessor: {title: Sub-Advisory Agreement with Prior Adviser}\n")
    findings = check(text, select=(RULE,), as_of="2005-07-02")
    assert [f.rule for f in findings] == ["schema"]
    assert "terminated" in findings[0].message
