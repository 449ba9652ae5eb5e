"""Every portfolio a class is sold in is on the distribution agreement's Schedule A, as amended.

## What it does
- Every portfolio that offers a class (`offered` not false) whose `share_classes` entry names a
  `distribution_agreement` must be on that agreement's Schedule A after the amendments in effect at
  `as_of` (`schedule`, then each amendment's `adds` and `removes` in date order). A portfolio the
  schedule lost is reported at its class entry, naming the amendment that removed it. An agreement
  `terminated` on or before `as_of` distributes nothing: the class entry is an error unless another
  distribution agreement in force for the class (its `share_class`, or made under the class's plan)
  lists the portfolio.
- Every portfolio with a `management_fee` must be on the Schedule A of a management or advisory
  agreement in force at `as_of`: in its `fee_schedule` (with a rate) or its `schedule` (without
  one), each as amended, and not deleted by an amendment's `removes` in effect.
A class with no distribution agreement named is not judged.

## Why is this bad?
A portfolio that still offers Class B shares but is no longer on the distributor's Schedule A has
no distributor for them: no contract authorises anyone to sell them or to be paid for it. A
management fee charged to a portfolio that no agreement's schedule lists is paid under no contract.

## Example
```yaml
portfolios:
  - id: jp-morgan-enhanced-index
    classes: {B: {offered: true}}      # removed from Schedule A by Amendment No. 1
```
Use instead: stop offering the class (`offered: false`) or add the portfolio back by amendment.

## Parameters
None.

## References
- Amendment No. 1 §1, §4; Management Agreement §4 and Schedule A
- Investment Company Act of 1940 §15(a), §15(b)
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from mist_check import Amendment, Citation, Document, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.model import ADVISORY_KINDS


def schedule_at(doc: Document, day: date) -> tuple[list[str], dict[str, Amendment]]:
    """The portfolios on ``doc``'s Schedule A on ``day``, and the amendment that removed each lost one."""
    schedule = list(doc.schedule)
    removed: dict[str, Amendment] = {}
    for amendment in doc.amendments_in_order:
        if amendment.date is not None and amendment.date > day:
            continue
        for pid in amendment.removes:
            if pid in schedule:
                schedule.remove(pid)
            removed[pid] = amendment
        for pid in amendment.adds:
            if pid not in schedule:
                schedule.append(pid)
            removed.pop(pid, None)
    return schedule, removed


def _successor_lists(trust: Trust, share_class: str, portfolio: str, day: date) -> bool:
    """Whether a distribution agreement in force on ``day`` for the class (its `share_class`, or made
    under the class's plan) has the portfolio on its Schedule A."""
    plan = trust.plan_for_class(share_class)
    for doc in trust.documents:
        if doc.kind != "distribution-agreement" or not doc.in_force(day):
            continue
        if doc.share_class == share_class or (plan is not None and doc.related_plan == plan.id):
            if portfolio in schedule_at(doc, day)[0]:
                return True
    return False


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    schedules: dict[str, tuple[list[str], dict[str, Amendment]]] = {}
    for portfolio in trust.portfolios:
        for name, cls in portfolio.classes.items():
            with ctx.judging():  # the class, its share_classes entry and that agreement
                entry = trust.share_classes.get(name)
                agreement = trust.document(entry.distribution_agreement) if entry else None
                if agreement is None or cls.offered is False:
                    continue
                if agreement.ended_by(ctx.as_of):
                    if not _successor_lists(trust, name, portfolio.id, ctx.as_of):
                        yield ctx.finding(cls.src.at(key=True),
                                          f"{portfolio.title} offers class {name} shares, but the {agreement.title} "
                                          f"ended on {agreement.terminated}: it has no distributor for them; name the "
                                          f"agreement now in force (`distribution_agreement:` of class {name}) or "
                                          "stop offering the class (`offered: false`)", subject=portfolio.id,
                                          case="distribution",
                                          citation=Citation(agreement.title, None, None,
                                                            ctx.authority_for("distribution")))
                    continue
                if agreement.id not in schedules:
                    schedules[agreement.id] = schedule_at(agreement, ctx.as_of)
                schedule, removed = schedules[agreement.id]
                if portfolio.id in schedule:
                    continue
                gone = removed.get(portfolio.id)
                why = f" ({gone.title} removed it on {gone.date})" if gone is not None else ""
                section = gone.section if gone is not None else "Schedule A"
                yield ctx.finding(cls.src.at(key=True),
                                  f"{portfolio.title} offers class {name} shares but is not on the Schedule A of "
                                  f"the {agreement.title}{why}: it has no distributor for them",
                                  subject=portfolio.id, case="distribution",
                                  citation=Citation(gone.title if gone is not None else agreement.title, section,
                                                    None, ctx.authority_for("distribution")))
    managers = [d for d in trust.documents if d.kind in ADVISORY_KINDS
                and not d.ended_by(ctx.as_of)]
    listed: set[str] = set()
    for doc in managers:  # on Schedule A with a rate (`fee_schedule`) or without (`schedule`), as amended
        schedule, removed = schedule_at(doc, ctx.as_of)
        listed |= (set(doc.fee_schedule_on(ctx.as_of)) | set(schedule)) - set(removed)
    for portfolio in trust.portfolios:
        with ctx.judging():
            # "no agreement lists it": any unreadable document may be the agreement that does
            ctx.depends_on("documents")
            if portfolio.management_fee is None or portfolio.id in listed:
                continue
            doc = managers[0] if managers else None
            comp = doc.provision("compensation") if doc is not None else None
            yield ctx.finding(portfolio.src.at("management_fee"),
                              f"{portfolio.title} is charged a management fee of {portfolio.management_fee}, "
                              "but no management or advisory agreement in force lists it on its Schedule A",
                              subject=portfolio.id, case="management",
                              citation=Citation(doc.title if doc else None,
                                                comp.section if comp is not None else "Schedule A", None,
                                                ctx.authority_for("management")))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("schedule-coverage", check, severity="error",
                 cases={"distribution": "error", "management": "error"}, doc=__doc__)]
