"""Legal depth: the law behind the rules, with time in it.

Dated parameters (NASD Rule 2830, then FINRA Rule 2341), the whole history of annual continuance
(ICA §15(a)(2), §15(b)(1), Rule 12b-1(b)(3)(i), Rule 15a-2), who may end a plan (Rule
12b-1(b)(3)(iii)), class votes (Rule 12b-1(b)(1), Rule 18f-3), votes under SEC relief ratified at
the next in-person meeting, and the open-end scope of ICA §15(b)(2). Interim contracts (Rule 15a-4)
are in ``test_interim_contract.py``.
"""
from __future__ import annotations

import textwrap

import pytest
from helpers import summary

from mist_check.cli import main
from mist_check.findings import Citation, Finding, Severity

NASD = "NASD Rule 2830 (asset-based sales charge); NASD Rule 2830 (service fee)"
FINRA = "FINRA Rule 2341 (asset-based sales charge); FINRA Rule 2341 (service fee)"
CLASS_VOTE = "Rule 12b-1(b)(1), (g); Rule 18f-3(a)(2)"
INCREASE_VOTE = "Rule 12b-1(b)(4), (g); Rule 18f-3(a)(2)"
RELIEF = ("Investment Company Act of 1940 §15(c); Rule 12b-1(b)(2) (in person, save under SEC exemptive "
          "relief, ratified at the next in-person meeting)")
PLAN_AUTHORITY = "Rule 12b-1(b)(1), (b)(2)"
CONTINUANCE_PLAN = "Rule 12b-1(b)(3)(i)"
ADVISORY_15A2 = "Investment Company Act of 1940 §15(a)(2)"
UNDERWRITING_15B1 = "Investment Company Act of 1940 §15(b)(1)"
ROSTER = textwrap.dedent("""\
    trustees:
      - {name: Ann Inside, independent: false, from: 2000-01-01}
      - {name: Bob Outside, independent: true, from: 2000-01-01}
      - {name: Cal Outside, independent: true, from: 2000-01-01}
    """)
BOARD = "Ann Inside, Bob Outside, Cal Outside"


def only(findings: list[Finding], rule: str) -> list[Finding]:
    """The findings of ``rule``, once the trust is known to load whole (no parse or schema errors,
    no dangling ids: a pruned element would make "no finding" pass for the wrong reason)."""
    assert [f for f in findings if f.rule in ("parse-error", "schema", "reference", "plugin-error")] == []
    return [f for f in findings if f.rule == rule]


# --- 1. dated parameters: NASD Rule 2830 became FINRA Rule 2341 on 2016-06-09 -----------------------------

CEILING_TRUST = textwrap.dedent("""\
    format: 1
    trust: {name: Ceiling Trust}
    share_classes:
      B: {plan: class-b-plan}
    documents:
      - id: class-b-plan
        kind: distribution-plan
        title: Class B Distribution Plan
        share_class: B
        adopted: 2004-01-01
        provisions:
          fee_cap: {rate: "1.25%", section: "1"}
    """)


@pytest.mark.parametrize(("as_of", "authority"), [
    ("2005-06-30", NASD),
    ("2016-06-08", NASD),  # the day before SR-FINRA-2016-019 took effect
    ("2016-06-09", FINRA),  # the day it did
    ("2017-01-01", FINRA),
])
def test_fee_cap_ceiling_cites_the_rule_in_force(check, as_of: str, authority: str) -> None:  # type: ignore[no-untyped-def]
    findings = only(check(CEILING_TRUST, select=("fee-cap",), as_of=as_of), "fee-cap")
    assert summary(findings) == [("fee-cap", 12, 23)]
    (finding,) = findings
    assert finding.message == ("Class B Distribution Plan caps the fee at 1.25%; the ceiling is 1.00% "
                               "(asset-based sales charge plus service fee)")
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation("Class B Distribution Plan", "1", None, authority)
    assert finding.pointer == "/documents/0/provisions/fee_cap/rate"


@pytest.mark.parametrize("as_of", ["2005-06-30", "2017-01-01"])
def test_fee_cap_at_the_ceiling_is_no_finding(check, as_of: str) -> None:  # type: ignore[no-untyped-def]
    text = CEILING_TRUST.replace('rate: "1.25%"', 'rate: "1.00%"')
    assert only(check(text, select=("fee-cap",), as_of=as_of), "fee-cap") == []


def test_explain_prints_every_dated_value_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "fee-cap", "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    section = out.split("## In policy ica-1940\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line for line in section if line.startswith(("- asset_based", "- service_fee"))] == [
        "- asset_based_sales_charge_max: 0.75% (NASD Rule 2830 (asset-based sales charge))",
        "- asset_based_sales_charge_max from 2016-06-09: 0.75% (FINRA Rule 2341 (asset-based sales charge))",
        "- service_fee_max: 0.25% (NASD Rule 2830 (service fee))",
        "- service_fee_max from 2016-06-09: 0.25% (FINRA Rule 2341 (service fee))",
    ]


# --- 2. annual continuance over the whole history of an agreement ---------------------------------------

def agreement(*meetings: str, kind: str = "management-agreement", title: str = "Management Agreement",
              term: str = '{initial_until: 2005-12-31, then: "1 year", section: "9"}') -> str:
    """An agreement dated 2004-01-01 (its `term:` on line 13, column 7) and the board's continuances,
    one meeting each (the n-th action's `approves` on line 19 + 5n, column 20)."""
    text = textwrap.dedent("""\
        format: 1
        trust: {name: Continuance Trust}
        """) + ROSTER + textwrap.dedent(f"""\
        documents:
          - id: the-agreement
            kind: {kind}
            title: {title}
            dated: 2004-01-01
            provisions:
              term: {term}
        """)
    text += "meetings:\n" if meetings else "meetings: []\n"
    for day in meetings:
        text += (f"  - date: {day}\n"
                 "    in_person: true\n"
                 "    called_for_purpose: true\n"
                 "    actions:\n"
                 f"      - {{approves: the-agreement, action: continuance, for: [{BOARD}]}}\n")
    return text


TERM_AT = ("annual-continuance", 13, 7)


def vote_at(n: int) -> tuple[str, int, int]:
    return ("annual-continuance", 19 + 5 * n, 20)


def continuance(check, text: str, as_of: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    return only(check(text, select=("annual-continuance",), as_of=as_of), "annual-continuance")


@pytest.mark.parametrize(("vote", "due", "severity"), [
    # Rule 15a-2: within the 90 days up to and including 2005-12-31 (from 2005-10-03): from the anniversary
    ("2005-10-03", "2006-12-31", Severity.WARNING),
    ("2005-12-31", "2006-12-31", Severity.WARNING),
    # earlier than that: it still counts, from its own date, outside the safe harbour (a note)
    ("2005-10-02", "2006-10-02", Severity.ERROR),
    ("2005-06-01", "2006-06-01", Severity.ERROR),
])
def test_agreement_early_vote_window(check, vote: str, due: str, severity: Severity) -> None:  # type: ignore[no-untyped-def]
    findings = continuance(check, agreement(vote), "2006-12-01")
    notes = [f for f in findings if f.severity is Severity.NOTE]
    findings = [f for f in findings if f.severity is not Severity.NOTE]
    assert summary(findings) == [TERM_AT]
    assert findings[0].severity is severity
    assert f"by {due}" in findings[0].message
    assert findings[0].citation == Citation("Management Agreement", "9", None, ADVISORY_15A2)
    assert [n.message.endswith("outside the rule's safe harbour") for n in notes] == (
        [True] if severity is Severity.ERROR else [])


@pytest.mark.parametrize(("kind", "title", "authority"), [
    ("management-agreement", "Management Agreement", ADVISORY_15A2),
    ("advisory-agreement", "Sub-Advisory Agreement", ADVISORY_15A2),
    ("distribution-agreement", "Distribution Agreement", UNDERWRITING_15B1),
])
def test_every_lapse_in_the_history_is_reported(check, kind: str, title: str, authority: str) -> None:  # type: ignore[no-untyped-def]
    # due 2005-12-31; late on 2006-02-01 (to 2007-02-01); late again on 2007-03-01 (to 2008-03-01);
    # lapsed again at 2008-06-30: two lapses ended by a late vote, and one still running
    findings = continuance(check, agreement("2006-02-01", "2007-03-01", kind=kind, title=title), "2008-06-30")
    assert summary(findings) == [TERM_AT, vote_at(0), vote_at(1)]
    assert [f.message for f in findings] == [
        f"{title} has lapsed: its continuance was due by 2008-03-01 and no valid approval is recorded since",
        f"{title} lapsed from 2005-12-31 to 2006-02-01: its continuance was due by 2005-12-31 and was "
        "approved only on 2006-02-01",
        f"{title} lapsed from 2007-02-01 to 2007-03-01: its continuance was due by 2007-02-01 and was "
        "approved only on 2007-03-01",
    ]
    assert all(f.severity is Severity.ERROR for f in findings)
    assert all(f.citation == Citation(title, "9", None, authority) for f in findings)
    assert [f.pointer for f in findings[1:]] == ["/meetings/0/actions/0/approves", "/meetings/1/actions/0/approves"]


def test_a_late_vote_ends_a_lapse_but_does_not_erase_it(check) -> None:  # type: ignore[no-untyped-def]
    # late on 2006-02-01; then continued in time every year (Rule 15a-2 carries each from its due date)
    text = agreement("2006-02-01", "2006-12-15", "2007-12-15")
    for as_of in ("2006-06-30", "2007-06-30", "2008-06-30"):
        findings = continuance(check, text, as_of)
        assert summary(findings) == [vote_at(0)]
        assert findings[0].message.startswith("Management Agreement lapsed from 2005-12-31 to 2006-02-01")
    assert continuance(check, text, "2005-10-01") == []  # before it lapsed (and not yet due soon)


@pytest.mark.parametrize(("kind", "title", "authority"), [
    ("management-agreement", "Management Agreement", ADVISORY_15A2),
    ("distribution-agreement", "Distribution Agreement", UNDERWRITING_15B1),
])
def test_first_due_date_is_the_earlier_of_the_term_and_two_years(check, kind: str, title: str,  # type: ignore[no-untyped-def]
                                                                 authority: str) -> None:
    # the text's initial term (2005-06-30) is within the statute's two years (2006-01-01): it governs
    early = agreement(kind=kind, title=title, term='{initial_until: 2005-06-30, then: "1 year", section: "9"}')
    findings = continuance(check, early, "2005-07-01")
    assert [f.message for f in findings] == [
        f"{title} has lapsed: its continuance was due by 2005-06-30 and no valid approval is recorded since"]
    assert findings[0].citation == Citation(title, "9", None, authority)
    # the text's term (2006-12-31) runs past it: the statute's date governs
    late = agreement(kind=kind, title=title, term='{initial_until: 2006-12-31, then: "1 year", section: "9"}')
    findings = continuance(check, late, "2006-01-02")
    assert [f.message for f in findings] == [
        f"{title} has lapsed: its continuance was due by 2006-01-01 and no valid approval is recorded since"]


LONG_TERM = '{initial_until: 2006-12-31, then: "1 year", section: "9"}'


@pytest.mark.parametrize(("meetings", "as_of"), [
    ((), "2005-06-30"),  # within both the text's term and the statute's
    (("2005-11-15",), "2006-06-30"),  # continued within the statute's two years: the text's term is moot
    (("2005-11-15",), "2006-10-31"),  # carried from 2006-01-01 (Rule 15a-2) to 2007-01-01
])
def test_a_term_past_the_statutory_limit_is_not_a_finding_of_its_own(check, meetings: tuple[str, ...],  # type: ignore[no-untyped-def]
                                                                     as_of: str) -> None:
    assert continuance(check, agreement(*meetings, term=LONG_TERM), as_of) == []


def test_a_vote_in_time_by_the_text_but_late_by_the_statute_is_a_lapse(check) -> None:  # type: ignore[no-untyped-def]
    findings = continuance(check, agreement("2006-12-15", term=LONG_TERM), "2007-06-30")
    assert summary(findings) == [vote_at(0)]
    assert findings[0].message == ("Management Agreement lapsed from 2006-01-01 to 2006-12-15: its continuance "
                                   "was due by 2006-01-01 and was approved only on 2006-12-15")


def plan_with(continuance_text: str, adopted: str = "2004-01-01") -> str:
    return textwrap.dedent(f"""\
        format: 1
        trust: {{name: Continuance Trust}}
        documents:
          - id: class-e-plan
            kind: distribution-plan
            title: Class E Distribution Plan
            adopted: {adopted}
            provisions:
              continuance: {continuance_text}
        meetings: []
        """) + ROSTER


@pytest.mark.parametrize(("after", "due"), [
    ('"1 year"', "2005-01-01"),
    ('"18 months"', "2005-01-01"),  # the plan's own period runs past Rule 12b-1(b)(3)(i)'s year
    ('"9 months"', "2004-10-01"),
    ('"quarter"', "2004-04-01"),
])
def test_plan_first_due_date_is_the_earlier_of_after_and_one_year(check, after: str, due: str) -> None:  # type: ignore[no-untyped-def]
    findings = continuance(check, plan_with(f'{{every: "1 year", after: {after}, section: "4"}}'), "2005-06-30")
    assert summary(findings) == [("annual-continuance", 9, 7)]
    assert findings[0].message == (f"Class E Distribution Plan has lapsed: its continuance was due by {due} and "
                                   "no valid approval is recorded since")
    assert findings[0].citation == Citation("Class E Distribution Plan", "4", None, CONTINUANCE_PLAN)


# --- 3. who may end a plan (Rule 12b-1(b)(3)(iii)) ------------------------------------------------------------

def plan_termination(clause: str) -> str:
    return textwrap.dedent(f"""\
        format: 1
        trust: {{name: Plan Trust}}
        share_classes: {{B: {{plan: class-b-plan}}}}
        documents:
          - id: class-b-plan
            kind: distribution-plan
            title: Class B Distribution Plan
            share_class: B
            provisions:
              fee_cap: {{rate: "0.50%", section: "1"}}
              termination: {clause}
        """)


def test_the_portfolios_shareholders_do_not_stand_for_the_class(check) -> None:  # type: ignore[no-untyped-def]
    text = plan_termination('{by: {any_of: [independent_trustees, shareholders]}, section: "6"}')
    findings = only(check(text, select=("termination-notice",)), "termination-notice")
    assert summary(findings) == [("termination-notice", 11, 25)]
    assert findings[0].message.startswith("Class B Distribution Plan does not let the class shareholders "
                                          "terminate it alone; the plan names ")
    assert findings[0].citation == Citation("Class B Distribution Plan", "6", None, "Rule 12b-1(b)(3)(iii)")


def test_a_termination_clause_that_names_nobody(check) -> None:  # type: ignore[no-untyped-def]
    findings = only(check(plan_termination('{section: "6"}'), select=("termination-notice",)), "termination-notice")
    assert summary(findings) == [("termination-notice", 9, 5)]  # the `provisions:` key
    assert findings[0].message.startswith("Class B Distribution Plan does not say who may terminate it")


# --- 4. class votes (Rule 12b-1(b)(1); Rule 18f-3) --------------------------------------------------------------

def class_trust(*, first_offered: str = "2003-05-01", amendment: str = "", votes: str = "") -> str:
    """A Class B plan (its `adopted` on line 17, column 14) on a portfolio whose class B was first
    offered on ``first_offered``; the board approved the plan on 2003-12-01 and its amendment (its
    new cap on line 25, column 48) on 2005-01-20."""
    amendments = "" if not amendment else (
        "    amendments:\n"
        "      - id: amendment-1\n"
        "        title: Amendment No. 1\n"
        "        dated: 2005-02-01\n"
        f"        changes: {{fee_cap: {amendment}}}\n"
        '        section: "8"\n')
    return textwrap.dedent(f"""\
        format: 1
        trust: {{name: Class Trust}}
        share_classes:
          B: {{plan: class-b-plan}}
        portfolios:
          - id: value-fund
            name: Value Fund
            classes:
              B: {{distribution_fee: "0.50%", first_offered: {first_offered}}}
          - id: bond-fund
            name: Bond Fund
        documents:
          - id: class-b-plan
            kind: distribution-plan
            title: Class B Distribution Plan
            share_class: B
            adopted: 2004-01-01
            provisions:
              fee_cap: {{rate: "0.50%", section: "1"}}
              fee_increase: {{requires: {{all_of: [class_shareholders]}}, section: "8"}}
        """) + amendments + textwrap.dedent(f"""\
        meetings:
          - date: 2003-12-01
            in_person: true
            called_for_purpose: true
            actions:
              - {{approves: class-b-plan, action: initial, for: [{BOARD}]}}
        """) + ("" if not amendment else (
            "  - date: 2005-01-20\n"
            "    in_person: true\n"
            "    called_for_purpose: true\n"
            "    actions:\n"
            f"      - {{approves: amendment-1, action: material-amendment, for: [{BOARD}]}}\n")) + ROSTER + votes


def class_vote(target: str, votes_for: int = 600, *, share_class: str | None = "B", portfolio: str = "value-fund",
               day: str = "2003-12-15") -> str:
    action = "initial" if target == "class-b-plan" else "material-amendment"
    cls = f", share_class: {share_class}" if share_class else ""
    return ("shareholder_votes:\n"
            f"  - {{date: {day}, approves: {target}, action: {action}, portfolio: {portfolio}{cls},\n"
            f"     for: {votes_for}, outstanding: 1000}}\n")


def approvals(check, text: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    return only(check(text, select=("required-approvals",)), "required-approvals")


ADOPTED_AT = ("required-approvals", 17, 14)
NEEDS = ("Class B Distribution Plan was adopted on 2004-01-01, after class B of Value Fund was first offered "
         "on 2003-05-01, so it needs that class's approval: ")


def test_a_plan_adopted_after_the_class_was_offered_needs_its_vote(check) -> None:  # type: ignore[no-untyped-def]
    findings = approvals(check, class_trust())
    assert summary(findings) == [ADOPTED_AT]
    (finding,) = findings
    assert finding.message == NEEDS + "no vote of its class B shareholders is recorded"
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation("Class B Distribution Plan", None, None, CLASS_VOTE)
    assert finding.pointer == "/documents/0/adopted"
    assert finding.subject == "value-fund"


def test_a_passing_class_vote(check) -> None:  # type: ignore[no-untyped-def]
    assert approvals(check, class_trust(votes=class_vote("class-b-plan"))) == []


@pytest.mark.parametrize(("vote", "why"), [
    # the whole portfolio voted: not the class (Rule 18f-3)
    (class_vote("class-b-plan", share_class=None),
     "the vote of 2003-12-15 was by the whole portfolio, not by its class B shareholders"),
    (class_vote("class-b-plan", 400),
     "the class vote of 2003-12-15 (400 for of 1000 outstanding) fails §2(a)(42)"),
    # another portfolio's class does not vote for this one's
    (class_vote("class-b-plan", portfolio="bond-fund"), "no vote of its class B shareholders is recorded"),
])
def test_a_class_vote_that_does_not_count(check, vote: str, why: str) -> None:  # type: ignore[no-untyped-def]
    findings = approvals(check, class_trust(votes=vote))
    assert summary(findings) == [ADOPTED_AT]
    assert findings[0].message == NEEDS + why
    assert findings[0].citation == Citation("Class B Distribution Plan", None, None, CLASS_VOTE)


@pytest.mark.parametrize("first_offered", ["2004-01-02", "2004-01-01"])  # after, or on, the adoption
def test_a_plan_adopted_before_the_class_was_offered_needs_no_vote(check, first_offered: str) -> None:  # type: ignore[no-untyped-def]
    assert approvals(check, class_trust(first_offered=first_offered)) == []


def test_a_class_without_first_offered_is_not_judged(check) -> None:  # type: ignore[no-untyped-def]
    text = class_trust().replace(", first_offered: 2003-05-01", "")
    assert approvals(check, text) == []


RAISE = '{from: "0.50%", to: "0.60%"}'


def class_votes(findings: list[Finding]) -> list[Finding]:
    """The class-vote findings (about a portfolio), not those of the board's own approval."""
    return [f for f in findings if f.subject == "value-fund"]


RAISES = ("Amendment No. 1 raises the fee cap of the Class B Distribution Plan to 0.60% on 2005-02-01, so class B of "
          "Value Fund must approve it by a vote of its own shareholders taken by then: ")


def test_raising_the_fee_cap_after_first_offered_needs_the_class_vote(check) -> None:  # type: ignore[no-untyped-def]
    vote = class_vote("amendment-1", day="2005-01-15", share_class=None)
    findings = approvals(check, class_trust(first_offered="2004-06-01", amendment=RAISE, votes=vote))
    # (the board's approval of 2005-01-20 lacks the Plan §8 class vote too: an error at its roll call)
    assert summary(findings) == [("required-approvals", 25, 48), ("required-approvals", 37, 61)]
    (finding,) = class_votes(findings)
    assert finding.message == RAISES + "the vote of 2005-01-15 was by the whole portfolio, not by its class B shareholders"
    assert finding.severity is Severity.ERROR
    assert finding.citation == Citation("Class B Distribution Plan", "8", None, INCREASE_VOTE)  # fee_increase §8
    assert finding.pointer == "/documents/0/amendments/0/changes/fee_cap/to"


def test_a_class_that_has_not_voted_stays_under_the_old_cap(check) -> None:  # type: ignore[no-untyped-def]
    """Rule 12b-1(g): the plan is severable by series and class. Value Fund's class B has not voted on
    the raise: no required-approvals error while it charges the old cap; above it, fee-cap's error."""
    text = class_trust(first_offered="2004-06-01", amendment=RAISE)
    assert class_votes(approvals(check, text)) == []
    assert only(check(text, select=("fee-cap",)), "fee-cap") == []
    text = text.replace('B: {distribution_fee: "0.50%"', 'B: {distribution_fee: "0.60%"')
    assert class_votes(approvals(check, text)) == []
    (fee,) = only(check(text, select=("fee-cap",)), "fee-cap")
    assert fee.message.endswith("is not in effect for it: no vote of its class B shareholders is recorded")


NO_FIRST_OFFERED = ", first_offered: 2004-06-01"  # after the plan's adoption: no vote for that
WHOLE = "the vote of 2005-01-15 was by the whole portfolio, not by its class B shareholders"
FAILS = "the class vote of 2005-01-15 (400 for of 1000 outstanding) fails §2(a)(42)"
LATE = "the class vote of 2005-02-15 came after 2005-02-01, the date it had to be taken by"
NONE = "no vote of its class B shareholders is recorded"


@pytest.mark.parametrize("first_offered", [True, False])
@pytest.mark.parametrize(("vote", "why"), [
    ("", NONE),
    (class_vote("amendment-1", day="2005-01-15", share_class=None), WHOLE),
    (class_vote("amendment-1", 400, day="2005-01-15"), FAILS),
    (class_vote("amendment-1", day="2005-02-15"), LATE),
    (class_vote("amendment-1", day="2005-01-15", portfolio="bond-fund"), NONE),
    (class_vote("class-b-plan", day="2005-01-15"), NONE),  # a vote on the plan, not on the amendment
    (class_vote("amendment-1", day="2005-01-15", share_class=None)
     + class_vote("amendment-1", 400, day="2005-01-16").replace("shareholder_votes:\n", ""),
     FAILS.replace("2005-01-15", "2005-01-16")),  # the class vote explains, not the portfolio's
])
def test_a_fee_increase_needs_the_class_vote_with_or_without_first_offered(
        check, first_offered: bool, vote: str, why: str) -> None:  # type: ignore[no-untyped-def]
    """Rule 12b-1(b)(4): the class of a portfolio that is offered has shareholders who must approve a
    material increase, whether or not the trust records when the class was first offered; fee-cap
    says the same in its own terms (the one judgement of ``increase_approvals``)."""
    text = class_trust(amendment=RAISE, votes=vote, first_offered="2004-06-01")
    if not first_offered:
        text = text.replace(NO_FIRST_OFFERED, "")
    text = text.replace('B: {distribution_fee: "0.50%"', 'B: {distribution_fee: "0.60%"')
    findings = only(check(text, select=("required-approvals", "fee-cap")), "required-approvals")
    at_amendment = [f for f in findings if f.pointer == "/documents/0/amendments/0/changes/fee_cap/to"]
    if why == NONE:  # no vote taken: the class stays under the old cap (Rule 12b-1(g)); fee-cap's error
        assert at_amendment == []
    else:  # a vote was taken and does not count
        (finding,) = at_amendment
        assert (finding.line, finding.column) == (25, 48)
        assert finding.message == RAISES + why
        assert finding.citation == Citation("Class B Distribution Plan", "8", None, INCREASE_VOTE)
        assert finding.subject == "value-fund" and finding.severity is Severity.ERROR
    (fee,) = only(check(text, select=("fee-cap",)), "fee-cap")
    assert fee.message == ("Value Fund charges 0.60% on class B, above the 0.50% cap: the increase to 0.60% by "
                           f"Amendment No. 1 is not in effect for it: {why}")
    assert fee.citation == Citation("Class B Distribution Plan", "8", None, INCREASE_VOTE)


@pytest.mark.parametrize("first_offered", [True, False])
def test_a_passing_class_vote_on_the_increase_satisfies_both_rules(check, first_offered: bool) -> None:  # type: ignore[no-untyped-def]
    text = class_trust(amendment=RAISE, votes=class_vote("amendment-1", day="2005-01-15"), first_offered="2004-06-01")
    if not first_offered:
        text = text.replace(NO_FIRST_OFFERED, "")
    text = text.replace('B: {distribution_fee: "0.50%"', 'B: {distribution_fee: "0.60%"')
    findings = only(check(text, select=("required-approvals", "fee-cap")), "required-approvals")
    assert [f for f in findings if f.subject == "value-fund"] == []
    assert only(check(text, select=("fee-cap",)), "fee-cap") == []


def test_a_class_first_offered_after_the_increase_needs_no_vote(check) -> None:  # type: ignore[no-untyped-def]
    """Rule 12b-1(b)(4) asks for the approval of (b)(1), which a class with no public shareholders
    yet does not need: its investors buy at the new fee."""
    text = class_trust(first_offered="2005-03-01", amendment=RAISE)
    text = text.replace('B: {distribution_fee: "0.50%"', 'B: {distribution_fee: "0.60%"')
    assert class_votes(approvals(check, text)) == []
    assert only(check(text, select=("fee-cap",)), "fee-cap") == []


def test_a_trust_vote_naming_no_portfolio_counts_only_for_the_one_portfolio_with_the_class(check) -> None:  # type: ignore[no-untyped-def]
    vote = ("shareholder_votes:\n"
            "  - {date: 2005-01-15, approves: amendment-1, action: material-amendment, share_class: B,\n"
            "     for: 600, outstanding: 1000}\n")
    text = class_trust(first_offered="2004-06-01", amendment=RAISE, votes=vote)
    assert class_votes(approvals(check, text)) == []  # Bond Fund has no class B
    two = text.replace("    name: Bond Fund\n", '    name: Bond Fund\n    classes: {B: {distribution_fee: "0.50%"}}\n')
    findings = [f for f in approvals(check, two) if f.pointer.endswith("fee_cap/to")]
    assert sorted(f.subject for f in findings) == ["bond-fund", "value-fund"]
    assert [f for f in findings if f.subject == "value-fund"][0].message == RAISES + ("the class B vote of 2005-01-15 names no portfolio, and each of the 2 "
                                            "portfolios with the class votes separately")


def test_raising_the_fee_cap_with_the_class_vote(check) -> None:  # type: ignore[no-untyped-def]
    vote = class_vote("amendment-1", day="2005-01-15")
    assert approvals(check, class_trust(first_offered="2004-06-01", amendment=RAISE, votes=vote)) == []


@pytest.mark.parametrize("change", ['{from: "0.50%", to: "0.40%"}', '{to: "0.50%"}'])
def test_lowering_or_keeping_the_cap_needs_no_class_vote(check, change: str) -> None:  # type: ignore[no-untyped-def]
    assert approvals(check, class_trust(first_offered="2004-06-01", amendment=change)) == []


def test_an_amendment_dated_after_as_of_is_not_yet_judged(check) -> None:  # type: ignore[no-untyped-def]
    text = class_trust(first_offered="2004-06-01", amendment=RAISE)
    findings = only(check(text, select=("required-approvals",), as_of="2005-01-31"), "required-approvals")
    assert class_votes(findings) == []


# --- 5. votes under SEC relief, ratified at the next in-person meeting ------------------------------------------

def relief_trust(*later: str, relief: str | None = "covid-2020") -> str:
    """A plan adopted 2019-06-01 (due 2020-06-01) continued on 2020-05-15 at a meeting not in person
    (its `relief` on line 16, column 13; its roll call on line 19, column 55), and later meetings."""
    relief_line = f"    relief: {relief}\n" if relief else ""
    return textwrap.dedent("""\
        format: 1
        trust: {name: Relief Trust}
        documents:
          - id: class-e-plan
            kind: distribution-plan
            title: Class E Distribution Plan
            adopted: 2019-06-01
            provisions:
              approval: {requires: {all_of: [trustees, independent_trustees]}, in_person: true,
                         called_for_purpose: true, section: "3"}
              continuance: {every: "1 year", after: "1 year", section: "4"}
          - {id: class-b-plan, kind: distribution-plan, title: Class B Distribution Plan, adopted: 2019-06-01}
        meetings:
          - date: 2020-05-15
            in_person: false
        """) + relief_line + (
        "    called_for_purpose: true\n"
        "    actions:\n"
        f"      - {{approves: class-e-plan, action: continuance, for: [{BOARD}]}}\n") + "".join(later) + ROSTER


def in_person(day: str, *actions: str) -> str:
    out = f"  - date: {day}\n    in_person: true\n    called_for_purpose: true\n"
    if not actions:
        return out + "    actions: []\n"
    return out + "    actions:\n" + "".join(f"      - {a}\n" for a in actions)


RATIFIES = f"{{approves: class-e-plan, action: ratification, ratifies: 2020-05-15, for: [{BOARD}]}}"
RELIEF_RULES = ("required-approvals", "annual-continuance")


def relief_findings(check, text: str, as_of: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    """Both rules' findings about the Class E plan (the Class B plan is there to be approved instead)."""
    findings = check(text, select=RELIEF_RULES, as_of=as_of)
    assert [f for f in findings if f.rule in ("parse-error", "schema", "reference", "plugin-error")] == []
    return [f for f in findings if f.rule in RELIEF_RULES and f.subject == "class-e-plan"]


@pytest.mark.parametrize(("later", "as_of"), [
    ((), "2020-09-01"),  # no in-person meeting yet
    ((in_person("2020-08-15", RATIFIES),), "2020-08-14"),  # the meeting is after as_of: not yet held
])
def test_a_vote_under_relief_stands_provisionally(check, later: tuple[str, ...], as_of: str) -> None:  # type: ignore[no-untyped-def]
    findings = relief_findings(check, relief_trust(*later), as_of)
    # at `relief`; and annual-continuance counts the vote: due 2020-06-01, carried a year from the vote
    assert summary(findings) == [("required-approvals", 16, 13)]
    (finding,) = findings
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "the continuance approval of Class E Distribution Plan on 2020-05-15 is provisional: the meeting of "
        "2020-05-15 was not held in person; under SEC relief (covid-2020) the vote stands provisionally until "
        "it is ratified at the next in-person meeting")
    assert finding.citation == Citation("Class E Distribution Plan", "3", None, RELIEF)
    assert finding.pointer == "/meetings/0/relief"


def test_a_vote_under_relief_ratified_at_the_next_in_person_meeting(check) -> None:  # type: ignore[no-untyped-def]
    text = relief_trust(in_person("2020-08-15", RATIFIES))
    assert relief_findings(check, text, "2020-09-01") == []
    # a plan: one year from the vote (Rule 12b-1(b)(3)(i); no Rule 15a-2 window), to 2021-05-15
    assert relief_findings(check, text, "2021-03-01") == []


UNRATIFIED = ("the meeting of 2020-05-15 was held under SEC relief (covid-2020) but the next in-person meeting, "
              "on 2020-08-15, did not ratify it")


@pytest.mark.parametrize("later", [
    (in_person("2020-08-15"),),  # the next in-person meeting takes no action on it
    (in_person("2020-08-15", RATIFIES.replace("ratifies: 2020-05-15", "ratifies: 2020-04-15")),),
    (in_person("2020-08-15", RATIFIES.replace("approves: class-e-plan", "approves: class-b-plan")),),
    # ratified only at a later in-person meeting, not the next one
    (in_person("2020-08-15"), in_person("2020-09-15", RATIFIES)),
])
def test_a_vote_under_relief_not_ratified_at_the_next_in_person_meeting(check, later: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    findings = relief_findings(check, relief_trust(*later), "2020-10-01")
    assert [(f.rule, f.line, f.column, f.severity) for f in findings] == [
        ("annual-continuance", 11, 7, Severity.ERROR), ("required-approvals", 19, 55, Severity.ERROR)]
    lapse, invalid = findings
    assert lapse.message == ("Class E Distribution Plan has lapsed: its continuance was due by 2020-06-01 and no "
                             f"valid approval is recorded since; the approval of 2020-05-15 does not count: {UNRATIFIED}")
    assert lapse.citation == Citation("Class E Distribution Plan", "4", None, CONTINUANCE_PLAN)
    assert invalid.message == ("the continuance approval of Class E Distribution Plan on 2020-05-15 is not "
                               f"valid: {UNRATIFIED}")
    assert invalid.citation == Citation("Class E Distribution Plan", "3", None, PLAN_AUTHORITY)


@pytest.mark.parametrize(("voters", "why"), [
    # the board's majority (2 of 3) ratified, but not the independent trustees' (1 of 2)
    ("Ann Inside, Bob Outside",
     "a majority of the independent trustees did not approve (1 of 2 in office voted for; 2 needed)"),
    ("Bob Outside", "a majority of the trustees did not approve (1 of 3 in office voted for; 2 needed); "
     "a majority of the independent trustees did not approve (1 of 2 in office voted for; 2 needed)"),
])
def test_a_ratification_needs_every_body_of_the_requirement(check, voters: str, why: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 §4: the ratification is judged against the whole requirement (Plan §3: the trustees and
    the independent trustees, each by its own majority of those in office that day)."""
    text = relief_trust(in_person("2020-08-15", RATIFIES.replace(BOARD, voters)))
    findings = relief_findings(check, text, "2020-10-01")
    assert [(f.rule, f.line, f.column, f.severity) for f in findings] == [
        ("annual-continuance", 11, 7, Severity.ERROR), ("required-approvals", 19, 55, Severity.ERROR)]
    assert findings[1].message == ("the continuance approval of Class E Distribution Plan on 2020-05-15 is not "
                                   f"valid: {UNRATIFIED}: at the ratification, {why}")
    assert findings[1].citation == Citation("Class E Distribution Plan", "3", None, PLAN_AUTHORITY)


def test_a_ratification_by_a_majority_of_each_body_in_office_that_day(check) -> None:  # type: ignore[no-untyped-def]
    """Counted over the roster on the day of the ratification: Cal Outside has left by then, so Bob
    Outside is the one independent trustee in office and his vote is the independents' majority."""
    text = relief_trust(in_person("2020-08-15", RATIFIES.replace(BOARD, "Ann Inside, Bob Outside")))
    text = text.replace("- {name: Cal Outside, independent: true, from: 2000-01-01}",
                        "- {name: Cal Outside, independent: true, from: 2000-01-01, until: 2020-07-31}")
    assert relief_findings(check, text, "2020-10-01") == []


def test_a_remote_vote_without_relief_fails_at_once(check) -> None:  # type: ignore[no-untyped-def]
    findings = relief_findings(check, relief_trust(relief=None), "2020-06-15")
    assert [(f.rule, f.line, f.column, f.severity) for f in findings] == [
        ("annual-continuance", 11, 7, Severity.ERROR), ("required-approvals", 18, 55, Severity.ERROR)]
    assert findings[1].message == (
        "the continuance approval of Class E Distribution Plan on 2020-05-15 is not valid: the meeting of "
        "2020-05-15 was not held in person (written consent, telephone or video), and the vote must be cast in "
        "person")


# --- 7. ICA §15(b)(2) binds the principal underwriters of open-end companies ------------------------------------

SCOPE_TRUST = textwrap.dedent("""\
    format: 1
    trust:
      name: Scope Trust
    documents:
      - id: management-agreement
        kind: management-agreement
        title: Management Agreement
        provisions:
          term: {initial_until: 2005-12-31, section: "9"}
      - id: distribution-agreement
        kind: distribution-agreement
        title: Distribution Agreement
        provisions:
          term: {initial_until: 2005-12-31, section: "3"}
    """)


@pytest.mark.parametrize(("trust_type", "judged"), [
    (None, ["distribution-agreement", "management-agreement"]),  # a trust that does not say is open-end
    ("open-end", ["distribution-agreement", "management-agreement"]),
    ("closed-end", ["management-agreement"]),
])
def test_assignment_termination_scope(check, trust_type: str | None, judged: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = SCOPE_TRUST if trust_type is None else SCOPE_TRUST.replace(
        "  name: Scope Trust\n", f"  name: Scope Trust\n  type: {trust_type}\n")
    findings = only(check(text, select=("assignment-termination",)), "assignment-termination")
    assert sorted(f.subject for f in findings) == judged
    authorities = {f.subject: f.citation.authority for f in findings}
    assert authorities["management-agreement"] == "Investment Company Act of 1940 §15(a)(4)"
    if "distribution-agreement" in authorities:
        assert authorities["distribution-agreement"] == ("Investment Company Act of 1940 §15(b)(2); "
                                                         "Rule 12b-1(b)(3)(iv)")
    assert all(f.severity is Severity.ERROR for f in findings)


# --- fixes found by the benchmark corpus ------------------------------------------------------------

def test_a_management_fee_is_judged_against_the_management_agreement_not_a_sub_advisers(check):
    text = """\
    format: 1
    trust: {name: T}
    portfolios:
      - {id: growth, name: Growth Portfolio, management_fee: "0.60%"}
    documents:
      - {id: a-sub, kind: advisory-agreement, title: Sub-Advisory Agreement, dated: 2004-01-01,
         fee_schedule: {growth: "0.30%"}}
      - {id: ma, kind: management-agreement, title: Management Agreement, dated: 2004-01-01,
         fee_schedule: {growth: "0.60%"}}
    """
    assert [f for f in check(text, select=("fee-cap",))] == []  # the sub-adviser's 0.30% is paid by the manager
    findings = check(text.replace('growth: "0.60%"}}', 'growth: "0.50%"}}'), select=("fee-cap",))
    assert [(f.rule, f.subject, f.citation.document) for f in findings] == [
        ("fee-cap", "growth", "Management Agreement")]


@pytest.mark.parametrize("reviewed, late", [("2001-12-31", False), ("2002-01-01", True)])
def test_a_quarters_report_is_due_by_the_end_of_the_next_quarter(check, reviewed, late):
    text = f"""\
    format: 1
    trust: {{name: T}}
    share_classes: {{B: {{plan: p}}}}
    documents:
      - id: p
        kind: distribution-plan
        title: Class B Distribution Plan
        share_class: B
        adopted: 2001-07-01
        provisions:
          reporting: {{every: quarter, section: "5"}}
    reports:
      - {{plan: p, period_end: 2001-09-30, reviewed: {reviewed}}}
    """
    findings = [f for f in check(text, select=("quarterly-reports",), as_of="2002-02-01")]
    assert [f.severity.value for f in findings] == (["warning"] if late else [])
    if late:
        assert "after 2001-12-31" in findings[0].message
