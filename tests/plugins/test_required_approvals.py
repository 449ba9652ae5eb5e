"""required-approvals: every approval has every vote the document and the law require."""
from __future__ import annotations

import textwrap

import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "required-approvals"
PLAN_AUTHORITY = "Rule 12b-1(b)(1), (b)(2)"
AGREEMENT_AUTHORITY = "Investment Company Act of 1940 §15(a), §15(c)"
SHAREHOLDERS_AUTHORITY = "Investment Company Act of 1940 §2(a)(42)"
ROLL_CALL_AUTHORITY = "Investment Company Act of 1940 §15(c); Rule 12b-1(b)(2)"
PLAN_S3 = Citation("Class B Distribution Plan", "3", None, PLAN_AUTHORITY)
AGREEMENT_S9 = Citation("Management Agreement", "9", None, AGREEMENT_AUTHORITY)

# The roster, the portfolios and the documents; each test writes its meetings and votes above them,
# so that their line numbers are those of the test's own text. In office on 2005-03-01: five
# trustees (a majority is 3), three of them independent (a majority is 2).
TAIL = textwrap.dedent("""\
    trust: {name: Approvals Trust}
    trustees:
      - {name: Ann Inside, independent: false, from: 2000-01-01}
      - {name: Art Inside, independent: false, from: 2000-01-01}
      - {name: Bob Outside, independent: true, from: 2000-01-01}
      - {name: Cal Outside, independent: true, from: 2000-01-01}
      - {name: Eve Outside, independent: true, from: 2000-01-01}
      - {name: Dee Retired, independent: true, from: 2000-01-01, until: 2004-12-31}
    share_classes:
      B: {plan: class-b-plan}
    portfolios:
      - id: value-fund
        name: Value Fund
        management_fee: "0.10%"
        classes:
          B: {distribution_fee: "0.50%"}
    documents:
      - id: class-b-plan
        kind: distribution-plan
        title: Class B Distribution Plan
        share_class: B
        adopted: 2004-01-01
        provisions:
          fee_cap: {rate: "0.50%", section: "1"}
          approval: {requires: {all_of: [trustees, independent_trustees]}, in_person: true,
                     called_for_purpose: true, section: "3"}
          continuance: {every: "1 year", after: "1 year", section: "4"}
          fee_increase: {requires: {all_of: [class_shareholders]}, section: "8"}
        amendments:
          - id: class-b-plan-amendment-1
            title: Amendment No. 1
            dated: 2005-04-01
            changes: {fee_cap: {from: "0.50%", to: "0.60%"}}
            section: "8"
      - id: management-agreement
        kind: management-agreement
        title: Management Agreement
        dated: 2004-11-01
        fee_schedule: {value-fund: "0.10%"}
        provisions:
          term: {initial_until: 2005-12-31, then: "1 year", section: "9",
                 continuance_requires: {all_of: [{any_of: [trustees, shareholders]}, independent_trustees]}}
      - id: sub-advisory-agreement
        kind: advisory-agreement
        title: Sub-Advisory Agreement
        dated: 2004-11-01
        provisions:
          term: {initial_until: 2005-12-31, then: "1 year", section: "12",
                 continuance_requires: {any_of: [trustees, shareholders]}}
    """)


def trust(head: str, extra: str = "") -> str:
    return textwrap.dedent(head) + textwrap.dedent(extra) + TAIL


def meeting(target: str, action: str, voters: str, *, in_person: str = "true", purpose: str = "true",
            extra: str = "") -> str:
    """A trust whose one meeting (2005-03-01) takes one action; its roll call ``for`` is on line 9."""
    return trust(f"""\
        format: 1
        meetings:
          - date: 2005-03-01
            in_person: {in_person}
            called_for_purpose: {purpose}
            actions:
              - approves: {target}
                action: {action}
                for: [{voters}]
        """, extra)


@pytest.fixture
def check_rule(check):  # type: ignore[no-untyped-def]
    """The rule's findings only, from a trust the schema accepts whole (a pruned element would
    make a test of "no finding" pass for the wrong reason)."""
    def _check(text: str, class_votes: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        findings = check(text, select=(RULE,), **kwargs)
        assert [f for f in findings if f.rule in ("parse-error", "schema")] == []
        # Amendment No. 1 of TAIL raises the fee cap: without a class vote of Value Fund it is reported
        # at its new cap (tested in test_legal_depth.py); the other tests here are about the meetings
        return [f for f in findings if f.rule == RULE
                and (class_votes or f.pointer != "/documents/0/amendments/0/changes/fee_cap/to")]
    return _check


# --- valid approvals ------------------------------------------------------------------------------

PASSING_AGREEMENT_VOTE = """\
shareholder_votes:
  - {date: 2005-02-15, approves: management-agreement, action: continuance, portfolio: value-fund,
     for: 600, present: 700, outstanding: 1000}
"""
PASSING_CLASS_VOTE = """\
shareholder_votes:
  - {date: 2005-03-15, approves: class-b-plan-amendment-1, action: material-amendment,
     portfolio: value-fund, share_class: B, for: 600, present: 700, outstanding: 1000}
"""


@pytest.mark.parametrize(("target", "action", "voters", "extra"), [
    ("class-b-plan", "continuance", "Ann Inside, Bob Outside, Cal Outside", ""),  # 3 of 5 and 2 of 3
    ("class-b-plan", "initial", "Ann Inside, Art Inside, Bob Outside, Cal Outside, Eve Outside", ""),
    ("management-agreement", "continuance", "Ann Inside, Bob Outside, Cal Outside", ""),
    # any_of: the shareholders stand in for the board as a whole; the independent trustees still vote
    ("management-agreement", "continuance", "Bob Outside, Cal Outside", PASSING_AGREEMENT_VOTE),
    # a raise of the fee cap with the Plan §8 vote of the class
    ("class-b-plan-amendment-1", "material-amendment", "Ann Inside, Bob Outside, Cal Outside", PASSING_CLASS_VOTE),
    # a ratification is judged by later refinements, not by this rule
    ("class-b-plan", "ratification", "Bob Outside", ""),
])
def test_valid_approval(check_rule, target: str, action: str, voters: str, extra: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(meeting(target, action, voters, extra=extra)) == []


# --- each body by its own majority --------------------------------------------------------------------

@pytest.mark.parametrize(("voters", "reasons"), [
    # all_of: the board as a whole approved, the independent trustees did not (1 of 3)
    ("Ann Inside, Art Inside, Bob Outside",
     ["a majority of the independent trustees did not approve (1 of 3 in office voted for; 2 needed)"]),
    # the independent trustees approved, the board as a whole did not (2 of 5)
    ("Bob Outside, Cal Outside",
     ["a majority of the trustees did not approve (2 of 5 in office voted for; 3 needed)"]),
    ("Bob Outside",
     ["a majority of the independent trustees did not approve (1 of 3 in office voted for; 2 needed)",
      "a majority of the trustees did not approve (1 of 5 in office voted for; 3 needed)"]),
    ("", ["a majority of the independent trustees did not approve (0 of 3 in office voted for; 2 needed)",
          "a majority of the trustees did not approve (0 of 5 in office voted for; 3 needed)"]),
])
def test_each_body_of_all_of_must_approve(check_rule, voters: str, reasons: list[str]) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(meeting("class-b-plan", "continuance", voters))
    assert summary(findings) == [(RULE, 9, 9)] * len(reasons)
    for finding, reason in zip(findings, reasons):
        assert finding.message == ("the continuance approval of Class B Distribution Plan on 2005-03-01 is not "
                                   f"valid: {reason}")
        assert finding.severity is Severity.ERROR
        assert finding.citation == PLAN_S3
        assert finding.subject == "class-b-plan"
        assert finding.pointer == "/meetings/0/actions/0/for"


def test_any_of_where_no_alternative_approved(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(meeting("management-agreement", "continuance", "Bob Outside, Cal Outside"))
    assert summary(findings) == [(RULE, 9, 9)]
    assert findings[0].message == (
        "the continuance approval of Management Agreement on 2005-03-01 is not valid: none of the "
        "alternatives approved: a majority of the trustees did not approve (2 of 5 in office voted for; "
        "3 needed); a majority of the outstanding voting securities of the portfolio did not approve: no "
        "shareholder vote is recorded")
    assert findings[0].citation == AGREEMENT_S9
    assert findings[0].severity is Severity.ERROR


def test_shareholders_approval_of_the_initial_contract_does_not_continue_it(check_rule) -> None:  # type: ignore[no-untyped-def]
    initial_vote = PASSING_AGREEMENT_VOTE.replace("action: continuance", "action: initial")
    findings = check_rule(meeting("management-agreement", "continuance", "Bob Outside, Cal Outside",
                                  extra=initial_vote))
    # (the initial vote itself has no board approval recorded: line 11)
    assert summary(findings) == [(RULE, 9, 9), (RULE, 11, 34)]
    assert findings[0].message.endswith("did not approve: no shareholder vote is recorded")
    assert findings[1].message.startswith("the shareholders' initial approval of Management Agreement")


def test_any_of_does_not_excuse_the_independent_trustees(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(meeting("management-agreement", "continuance", "Ann Inside, Art Inside, Bob Outside",
                                  extra=PASSING_AGREEMENT_VOTE))
    assert summary(findings) == [(RULE, 9, 9)]
    assert "a majority of the independent trustees did not approve (1 of 3" in findings[0].message
    assert findings[0].citation == AGREEMENT_S9


def test_an_action_without_a_roll_call_is_reported_at_the_action(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = trust("""\
        format: 1
        meetings:
          - date: 2005-03-01
            in_person: true
            called_for_purpose: true
            actions:
              - {approves: class-b-plan, action: continuance}
        """)
    findings = check_rule(text)
    assert summary(findings) == [(RULE, 7, 9)] * 2
    assert "0 of 3 in office" in findings[0].message and "0 of 5 in office" in findings[1].message


# --- who was in office ----------------------------------------------------------------------------

def test_a_name_not_in_office_is_not_counted(check_rule) -> None:  # type: ignore[no-untyped-def]
    # Dee Retired left the board on 2004-12-31: counted, her vote would make 3 of 5 and 2 of 3
    findings = check_rule(meeting("class-b-plan", "continuance", "Ann Inside, Bob Outside, Dee Retired"))
    assert summary(findings) == [(RULE, 9, 9), (RULE, 9, 9), (RULE, 9, 40)]
    assert "(1 of 3 in office voted for; 2 needed)" in findings[0].message
    assert "(2 of 5 in office voted for; 3 needed)" in findings[1].message
    name = findings[2]
    assert name.message == ("Dee Retired voted on Class B Distribution Plan on 2005-03-01 but was not a trustee "
                            "in office that day; the vote is not counted")
    assert name.severity is Severity.ERROR
    assert name.pointer == "/meetings/0/actions/0/for/2"
    assert name.citation == Citation("Class B Distribution Plan", "3", None, ROLL_CALL_AUTHORITY)


def test_a_name_not_in_office_against_is_reported_at_the_name(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = trust("""\
        format: 1
        meetings:
          - date: 2005-03-01
            in_person: true
            called_for_purpose: true
            actions:
              - approves: management-agreement
                action: continuance
                for: [Ann Inside, Bob Outside, Cal Outside]
                against: [Art Inside, Dee Retired]
        """)
    findings = check_rule(text)
    assert summary(findings) == [(RULE, 10, 31)]
    assert findings[0].message.startswith("Dee Retired voted on Management Agreement on 2005-03-01")
    assert findings[0].citation == Citation("Management Agreement", "9", None, ROLL_CALL_AUTHORITY)


def test_a_trustee_who_joins_later_is_not_counted(check_rule) -> None:  # type: ignore[no-untyped-def]
    text = trust("""\
        format: 1
        meetings:
          - date: 1999-12-31
            in_person: true
            called_for_purpose: true
            actions:
              - approves: class-b-plan
                action: initial
                for: [Ann Inside]
        """)
    findings = check_rule(text)
    # nobody is in office the day before the roster starts: no body can approve
    assert summary(findings) == [(RULE, 9, 9), (RULE, 9, 9), (RULE, 9, 15)]
    assert "(0 of 0 in office voted for; 1 needed)" in findings[0].message
    assert findings[2].message.startswith("Ann Inside voted on Class B Distribution Plan on 1999-12-31")


# --- how the meeting was held ------------------------------------------------------------------------

NOT_IN_PERSON = "the meeting of 2005-03-01 was not held in person (written consent, telephone or video), " \
                "and the vote must be cast in person"
NOT_CALLED = "the meeting of 2005-03-01 was not called for the purpose of voting on it"


@pytest.mark.parametrize(("target", "in_person", "purpose", "reasons", "citation"), [
    ("class-b-plan", "false", "true", [NOT_IN_PERSON], PLAN_S3),  # written consent: Plan §3
    ("class-b-plan", "true", "false", [NOT_CALLED], PLAN_S3),
    ("class-b-plan", "false", "false", [NOT_IN_PERSON, NOT_CALLED], PLAN_S3),
    # the text of §9 does not say "in person"; ICA §15(c) does (the pack's in_person_required)
    ("management-agreement", "false", "true", [NOT_IN_PERSON], AGREEMENT_S9),
])
def test_in_person_and_called_for_the_purpose(check_rule, target: str, in_person: str, purpose: str,  # type: ignore[no-untyped-def]
                                              reasons: list[str], citation: Citation) -> None:
    findings = check_rule(meeting(target, "continuance", "Ann Inside, Bob Outside, Cal Outside",
                                  in_person=in_person, purpose=purpose))
    assert summary(findings) == [(RULE, 9, 9)] * len(reasons)
    assert [f.message.split(" is not valid: ")[1] for f in findings] == sorted(reasons)
    assert all(f.citation == citation and f.severity is Severity.ERROR for f in findings)


# --- shareholder votes: ICA §2(a)(42) ---------------------------------------------------------------

def initial_agreement(votes: str) -> str:
    """The Management Agreement approved by the independent trustees (2 of 3) on 2005-03-01, with
    the shareholder votes given (``§15(a)``: the shareholders must approve it too)."""
    return meeting("management-agreement", "initial", "Bob Outside, Cal Outside", extra=votes)


def agreement_vote(votes_for: int, present: int | None, outstanding: int) -> str:
    shown = "" if present is None else f"present: {present}, "
    return ("shareholder_votes:\n"
            "  - {date: 2005-02-15, approves: management-agreement, action: initial, portfolio: value-fund,\n"
            f"     for: {votes_for}, {shown}outstanding: {outstanding}}}\n")


@pytest.mark.parametrize(("votes_for", "present", "outstanding"), [
    (501, None, 1000),  # more than half of the outstanding
    (402, 600, 1000),  # 67% of the 60% present
    (336, 501, 1000),
])
def test_passing_shareholder_vote(check_rule, votes_for: int, present: int | None, outstanding: int) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(initial_agreement(agreement_vote(votes_for, present, outstanding))) == []


@pytest.mark.parametrize(("votes_for", "present", "outstanding", "described"), [
    (500, None, 1000, "500 for of 1000 outstanding"),  # exactly half of the outstanding
    (500, 1000, 1000, "500 for of 1000 outstanding, 1000 present"),
    (400, 500, 1000, "400 for of 1000 outstanding, 500 present"),  # exactly half present: no quorum
    (401, 600, 1000, "401 for of 1000 outstanding, 600 present"),  # under 67% of those present
])
def test_failing_shareholder_vote(check_rule, votes_for: int, present: int | None, outstanding: int,  # type: ignore[no-untyped-def]
                                  described: str) -> None:
    findings = check_rule(initial_agreement(agreement_vote(votes_for, present, outstanding)))
    assert summary(findings) == [(RULE, 9, 9)]
    assert findings[0].message == (
        "the initial approval of Management Agreement on 2005-03-01 is not valid: a majority of the "
        "outstanding voting securities of the portfolio did not approve: the vote of 2005-02-15 "
        f"({described}) fails the §2(a)(42) test")
    assert findings[0].severity is Severity.ERROR
    # the agreement states no requirement for its initial approval: the law's, §15(a)
    assert findings[0].citation == Citation("Management Agreement", None, None, SHAREHOLDERS_AUTHORITY)


def test_no_shareholder_vote_where_one_is_required(check_rule) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(initial_agreement(""))
    assert summary(findings) == [(RULE, 9, 9)]
    assert findings[0].message.endswith("a majority of the outstanding voting securities of the portfolio did "
                                        "not approve: no shareholder vote is recorded")
    assert findings[0].citation == Citation("Management Agreement", None, None, SHAREHOLDERS_AUTHORITY)


@pytest.mark.parametrize(("vote", "reason"), [
    # a class vote that fails §2(a)(42)
    ("{date: 2005-03-15, approves: class-b-plan-amendment-1, action: material-amendment, portfolio: value-fund,"
     " share_class: B, for: 400, present: 700, outstanding: 1000}",
     "the vote of 2005-03-15 (400 for of 1000 outstanding, 700 present) fails the §2(a)(42) test"),
    # a vote that names no class does not speak for the class (Plan §8)
    ("{date: 2005-03-15, approves: class-b-plan-amendment-1, action: material-amendment, portfolio: value-fund,"
     " for: 900, present: 950, outstanding: 1000}",
     "no shareholder vote is recorded"),
])
def test_fee_increase_needs_the_class_shareholders(check_rule, vote: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    findings = check_rule(meeting("class-b-plan-amendment-1", "material-amendment",
                                  "Ann Inside, Bob Outside, Cal Outside", extra=f"shareholder_votes:\n  - {vote}\n"))
    assert summary(findings) == [(RULE, 9, 9)]
    assert findings[0].message == (
        "the material-amendment approval of Amendment No. 1 on 2005-03-01 is not valid: a majority of the "
        f"outstanding voting securities of the class did not approve: {reason}")
    assert findings[0].citation == Citation("Class B Distribution Plan", "3", None, SHAREHOLDERS_AUTHORITY)


# --- a shareholder vote with no board approval ----------------------------------------------------------

@pytest.mark.parametrize(("target", "action", "needed", "citation"), [
    ("management-agreement", "initial", "independent trustees",
     Citation("Management Agreement", None, None, AGREEMENT_AUTHORITY)),
    # the shareholders stand in for the board as a whole, never for the independent trustees
    ("management-agreement", "continuance", "independent trustees", AGREEMENT_S9),
    ("class-b-plan", "continuance", "trustees and independent trustees", PLAN_S3),
])
def test_shareholder_vote_without_board_approval(check_rule, target: str, action: str, needed: str,  # type: ignore[no-untyped-def]
                                                 citation: Citation) -> None:
    text = trust(f"""\
        format: 1
        shareholder_votes:
          - date: 2005-02-15
            approves: {target}
            action: {action}
            portfolio: value-fund
            share_class: B
            for: 900
            outstanding: 1000
        """)
    findings = check_rule(text)
    assert summary(findings) == [(RULE, 4, 15)]
    what = "Management Agreement" if target == "management-agreement" else "Class B Distribution Plan"
    assert findings[0].message == (f"the shareholders' {action} approval of {what} on 2005-02-15 has no board "
                                   f"approval recorded; {needed} must approve too")
    assert findings[0].severity is Severity.ERROR
    assert findings[0].citation == citation
    assert findings[0].pointer == "/shareholder_votes/0/approves"


def test_shareholder_vote_that_suffices_alone(check_rule) -> None:  # type: ignore[no-untyped-def]
    # the sub-advisory agreement may be continued by the board or the shareholders (any_of)
    text = trust("""\
        format: 1
        shareholder_votes:
          - {date: 2005-02-15, approves: sub-advisory-agreement, action: continuance, portfolio: value-fund,
             for: 900, outstanding: 1000}
        """)
    assert check_rule(text) == []


def test_shareholder_vote_with_board_approval(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(meeting("management-agreement", "initial", "Bob Outside, Cal Outside",
                              extra=agreement_vote(900, None, 1000))) == []


# --- a pack that asks for unanimity ---------------------------------------------------------------

PACK = """\
    id: unanimous-pack
    extends: ica-1940
    rules:
      required-approvals:
        params:
          unanimous:
            value: [independent_trustees]
            reference: "Board governance policy (every independent trustee votes for)"
    """


@pytest.mark.parametrize(("voters", "reasons"), [
    ("Ann Inside, Bob Outside, Cal Outside",
     ["every independent trustee did not approve (2 of 3 in office voted for; 3 needed)"]),
    ("Ann Inside, Bob Outside, Cal Outside, Eve Outside", []),
    # the board as a whole still needs only its majority
    ("Bob Outside, Cal Outside, Eve Outside", []),
])
def test_unanimous_independent_trustees(check_rule, voters: str, reasons: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = meeting("class-b-plan", "continuance", voters)
    findings = check_rule({"trust.yaml": text, "pack.yaml": PACK}, policy="pack.yaml")
    assert summary(findings) == [(RULE, 9, 9)] * len(reasons)
    assert [f.message.split(" is not valid: ")[1] for f in findings] == reasons
    assert all(f.citation == PLAN_S3 for f in findings)


def test_majority_suffices_without_the_pack(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(meeting("class-b-plan", "continuance", "Ann Inside, Bob Outside, Cal Outside")) == []
