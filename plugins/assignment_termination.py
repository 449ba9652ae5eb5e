"""Every advisory and distribution agreement terminates automatically on its assignment.

## What it does
Checks every distribution, management and advisory agreement in force at the `as_of` date for an
`assignment` provision with `terminates_automatically: true`. A missing clause is reported at the
document's `provisions:` key, cited to the plan section that requires it for a related agreement
(e.g. Class B Distribution Plan §7(b)); a clause that does not terminate automatically is reported
at its value. Agreements that ended on or before `as_of` are not judged, nor, under `trust.type: closed-end`,
distribution agreements (ICA §15(b)(2) binds the principal underwriters of open-end companies;
advisory agreements are judged whatever the type, §15(a)(4)).

A plan's own `related_agreements.assignment` (what it requires of its related agreements, Rule
12b-1(b)(3)(iv)) is judged as written: `terminates_automatically: false` is an error at that value;
a plan without the clause is not a finding (each agreement's own clause is judged).

## Why is this bad?
An assignment (a change of control of the adviser or distributor, among others) must not carry the
fund's contract to a party its board and shareholders never approved: the contract must end, and a
new one must be approved. ICA §15(a)(4) requires this of advisory contracts, §15(b)(2) of principal
underwriting contracts, and Rule 12b-1(b)(3)(iv) of every agreement related to a distribution plan.

## Example
```yaml
provisions:
  assignment: {terminates_automatically: false, section: "9"}
```
Use instead:
```yaml
  assignment: {terminates_automatically: true, section: "9"}
```

## Parameters
None.

## References
- Investment Company Act of 1940 §15(a)(4), §15(b)(2)
- Rule 12b-1(b)(3)(iv)
- Plan §7(b); Management Agreement §9
"""
from __future__ import annotations

from collections.abc import Iterator

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.findings import where
from mist_check.model import ADVISORY_KINDS


def _plans(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    """What a plan writes of the assignment clause of its related agreements (Rule 12b-1(b)(3)(iv))."""
    for plan in trust.plans():
        with ctx.judging():
            if not trust.is_open_end or plan.ended_by(ctx.as_of):
                continue
            clause = plan.provision("related_agreements", "assignment")
            if clause is not None and clause.get("terminates_automatically") is False:
                yield ctx.finding(clause.at("terminates_automatically"),
                                  f"{plan.title} does not require the agreements related to it to terminate "
                                  "automatically on their assignment: write `terminates_automatically: true`",
                                  subject=plan.id, citation=Citation(clause.document or plan.title, clause.section,
                                                                     None, ctx.authority_for("plan")))


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    yield from _plans(trust, ctx)
    for doc in trust.agreements():
        with ctx.judging():  # the agreement, its related plans and the trust's type
            if doc.ended_by(ctx.as_of):
                continue
            advisory = doc.kind in ADVISORY_KINDS
            if not advisory and not trust.is_open_end:
                continue  # ICA §15(b)(2) binds the principal underwriters of open-end companies only
            authority = ctx.authority_for("advisory" if advisory else "underwriting")
            plan, section = trust.requiring_plan(doc, "related_agreements", "assignment")
            required = Citation(plan.title if plan else None, section)
            # "Class B Distribution Plan §7(b)"; the plan's title alone where it records no such section
            req_text = where(required.document, required.section) or None
            clause = doc.provision("assignment")
            if clause is None:
                yield ctx.missing(doc, "assignment", required_by=Citation(required.document, required.section,
                                                                           None, authority),
                                  message=f"{doc.title} does not provide that it terminates automatically on "
                                          "its assignment" + (f"; {req_text} requires it" if req_text else ""))
            elif clause.get("terminates_automatically") is not True:
                at = clause.at("terminates_automatically") if "terminates_automatically" in clause else clause.at()
                yield ctx.finding(at, f"{doc.title} does not terminate automatically on its assignment",
                                  subject=doc.id,
                                  citation=Citation(clause.document, clause.section, req_text, authority))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("assignment-termination", check, severity="error", doc=__doc__)]
