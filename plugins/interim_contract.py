"""An interim advisory contract approved without shareholders lasts at most 150 days.

## What it does
For every management or advisory agreement with `interim: true` that `replaces` another agreement
which has ended (`terminated`), the interim contract may run without a shareholder vote for at most
`max_duration` after that date. Past that date, unless the interim agreement itself ended by then
or a shareholder vote approving it that passes ICA §2(a)(42) is dated no later than that date, it is
an error at its `interim` key, judged at `as_of` (a vote after the date is named in the message:
the contract ran unapproved in between). An interim agreement whose predecessor has not ended is not
judged; an unknown `replaces` id is a `reference` finding.

## Why is this bad?
ICA §15(a) lets an adviser serve only under a contract the shareholders approved. Rule 15a-4 makes
a short exception so that a fund is not left without an adviser when a contract ends unexpectedly
(an assignment, say): the board may approve an interim contract, but only for a limited time, within
which the shareholders must approve a new contract.

## Example
```yaml
  - id: interim-advisory
    kind: advisory-agreement
    title: Interim Sub-Advisory Agreement
    dated: 2005-01-01
    interim: true
    replaces: old-advisory        # terminated 2005-01-01; no shareholder vote by 2005-05-31
```
Use instead: record the shareholders' approval of a new agreement within 150 days (a
`shareholder_votes` entry approving it), or end the interim agreement (`terminated:`) in time.

## Parameters
- `max_duration`: how long after the predecessor ended an interim contract may run unapproved.

## References
- Rule 15a-4; Investment Company Act of 1940 §15(a)
"""
from __future__ import annotations

from collections.abc import Iterator

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.approvals import describe_vote, shareholder_passes
from mist_check.model import ADVISORY_KINDS


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.params["max_duration"]
    for doc in trust.documents:
        if not doc.interim or doc.kind not in ADVISORY_KINDS:
            continue
        old = trust.document(doc.replaces)
        if old is None or old.terminated is None:
            continue
        try:
            deadline = limit.after(old.terminated)
        except (OverflowError, ValueError):
            continue  # past the last date a calendar holds: no as_of can be later
        if ctx.as_of <= deadline or (doc.terminated is not None and doc.terminated <= deadline):
            continue
        # judged at as_of: a vote recorded for a later day has not been held yet
        votes = sorted((v for v in trust.votes_by_target.get(doc.id, ()) if v.date <= ctx.as_of),
                       key=lambda v: v.date)
        passing = [v for v in votes if shareholder_passes(v, ctx.majorities)]
        if passing and passing[0].date <= deadline:
            continue
        if passing:
            why = f"the shareholders approved it only on {passing[0].date}"
        elif votes:
            why = f"the shareholder vote of {votes[0].date} ({describe_vote(votes[0])}) fails the §2(a)(42) test"
        else:
            why = "no shareholder vote approving it is recorded"
        yield ctx.finding(doc.src.at("interim"),
                          f"{doc.title} has run as an interim contract past {deadline}, {limit} after the "
                          f"{old.title} ended on {old.terminated}; {why}", subject=doc.id,
                          citation=Citation(doc.title, None))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("interim-contract", check, severity="error", params={"max_duration": "period"}, doc=__doc__)]
