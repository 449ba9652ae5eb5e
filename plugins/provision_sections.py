"""Every provision records the section of the document that holds it.

## What it does
A provision (`fee_cap`, `continuance`, `termination.by_fund`, `related_agreements.assignment`...)
that states a fact but records no `section` is a warning at the provision's key, in a document
and in an amendment alike. A clause that only groups others (a `termination:` with `by_fund:` and
`by_counterparty:` under it, each with its own `section`) needs none of its own. Which keys are
clauses is read from the format's JSON Schema: every object there that has a `section` property.

## Why is this bad?
Every finding cites the document section it rests on, so that the board and counsel can read the
clause. A provision without its section gives findings that name the document only: "Management
Agreement" instead of "Management Agreement §9", and a reader must search the whole agreement for
the clause that the finding is about.

## Example
```yaml
    provisions:
      termination:
        by_fund: {notice_days: 60, written: true, without_penalty: true}
```
Use instead: `by_fund: {notice_days: 60, written: true, without_penalty: true, section: "9"}`,
the section number as the document writes it (a named section, such as `"Class designations"`,
is written as its heading).

## Parameters
None.

## References
- The document as filed; every finding of the other rules cites its section
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.model import Src
from mist_check.schema import resolve, schema

_SECTION = "section"

Clauses = Mapping[str, "Clauses | None"]  # a clause's sub-clauses; None: a fact, not a clause


@cache
def _clauses() -> Clauses:
    """The clause tree of ``provisions:`` from the schema: the keys whose value may hold a section."""
    def tree(node: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, sub in (resolve(node).get("properties") or {}).items():
            sub = resolve(sub)
            if isinstance(sub, dict) and "properties" in sub:
                out[key] = tree(sub) if _SECTION in sub["properties"] or _groups(sub) else None
        return out

    def _groups(node: Any) -> bool:  # holds clauses, though not one itself (`related_agreements`)
        return any(_SECTION in (resolve(s).get("properties") or {}) for s in node["properties"].values())

    return tree(schema()["$defs"]["provisions"])


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    for doc in trust.documents:
        with ctx.judging():  # the document's own provisions only
            for name, prov in doc.provisions.items():
                yield from _walk(prov.values, (name,), prov.src, prov.document, _clauses(), ctx, doc.id, None)
            for amendment in doc.amendments:
                for name, prov in amendment.provisions.items():
                    yield from _walk(prov.values, (name,), prov.src, prov.document, _clauses(), ctx, amendment.id,
                                     None)


def _walk(value: Any, path: tuple[str, ...], src: Src, title: str, clauses: Clauses, ctx: RuleContext,
          subject: str, outer: str | None) -> Iterator[Finding]:
    """The clause ``path`` and the clauses under it; ``outer`` is the section of the clause around it."""
    if not isinstance(value, Mapping) or path[-1] not in clauses:
        return
    below = clauses[path[-1]] or {}
    subs = {k for k in value if k in below and below[k] is not None and isinstance(value[k], Mapping)}
    facts = set(value) - subs - {_SECTION}
    own = value.get(_SECTION)
    if facts and own is None:
        name = ".".join(path)
        hint = (f'`section: "{outer}"` if it is the section of `{".".join(path[:-1])}`' if outer is not None
                else "the section as the document numbers it, e.g. `section: \"7(a)\"`")
        yield ctx.finding(src.at(key=True), f"{title}: provision `{name}` records no section, so findings on it "
                          f"cannot cite the clause; add {hint}", subject=subject, citation=Citation(title, None))
    for key in sorted(subs):
        yield from _walk(value[key], (*path, key), src.child(key), title, below, ctx, subject,
                         outer if own is None else str(own))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("provision-section", check, severity="warning", doc=__doc__)]
