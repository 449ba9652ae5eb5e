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

import functools

from collections.abc import Iterator
from datetime import date, timedelta

from mist_check import Citation, Document, Finding, Report, Rule, RuleContext, Trust, hookimpl
from mist_check.periods import Period, add_months


def period_ends(start: date, until: date, period: Period) -> Iterator[date]:
    """Ends of the reporting periods after ``start`` up to ``until``: for months (a quarter) and
    years, the last day of each calendar period; for days, every ``count`` days from ``start``.
    Stops at the end of the calendar, and yields nothing for a period of zero."""
    if period.count <= 0 or (period.unit == "day" and period.count > (until - start).days):
        return  # no period, or none that ends by `until` (a count of days past any calendar)
    if period.unit == "day":
        step, end = timedelta(days=period.count), start
        while True:
            try:
                end += step
            except OverflowError:
                return
            if end > until:
                return
            yield end
    months = period.months
    index = ((start.year * 12 + start.month - 1) // months + 1) * months  # the first boundary after start
    while True:
        year, month = divmod(index, 12)
        if year > date.max.year:
            return
        end = date(year, month + 1, 1) - timedelta(days=1)
        if end > until:
            return
        if end >= start:
            yield end
        index += months


# A bound on the work, not a legal number: a plan is judged over its most recent reporting periods
# only (1,000 quarters is 250 years), so that a date in year 1 or 9999 cannot make the check hang.
MAX_PERIODS = 1000


def _recent_start(start: date, until: date, period: Period) -> date:
    """``start``, moved forward so that at most ``MAX_PERIODS`` periods end by ``until``."""
    if period.unit == "day":
        spare = (until - start).days // period.count - MAX_PERIODS
        return start + timedelta(days=spare * period.count) if spare > 0 else start
    months = period.months
    spare = ((until.year - start.year) * 12 + until.month - start.month) // months - MAX_PERIODS
    return add_months(start, spare * months) if spare > 0 else start


@functools.lru_cache(maxsize=4096)  # the same quarter ends recur across plans and trusts
def _deadline(end: date, review: Period) -> date:
    """When the report on a period ending ``end`` must be reviewed: ``review`` later, and for a
    period ending on a month's last day, the last day of the month that many months on (the
    report on the quarter ending 30 September is due by 31 December, not 30 December)."""
    if review.unit == "day":
        return review.after(end)
    try:
        first_of_next = end + timedelta(days=1)
    except OverflowError:
        return date.max
    if first_of_next.day != 1:
        return review.after(end)
    months = review.months
    after = add_months(first_of_next, months)
    return after if after == date.max else after - timedelta(days=1)


def _check_plan(trust: Trust, ctx: RuleContext, plan: Document) -> Iterator[Finding]:
    start = plan.adopted or plan.effective
    prov = plan.provision("reporting")
    if prov is None:
        yield ctx.missing(plan, "reporting", message=f"{plan.title} does not require a written report of "
                                                     "its spending to be reviewed by the trustees quarterly")
        return
    if start is None:
        return  # no date to count from: document-dates reports the blank
    period = prov.period("every") or ctx.params["report_period"]
    review: Period = ctx.params["review_within"]
    cite = Citation(prov.document, prov.section)
    reviewed: dict[date, list[Report]] = {}
    for r in trust.reports:
        if r.plan == plan.id and r.reviewed is not None:
            reviewed.setdefault(r.period_end, []).append(r)
    last = plan.terminated if plan.terminated is not None and plan.terminated < ctx.as_of else ctx.as_of
    missing = []
    for end in period_ends(_recent_start(start, last, period), last, period):
        deadline = _deadline(end, review)
        done = reviewed.get(end, [])
        if any(r.reviewed is not None and r.reviewed <= deadline for r in done):
            continue
        if done:
            r = min(done, key=lambda rep: rep.reviewed or date.max)
            if r.reviewed <= ctx.as_of:
                yield ctx.finding(r.src.at("reviewed"),
                                  f"the report on {plan.title} for the period ending {end} was reviewed on "
                                  f"{r.reviewed}, after {deadline} ({review} after the period's end)",
                                  subject=plan.id, citation=cite, case="late")
                continue
        if deadline < ctx.as_of:
            missing.append(end)
    if missing:
        listed = ", ".join(str(d) for d in missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        yield ctx.finding(prov.at(), f"{plan.title}: no written report reviewed in time for {len(missing)} "
                                     f"period{'s' if len(missing) > 1 else ''} ending {listed}",
                          subject=plan.id, citation=cite)


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    for plan in trust.plans():
        yield from _check_plan(trust, ctx, plan)


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("quarterly-reports", check, severity="error", cases={"late": "warning"},
                 params={"report_period": "period", "review_within": "period"}, doc=__doc__)]
