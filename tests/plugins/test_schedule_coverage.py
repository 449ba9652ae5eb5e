"""schedule-coverage: a management fee is charged under an agreement whose Schedule A lists the
portfolio (ICA §15(a)); a class is sold under a distribution agreement whose Schedule A lists it."""
from __future__ import annotations

import pytest
from helpers import GROWTH, summary

from mist_check.findings import Citation

RULE = "schedule-coverage"
WRITTEN = "Investment Company Act of 1940 §15(a) (an adviser serves under a written contract)"


def trust(agreement: str) -> str:
    return GROWTH + f"""\
    management_fee: "0.75%"
documents:
  - id: mgmt
    kind: management-agreement
    title: Management Agreement
    dated: 2001-01-01
    provisions:
      compensation: {{section: "4"}}
{agreement}"""


@pytest.mark.parametrize("agreement", [
    '    fee_schedule: {growth: "0.75%"}\n',
    "    schedule: [growth]\n",  # on Schedule A without its rate
    '    schedule: [growth]\n    fee_schedule: {growth: "0.75%"}\n',
    "    schedule: []\n    amendments:\n      - {id: am-1, title: Amendment No. 1, dated: 2003-01-01, adds: [growth]}\n",
])
def test_a_portfolio_on_schedule_a_is_no_finding(check, agreement: str) -> None:
    assert check(trust(agreement), select=(RULE,)) == []


@pytest.mark.parametrize("agreement", [
    "    schedule: []\n",
    "    fee_schedule: {}\n",
    '    fee_schedule: {growth: "0.75%"}\n    terminated: 2004-12-31\n',
    '    fee_schedule: {growth: "0.75%"}\n    amendments:\n'
    "      - {id: am-1, title: Amendment No. 1, dated: 2003-01-01, removes: [growth]}\n",
    "    schedule: [growth]\n    amendments:\n"
    "      - {id: am-1, title: Amendment No. 1, dated: 2003-01-01, removes: [growth]}\n",
])
def test_a_management_fee_no_agreement_lists_is_an_error_at_the_fee(check, agreement: str) -> None:
    findings = check(trust(agreement), select=(RULE,), as_of="2005-06-30")
    assert summary(findings) == [(RULE, 7, 21)]
    (finding,) = findings
    assert finding.message == ("Growth Portfolio is charged a management fee of 0.75%, but no management or "
                               "advisory agreement in force lists it on its Schedule A")
    assert finding.citation.authority == WRITTEN


def test_an_amendment_after_the_day_judged_has_not_removed_it_yet(check) -> None:
    agreement = ("    schedule: [growth]\n    amendments:\n"
                 "      - {id: am-1, title: Amendment No. 1, dated: 2006-01-01, removes: [growth]}\n")
    assert check(trust(agreement), select=(RULE,), as_of="2005-06-30") == []


def test_the_finding_cites_the_agreements_compensation_section(check) -> None:
    (finding,) = check(trust("    schedule: []\n"), select=(RULE,))
    assert finding.citation == Citation("Management Agreement", "4", None, WRITTEN)


# --- a class sold under a distribution agreement that ended ---------------------------------------------
DISTRIBUTION = "Investment Company Act of 1940 §15(b) (a principal underwriter acts under a written contract)"


def sold(extra: str = "", terminated: str = "2004-12-31", offered: str = "") -> str:
    return f"""\
format: 1
trust:
  name: Test Trust
share_classes:
  B: {{plan: b-plan, distribution_agreement: b-dist}}
portfolios:
  - id: growth
    name: Growth Portfolio
    classes:
      B: {{{offered}}}
documents:
  - {{id: b-plan, kind: distribution-plan, title: Class B Plan, share_class: B, adopted: 2001-01-01}}
  - id: b-dist
    kind: distribution-agreement
    title: Class B Distribution Agreement
    dated: 2001-01-01
    terminated: {terminated}
    related_plan: b-plan
    schedule: [growth]
{extra}"""


def test_a_class_sold_after_its_distribution_agreement_ended_is_an_error_at_the_class(check) -> None:
    findings = check(sold(), select=(RULE,), as_of="2005-06-30")
    assert summary(findings) == [(RULE, 10, 7)]
    (finding,) = findings
    assert finding.message == (
        "Growth Portfolio offers class B shares, but the Class B Distribution Agreement ended on 2004-12-31: it has "
        "no distributor for them; name the agreement now in force (`distribution_agreement:` of class B) or stop "
        "offering the class (`offered: false`)")
    assert finding.citation == Citation("Class B Distribution Agreement", None, None, DISTRIBUTION)


@pytest.mark.parametrize("extra, terminated, offered", [
    ("", "2005-07-01", ""),  # it ends after the day judged
    ("", "2004-12-31", "offered: false"),  # the class is no longer sold
    ("  - {id: b-dist-2, kind: distribution-agreement, title: New Distribution Agreement, dated: 2005-01-01,\n"
     "     related_plan: b-plan, schedule: [growth]}\n", "2004-12-31", ""),  # its successor lists the portfolio
])
def test_a_class_with_a_distributor_on_the_day_judged_is_no_finding(check, extra: str, terminated: str,
                                                                    offered: str) -> None:
    assert check(sold(extra, terminated, offered), select=(RULE,), as_of="2005-06-30") == []


def test_a_successor_that_does_not_list_the_portfolio_does_not_cover_it(check) -> None:
    extra = ("  - {id: b-dist-2, kind: distribution-agreement, title: New Distribution Agreement, dated: 2005-01-01,\n"
             "     related_plan: b-plan, schedule: []}\n")
    assert summary(check(sold(extra), select=(RULE,), as_of="2005-06-30")) == [(RULE, 10, 7)]
