"""plan-coverage: a class that pays a distribution fee has a plan in force (Rule 12b-1(b))."""
from __future__ import annotations

import pytest
from helpers import GROWTH, summary

from mist_check.findings import Citation

RULE = "plan-coverage"
NO_PLAN = "Rule 12b-1(b) (payments made pursuant to a written plan)"


def trust(plans: str, fee: str = '"0.25%"') -> str:
    return GROWTH + f"""\
    classes:
      A: {{distribution_fee: {fee}}}
documents:
{plans}"""


PLAN = """\
  - id: {id}
    kind: distribution-plan
    title: {title}
    share_class: A
    adopted: {adopted}
{extra}"""


def plan(id: str = "a-plan", title: str = "Class A Plan", adopted: str = "2001-01-01", terminated: str = "") -> str:
    return PLAN.format(id=id, title=title, adopted=adopted,
                       extra=f"    terminated: {terminated}\n" if terminated else "")


def test_a_class_with_its_plan_in_force_is_no_finding(check) -> None:
    assert check(trust(plan()), select=(RULE,)) == []


@pytest.mark.parametrize("terminated", ["2004-12-31", "2005-06-30"])
def test_a_fee_charged_after_the_plan_ended_is_an_error_at_the_fee(check, terminated: str) -> None:
    findings = check(trust(plan(terminated=terminated)), select=(RULE,), as_of="2005-06-30")
    assert summary(findings) == [(RULE, 8, 29)]
    (finding,) = findings
    assert finding.message == (f"Growth Portfolio charges a class A distribution fee of 0.25%, but Class A Plan "
                               f"ended on {terminated} and no other distribution plan covers class A: write "
                               "`distribution_fee: \"0%\"` or record the plan now in force")
    assert finding.citation == Citation("Class A Plan", None, None, NO_PLAN)


def test_a_plan_ending_after_the_day_judged_still_covers(check) -> None:
    assert check(trust(plan(terminated="2005-07-01")), select=(RULE,), as_of="2005-06-30") == []


def test_a_plan_that_replaced_the_ended_one_covers_the_class(check) -> None:
    plans = plan(terminated="2004-12-31") + plan(id="a-plan-2", title="Amended Class A Plan", adopted="2005-01-01")
    assert check(trust(plans), select=(RULE,), as_of="2005-06-30") == []


@pytest.mark.parametrize("fee", ['"0%"', '"0.00%"'])
def test_no_fee_needs_no_plan_in_force(check, fee: str) -> None:
    assert check(trust(plan(terminated="2004-12-31"), fee=fee), select=(RULE,), as_of="2005-06-30") == []


def test_a_plan_adopted_after_the_day_judged_is_not_judged_so(check) -> None:
    """The class's recorded fee may be the one it pays once the plan takes effect."""
    assert check(trust(plan(adopted="2006-01-01")), select=(RULE,), as_of="2005-06-30") == []


def test_a_class_with_no_plan_at_all_is_reported_as_before(check) -> None:
    findings = check(trust("  - {id: x, kind: management-agreement, title: Management Agreement}\n"),
                     select=(RULE,))
    assert [f.message for f in findings] == [
        "Growth Portfolio charges a class A distribution fee of 0.25%, but no distribution plan covers class A"]
