"""name-cessation: the trust stops using the adviser's name within 30 days of the agreement's end."""
from __future__ import annotations


import pytest
from helpers import summary

from mist_check.findings import Citation, Severity

RULE = "name-cessation"
AUTHORITY = "Management Agreement §6 (a contract term; no statute requires it)"
CLAUSE_6 = Citation("Management Agreement", "6", None, AUTHORITY)

CLAUSE_OK = '{names: [Old Name], cease_within: "30 days", trigger: termination, section: "6"}'
# Line 5 holds the covered name, line 14 the clause (`{` at column 17: `cease_within`'s value is at
# column 51 and `trigger`'s at 71 in CLAUSE_OK).
NAME_LINE, CLAUSE_LINE = 5, 14


def trust(clause: str | None = CLAUSE_OK, *, name: str = "{name: Old Name}", terminated: str = "null",
          extra: str = "") -> str:
    clause_line = f"      name_use: {clause}\n" if clause is not None else "      term: {section: \"9\"}\n"
    return f"""\
format: 1
trust:
  name: Test Trust
  names:
    - {name}
    - {{name: Other Name}}
documents:
  - id: management-agreement
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    terminated: {terminated}
    provisions:
{clause_line}{extra}"""


def mist(check, text, as_of="2005-06-30"):
    return check(text, policy="mist", as_of=as_of, select=(RULE,))


def test_compliant_clause_has_no_finding(check):
    assert mist(check, trust()) == []


def test_missing_clause_is_an_error_at_provisions(check):
    findings = mist(check, trust(clause=None))
    assert summary(findings) == [(RULE, 13, 5)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "/documents/0/provisions"
    assert finding.subject == "management-agreement"
    assert finding.citation == Citation("Management Agreement", None, None, AUTHORITY)
    assert finding.message == ("Management Agreement has no clause requiring the trust to cease using the "
                               "adviser's name within 30 days of its termination")


def test_missing_clause_of_an_advisory_agreement_without_provisions_is_at_its_id(check):
    extra = """\
  - id: sub-advisory
    kind: advisory-agreement
    title: Sub-Advisory Agreement
  - id: distribution
    kind: distribution-agreement
    title: Distribution Agreement
"""
    findings = mist(check, trust(extra=extra))
    # the distribution agreement needs no name clause
    assert summary(findings) == [(RULE, 15, 9)]
    assert findings[0].citation == Citation("Sub-Advisory Agreement", None, None, AUTHORITY)


def test_trigger_request_is_an_error_under_a_pack_that_requires_termination(check):
    findings = mist(check, trust(clause=CLAUSE_OK.replace("trigger: termination", "trigger: request")))
    assert summary(findings) == [(RULE, CLAUSE_LINE, 71)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "/documents/0/provisions/name_use/trigger"
    assert finding.citation == CLAUSE_6
    assert "on request" in finding.message and "requires it on termination" in finding.message


@pytest.mark.parametrize(("cease_within", "longer"), [
    ('"30 days"', False),
    ('"1 month"', False),  # a month compares as 30 days
    ('"3 days"', False),
    ('"31 days"', True),
    ('"2 months"', True),
    ('"1 year"', True),
])
def test_cease_within_longer_than_the_packs_period_is_an_error(check, cease_within, longer):
    findings = mist(check, trust(clause=CLAUSE_OK.replace('"30 days"', cease_within)))
    if not longer:
        assert findings == []
        return
    assert summary(findings) == [(RULE, CLAUSE_LINE, 51)]
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert finding.citation == CLAUSE_6
    assert finding.message.endswith("after termination; at most 30 days is allowed")


def test_clause_without_cease_within_is_an_error_at_the_clause(check):
    findings = mist(check, trust(clause='{names: [Old Name], trigger: termination, section: "6"}'))
    assert summary(findings) == [(RULE, CLAUSE_LINE, 7)]
    assert findings[0].citation == CLAUSE_6
    assert "gives no period" in findings[0].message


# Terminated 2005-01-31: 30 days later is 2005-03-02 (FORMAT.md); judged at 2005-06-30.
@pytest.mark.parametrize(("name", "expected", "words"), [
    ("{name: Old Name}", [(RULE, NAME_LINE, 14)], "still uses the name 'Old Name'"),
    ("{name: Old Name, until: null}", [(RULE, NAME_LINE, 31)], "still uses the name 'Old Name'"),
    ("{name: Old Name, until: 2005-07-31}", [(RULE, NAME_LINE, 31)], "still uses the name 'Old Name'"),
    ("{name: Old Name, until: 2005-03-03}", [(RULE, NAME_LINE, 31)],
     "used the name 'Old Name' until 2005-03-03"),
    ("{name: Old Name, until: 2005-03-02}", [], ""),  # in time, on the last day
    ("{name: Old Name, until: 2005-02-15}", [], ""),
])
def test_name_in_use_past_the_period_after_termination_is_an_error(check, name, expected, words):
    findings = mist(check, trust(name=name, terminated="2005-01-31"))
    assert summary(findings) == expected
    for finding in findings:
        assert finding.severity is Severity.ERROR
        # a fact outside any document, cited to the clause it is judged against
        assert finding.citation == CLAUSE_6
        assert finding.subject == "management-agreement"
        assert words in finding.message
        assert "had to cease by 2005-03-02" in finding.message
        assert "ended on 2005-01-31" in finding.message


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2005-02-15", []),  # still in use, but within the period
    ("2005-03-02", []),  # the last day of the period
    ("2005-03-03", [(RULE, NAME_LINE, 14)]),
])
def test_name_in_use_is_judged_at_as_of(check, as_of, expected):
    assert summary(mist(check, trust(terminated="2005-01-31"), as_of=as_of)) == expected


def test_agreement_ending_after_as_of_is_not_yet_judged(check):
    assert mist(check, trust(terminated="2005-07-31")) == []


def test_names_the_clause_does_not_cover_are_not_judged(check):
    # "Other Name" (line 6) is still in use but the clause covers only "Old Name", which has ceased
    text = trust(name="{name: Old Name, until: 2005-02-01}", terminated="2005-01-31")
    assert mist(check, text) == []


@pytest.mark.parametrize(("cease_within", "until", "expected"), [
    # 1 month after 2005-01-31 is 2005-02-28 (a calendar month, clamped to the month's end)
    ('"1 month"', "2005-02-28", []),
    ('"1 month"', "2005-03-01", [(RULE, NAME_LINE, 31)]),
    # the same use is in time under "30 days" (2005-03-02)
    ('"30 days"', "2005-03-01", []),
])
def test_a_period_in_months_counts_calendar_months(check, cease_within, until, expected):
    text = trust(clause=CLAUSE_OK.replace('"30 days"', cease_within), name=f"{{name: Old Name, until: {until}}}",
                 terminated="2005-01-31")
    findings = mist(check, text)
    assert summary(findings) == expected
    for finding in findings:
        assert "had to cease by 2005-02-28 (1 month after" in finding.message


def test_a_period_longer_than_the_packs_is_judged_by_the_packs_period(check):
    text = trust(clause=CLAUSE_OK.replace('"30 days"', '"2 months"'),
                 name="{name: Old Name, until: 2005-03-15}", terminated="2005-01-31")
    findings = mist(check, text)
    assert summary(findings) == [(RULE, NAME_LINE, 31), (RULE, CLAUSE_LINE, 51)]
    assert "had to cease by 2005-03-02" in findings[0].message


def test_does_not_run_under_ica_1940(check):
    text = trust(clause=None, extra="") + """\
  - id: other-advisory
    kind: advisory-agreement
    title: Sub-Advisory Agreement
    terminated: 2005-01-31
    provisions:
      name_use: {names: [Other Name], cease_within: "2 months", trigger: request, section: "6"}
"""
    assert len(mist(check, text)) == 4  # missing clause, trigger, period, name in use
    assert [f for f in check(text, policy="ica-1940") if f.rule == RULE] == []
