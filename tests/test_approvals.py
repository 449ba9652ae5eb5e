"""Unit tests of mist_check.approvals: majorities over the roster, ICA §2(a)(42), all_of/any_of."""
from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mist_check.approvals import (BodyTally, Majorities, board_vote, failures, passing_votes, raises_fee_cap,
                                  requirements, shareholder_passes, target_document)
from mist_check.loader import SourceFile, load_bytes
from mist_check.model import Requirement, ShareholderVote, Trust, build_trust, requirement
from mist_check.policy import SHARED_PARAMS, convert, load_policy

PACK = load_policy("ica-1940")
DAY = date(2005, 6, 30)


def _shared(name: str):  # type: ignore[no-untyped-def]
    value, _reference = PACK.parameters[name].at(DAY)
    return convert(SHARED_PARAMS[name], value, name)


# The thresholds as the ica-1940 pack sets them (0.5, 0.5, 0.67, 0.5), as the engine builds them.
ICA = Majorities(_shared("board_majority_more_than"), _shared("shareholder_quorum_more_than"),
                 _shared("shareholder_present_at_least"), _shared("shareholder_outstanding_more_than"))
PARAMS = {name: _shared(name) for name in SHARED_PARAMS}
HALF = ICA.board_more_than


def test_pack_thresholds_are_the_statutory_ones() -> None:
    assert ICA == Majorities(Decimal("0.5"), Decimal("0.5"), Decimal("0.67"), Decimal("0.5"))


def trust_of(text: str) -> Trust:
    src = load_bytes(SourceFile("trust.yaml", Path("trust.yaml")), textwrap.dedent(text).encode("utf-8"))
    assert not src.findings
    return build_trust(src, [])


# --- BodyTally ----------------------------------------------------------------------------------

def tally(members: int, voted: int) -> BodyTally:
    names = tuple(f"T{i}" for i in range(members))
    return BodyTally("trustees", names, names[:voted])


@pytest.mark.parametrize(("members", "voted", "passes"), [
    (4, 2, False),  # exactly half is not a majority
    (4, 3, True),
    (4, 4, True),
    (3, 2, True),
    (3, 1, False),
    (1, 1, True),
    (1, 0, False),
    (2, 1, False),
    (5, 3, True),
    (0, 0, False),  # a body with no member in office cannot approve anything
])
def test_majority_is_more_than_half_of_members_in_office(members: int, voted: int, passes: bool) -> None:
    assert tally(members, voted).passes(HALF) is passes


@pytest.mark.parametrize(("members", "voted", "passes"), [
    (4, 3, False),
    (4, 4, True),
    (1, 1, True),
    (0, 0, False),
])
def test_unanimity_needs_every_member_in_office(members: int, voted: int, passes: bool) -> None:
    assert tally(members, voted).passes(HALF, unanimous=True) is passes


@pytest.mark.parametrize(("members", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4)])
def test_needed_is_the_fewest_votes_that_are_a_majority(members: int, needed: int) -> None:
    assert tally(members, 0).needed(HALF) == needed
    assert tally(members, needed).passes(HALF)
    assert not tally(members, needed - 1).passes(HALF)


def test_describe_names_the_count_and_what_was_needed() -> None:
    assert tally(4, 2).describe(HALF) == "2 of 4 in office voted for; 3 needed"
    assert tally(4, 3).describe(HALF, unanimous=True) == "3 of 4 in office voted for; 4 needed"


# --- board_vote ---------------------------------------------------------------------------------

ROSTER = """\
    format: 1
    trust: {name: Roster Trust}
    trustees:
      - {name: Ann Inside, independent: false, from: 2000-01-01}
      - {name: Bob Outside, independent: true, from: 2000-01-01, until: null}
      - {name: Cal Newcomer, independent: true, from: 2005-01-01}
      - {name: Dee Retired, independent: true, from: 2000-01-01, until: 2004-12-31}
      - {name: Eve Inside, independent: false}
    documents:
      - {id: plan, kind: distribution-plan, title: Plan}
    meetings:
      - date: 2004-12-31
        in_person: true
        called_for_purpose: true
        actions:
          - {approves: plan, action: continuance, for: [Ann Inside, Dee Retired, Cal Newcomer],
             against: [Bob Outside]}
      - date: 2005-01-01
        in_person: true
        called_for_purpose: true
        actions:
          - {approves: plan, action: continuance, for: [Ann Inside, Dee Retired, Cal Newcomer, Zed Nobody,
             Cal Newcomer], abstain: [Bob Outside]}
          - {approves: plan, action: continuance, for: [Bob Outside], against: [Dee Retired],
             abstain: [Yan Unknown]}
    """


def test_board_vote_on_the_last_day_in_office() -> None:
    trust = trust_of(ROSTER)
    meeting = trust.meetings[0]
    vote = board_vote(trust, meeting, meeting.actions[0])
    # `until` is inclusive: Dee Retired is still in office on 2004-12-31; Cal Newcomer is not yet.
    assert vote.trustees.members == ("Ann Inside", "Bob Outside", "Dee Retired", "Eve Inside")
    assert vote.trustees.voted_for == ("Ann Inside", "Dee Retired")
    assert vote.independent_trustees.members == ("Bob Outside", "Dee Retired")
    assert vote.independent_trustees.voted_for == ("Dee Retired",)
    assert vote.not_in_office == ("Cal Newcomer",)
    assert vote.unknown == ()
    assert not vote.trustees.passes(HALF)  # 2 of 4
    assert not vote.independent_trustees.passes(HALF)  # 1 of 2


def test_board_vote_on_the_first_day_in_office() -> None:
    trust = trust_of(ROSTER)
    meeting = trust.meetings[1]
    vote = board_vote(trust, meeting, meeting.actions[0])
    # `from` is inclusive: Cal Newcomer is in office on 2005-01-01; Dee Retired left the day before.
    assert vote.trustees.members == ("Ann Inside", "Bob Outside", "Cal Newcomer", "Eve Inside")
    assert vote.trustees.voted_for == ("Ann Inside", "Cal Newcomer")  # a name twice counts once
    assert vote.independent_trustees.members == ("Bob Outside", "Cal Newcomer")
    assert vote.independent_trustees.voted_for == ("Cal Newcomer",)
    assert vote.not_in_office == ("Dee Retired",)
    assert vote.unknown == ("Zed Nobody",)
    # Dee Retired's vote would have made 3 of 4 trustees; not counted, it is 2 of 4: no majority.
    assert not vote.trustees.passes(HALF)


def test_board_vote_lists_names_from_against_and_abstain_too() -> None:
    trust = trust_of(ROSTER)
    meeting = trust.meetings[1]
    vote = board_vote(trust, meeting, meeting.actions[1])
    assert vote.trustees.voted_for == ("Bob Outside",)
    assert vote.not_in_office == ("Dee Retired",)
    assert vote.unknown == ("Yan Unknown",)


def test_independence_comes_from_the_roster() -> None:
    trust = trust_of("""\
        format: 1
        trust: {name: T}
        trustees:
          - {name: Ann, independent: true}
          - {name: Bob, independent: false}
          - {name: Cy}
        documents:
          - {id: plan, kind: distribution-plan, title: Plan}
        meetings:
          - date: 2005-01-01
            actions:
              - {approves: plan, action: initial, for: [Ann, Bob, Cy]}
        """)
    vote = board_vote(trust, trust.meetings[0], trust.meetings[0].actions[0])
    assert vote.trustees.members == ("Ann", "Bob", "Cy")  # no dates: always in office
    assert vote.independent_trustees.members == ("Ann",)  # `independent` defaults to false
    assert vote.independent_trustees.voted_for == ("Ann",)


# --- shareholder_passes (ICA §2(a)(42)) -----------------------------------------------------------

def shareholder_vote(votes_for: int, outstanding: int, present: int | None = None) -> ShareholderVote:
    return ShareholderVote(date(2005, 1, 1), "plan", "initial", "fund", "B", votes_for, None, present,
                           outstanding, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("votes_for", "present", "outstanding", "passes"), [
    # (B) more than 50% of the outstanding, whatever was present
    (501, None, 1000, True),
    (500, None, 1000, False),  # exactly 50% of the outstanding is not more than 50%
    (500, 1000, 1000, False),  # ...and is under 67% of the 1000 present
    (501, 501, 1000, True),
    # (A) 67% of those present, if more than 50% of the outstanding are present
    (400, 500, 1000, False),  # exactly 50% present: no quorum for (A), and 40% fails (B)
    (500, 500, 1000, False),  # 100% of those present, but only 50% present
    (402, 600, 1000, True),  # exactly 67% of those present (and only 40.2% of the outstanding)
    (401, 600, 1000, False),  # just under 67% of those present
    (336, 501, 1000, True),  # 67% of 501 is 335.67: 336 suffices with just over half present
    (335, 501, 1000, False),
    (670, 1000, 1000, True),
    (1, None, 1, True),
    (0, 0, 1, False),
    (0, None, 0, False),  # nothing outstanding: no vote can pass
    (5, 5, 0, False),
])
def test_shareholder_majority(votes_for: int, present: int | None, outstanding: int, passes: bool) -> None:
    assert shareholder_passes(shareholder_vote(votes_for, outstanding, present), ICA) is passes


counts = st.integers(min_value=0, max_value=10**40)


@given(outstanding=st.integers(min_value=1, max_value=10**40), present=st.none() | counts, votes_for=counts)
@example(outstanding=2 * 10**30 + 2, present=None, votes_for=10**30 + 2)  # beyond 28 significant digits
@example(outstanding=2 * 10**30 + 2, present=None, votes_for=10**30 + 1)
@example(outstanding=10**40, present=10**38 * 60 + 3, votes_for=10**36 * 4020 + 3)
def test_shareholder_majority_is_the_lesser_of_the_two_tests(outstanding: int, present: int | None,
                                                             votes_for: int) -> None:
    shown = 0 if present is None else present
    expected = (votes_for > Fraction(1, 2) * outstanding
                or (shown > Fraction(1, 2) * outstanding and votes_for >= Fraction(67, 100) * shown))
    assert shareholder_passes(shareholder_vote(votes_for, outstanding, present), ICA) is expected


# --- failures: all_of / any_of ------------------------------------------------------------------

def tree(value: object) -> Requirement:
    req = requirement(value)
    assert req is not None
    return req


def satisfied_by(*approved: str):  # type: ignore[no-untyped-def]
    return lambda body: None if body in approved else f"{body} did not approve"


@pytest.mark.parametrize(("req", "approved", "reasons"), [
    ("trustees", ("trustees",), []),
    ("trustees", (), ["trustees did not approve"]),
    ({"all_of": ["trustees", "independent_trustees"]}, ("trustees", "independent_trustees"), []),
    # all_of: every body must approve; each failing body is its own reason
    ({"all_of": ["trustees", "independent_trustees"]}, ("trustees",), ["independent_trustees did not approve"]),
    ({"all_of": ["trustees", "independent_trustees"]}, (),
     ["trustees did not approve", "independent_trustees did not approve"]),
    # any_of: one alternative is enough
    ({"any_of": ["trustees", "shareholders"]}, ("shareholders",), []),
    ({"any_of": ["trustees", "shareholders"]}, ("trustees",), []),
    ({"any_of": ["trustees", "shareholders"]}, (),
     ["none of the alternatives approved: trustees did not approve; shareholders did not approve"]),
    # §15(c): (the board or the shareholders) and the independent trustees
    ({"all_of": [{"any_of": ["trustees", "shareholders"]}, "independent_trustees"]},
     ("shareholders", "independent_trustees"), []),
    ({"all_of": [{"any_of": ["trustees", "shareholders"]}, "independent_trustees"]}, ("trustees",),
     ["independent_trustees did not approve"]),
    ({"all_of": [{"any_of": ["trustees", "shareholders"]}, "independent_trustees"]}, ("independent_trustees",),
     ["none of the alternatives approved: trustees did not approve; shareholders did not approve"]),
    ({"any_of": [{"all_of": ["trustees", "independent_trustees"]}, "class_shareholders"]},
     ("independent_trustees",),
     ["none of the alternatives approved: trustees did not approve; class_shareholders did not approve"]),
    ({"any_of": [{"all_of": ["trustees", "independent_trustees"]}, "class_shareholders"]},
     ("trustees", "independent_trustees"), []),
])
def test_failures(req: object, approved: tuple[str, ...], reasons: list[str]) -> None:
    assert failures(tree(req), satisfied_by(*approved)) == reasons


# --- requirements: the document's own tree, else the law's ------------------------------------------

DOCUMENTS = """\
    format: 1
    trust: {name: T}
    documents:
      - id: plan
        kind: distribution-plan
        title: Class B Distribution Plan
        share_class: B
        provisions:
          fee_cap: {rate: "0.50%", section: "1"}
          approval: {requires: {any_of: [trustees, class_shareholders]}, section: "3"}
          continuance: {every: "1 year", section: "4"}
          fee_increase: {requires: {all_of: [class_shareholders, shareholders]}, section: "8"}
        amendments:
          - {id: raise, dated: 2005-01-01, changes: {fee_cap: {from: "0.50%", to: "0.60%"}}, section: "8"}
          - {id: lower, dated: 2005-01-01, changes: {fee_cap: {from: "0.50%", to: "40bp"}}, section: "8"}
          - {id: same, dated: 2005-01-01, changes: {fee_cap: {from: "0.50%", to: "50bp"}}, section: "8"}
      - id: bare-plan
        kind: distribution-plan
        title: Bare Plan
        amendments:
          - {id: bare-raise, dated: 2005-01-01, changes: {fee_cap: {to: "0.60%"}}}
      - id: agreement
        kind: management-agreement
        title: Management Agreement
        provisions:
          term: {then: "1 year", continuance_requires: {all_of: [trustees, shareholders]}, in_person: false,
                 section: "9"}
      - {id: waiver, kind: fee-waiver, title: Fee Waiver}
      - id: history-plan
        kind: distribution-plan
        title: History Plan
        provisions:
          fee_cap: {rate: "0.50%", section: "1"}
        amendments:  # written out of date order
          - {id: history-up, dated: 2005-01-01, changes: {fee_cap: {to: "0.45%"}}}
          - {id: history-down, dated: 2004-01-01, changes: {fee_cap: {to: "0.40%"}}}
    """


@pytest.mark.parametrize(("doc_id", "action", "amendment_id", "expected", "section"), [
    ("plan", "initial", None, "(trustees or class_shareholders)", "3"),
    # the continuance provision states no requirement: §4 continues "in the manner of Section 3"
    ("plan", "continuance", None, "(trustees or class_shareholders)", "3"),
    ("plan", "material-amendment", "raise",
     "((trustees or class_shareholders) and (class_shareholders and shareholders))", "3"),
    ("plan", "material-amendment", "lower", "(trustees or class_shareholders)", "3"),
    ("plan", "material-amendment", "same", "(trustees or class_shareholders)", "3"),
    ("bare-plan", "initial", None, "(trustees and independent_trustees)", None),
    # an increase with no `from` and no plan section 8: the class's shareholders (Rule 12b-1(b)(4))
    ("bare-plan", "amendment", "bare-raise", "((trustees and independent_trustees) and class_shareholders)", None),
    ("agreement", "continuance", None, "(trustees and shareholders)", "9"),
    ("agreement", "initial", None, "(shareholders and independent_trustees)", None),
    ("agreement", "material-amendment", None, "(shareholders and independent_trustees)", None),
])
def test_requirements(doc_id: str, action: str, amendment_id: str | None, expected: str,
                      section: str | None) -> None:
    trust = trust_of(DOCUMENTS)
    doc, amendment = target_document(trust, amendment_id or doc_id)
    assert doc is trust.document(doc_id)
    need = requirements(doc, action, amendment, PARAMS)
    assert need is not None
    assert str(need.tree) == expected
    assert (need.source.section if need.source is not None else None) == section
    # the pack lists every plan and agreement kind: in person, at a meeting called for the purpose
    assert need.in_person and need.called_for_purpose


def test_no_requirement_for_a_fee_waiver() -> None:
    trust = trust_of(DOCUMENTS)
    assert requirements(trust.document("waiver"), "initial", None, PARAMS) is None


def test_in_person_from_the_text_when_the_pack_does_not_require_it() -> None:
    trust = trust_of(DOCUMENTS)
    params = {**PARAMS, "in_person_required": (), "called_for_purpose_required": ()}
    plan_need = requirements(trust.document("plan"), "initial", None, params)
    agreement_need = requirements(trust.document("agreement"), "continuance", None, params)
    assert plan_need is not None and agreement_need is not None
    assert (plan_need.in_person, plan_need.called_for_purpose) == (False, False)
    assert (agreement_need.in_person, agreement_need.called_for_purpose) == (False, False)


def test_target_document_of_an_amendment() -> None:
    trust = trust_of(DOCUMENTS)
    doc, amendment = target_document(trust, "raise")
    assert doc is trust.document("plan") and amendment is not None and amendment.id == "raise"
    assert target_document(trust, "nowhere") == (None, None)
    assert target_document(trust, None) == (None, None)


def test_raises_fee_cap_compares_rates_exactly() -> None:
    trust = trust_of(DOCUMENTS)
    amendments = trust.amendments_by_id
    assert raises_fee_cap(amendments["raise"])
    assert not raises_fee_cap(amendments["lower"])
    assert not raises_fee_cap(amendments["same"])  # "50bp" is "0.50%"
    assert not raises_fee_cap(None)


@pytest.mark.parametrize(("amendment_id", "raises"), [
    ("history-down", False),  # 0.40% after the 0.50% as adopted
    ("history-up", True),  # 0.45% after the 0.40% of the earlier amendment
])
def test_raises_fee_cap_without_from_compares_with_the_cap_before(amendment_id: str, raises: bool) -> None:
    trust = trust_of(DOCUMENTS)
    doc, amendment = target_document(trust, amendment_id)
    assert raises_fee_cap(amendment, doc) is raises
    need = requirements(doc, "material-amendment", amendment, PARAMS)
    assert need is not None
    assert ("class_shareholders" in need.tree.bodies()) is raises


# --- passing_votes --------------------------------------------------------------------------------

def test_passing_votes_of_the_class() -> None:
    trust = trust_of("""\
        format: 1
        trust: {name: T}
        documents:
          - {id: plan, kind: distribution-plan, title: Plan, share_class: B}
        shareholder_votes:
          - {date: 2005-01-01, approves: plan, portfolio: fund, share_class: B, for: 60, outstanding: 100}
          - {date: 2005-01-02, approves: plan, portfolio: fund, share_class: B, for: 40, outstanding: 100}
          - {date: 2005-01-03, approves: plan, portfolio: fund, share_class: E, for: 90, outstanding: 100}
          - {date: 2005-01-04, approves: plan, portfolio: fund, for: 90, outstanding: 100}
          - {date: 2005-01-05, approves: plan, portfolio: other, share_class: B, for: 90, outstanding: 100}
        """)
    doc = trust.document("plan")
    passing, failing = passing_votes(trust, "plan", "class_shareholders", doc, ICA, portfolio="fund")
    # only a vote that names the plan's class speaks for the class; another class's does not
    assert [v.date.day for v in passing] == [1]
    assert [v.date.day for v in failing] == [2]
    passing, failing = passing_votes(trust, "plan", "class_shareholders", doc, ICA)
    assert [v.date.day for v in passing] == [1, 5]
    passing, _ = passing_votes(trust, "plan", "shareholders", doc, ICA, portfolio="fund")
    assert [v.date.day for v in passing] == [1, 3, 4]


@pytest.mark.parametrize(("action", "days"), [
    ("continuance", [2, 4]),  # and the vote that states no action
    ("initial", [1, 4]),
    ("amendment", [3, 4]),  # "amendment" and "material-amendment" are one kind of approval
    ("material-amendment", [3, 4]),
    (None, [1, 2, 3, 4]),
])
def test_passing_votes_of_the_same_kind_of_approval(action: str | None, days: list[int]) -> None:
    trust = trust_of("""\
        format: 1
        trust: {name: T}
        documents:
          - {id: agreement, kind: management-agreement, title: Management Agreement}
        shareholder_votes:
          - {date: 2005-01-01, approves: agreement, action: initial, for: 60, outstanding: 100}
          - {date: 2005-01-02, approves: agreement, action: continuance, for: 60, outstanding: 100}
          - {date: 2005-01-03, approves: agreement, action: material-amendment, for: 60, outstanding: 100}
          - {date: 2005-01-04, approves: agreement, for: 60, outstanding: 100}
        """)
    passing, _ = passing_votes(trust, "agreement", "shareholders", trust.document("agreement"), ICA,
                               action=action)
    assert [v.date.day for v in passing] == days
