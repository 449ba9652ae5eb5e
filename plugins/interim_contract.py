"""An interim advisory contract approved without shareholders lasts at most 150 days.

## What it does
For every management or advisory agreement with `interim: true`:
- it must say which contract it replaces: `replaces: <id>` of a document of the trust, or, when
  that contract is not among the documents, `predecessor: {title, terminated, note}` (its title,
  the day it ended, and why it is not recorded). With neither, an error at its `interim` key: Rule
  15a-4 lets an interim contract run only in place of a previous contract that has ended, and its
  150 days cannot be counted without that contract's end;
- where the replaced contract has ended (`terminated`), the interim contract may run without a
  shareholder vote for at most `max_duration` after that date. Past that date, unless the interim
  agreement itself ended by then or a shareholder vote approving it that passes ICA §2(a)(42) is
  dated no later than that date, it is an error at its `interim` key, judged at `as_of` (a vote
  after the date is named in the message: the contract ran unapproved in between).
An interim agreement whose predecessor (a document of the trust) has not ended is not judged; an
unknown `replaces` id is a `reference` finding. `mist-check calendar` lists the same deadline.

## Why is this bad?
ICA §15(a) lets an adviser serve only under a contract the shareholders approved. Rule 15a-4 makes
a short exception so that a fund is not left without an adviser when a contract ends unexpectedly
(an assignment, say): the board may approve an interim contract, but only for a limited time after
the previous contract ends, within which the shareholders must approve a new contract.

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
A predecessor that is not among the documents:
```yaml
    interim: true
    predecessor: {title: "Sub-Advisory Agreement with Old Adviser", terminated: 2005-01-01,
                  note: "the old adviser's contract predates these records"}
```

## Parameters
- `max_duration`: how long after the predecessor ended an interim contract may run unapproved.

## References
- Rule 15a-4 (17 CFR 270.15a-4); Investment Company Act of 1940 §15(a)
"""
from __future__ import annotations

from collections.abc import Iterator

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.model import ADVISORY_KINDS
from mist_check.timing import interim_term


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.params["max_duration"]
    for doc in trust.documents:
        with ctx.judging():  # the agreement, the one it replaces and the votes on it
            if not doc.interim or doc.kind not in ADVISORY_KINDS:
                continue
            if doc.replaces is None and doc.predecessor is None:
                if "predecessor" in doc.raw:
                    continue  # written but unreadable: the schema finding says where
                yield ctx.finding(doc.src.at("interim"),
                                  f"{doc.title} is an interim contract but names no contract it replaces; write "
                                  "`replaces: <id>` of the contract that ended, or `predecessor: {title, "
                                  "terminated, note}` when it is not among the documents", subject=doc.id,
                                  citation=Citation(doc.title, None))
                continue
            try:
                term = interim_term(trust, doc, ctx.params, ctx.majorities, ctx.as_of)
            except (OverflowError, ValueError):
                continue  # past the last date a calendar holds: no as_of can be later
            if term is None or not term.overdue(ctx.as_of):
                continue
            yield ctx.finding(doc.src.at("interim"),
                              f"{doc.title} has run as an interim contract past {term.deadline}, {limit} after the "
                              f"{term.predecessor} ended on {term.predecessor_ended}; {term.why()}", subject=doc.id,
                              citation=Citation(doc.title, None))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("interim-contract", check, severity="error", params={"max_duration": "period"}, doc=__doc__)]
