"""On termination of the management agreement the trust stops using the adviser's name in time.

## What it does
Checks every management and advisory agreement for a name-use clause (`provisions.name_use`):
- no clause is an error;
- a clause whose `trigger` is not the pack's `trigger` (`request` where the pack requires
  `termination`) is an error;
- a `cease_within` longer than the pack's `period` is an error (periods compare with a month as 30
  days and a year as 365);
- where the agreement has `terminated`, every name in `trust.names` that the clause covers must have
  `until` no later than the clause's period after the termination (a month is a calendar month). It
  is judged at `as_of`: a name still in use within the period is no finding; past it, an error at the
  name's `until` (even `until: null`), or at the name when no `until` is written.

Runs under the `mist` pack only: no statute requires it; Management Agreement §6 does.

## Why is this bad?
The adviser lent the trust its name for as long as it manages the trust. Using it after the
agreement ends misleads shareholders about who manages their money and breaches §6 of the
Management Agreement ("the Trust shall cease within 30 days all use of the name").

## Example
```yaml
trust:
  names:
    - {name: Met Investors Series Trust, until: null}   # agreement terminated 2005-01-31
```
Use instead:
```yaml
    - {name: Met Investors Series Trust, until: 2005-03-02}
```

## Parameters
- `period`: the longest time the trust may keep the name after termination.
- `trigger`: what must start that period (`termination`).

## References
- Management Agreement §6
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.loader import split_pointer
from mist_check.model import ADVISORY_KINDS
from mist_check.timing import name_deadline


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.params["period"]
    trigger = ctx.params["trigger"]
    for doc in trust.documents:
        with ctx.judging():  # the agreement and the trust's names
            if doc.kind not in ADVISORY_KINDS:
                continue
            clause = doc.provision("name_use")
            if clause is None:
                yield ctx.missing(doc, "name-use", message=f"{doc.title} has no clause requiring the trust to "
                                                           f"cease using the adviser's name within {limit} of "
                                                           "its termination")
                continue
            cite = Citation(clause.document, clause.section)
            if clause.get("trigger", trigger) != trigger:
                yield ctx.finding(clause.at("trigger"),
                                  f"{doc.title} ends the use of the name on {clause.get('trigger')}; the policy "
                                  f"requires it on {trigger}", subject=doc.id, citation=cite)
            period = clause.period("cease_within")
            if period is None:
                yield ctx.finding(clause.at(), f"{doc.title} gives no period within which the name must cease; "
                                               f"at most {limit} is allowed", subject=doc.id, citation=cite)
                period = limit
            elif period.nominal_days > limit.nominal_days:
                yield ctx.finding(clause.at("cease_within"),
                                  f"{doc.title} lets the trust keep the name for {period} after termination; "
                                  f"at most {limit} is allowed", subject=doc.id, citation=cite)
                period = limit
            deadline = name_deadline(doc, period)
            if deadline is None or not doc.ended_by(ctx.as_of) or ctx.as_of <= deadline:
                continue
            covered = set(clause.get("names") or ())
            for name in trust.names:
                if name.name not in covered or (name.end is not None and name.end <= deadline):
                    continue
                used = (f"still uses the name {name.name!r}" if name.end is None or name.end > ctx.as_of
                        else f"used the name {name.name!r} until {name.end}")
                # At the `until` value where one is written (`until: null` is the fact to correct),
                # else at the name.
                at = name.src.at("until") if _written(name.src.file.data, name.src.pointer, "until") \
                    else name.src.at("name")
                yield ctx.finding(at, f"the trust {used}; it had to cease by {deadline} ({period} after the "
                                      f"{doc.title} ended on {doc.terminated})",
                                  subject=doc.id, citation=cite)


def _written(data: Any, pointer: str, key: str) -> bool:
    """Whether the mapping at ``pointer`` in ``data`` has ``key`` written (even as null)."""
    node = data
    for segment in split_pointer(pointer):
        if isinstance(node, Mapping):
            node = node.get(segment)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return False
    return isinstance(node, Mapping) and key in node


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("name-cessation", check, severity="error", params={"period": "period", "trigger": "string"},
                 doc=__doc__)]
