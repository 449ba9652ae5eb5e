"""The trustees review a written report on each plan's spending every quarter.

## What it does
For every distribution plan in effect (from its `adopted`, else `effective` date, until any
`terminated` date), and every reporting period (`reporting.every`, default `report_period`) whose
end falls after the plan took effect and whose review deadline (one `review_within` after the
period's end) has passed by `as_of`:
- no `reports` entry for the plan and period reviewed by then is an error; the missing periods of a
  plan are one finding, at the plan's `reporting` provision, listing them;
- a report reviewed after the deadline is a warning (`late`) at its `reviewed` date.
A plan that has no `reporting` provision is an error at its `provisions:` key. Periods end on the
last day of March, June, September and December for a quarterly period. To bound the work, only a
plan's most recent 1,000 periods are judged (250 years of quarters).

## Why is this bad?
Rule 12b-1(b)(3)(ii) lets a fund pay distribution fees only under a plan that requires a written
report of the amounts spent and their purposes to be given to, and reviewed by, the board at least
quarterly: without it the board cannot judge whether the plan still benefits the fund.

## Example
```yaml
reports:
  - {plan: class-b-plan, period_end: 2005-03-31, reviewed: 2005-08-20}   # late
```
Use instead: `reviewed: 2005-05-16` (within a quarter of the period's end).

## Parameters
- `report_period`: how often a report is due when the plan does not say.
- `review_within`: how long after a period's end the trustees may review its report.

## References
- Plan §5; Rule 12b-1(b)(3)(ii)
"""
from __future__ import annotations

from collections.abc import Iterator

from mist_check import Citation, Document, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.timing import MAX_PERIODS, period_ends, report_schedule

__all__ = ["MAX_PERIODS", "check", "period_ends"]  # period_ends: kept here for callers of the old place


def _check_plan(trust: Trust, ctx: RuleContext, plan: Document) -> Iterator[Finding]:
    if plan.provision("reporting") is None:
        yield ctx.missing(plan, "reporting", message=f"{plan.title} does not require a written report of "
                                                     "its spending to be reviewed by the trustees quarterly")
        return
    schedule = report_schedule(trust, plan, ctx.params, ctx.as_of)
    if schedule is None:
        return  # no date to count from: document-dates reports the blank
    cite = Citation(schedule.provision.document, schedule.provision.section)
    for due, report in schedule.late(ctx.as_of):
        yield ctx.finding(report.src.at("reviewed"),
                          f"the report on {plan.title} for the period ending {due.period_end} was reviewed on "
                          f"{report.reviewed}, after {due.deadline} ({schedule.review} after the period's end)",
                          subject=plan.id, citation=cite, case="late")
    missing = [due.period_end for due in schedule.missing(ctx.as_of)]
    if missing:
        listed = ", ".join(str(d) for d in missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        yield ctx.finding(schedule.provision.at(),
                          f"{plan.title}: no written report reviewed in time for {len(missing)} "
                          f"period{'s' if len(missing) > 1 else ''} ending {listed}",
                          subject=plan.id, citation=cite)


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    for plan in trust.plans():
        with ctx.judging():  # the plan and the reports on it
            yield from _check_plan(trust, ctx, plan)


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("quarterly-reports", check, severity="error", cases={"late": "warning"},
                 params={"report_period": "period", "review_within": "period"}, doc=__doc__)]
