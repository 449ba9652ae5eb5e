"""Plans and agreements are continued by a valid approval at least annually, with no lapse.

## What it does
For every distribution plan and every distribution, management and advisory agreement (not
`fee-waiver` or multi-class plans, and not documents `terminated` on or before `as_of`) it walks the
history of continuance approvals up to `as_of`:

1. **First due date.** A plan: its `continuance.after` period (default `continuance_period`) from its
   `adopted` date (else `effective`, else its first recorded approval), but never later than
   `plan_initial_max` after that date. An agreement: its `term.initial_until`, but never later than
   `agreement_initial_max` after its `dated` (else `effective`) date; with no `initial_until`, that
   statutory limit itself. A stated term past the limit brings the due date forward; it is not a
   finding of its own.
2. **Carrying forward.** Only a valid approval counts: a meeting action `action: continuance` that
   satisfies the document's whole requirement (each majority counted over the trustees in office that
   day, names not in office ignored; in person and called for the purpose where required; a
   shareholder vote within one period of the meeting). A remote vote under SEC `relief` counts
   provisionally until the next in-person meeting; if that meeting does not ratify it, it continues
   nothing. A valid approval carries the document one `period` (`continuance.every`, `term.then`,
   default `continuance_period`) past the vote or, when the vote falls within `early_vote_window`
   before the due date, one period past that due date.
3. **Findings.** Every lapse in the history is an error: one that a late approval ended (reported at
   that approval, "from which date to which"), and one still running at `as_of` (reported at the
   document's continuance or term provision). A continuance falling due within `warn_days` after
   `as_of` is a warning (`due-soon`).

## Why is this bad?
A plan or agreement that is not continued at least annually by the votes the law requires ceases to
be authorised: fees paid under it after the lapse lack the approval Rule 12b-1(b)(3)(i) and ICA
§15(a)(2) and §15(b)(1) require, and the board has not done the yearly review the law expects of it.

## Example
```yaml
documents:
  - id: class-e-plan
    kind: distribution-plan
    title: Class E Distribution Plan
    adopted: 2001-04-24
    provisions:
      continuance: {every: "1 year", after: "1 year", section: "4"}
meetings: []          # judged as of 2005-06-30: lapsed since 2002-04-24
```
Use instead: record each year's continuance, e.g.
```yaml
meetings:
  - date: 2002-04-10
    in_person: true
    called_for_purpose: true
    actions: [{approves: class-e-plan, action: continuance, for: [...]}]
```

## Parameters
- `continuance_period`: how often a continuance must be approved ("at least annually").
- `plan_initial_max`: the longest a plan may run from adoption before its first continuance.
- `agreement_initial_max`: the longest an agreement may run from its date before its first continuance.
- `early_vote_window`: a vote this long before a due date carries the document a period past that date.
- `warn_days`: how many days before a due date the rule warns.

## References
- Rule 12b-1(b)(3)(i); Rule 15a-2
- Investment Company Act of 1940 §15(a)(2), §15(b)(1)
- Plan §4; Management Agreement §9; Amendment No. 1 §3
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from mist_check import Citation, Document, Finding, Meeting, Action, Rule, RuleContext, Trust, hookimpl
from mist_check.approvals import evaluate, requirements
from mist_check.model import ADVISORY_KINDS, Provision
from mist_check.periods import Period


def _shorter(a: Period, b: Period) -> Period:
    return a if a.nominal_days <= b.nominal_days else b


def _schedule(trust: Trust, doc: Document, ctx: RuleContext) -> tuple[date, Period, Provision | None] | None:
    """The first due date, the continuance period and the provision that states them."""
    default = ctx.params["continuance_period"]
    if doc.is_plan:
        prov = doc.provision("continuance")
        start = doc.adopted or doc.effective or trust.first_approval(doc.id)
        if start is None:
            return None
        after = (prov.period("after") if prov is not None else None) or default
        first = _shorter(after, ctx.params["plan_initial_max"]).after(start)
        every = (prov.period("every") if prov is not None else None) or default
        return first, _shorter(every, default), prov
    prov = doc.provision("term")
    start = doc.dated or doc.effective or trust.first_approval(doc.id)
    stated = prov.date("initial_until") if prov is not None else None
    limit = ctx.params["agreement_initial_max"].after(start) if start is not None else None
    candidates = [d for d in (stated, limit) if d is not None]
    if not candidates:
        return None
    every = (prov.period("then") if prov is not None else None) or default
    return min(candidates), _shorter(every, default), prov


def _authority(ctx: RuleContext, doc: Document) -> str | None:
    if doc.is_plan:
        return ctx.authority_for("plan")
    return ctx.authority_for("advisory" if doc.kind in ADVISORY_KINDS else "underwriting")


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    window: Period = ctx.params["early_vote_window"]
    for doc in trust.documents:
        if not (doc.is_plan or doc.is_agreement):
            continue
        if doc.ended_by(ctx.as_of):
            continue
        schedule = _schedule(trust, doc, ctx)
        if schedule is None:
            continue  # no date to count from: document-dates reports the blank
        due, period, prov = schedule
        need = requirements(doc, "continuance", None, ctx.params)
        cite = Citation(prov.document if prov else doc.title, prov.section if prov else None, None,
                        _authority(ctx, doc))
        invalid: list[tuple[Meeting, Action, str]] = []
        since = date.min  # the last valid approval: invalid ones after it are named in a lapse
        votes = sorted(trust.actions_by_target.get(doc.id, ()), key=lambda ma: ma[0].date)
        for meeting, action in votes:
            if action.action != "continuance" or meeting.date > ctx.as_of:
                continue
            reasons = evaluate(trust, meeting, action, need, doc, ctx.majorities, as_of=ctx.as_of,
                               window=period).reasons if need else []
            if reasons:
                invalid.append((meeting, action, reasons[0]))
                continue
            if meeting.date > due:
                yield ctx.finding(action.src.at("approves"),
                                  f"{doc.title} lapsed from {due} to {meeting.date}: its continuance was due "
                                  f"by {due} and was approved only on {meeting.date}"
                                  + _ignored(invalid, since, meeting.date),
                                  subject=doc.id, citation=cite)
                due = period.after(meeting.date)
            elif meeting.date >= window.before(due):
                due = period.after(due)  # Rule 15a-2: a vote shortly before the due date runs from it
            else:
                due = max(due, period.after(meeting.date))
            since = meeting.date
        at = prov.at() if prov is not None else doc.missing_at()
        if ctx.as_of > due:
            yield ctx.finding(at, f"{doc.title} has lapsed: its continuance was due by {due} and no valid "
                                  f"approval is recorded since" + _ignored(invalid, since, ctx.as_of),
                              subject=doc.id, citation=cite)
        elif (due - ctx.as_of).days <= ctx.params["warn_days"]:
            yield ctx.finding(at, f"{doc.title} must be continued by {due} ({(due - ctx.as_of).days} days "
                                  f"after {ctx.as_of})", subject=doc.id, citation=cite, case="due-soon")


def _ignored(invalid: list[tuple[Meeting, Action, str]], start: date, end: date) -> str:
    """Name the approvals after the last valid one (``start``) up to ``end`` that did not count,
    with the first reason why: an invalid vote shortly before the due date is often why it lapsed."""
    within = [(m, reason) for m, _, reason in invalid if start < m.date <= end]
    if not within:
        return ""
    meeting, reason = within[0]
    more = f" (and {len(within) - 1} more)" if len(within) > 1 else ""
    return f"; the approval of {meeting.date} does not count{more}: {reason}"


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("annual-continuance", check, severity="error", cases={"due-soon": "warning"},
                 params={"continuance_period": "period", "plan_initial_max": "period",
                         "agreement_initial_max": "period", "early_vote_window": "period", "warn_days": "int"},
                 doc=__doc__)]
