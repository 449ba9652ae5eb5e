"""The fund can end each agreement at any time, without penalty, on not more than 60 days' notice.

## What it does
Checks every distribution, management and advisory agreement in force at the `as_of` date for a
clause that lets the fund terminate it (`provisions.termination.by_fund`):
- `notice_days` above `notice_days_max` is an error, however the text bounds it;
- `notice_bound: at-least` is a warning: "on not less than 60 days' notice" sets a floor, though the
  fund may still give exactly the maximum (fewer days, with `at-least`, is a warning too);
- no number of days (`notice_days: null`, `notice_bound: none`), no `without_penalty` or no
  `at_any_time` is an error;
- where `by` is given, each body the law names must be able to act alone: for a management or
  advisory agreement the board (`trustees`) and the `shareholders` (`advisory_terminators`); for a
  distribution agreement, which is related to a Rule 12b-1 plan, the `independent_trustees` and the
  `class_shareholders` (`related_terminators`).

A plan's own `related_agreements.termination` (what it requires of the agreements related to it,
Rule 12b-1(b)(3)(iv)) is judged as written: a `notice_days_max` above `notice_days_max`, a
`without_penalty: false` or a `by` that a body of `related_terminators` cannot satisfy alone is an
error at that value. A plan that has no such clause is not a finding of this rule: each related
agreement's own clause is what the fund can use, and it is judged.

Every distribution plan must also say who may terminate it (`provisions.termination.by`), and let
each of `plan_terminators` (the independent trustees, the class's shareholders) do so alone: a
missing clause or a `by` that needs two bodies together is an error. Under `trust.type: closed-end`
plans and distribution agreements are not judged (Rule 12b-1 governs open-end funds); advisory
agreements still are.

`written` is recorded but not judged: a clause that needs no writing is easier on the fund. The
counterparty's own notice period is not limited (the Manager's 90 days under Management Agreement §9
is lawful). A missing clause is reported at the document's `provisions:` key and cited to the plan
section that requires it (e.g. Class B Distribution Plan §7(a)). Agreements that ended on or before
`as_of` are not judged.

## Why is this bad?
A fund that cannot end an agreement promptly and without penalty stays bound to an adviser or
distributor that its board or its shareholders no longer approve. ICA §15(a)(3) requires the right on
not more than sixty days' written notice for advisory contracts, and Rule 12b-1(b)(3)(iv) for every
agreement related to a distribution plan.

## Example
```yaml
provisions:
  termination:
    by_fund: {notice_days: 90, notice_bound: exactly, at_any_time: true, without_penalty: true,
              section: "9"}
```
Use instead:
```yaml
    by_fund: {notice_days: 60, notice_bound: exactly, at_any_time: true, without_penalty: true,
              section: "9"}
```

## Parameters
- `notice_days_max`: the most days' notice the fund may have to give.
- `advisory_terminators`: the bodies that must each be able to end an advisory agreement alone.
- `related_terminators`: the bodies that must each be able to end an agreement related to a plan.
- `plan_terminators`: the bodies that must each be able to end a distribution plan.

## References
- Investment Company Act of 1940 §15(a)(3)
- Rule 12b-1(b)(3)(iii), (b)(3)(iv)
- Plan §6, §7(a); Management Agreement §9
"""
from __future__ import annotations

from collections.abc import Iterator

from mist_check import Citation, Finding, Requirement, RuleContext, Rule, Trust, hookimpl
from mist_check.approvals import failures
from mist_check.findings import where
from mist_check.model import ADVISORY_KINDS, Document


def _acts_alone(tree: Requirement, body: str) -> bool:
    return not failures(tree, lambda b: None if b == body else "no")


def _check_plans(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    """Rule 12b-1(b)(3)(iii): each body the rule names may end the plan alone, at any time."""
    authority = ctx.authority_for("plan")
    for plan in trust.plans():
        with ctx.judging():  # the plan, and whether the trust is open-end
            if not trust.is_open_end:
                return
            if plan.ended_by(ctx.as_of):
                continue
            yield from _related_terms(plan, ctx)
            clause = plan.provision("termination")
            tree = clause.requirement("by") if clause is not None else None
            if clause is None or tree is None:
                yield ctx.missing(plan, "termination", required_by=Citation(None, None, None, authority),
                                  message=f"{plan.title} does not say who may terminate it; the independent "
                                          "trustees and the class's shareholders must each be able to")
                continue
            unable = [body for body in ctx.params["plan_terminators"] if not _acts_alone(tree, body)]
            if unable:
                names = " or ".join(f"the {body.replace('_', ' ')}" for body in unable)
                yield ctx.finding(clause.at("by"), f"{plan.title} does not let {names} terminate it alone; the "
                                                   f"plan names {tree.words()}", subject=plan.id,
                                  citation=Citation(clause.document, clause.section, None, authority))


def _related_terms(plan: Document, ctx: RuleContext) -> Iterator[Finding]:
    """What a plan writes of the termination clause its related agreements must have (Rule
    12b-1(b)(3)(iv)), judged as written: a clause the plan does not have is not a finding here (each
    agreement's own clause is judged)."""
    clause = plan.provision("related_agreements", "termination")
    if clause is None:
        return
    cited = Citation(clause.document or plan.title, clause.section, None, ctx.authority_for("related"))
    limit = ctx.params["notice_days_max"]
    days = clause.get("notice_days_max")
    if isinstance(days, int) and not isinstance(days, bool) and days > limit:
        yield ctx.finding(clause.at("notice_days_max"),
                          f"{plan.title} lets the agreements related to it require {days} days' notice for the "
                          f"fund to terminate them; at most {limit} are allowed: write {limit}",
                          subject=plan.id, citation=cited)
    if clause.get("without_penalty") is False:
        yield ctx.finding(clause.at("without_penalty"),
                          f"{plan.title} does not require the agreements related to it to be terminable without "
                          "payment of any penalty: write `without_penalty: true`", subject=plan.id, citation=cited)
    tree = clause.requirement("by")
    if tree is not None:
        unable = [body for body in ctx.params["related_terminators"] if not _acts_alone(tree, body)]
        if unable:
            names = " or ".join(f"the {body.replace('_', ' ')}" for body in unable)
            yield ctx.finding(clause.at("by"),
                              f"{plan.title} does not let {names} terminate the agreements related to it alone; "
                              f"the clause names {tree.words()}", subject=plan.id, citation=cited)


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    yield from _check_plans(trust, ctx)
    limit = ctx.params["notice_days_max"]
    for doc in trust.agreements():
        with ctx.judging():  # the agreement, its related plans and the trust's type
            if doc.ended_by(ctx.as_of):
                continue
            advisory = doc.kind in ADVISORY_KINDS
            authority = ctx.authority_for("advisory" if advisory else "related")
            if not advisory and not trust.is_open_end:
                continue  # Rule 12b-1 governs open-end funds only; §15(b) sets no notice for underwriters
            plan, section = trust.requiring_plan(doc, "related_agreements", "termination")
            required = Citation(plan.title if plan else None, section)
            req_text = where(required.document, required.section) or None
            by_fund = doc.provision("termination", "by_fund")
            if by_fund is None:
                yield ctx.missing(doc, "termination", required_by=Citation(required.document, required.section,
                                                                            None, authority),
                                  message=f"{doc.title} has no clause letting the fund terminate it"
                                          + (f"; {req_text} requires one" if req_text else ""))
                continue

            cited = Citation(by_fund.document or doc.title, by_fund.section, req_text, authority)

            days, bound = by_fund.get("notice_days"), by_fund.get("notice_bound", "exactly")
            if days is None or bound == "none":
                yield ctx.finding(by_fund.at("notice_days") if "notice_days" in by_fund else by_fund.at(),
                                  f"{doc.title} gives no number of days' notice for the fund to terminate it; "
                                  f"at most {limit} are allowed", subject=doc.id, citation=cited)
            elif days > limit:
                yield ctx.finding(by_fund.at("notice_days"),
                                  f"{doc.title} lets the fund terminate only on {days} days' notice; "
                                  f"at most {limit} are allowed", subject=doc.id, citation=cited)
            elif bound == "at-least":
                yield ctx.finding(by_fund.at("notice_bound"),
                                  f"{doc.title} lets the fund terminate on not less than {days} days' notice: "
                                  f"the wording sets a floor where the law sets a ceiling of {limit}; "
                                  f"write \"not more than {limit} days\"", subject=doc.id, citation=cited,
                                  case="at-least")
            for key, words in (("without_penalty", "without payment of any penalty"),
                               ("at_any_time", "at any time")):
                if by_fund.get(key) is not True:
                    yield ctx.finding(by_fund.at(key) if key in by_fund else by_fund.at(),
                                      f"{doc.title} does not let the fund terminate it {words}",
                                      subject=doc.id, citation=cited)
            tree = by_fund.requirement("by")
            if tree is not None:
                bodies = ctx.params["advisory_terminators" if advisory else "related_terminators"]
                # One finding for the one wrong fact (the `by` value), naming every body that cannot act
                # alone: two findings at one value would share a fingerprint.
                unable = [body for body in bodies if not _acts_alone(tree, body)]
                if unable:
                    names = " or ".join(f"the {body.replace('_', ' ')}" for body in unable)
                    yield ctx.finding(by_fund.at("by"),
                                      f"{doc.title} does not let {names} terminate it alone; the clause names "
                                      f"{tree.words()}", subject=doc.id, citation=cited)


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("termination-notice", check, severity="error", cases={"at-least": "warning"},
                 params={"notice_days_max": "int", "advisory_terminators": "list",
                         "related_terminators": "list", "plan_terminators": "list"}, doc=__doc__)]
