"""``reference`` findings: ids and names that point nowhere, and ids used twice, at their value."""
from __future__ import annotations

import pytest
from helpers import summary

ROOT = """\
format: 1
trust:
  name: T
trustees:
  - {name: Ann, independent: true, from: 2000-01-01}
  - {name: Bob, independent: false, from: 2000-01-01}
share_classes:
  B: {plan: class-b-plan, distribution_agreement: class-b-distribution}
portfolios:
  - id: growth
    classes: {B: {distribution_fee: "0.25%"}}
documents:
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan
    share_class: B
    adopted: 2001-01-01
  - id: class-b-distribution
    kind: distribution-agreement
    title: Distribution Agreement
    dated: 2001-01-01
    related_plan: class-b-plan
    schedule: [growth]
"""  # 23 lines


def _references(check, text: str) -> list:
    return [f for f in check(text) if f.rule in ("reference", "schema", "parse-error")]


def test_a_consistent_trust_has_no_reference_findings(check) -> None:
    assert _references(check, ROOT) == []


@pytest.mark.parametrize(("old", "new", "where", "pointer", "words"), [
    ("schedule: [growth]", "schedule: [growth, ghost]", (23, 24), "/documents/1/schedule/1",
     "Distribution Agreement Schedule A names 'ghost', which is not the id of any portfolio"),
    ("B: {plan: class-b-plan,", "B: {plan: ghost-plan,", (8, 13), "/share_classes/B/plan",
     "share class B plan 'ghost-plan' is not the id of any document"),
    ("distribution_agreement: class-b-distribution}", "distribution_agreement: ghost}", (8, 51),
     "/share_classes/B/distribution_agreement",
     "share class B distribution agreement 'ghost' is not the id of any document"),
    ("related_plan: class-b-plan", "related_plan: class-c-plan", (22, 19), "/documents/1/related_plan",
     "Distribution Agreement related_plan 'class-c-plan' is not the id of any document; did you mean 'class-b-plan'?"),
    ("related_plan: class-b-plan", "related_plan: class-b-distribution", (22, 19),
     "/documents/1/related_plan",
     "Distribution Agreement related_plan 'class-b-distribution' is a distribution-agreement, "
     "not a distribution-plan"),
    ("share_class: B", "share_class: Q", (16, 18), "/documents/0/share_class",
     "Class B Distribution Plan is for class Q, which no share_classes entry or portfolio has"),
])
def test_unknown_ids_in_documents_and_classes(check, old: str, new: str, where: tuple[int, int],
                                               pointer: str, words: str) -> None:
    assert ROOT.count(old) == 1
    findings = [f for f in _references(check, ROOT.replace(old, new))]
    assert summary(findings) == [("reference", *where)]
    assert findings[0].pointer == pointer
    assert findings[0].message == words
    assert findings[0].file == "trust.yaml"


def test_fee_schedule_and_amendment_portfolios(check) -> None:
    text = ROOT + """\
    amendments:
      - id: amendment-1
        title: Amendment No. 1
        dated: 2003-05-01
        adds: [growth, value]
        removes: [old-one]
  - id: management-agreement
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    fee_schedule: {growth: "0.10%", bond: "0.20%"}
"""
    findings = _references(check, text)
    assert [(f.line, f.column, f.pointer) for f in findings] == [
        (28, 24, "/documents/1/amendments/0/adds/1"),
        (29, 19, "/documents/1/amendments/0/removes/0"),
        (34, 37, "/documents/2/fee_schedule/bond"),
    ]
    assert findings[0].message == "Amendment No. 1 adds names 'value', which is not the id of any portfolio"
    assert findings[2].message == ("Management Agreement fee schedule names 'bond', which is not the id "
                                   "of any portfolio")


MEETING = """\
meetings:
  - date: 2004-01-01
    in_person: true
    called_for_purpose: true
    actions:
      - approves: class-b-plan
        action: continuance
        for: [Ann, Bob]
        against: []
        abstain: []
"""  # lines 24-33


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("approves: class-b-plan", "approves: class-x-plan", (29, 19),
     "the meeting of 2004-01-01 approves 'class-x-plan' is not the id of any document or amendment; "
     "did you mean 'class-b-plan'?"),
    ("for: [Ann, Bob]", "for: [Ann, Carol]", (31, 20),
     "'Carol' in the roll call of 2004-01-01 is not on the trustees roster"),
    ("against: []", "against: [Dan]", (32, 19),
     "'Dan' in the roll call of 2004-01-01 is not on the trustees roster"),
    ("abstain: []", "abstain: [Bob, ann]", (33, 24),
     "'ann' in the roll call of 2004-01-01 is not on the trustees roster; did you mean 'Ann'?"),  # names match exactly
])
def test_meeting_references(check, old: str, new: str, where: tuple[int, int], words: str) -> None:
    text = ROOT + MEETING.replace(old, new)
    findings = _references(check, text)
    assert summary(findings) == [("reference", *where)]
    assert findings[0].message == words


def test_meeting_may_approve_an_amendment(check) -> None:
    text = ROOT + """\
    amendments:
      - {id: amendment-1, dated: 2003-05-01, adds: [growth]}
""" + MEETING.replace("approves: class-b-plan", "approves: amendment-1")
    assert _references(check, text) == []


SHAREHOLDER_VOTE = """\
shareholder_votes:
  - date: 2003-04-20
    approves: class-b-plan
    action: material-amendment
    portfolio: growth
    share_class: B
    for: 1200000
    against: 100000
    present: 1500000
    outstanding: 2000000
"""  # lines 24-33


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("portfolio: growth", "portfolio: value", (28, 16),
     "the shareholder vote of 2003-04-20 names 'value', which is not the id of any portfolio"),
    ("share_class: B", "share_class: E", (29, 18),
     "the shareholder vote of 2003-04-20 is by class E, which the trust does not have"),
    ("approves: class-b-plan", "approves: class-e-plan", (26, 15),
     "the shareholder vote of 2003-04-20 approves 'class-e-plan' is not the id of any document or "
     "amendment; did you mean 'class-b-plan'?"),
])
def test_shareholder_vote_references(check, old: str, new: str, where: tuple[int, int], words: str) -> None:
    assert _references(check, ROOT + SHAREHOLDER_VOTE) == []
    findings = _references(check, ROOT + SHAREHOLDER_VOTE.replace(old, new))
    assert summary(findings) == [("reference", *where)]
    assert findings[0].message == words


@pytest.mark.parametrize(("plan", "words"), [
    ("class-c-plan", "the report for 2005-03-31 plan 'class-c-plan' is not the id of any document; did you mean 'class-b-plan'?"),
    ("class-b-distribution", "the report for 2005-03-31 plan 'class-b-distribution' is a "
                             "distribution-agreement, not a distribution-plan"),
])
def test_report_plan(check, plan: str, words: str) -> None:
    text = ROOT + f"reports:\n  - {{plan: class-b-plan, period_end: 2004-12-31}}\n" \
                  f"  - {{plan: {plan}, period_end: 2005-03-31, reviewed: 2005-05-16}}\n"
    findings = _references(check, text)
    assert summary(findings) == [("reference", 26, 12)]
    assert findings[0].message == words
    assert findings[0].pointer == "/reports/1/plan"


def test_duplicate_document_ids(check) -> None:
    text = ROOT + """\
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan, restated
    adopted: 2004-01-01
"""
    findings = _references(check, text)
    assert summary(findings) == [("reference", 24, 9)]
    assert findings[0].message == "the id 'class-b-plan' is used twice (first at trust.yaml:13)"
    assert findings[0].subject == "class-b-plan"


def test_amendment_id_may_not_repeat_a_document_id(check) -> None:
    text = ROOT + """\
    amendments:
      - {id: class-b-plan, dated: 2003-05-01}
"""
    assert summary(_references(check, text)) == [("reference", 25, 14)]


def test_duplicate_portfolio_ids(check) -> None:
    text = ROOT.replace("documents:", "  - id: growth\n    name: Growth again\ndocuments:")
    findings = _references(check, text)
    assert summary(findings) == [("reference", 12, 9)]
    assert findings[0].message == "the portfolio id 'growth' is used twice (first at trust.yaml:10)"


def test_duplicate_trustee_names(check) -> None:
    text = ROOT.replace("share_classes:", "  - {name: Ann, independent: false}\nshare_classes:")
    assert summary(_references(check, text)) == [("reference", 7, 12)]


def test_references_across_files_are_reported_where_written(check) -> None:
    findings = _references(check, {
        "trust.yaml": "format: 1\ntrust: {name: T}\ninclude: [docs.yaml, portfolios.yaml]\n",
        "portfolios.yaml": "portfolios:\n  - id: growth\n",
        "docs.yaml": """\
documents:
  - id: dist
    kind: distribution-agreement
    title: Dist
    dated: 2001-01-01
    schedule: [growth, value]
""",
    })
    assert [(f.file, f.line, f.column) for f in findings] == [("docs.yaml", 6, 24)]
