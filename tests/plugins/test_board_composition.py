"""board-composition: ICA §10(a), Rule 0-1(a)(7)(i), ICA §16(a), with the suspension of Rule 10e-1."""
from __future__ import annotations

import textwrap

import pytest
from helpers import summary

from mist_check.findings import Citation, Finding, Severity

RULE = "board-composition"
TEN_A = "Investment Company Act of 1940 §10(a)"
GOVERNANCE_12B1 = "Rule 0-1(a)(7)(i); Rule 12b-1(c)"
SIXTEEN_A = "Investment Company Act of 1940 §16(a)"
PLAN = """\
share_classes:
  B: {plan: class-b-plan}
documents:
  - {id: class-b-plan, kind: distribution-plan, title: Class B Distribution Plan, share_class: B,
     adopted: 2002-01-01}
"""
MULTI = """\
documents:
  - {id: multi-class-plan, kind: multi-class-plan, title: Plan pursuant to Rule 18f-3, adopted: 2002-01-01}
"""


def board(*rows: str, docs: str = PLAN, extra: str = "") -> str:
    """A trust whose roster is ``rows`` (the first on line 4), then ``docs`` and ``extra``."""
    return ("format: 1\ntrust: {name: Board Trust}\ntrustees:\n" + "".join(f"  - {r}\n" for r in rows)
            + docs + textwrap.dedent(extra))


def t(name: str, independent: bool, start: str | None = "2000-01-01", until: str | None = None,
      elected: str | None = None) -> str:
    parts = [f"name: {name}", f"independent: {str(independent).lower()}"]
    if start:
        parts.append(f"from: {start}")
    if until:
        parts.append(f"until: {until}")
    if elected:
        by, on = elected.split("@")
        parts.append(f"elected: {{by: {by}, on: {on}}}")
    return "{" + ", ".join(parts) + "}"


@pytest.fixture
def check_rule(check):  # type: ignore[no-untyped-def]
    def _check(text: str, as_of: str = "2008-06-30") -> list[Finding]:
        findings = check(text, select=(RULE,), as_of=as_of)
        assert [f for f in findings if f.rule in ("parse-error", "schema", "reference", "plugin-error")] == []
        return [f for f in findings if f.rule == RULE]
    return _check


BASE = (t("Ann Inside", False), t("Bob Outside", True), t("Cal Outside", True))


def test_a_board_with_a_majority_of_independent_trustees_passes(check_rule) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(board(*BASE)) == []


@pytest.mark.parametrize("text", [
    "format: 1\ntrust: {name: Board Trust}\n" + PLAN,  # no roster at all (the MIST filings record none)
    "format: 1\ntrust: {name: Board Trust}\ntrustees: []\n" + PLAN,
    # every trustee has left: no one in office is not judged
    board(t("Ann Inside", False, start="2009-01-01"), t("Art Inside", False, start="2009-01-01")),
])
def test_an_empty_or_missing_roster_is_not_judged(check_rule, text: str) -> None:  # type: ignore[no-untyped-def]
    assert check_rule(text) == []


def test_more_than_sixty_percent_interested(check_rule) -> None:  # type: ignore[no-untyped-def]
    """ICA §10(a): 3 of 5 (60%) is lawful, 4 of 6 is not; reported at the `from` of the trustee whose
    joining broke it."""
    rows = (*BASE, t("Art Inside", False), t("Amy Inside", False), t("Ace Inside", False, start="2006-03-01"))
    text = board(*rows, docs="")  # no plan: Rule 0-1(a)(7) does not apply
    assert check_rule(text, as_of="2006-02-28") == []  # 3 of 5 interested: 60%
    findings = check_rule(text)
    assert summary(findings) == [(RULE, 9, 50)]
    (finding,) = findings
    assert finding.message == ("from 2006-03-01 (Ace Inside joined on 2006-03-01) still on 2008-06-30, 4 of the 6 "
                               "trustees in office were interested persons; at most 60% may be (appoint an "
                               "independent trustee)")
    assert finding.citation == Citation(None, None, None, TEN_A)
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "/trustees/5/from"


def test_sixty_percent_exactly_is_lawful(check_rule) -> None:  # type: ignore[no-untyped-def]
    rows = (t("Ann Inside", False), t("Art Inside", False), t("Amy Inside", False), t("Bob Outside", True),
            t("Cal Outside", True))
    assert check_rule(board(*rows, docs="")) == []


def test_a_majority_independent_while_relying_on_rule_12b_1(check_rule) -> None:  # type: ignore[no-untyped-def]
    """Rule 0-1(a)(7)(i): half independent is not a majority, for a trust with a 12b-1 plan; the same
    board without a plan is judged by ICA §10(a) alone (50% interested is lawful)."""
    rows = (t("Ann Inside", False), t("Art Inside", False), t("Bob Outside", True), t("Cal Outside", True))
    assert check_rule(board(*rows, docs="")) == []
    findings = check_rule(board(*rows))
    assert summary(findings) == [(RULE, 7, 5)]  # the roster as it stands (no change began it)
    (finding,) = findings
    assert finding.message.endswith("2 of the 4 trustees in office were independent; while the trust relies on "
                                    "Rule 12b-1 (Class B Distribution Plan) more than half must be (appoint an "
                                    "independent trustee)")
    assert finding.citation == Citation(None, None, None, GOVERNANCE_12B1)


def test_a_multi_class_plan_is_reliance_on_rule_18f_3(check_rule) -> None:  # type: ignore[no-untyped-def]
    rows = (t("Ann Inside", False), t("Art Inside", False), t("Bob Outside", True), t("Cal Outside", True))
    (finding,) = check_rule(board(*rows, docs=MULTI))
    assert "relies on Rule 18f-3 (Plan pursuant to Rule 18f-3)" in finding.message
    assert finding.citation == Citation(None, None, None, "Rule 0-1(a)(7)(i); Rule 18f-3(e)")


def test_the_majority_condition_is_dated(check_rule) -> None:  # type: ignore[no-untyped-def]
    """Rule 0-1(a)(7) binds from the compliance date of Rel. IC-24816 (July 1, 2002); the 2004 75%
    condition was vacated (Chamber of Commerce v. SEC, 443 F.3d 890): a majority suffices after it."""
    rows = (t("Ann Inside", False), t("Bob Outside", True), t("Cal Outside", True), t("Dee Outside", True),
            t("Art Inside", False, start="2006-03-01"))  # 3 of 5 independent: 60%, below 75%
    assert check_rule(board(*rows)) == []
    early = (t("Ann Inside", False), t("Art Inside", False), t("Bob Outside", True), t("Cal Outside", True))
    assert check_rule(board(*early), as_of="2002-06-30") == []  # no fund governance standard yet
    assert [f.citation.authority for f in check_rule(board(*early), as_of="2002-07-01")] == [GOVERNANCE_12B1]


@pytest.mark.parametrize(("joins", "found"), [("2002-03-01", False), ("2002-09-01", True)])
def test_the_law_of_the_day_judges_the_past(check_rule, joins: str, found: bool) -> None:  # type: ignore[no-untyped-def]
    """Judged at 2008: half independent until a third independent trustee joins. Before July 1, 2002
    that was lawful (no fund governance standard yet); from that day it was not."""
    rows = (t("Ann Inside", False), t("Art Inside", False), t("Bob Outside", True), t("Cal Outside", True),
            t("Eve Outside", True, start=joins))
    findings = check_rule(board(*rows))
    assert [f.message.split(",")[0] for f in findings] == (
        [f"from 2002-07-01 (as the roster stands on 2002-07-01) until {joins}"] if found else [])


def test_a_closed_end_trust_does_not_rely_on_rule_12b_1(check_rule) -> None:  # type: ignore[no-untyped-def]
    rows = (t("Ann Inside", False), t("Art Inside", False), t("Bob Outside", True), t("Cal Outside", True))
    text = board(*rows).replace("trust: {name: Board Trust}", "trust: {name: Board Trust, type: closed-end}")
    assert check_rule(text) == []


def test_a_departure_is_suspended_by_rule_10e_1(check_rule) -> None:  # type: ignore[no-untyped-def]
    """Bob Outside leaves on 2006-01-31: 1 of 2 independent. Rule 10e-1(b): 150 days (no `elected`, so
    whether the board may fill the seat is unknown); cured in time passes, a warning while it runs."""
    rows = (t("Ann Inside", False), t("Bob Outside", True, until="2006-01-31"), t("Cal Outside", True))
    cured = board(*rows, t("Dee Outside", True, start="2006-06-01"))
    assert check_rule(cured) == []
    findings = check_rule(board(*rows), as_of="2006-03-01")
    assert [(f.line, f.severity) for f in findings] == [(5, Severity.WARNING)]
    assert findings[0].message == (
        "since 2006-02-01 (Bob Outside left on 2006-01-31) 1 of the 2 trustees in office were independent; while "
        "the trust relies on Rule 12b-1 (Class B Distribution Plan) more than half must be (appoint an independent "
        "trustee); the requirement is suspended until 2006-07-01 (Rule 10e-1(b) (150 days if a vote of stockholders "
        "is required to fill the vacancy), Rel. IC-24816, effective February 15, 2001): fill the vacancy by then")
    findings = check_rule(board(*rows))
    assert [(f.line, f.column, f.severity) for f in findings] == [(5, 69, Severity.ERROR)]
    assert findings[0].pointer == "/trustees/1/until"
    assert findings[0].message.endswith("(the suspension for the vacancy ended on 2006-07-01)")


def test_the_board_period_where_the_board_may_fill_the_seat(check_rule) -> None:  # type: ignore[no-untyped-def]
    """Every trustee elected by shareholders: after filling, 2 of 3 would be: Rule 10e-1(a), 90 days."""
    sh = "shareholders@2000-01-01"
    rows = (t("Ann Inside", False, elected=sh), t("Bob Outside", True, until="2006-01-31", elected=sh),
            t("Cal Outside", True, elected=sh))
    (finding,) = check_rule(board(*rows), as_of="2006-03-01")
    assert "suspended until 2006-05-02 (Rule 10e-1(a)" in finding.message


def test_a_meeting_that_approves_while_the_board_is_out_of_compliance(check_rule) -> None:  # type: ignore[no-untyped-def]
    rows = (t("Ann Inside", False), t("Art Inside", False), t("Bob Outside", True), t("Cal Outside", True))
    meeting = """\
    meetings:
      - date: 2007-12-01
        in_person: true
        actions:
          - {approves: class-b-plan, action: continuance, for: [Ann Inside, Bob Outside, Cal Outside]}
      - date: 2007-12-02
        actions: []
    """
    findings = check_rule(board(*rows, extra=meeting))
    assert summary(findings) == [(RULE, 7, 5), (RULE, 14, 11)]  # the roster; the meeting's date
    assert findings[1].message == (
        "the board that met on 2007-12-01 to approve Class B Distribution Plan was not lawfully composed: 2 of the 4 trustees "
        "in office were independent; while the trust relies on Rule 12b-1 (Class B Distribution Plan) more than "
        "half must be (appoint an independent trustee)")
    assert findings[1].pointer == "/meetings/0/date"
    assert findings[1].citation == Citation(None, None, None, GOVERNANCE_12B1)


SH = "shareholders@2000-01-01"


def test_a_vacancy_filled_by_the_board(check_rule) -> None:  # type: ignore[no-untyped-def]
    """ICA §16(a): afterwards 2 of 3 (two-thirds) is lawful; 2 of 4 is not (no plan here: ICA §16(a)
    binds every trust, and the 1-of-2 independent board before 2004 is not this test's matter)."""
    rows = [t("Ann Inside", False, elected=SH), t("Bob Outside", True, elected=SH),
            t("Cal Outside", True, start="2004-01-01", elected="board@2004-01-01")]
    assert check_rule(board(*rows, docs="")) == []
    rows.append(t("Dee Outside", True, start="2005-01-01", elected="board@2005-01-01"))
    findings = check_rule(board(*rows, docs=""))
    filling = [f for f in findings if f.pointer == "/trustees/3/elected"]
    assert [(f.line, f.column) for f in filling] == [(7, 71)]
    assert filling[0].message == (
        "Dee Outside was elected by the board on 2005-01-01, but afterwards only 2 of the 4 trustees in office had "
        "been elected by the shareholders; the board may fill a vacancy only while at least two-thirds (3) were: "
        "the shareholders must elect this trustee")
    assert filling[0].citation == Citation(None, None, None, SIXTEEN_A)


def test_no_majority_elected_by_shareholders_needs_a_meeting_within_60_days(check_rule) -> None:  # type: ignore[no-untyped-def]
    rows = [t("Ann Inside", False, elected=SH), t("Bob Outside", True, elected=SH),
            t("Cal Outside", True, start="2004-01-01", elected="board@2004-01-01"),
            t("Dee Outside", True, start="2005-01-01", elected="board@2005-01-01")]
    findings = [f for f in check_rule(board(*rows, docs="")) if f.pointer == "/trustees/3/from"]
    assert [(f.line, f.severity) for f in findings] == [(7, Severity.ERROR)]
    assert findings[0].message == (
        "from 2005-01-01 (Dee Outside joined on 2005-01-01) still on 2008-06-30, only 2 of the 4 trustees in office had been elected by "
        "the shareholders, not a majority, and no shareholders' meeting elected trustees by 2005-03-02, within "
        "60 days as required")
    assert findings[0].citation == Citation(None, None, None, SIXTEEN_A)
    due = [f for f in check_rule(board(*rows, docs=""), as_of="2005-02-01") if f.pointer == "/trustees/3/from"]
    assert [(f.severity, f.message.split(": ")[-1]) for f in due] == [
        (Severity.WARNING, "a shareholders' meeting to elect trustees must be held by 2005-03-02")]
    # the shareholders elect Dee Outside on 2005-02-20: the meeting was held in time
    rows[3] = t("Dee Outside", True, start="2005-01-01", elected="shareholders@2005-02-20")
    assert [f for f in check_rule(board(*rows, docs="")) if f.pointer == "/trustees/3/from"] == []


def test_section_16a_is_not_judged_where_a_trustee_records_no_election(check_rule) -> None:  # type: ignore[no-untyped-def]
    rows = (t("Ann Inside", False, elected=SH), t("Bob Outside", True),
            t("Cal Outside", True, start="2004-01-01", elected="board@2004-01-01"),
            t("Dee Outside", True, start="2005-01-01", elected="board@2005-01-01"))
    assert check_rule(board(*rows, docs="")) == []


def test_the_mist_fixture_has_no_roster_and_no_finding(check) -> None:  # type: ignore[no-untyped-def]
    from helpers import REPO
    from mist_check.engine import Options, run

    result = run(Options(paths=[str(REPO / "fixtures" / "mist")], entry_points=False))
    assert [f for f in result.findings if f.rule == RULE] == []


def test_an_unreadable_meeting_does_not_hide_the_boards_own_breach(check) -> None:  # type: ignore[no-untyped-def]
    """The board's composition rests on the roster alone: a meeting whose date cannot be read is
    not judged (nor any approval at it), but 4 of 6 interested trustees is still a breach."""
    rows = (*BASE, t("Art Inside", False), t("Amy Inside", False), t("Ace Inside", False, start="2006-03-01"))
    text = board(*rows, docs="", extra="""\
        meetings:
          - {date: 2006-13-01, in_person: true, actions: [{approves: nothing, action: approval}]}
        """)
    findings = check(text, select=(RULE,), as_of="2008-06-30")
    assert [(f.rule, f.line) for f in findings if f.rule == RULE] == [(RULE, 9)]
    assert any(f.rule == "schema" for f in findings)


# One sample trust per behaviour (fixtures/board-composition/fail/*): the severity and the authority
# each prints. The lines are the fixtures' own `# expect:` marks (tests/plugins/test_fixtures.py).
ICA_10A, ICA_16A = "Investment Company Act of 1940 §10(a)", "Investment Company Act of 1940 §16(a)"
BY_12B1, BY_18F3 = "Rule 0-1(a)(7)(i); Rule 12b-1(c)", "Rule 0-1(a)(7)(i); Rule 18f-3(e)"
BEHAVIOURS = {
    "independent-majority": {("error", BY_12B1)},
    "multi-class-plan": {("error", BY_18F3)},
    "interested-sixty-percent": {("error", ICA_10A)},
    "vacancy-suspended": {("warning", BY_12B1)},
    "vacancy-not-filled": {("error", BY_12B1)},
    "vacancy-before-2001": {("error", ICA_10A)},
    "board-fills-vacancy": {("error", ICA_16A)},
    "shareholder-meeting-overdue": {("error", ICA_16A)},
    "shareholder-meeting-due": {("warning", ICA_16A)},
    "approving-meeting": {("error", BY_12B1)},
}


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_each_failing_behaviour_has_its_sample_trust_and_citation(name: str) -> None:
    from helpers import REPO
    from mist_check.engine import Options, run

    result = run(Options(paths=[str(REPO / "fixtures" / RULE / "fail" / name)], entry_points=False))
    found = {(f.severity.value, f.citation.text()) for f in result.findings if f.rule == RULE}
    assert found == BEHAVIOURS[name]


def test_every_failing_sample_trust_is_listed() -> None:
    from helpers import REPO

    assert {p.name for p in (REPO / "fixtures" / RULE / "fail").iterdir()} == {*BEHAVIOURS, "over-the-years"}
