"""Fees charged stay within the plan's cap, the regulatory ceiling and the agreed schedule.

## What it does
- Every distribution plan's `fee_cap` (and every amendment's new cap) is at most the regulatory
  ceiling: `asset_based_sales_charge_max` plus `service_fee_max` (0.75% + 0.25% = 1.00%).
- Every portfolio's `distribution_fee` for a class is at most the cap of that class's plan in force
  at `as_of`. A plan amendment that raises the cap takes effect for a portfolio only with a passing
  vote (ICA §2(a)(42)) of that portfolio's class, dated no later than the amendment (or when the class
  was first offered on or after that date): the judgement `required-approvals` reports on. Without
  one, a fee above the old cap is an error cited to the plan's fee-increase section (Plan §8).
- Every portfolio's `management_fee` is compared with the rate on the Schedule A of the management
  or advisory agreement that lists it (as amended by `as_of`): above it, an error; below it, a
  warning (`below-schedule`) unless a `fee-waiver` document in force lists the portfolio.

A class with no plan is left to `plan-coverage`; a portfolio on no schedule to `schedule-coverage`.
Rates are compared as exact decimals.

## Why is this bad?
A distribution fee above the plan's cap is paid without the authority of a plan approved under Rule
12b-1; a cap above FINRA's ceiling cannot be sold through FINRA members; a plan may not be amended to
increase materially the amount spent for distribution without the class's shareholders (Rule
12b-1(b)(4)). A management fee other than the contract's rate is paid outside the contract the
board and shareholders approved (ICA §15(a)(1)).

## Example
```yaml
portfolios:
  - id: lord-abbett-americas-value
    classes:
      B: {distribution_fee: "0.60%"}     # the Class B plan caps it at 0.50%
```
Use instead:
```yaml
      B: {distribution_fee: "0.50%"}
```

## Parameters
- `asset_based_sales_charge_max`: FINRA's ceiling on the asset-based sales charge.
- `service_fee_max`: FINRA's ceiling on the service fee.

## References
- Plan §1, §8; Management Agreement §4 and Schedule A
- Rule 12b-1(b)(4), (g); Rule 18f-3(a)(2); FINRA Rule 2341; Investment Company Act of 1940 §15(a)(1)
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from mist_check import Citation, Document, Finding, Portfolio, Rule, RuleContext, Trust, hookimpl
from mist_check.approvals import increase_approvals
from mist_check.model import ADVISORY_KINDS, Amendment
from mist_check.rates import Rate, parse_rate


def _not_approved(trust: Trust, ctx: RuleContext, plan: Document, amendment: Amendment,
                  portfolio: str, share_class: str) -> str | None:
    """Why the portfolio's class did not approve the amendment by its date (None: it did, or needed
    not): the one judgement that required-approvals reports on."""
    for approval in increase_approvals(trust, plan, amendment, ctx.majorities):
        if approval.portfolio.id == portfolio and approval.share_class == share_class:
            return approval.why
    return None  # a class not yet offered on the amendment's date needs no vote


def _check_plans(trust: Trust, ctx: RuleContext, ceiling: Rate) -> Iterator[Finding]:
    refs = "; ".join(r for r in (ctx.reference("asset_based_sales_charge_max"),
                                 ctx.reference("service_fee_max")) if r)
    for plan in trust.plans():
        with ctx.judging():  # the plan's own caps
            cap = plan.provision("fee_cap")
            rates = []
            if cap is not None and cap.rate("rate") is not None:
                rates.append((cap.rate("rate"), cap.at("rate"), Citation(cap.document, cap.section)))
            for amendment in plan.amendments:
                change = amendment.changes.get("fee_cap")
                if isinstance(change, dict) and change.get("to") is not None:
                    rates.append((parse_rate(change["to"]), amendment.src.at("changes", "fee_cap", "to"),
                                  Citation(plan.title, amendment.section)))
            for rate, at, cite in rates:
                if rate is not None and rate > ceiling:
                    yield ctx.finding(at, f"{plan.title} caps the fee at {rate}; the ceiling is {ceiling} "
                                          "(asset-based sales charge plus service fee)", subject=plan.id,
                                      citation=Citation(cite.document, cite.section, None,
                                                        refs or ctx.authority_for("ceiling")), case="ceiling")


def class_cap(trust: Trust, ctx: RuleContext, plan: Document, portfolio_id: str,
              class_name: str) -> tuple[Rate, tuple[Amendment, Rate, str] | None] | None:
    """The cap ``plan`` sets on ``class_name`` of ``portfolio_id`` on ``ctx.as_of``: its own rate as
    amended by the amendments in effect for that class (an increase without the class's approval is
    not), and the last increase that is not, with why. None when the plan states no cap. The rule
    and the HTML report's fee table both ask this."""
    cap_prov = plan.provision("fee_cap")
    base = cap_prov.rate("rate") if cap_prov is not None else None
    if base is None:
        return None
    cap, blocked = base, None
    for amendment in plan.amendments_in_order:
        change = amendment.changes.get("fee_cap")
        if not isinstance(change, dict) or change.get("to") is None:
            continue
        if amendment.date is not None and amendment.date > ctx.as_of:
            continue
        new = parse_rate(change["to"])
        why = _not_approved(trust, ctx, plan, amendment, portfolio_id, class_name) if new > cap else None
        if why is not None:
            blocked = (amendment, new, why)
            continue
        cap = new
    return cap, blocked


def _check_distribution_fees(trust: Trust, ctx: RuleContext, portfolio: Portfolio) -> Iterator[Finding]:
    for name, cls in portfolio.classes.items():
        with ctx.judging():  # the class, its plan and the class votes on its amendments
            if cls.distribution_fee is None:
                continue
            plan = trust.plan_for_class(name)
            if plan is None:
                continue
            cap_prov = plan.provision("fee_cap")
            found = class_cap(trust, ctx, plan, portfolio.id, name)
            if found is None or cap_prov is None:
                yield ctx.missing(plan, "fee cap", message=f"{plan.title} states no fee cap, so the "
                                                           f"{cls.distribution_fee} that {portfolio.title} charges "
                                                           f"on class {name} cannot be judged")
                continue
            cap, blocked = found
            if cls.distribution_fee <= cap:
                continue
            if blocked is not None and cls.distribution_fee <= blocked[1]:
                amendment, new, why = blocked
                increase = plan.provision("fee_increase")
                yield ctx.finding(
                    cls.src.at("distribution_fee"),
                    f"{portfolio.title} charges {cls.distribution_fee} on class {name}, above the {cap} cap: "
                    f"the increase to {new} by {amendment.title} is not in effect for it: {why}",
                    subject=portfolio.id, case="increase",
                    citation=Citation(plan.title, increase.section if increase else amendment.section, None,
                                      ctx.authority_for("increase")))
                continue
            yield ctx.finding(
                cls.src.at("distribution_fee"),
                f"{portfolio.title} charges a class {name} distribution fee of {cls.distribution_fee}; "
                f"the {plan.title} caps it at {cap}", subject=portfolio.id,
                citation=Citation(cap_prov.document, cap_prov.section, None, ctx.authority_for("plan-cap")))


def schedules_in_force(trust: Trust, day: date) -> list[tuple[Document, Mapping[str, Rate]]]:
    """The Schedules A in force on ``day`` in the order they are asked: management agreements
    first, advisory agreements only where no management agreement lists a portfolio (a sub-adviser's
    fee is paid by the manager, not by the fund)."""
    ordered = sorted((d for d in trust.documents if d.kind in ADVISORY_KINDS),
                     key=lambda d: ADVISORY_KINDS.index(d.kind))
    return [(doc, doc.fee_schedule_on(day)) for doc in ordered if doc.in_force(day)]


def scheduled_rate(schedules: list[tuple[Document, Mapping[str, Rate]]],
                    portfolio: str) -> tuple[Document, Rate] | None:
    """The rate the fund pays for ``portfolio``: the first schedule that lists it."""
    for doc, schedule in schedules:
        if portfolio in schedule:
            return doc, schedule[portfolio]
    return None


def waived(trust: Trust, portfolio_id: str, day: date) -> bool:
    """Whether a fee waiver in force on ``day`` covers ``portfolio_id`` (a fee below its schedule is then agreed)."""
    return any(w.kind == "fee-waiver" and w.in_force(day) and portfolio_id in w.fee_schedule for w in trust.documents)


def _check_management_fee(trust: Trust, ctx: RuleContext, portfolio: Portfolio,
                          schedules: list[tuple[Document, Mapping[str, Rate]]]) -> Iterator[Finding]:
    fee = portfolio.management_fee
    found = scheduled_rate(schedules, portfolio.id) if fee is not None else None
    if fee is None or found is None:
        return
    doc, scheduled = found
    comp = doc.provision("compensation")
    section = f"{comp.section}, Schedule A" if comp is not None and comp.section else "Schedule A"
    if fee > scheduled:
        yield ctx.finding(portfolio.src.at("management_fee"),
                          f"{portfolio.title} is charged a management fee of {fee}; {doc.title} Schedule A "
                          f"sets {scheduled}", subject=portfolio.id, case="schedule",
                          citation=Citation(doc.title, section, None, ctx.authority_for("schedule")))
    elif fee < scheduled:
        if not waived(trust, portfolio.id, ctx.as_of):
            yield ctx.finding(portfolio.src.at("management_fee"),
                              f"{portfolio.title} is charged a management fee of {fee}, below the {scheduled} "
                              f"of {doc.title} Schedule A, and no fee waiver covers it",
                              subject=portfolio.id, case="below-schedule",
                              citation=Citation(doc.title, section, None, ctx.authority_for("below-schedule")))


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    ceiling = ctx.params["asset_based_sales_charge_max"] + ctx.params["service_fee_max"]
    yield from _check_plans(trust, ctx, ceiling)
    schedules = schedules_in_force(trust, ctx.as_of)
    for portfolio in trust.portfolios:
        yield from _check_distribution_fees(trust, ctx, portfolio)
        with ctx.judging():
            # the first schedule listing it, and any fee waiver: an unreadable document may be either
            ctx.depends_on("documents")
            yield from _check_management_fee(trust, ctx, portfolio, schedules)


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("fee-cap", check, severity="error",
                 cases={"ceiling": "error", "plan-cap": "error", "increase": "error", "schedule": "error",
                        "below-schedule": "warning"},
                 params={"asset_based_sales_charge_max": "rate", "service_fee_max": "rate"}, doc=__doc__)]
