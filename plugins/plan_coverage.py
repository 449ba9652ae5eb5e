"""Every class that pays a distribution fee has a plan, and every class is designated.

## What it does
- Every class on which a portfolio charges a `distribution_fee` above zero has a distribution plan
  (named in `share_classes`, or a plan whose `share_class` is that class). A class whose every plan
  was `terminated` on or before `as_of` has none: the fee it still records is an error. (A plan
  that takes effect after `as_of` is not judged so: the class's fee may be the one it pays later.) A plan whose adoption
  date the filing left blank still counts: `document-dates` reports the blank.
- Where the trust has a multi-class plan in force, every class in `share_classes` or on a portfolio
  is in its `designates` (reported at the `share_classes` entry, or at the portfolio's class entry
  where the class is not in `share_classes`), and a class in its `no_12b1` charges no distribution
  fee.

## Why is this bad?
A fund may pay for distribution out of its assets only under a written plan adopted under Rule
12b-1. A class that the Rule 18f-3 multi-class plan does not designate is issued outside the plan
that lets the fund have classes at all, and a class the plan says pays no 12b-1 fee must not pay one.

## Example
```yaml
share_classes:
  E: {plan: class-e-plan}
documents:
  - {id: multi-class-plan, kind: multi-class-plan, title: Plan pursuant to Rule 18f-3,
     designates: [A, B, C], section: "Class designations"}
```
Use instead: amend the multi-class plan to designate Class E (`designates: [A, B, C, E]`).

## Parameters
None.

## References
- Rule 18f-3 plan, "Class designations", "Class characteristics", footnote 1
- Rule 12b-1(b); Rule 18f-3
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.model import Document
from mist_check.rates import Rate


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    zero = Rate(Decimal(0))
    multi = [d for d in trust.documents if d.kind == "multi-class-plan"
             and not d.ended_by(ctx.as_of)]
    designated = {c for d in multi for c in d.designates}
    no_fee = {c: d for d in multi for c in d.no_12b1}
    for portfolio in trust.portfolios:
        for name, cls in portfolio.classes.items():
            with ctx.judging():  # the class, and the plan that covers it
                charged = cls.distribution_fee is not None and cls.distribution_fee > zero
                plan = trust.plan_for_class(name) if charged else None
                if charged and plan is not None and (ended := _ended_plans(trust, name, plan, ctx.as_of)):
                    last = max(ended, key=lambda d: d.terminated)  # type: ignore[arg-type, return-value]
                    yield ctx.finding(cls.src.at("distribution_fee"),
                                      f"{portfolio.title} charges a class {name} distribution fee of "
                                      f"{cls.distribution_fee}, but {last.title} ended on {last.terminated} and no "
                                      f"other distribution plan covers class {name}: write `distribution_fee: "
                                      "\"0%\"` or record the plan now in force", subject=portfolio.id, case="no-plan",
                                      citation=Citation(last.title, None, None, ctx.authority_for("no-plan")))
                elif charged and plan is None:
                    yield ctx.finding(cls.src.at("distribution_fee"),
                                      f"{portfolio.title} charges a class {name} distribution fee of "
                                      f"{cls.distribution_fee}, but no distribution plan covers class {name}",
                                      subject=portfolio.id, case="no-plan",
                                      citation=Citation(None, None, None, ctx.authority_for("no-plan")))
                if charged and name in no_fee:  # what a readable multi-class plan says, whatever the rest
                    doc = no_fee[name]
                    yield ctx.finding(cls.src.at("distribution_fee"),
                                      f"{portfolio.title} charges a class {name} distribution fee of "
                                      f"{cls.distribution_fee}, but the {doc.title} says class {name} pays no "
                                      "Rule 12b-1 fee", subject=portfolio.id, case="no-12b1",
                                      citation=Citation(doc.title, doc.section, None,
                                                        ctx.authority_for("designation")))
    if not multi:
        return
    plan = multi[0]
    reported: set[str] = set()
    for name, entry in trust.share_classes.items():
        with ctx.judging():
            ctx.depends_on("documents")  # an unreadable document may be a multi-class plan designating it
            if name not in designated:
                reported.add(name)
                yield ctx.finding(entry.src.at(key=True),
                                  f"class {name} is not among the classes the {plan.title} designates "
                                  f"({', '.join(plan.designates) or 'none'})", subject=name, case="designation",
                                  citation=Citation(plan.title, plan.section, None,
                                                    ctx.authority_for("designation")))
    for portfolio in trust.portfolios:
        for name, cls in portfolio.classes.items():
            with ctx.judging():
                ctx.depends_on("documents")
                ctx.depends_on("share_classes", name)  # else reported at its share_classes entry
                if name not in designated and name not in reported:
                    reported.add(name)
                    yield ctx.finding(cls.src.at(key=True),
                                      f"{portfolio.title} offers class {name}, which the {plan.title} does not "
                                      f"designate ({', '.join(plan.designates) or 'none'})", subject=name,
                                      case="designation",
                                      citation=Citation(plan.title, plan.section, None,
                                                        ctx.authority_for("designation")))


def _ended_plans(trust: Trust, share_class: str, named: Document, day: date) -> list[Document]:
    """The class's plans (``named``, its plan, and every plan for the class), all ended by ``day``;
    an empty list when one of them is still in force, or not known to have ended."""
    plans = [d for d in trust.plans() if d.share_class == share_class]
    if named not in plans:
        plans.append(named)
    return plans if all(d.ended_by(day) for d in plans) else []


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("plan-coverage", check, severity="error",
                 cases={"no-plan": "error", "no-12b1": "error", "designation": "error"}, doc=__doc__)]
