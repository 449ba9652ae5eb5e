"""Plans and agreements are continued by a valid approval at least annually, with no lapse.

## What it does
For every distribution plan and every distribution, management and advisory agreement (not
`fee-waiver` or multi-class plans, and not documents `terminated` on or before `as_of`) it walks the
history of continuance approvals up to `as_of`, with the timing model of `mist_check.timing`:

1. **First due date.** A plan: its `continuance.after` period (default `continuance_period`) from its
   `adopted` date (else `effective`, else its first recorded approval), but never later than
   `plan_initial_max` after that date (Rule 12b-1(b)(3)(i)). An agreement: its `term.initial_until`,
   but never later than `agreement_initial_max` after its `dated` (else `effective`) date, the second
   anniversary of its execution (ICA §15(a)(2), §15(b)(1); Rule 15a-2); with no `initial_until`,
   that limit itself. A stated term past the limit brings the due date forward.
2. **What counts.** Only a valid approval: a meeting action `action: continuance` that satisfies the
   document's whole requirement (each majority counted over the trustees in office that day, names
   not in office ignored; in person and called for the purpose where required; a shareholder vote
   within one period of the meeting). A remote vote under SEC `relief` counts provisionally until the
   next in-person meeting; if that meeting does not ratify it, it continues nothing.
3. **Carrying forward: an agreement (Rule 15a-2, contracts under ICA §15(a) and §15(b)).** Each
   continuance is due one period (`term.then`, default `continuance_period`) from the day the
   previous one took effect. A vote within the `early_vote_window` up to and including the due date
   (the 90 days of Rule 15a-2) takes effect on that due date, the anniversary it continues, unless the
   minutes record another day (`effective:` on the action). A valid vote earlier than the window
   still counts, from its own date (it never shortens the term already running): a `note`
   (`outside-window`) says it is outside the Rule 15a-2 safe harbour, which the rule's own note says
   is not the only way to comply.
4. **Carrying forward: a 12b-1 plan (Rule 12b-1(b)(3)(i) alone).** At least annually: each valid
   approval carries the plan one period (`continuance.every`) from the day it takes effect (its
   `effective:`, else its date). Rule 15a-2 does not apply to plans: there is no window.
5. **Findings.** Every lapse is an error: one that a late approval ended (reported at that approval,
   "from which date to which"), and one still running at `as_of` (reported at the document's
   continuance or term provision). A continuance falling due within `warn_days` after `as_of` is a
   warning (`due-soon`). `mist-check calendar` lists the same due dates, from the same model.

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
An agreement whose continuance is voted inside the window may record the day it takes effect:
`{approves: management-agreement, action: continuance, effective: 2005-12-31, for: [...]}`.

## Parameters
- `continuance_period`: how often a continuance must be approved ("at least annually").
- `plan_initial_max`: the longest a plan may run from adoption before its first continuance.
- `agreement_initial_max`: the longest an agreement may run from its execution before its first continuance.
- `early_vote_window`: the Rule 15a-2 window up to and including an agreement's due date.
- `warn_days`: how many days before a due date the rule warns.

## References
- Rule 12b-1(b)(3)(i); Rule 15a-2 (17 CFR 270.15a-2)
- Investment Company Act of 1940 §15(a)(2), §15(b)(1)
- Plan §4; Management Agreement §9; Amendment No. 1 §3
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from mist_check import Citation, Document, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.model import ADVISORY_KINDS
from mist_check.timing import Vote, continuance, window_opens


def _authority(ctx: RuleContext, doc: Document) -> str | None:
    if doc.is_plan:
        return ctx.authority_for("plan")
    return ctx.authority_for("advisory" if doc.kind in ADVISORY_KINDS else "underwriting")


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    for doc in trust.documents:
        with ctx.judging():  # the document, its approvals and the roster that counts them
            timeline = continuance(trust, doc, ctx.params, ctx.majorities, ctx.as_of)
            if timeline is None:
                continue  # not continued annually, ended, or no date to count from (document-dates)
            prov = timeline.provision
            cite = Citation(prov.document if prov else doc.title, prov.section if prov else None, None,
                            _authority(ctx, doc))
            since = date.min  # the last valid approval: invalid ones after it are named in a lapse
            for vote in timeline.votes:
                if not vote.valid:
                    continue
                if vote.late:
                    taken = "" if vote.effective == vote.meeting.date else f", effective {vote.effective}"
                    yield ctx.finding(vote.action.src.at("approves"),
                                      f"{doc.title} lapsed from {vote.due_before} to {vote.effective}: its "
                                      f"continuance was due by {vote.due_before} and was approved only on "
                                      f"{vote.meeting.date}{taken}" + _ignored(timeline.votes, since, vote.meeting.date),
                                      subject=doc.id, citation=cite)
                elif vote.early and timeline.window is not None:
                    yield ctx.finding(vote.action.src.at("approves"),
                                      f"{doc.title} was continued on {vote.meeting.date}, before the "
                                      f"{timeline.window} window of Rule 15a-2 (from "
                                      f"{window_opens(vote.due_before, timeline.window)} "
                                      f"to {vote.due_before}): it counts from its own date, so the next "
                                      f"continuance is due by {vote.due_after}, outside the rule's safe harbour",
                                      subject=doc.id, citation=cite, case="outside-window")
                since = vote.meeting.date
            at = prov.at() if prov is not None else doc.missing_at()
            due = timeline.due
            if timeline.lapsed(ctx.as_of):
                yield ctx.finding(at, f"{doc.title} has lapsed: its continuance was due by {due} and no valid "
                                      f"approval is recorded since" + _ignored(timeline.votes, since, ctx.as_of),
                                  subject=doc.id, citation=cite)
            elif (left := timeline.days_left(ctx.as_of)) <= ctx.params["warn_days"]:
                when = ("the day judged: a later approval comes too late" if left == 0
                        else f"{left} day{'s' if left != 1 else ''} after {ctx.as_of}")
                yield ctx.finding(at, f"{doc.title} must be continued by {due} ({when})", subject=doc.id,
                                  citation=cite, case="due-soon")


def _ignored(votes: tuple[Vote, ...], start: date, end: date) -> str:
    """Name the approvals after the last valid one (``start``) up to ``end`` that did not count,
    with the first reason why: an invalid vote shortly before the due date is often why it lapsed."""
    within = [v for v in votes if not v.valid and start < v.meeting.date <= end]
    if not within:
        return ""
    more = f" (and {len(within) - 1} more)" if len(within) > 1 else ""
    return f"; the approval of {within[0].meeting.date} does not count{more}: {within[0].reason}"


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("annual-continuance", check, severity="error",
                 cases={"due-soon": "warning", "outside-window": "note"},
                 params={"continuance_period": "period", "plan_initial_max": "period",
                         "agreement_initial_max": "period", "early_vote_window": "period", "warn_days": "int"},
                 doc=__doc__)]
