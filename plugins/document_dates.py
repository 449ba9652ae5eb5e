"""Every document records the date it was adopted or executed.

## What it does
Every document must record its date: a plan (distribution or multi-class) its `adopted` date, an
agreement or fee waiver its `dated` date, each amendment its `dated` date (an `effective` date
serves for any of them). A date written `null`, because the filing left it blank, or missing, is a
warning at that key (at the `id` when the key is absent).

## Why is this bad?
Every period the law counts runs from a document's adoption or execution: a plan's first
continuance one year after adoption (Rule 12b-1(b)(3)(i)), an agreement's two years after its date
(ICA §15(a)(2), §15(b)(1)). With the date blank, no one can tell when approvals fall due, and the
filing on record does not show that the document was ever adopted.

## Example
```yaml
  - id: class-b-plan
    kind: distribution-plan
    title: Class B Distribution Plan
    adopted: null          # "Adopted as of ____, 2000"
```
Use instead: `adopted: 2000-10-30` (the date the board adopted it, from the minutes), and file a
corrected copy.

## Parameters
None.

## References
- The filing itself; Rule 12b-1(b)(3)(i); Investment Company Act of 1940 §15(a)(2), §15(b)(1)
"""
from __future__ import annotations

from collections.abc import Iterator

from mist_check import Citation, Document, Finding, Rule, RuleContext, Trust, hookimpl

_PLAN_KINDS = ("distribution-plan", "multi-class-plan")


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    for doc in trust.documents:
        with ctx.judging():  # the document's own dates only
            yield from _check_document(doc, ctx)


def _check_document(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    key, words = ("adopted", "adoption") if doc.kind in _PLAN_KINDS else ("dated", "execution")
    if doc.start is None:
        blank = doc.has_date(key)
        at = doc.src.at(key) if blank else doc.src.at("id")
        how = "the filing left it blank" if blank else f"`{key}` is missing"
        yield ctx.finding(at, f"{doc.title} records no {words} date ({how})", subject=doc.id,
                          citation=Citation(doc.title, None))
    for amendment in doc.amendments:
        if amendment.date is None:
            at = amendment.src.at("dated")  # the amendment itself when it has no `dated` key
            yield ctx.finding(at, f"{amendment.title} to the {doc.title} records no date", subject=amendment.id,
                              citation=Citation(doc.title, amendment.section))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("document-dates", check, severity="warning", doc=__doc__)]
