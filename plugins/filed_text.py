"""Each recorded fact agrees with the filed text it names as its `source`.

## What it does
For every document (or amendment) with a `source:`, reads the named filing with the extractor that
`mist-check draft` uses and compares each fact the YAML records with what the text says:
- a value that disagrees with the text (`notice_days: 60` where §9 reads "ninety (90) days") is an
  error at the YAML value, citing the filing's file, line and section and the words read;
- a provision whose `section` is not the one the text says it in, or a date where the filing left
  the date blank, is a warning (`unsupported` case): the text does not support it there;
- a `source` that cannot be read (missing, outside the trust's directory, not a regular file,
  larger than `--max-file-bytes`), or a filing of another kind of document than the one recorded,
  is a warning (`unread` case): none of that document's facts is checked.

Facts the extractor cannot read with certainty, and facts the YAML does not record, are not judged:
the rule reports disagreements only, never a guess. Ids (of documents and portfolios) are names the
configuration chooses and are not compared; a `fee_schedule` rate is compared where the portfolio's
id is the slug of the name the schedule writes. `source:` is a path relative to the YAML file that
holds it, and must stay inside the trust's directory, as `include:` patterns must. A filing's
reading is cached by the SHA-256 of its bytes for the run.

## Why is this bad?
Every rule judges the facts as typed. A trust file that says `notice_days: 60` where the filed
agreement says ninety passes the termination-notice rule while the contract the fund signed fails
it: the check is only as good as the transcription.

## Example
```yaml
    source: filings/advisory-agreement.txt     # §8 reads "upon ninety (90) days' written notice"
    provisions:
      termination:
        by_fund: {notice_days: 60, section: "8"}
```
Use instead: `notice_days: 90` (and then termination-notice reports the 90 days), or correct the
`source`.

## Parameters
None: the filed text is the measure.

## References
- Form N-1A, Item 28 (exhibits: advisory and underwriting contracts, Rule 12b-1 and Rule 18f-3 plans)
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.model import Document, Src
from mist_check.periods import parse_period
from mist_check.rates import parse_rate

if TYPE_CHECKING:
    from mist_check.filings.extract import Fact, Reading
    from mist_check.filings.text import Filing

_AMENDMENT_KEYS = {"provisions", "adds", "removes", "changes", "fee_schedule", "section", "effective"}
# Compared at these paths (ids, titles, kinds and schedules of ids are the configuration's own names).
_NOT_COMPARED = {"id", "title", "kind", "source", "schedule", "adds", "removes", "portfolios"}
_PLAN_KINDS = {"distribution-plan"}
_FAMILY = {"distribution-plan": "plan", "multi-class-plan": "multi-class", "fee-waiver": "waiver",
           "distribution-agreement": "agreement", "management-agreement": "agreement",
           "advisory-agreement": "agreement"}
_FILINGS: dict[str, tuple[Filing, Reading, list[Any]]] = {}
# (the readers of filed text are imported when a document names its filing, not with the plugin:
# a check without filings does not pay for them)


def _extractors(ctx: RuleContext) -> list[Any]:
    pm = ctx.plugins
    cached = getattr(pm, "_mist_check_extractors", None) if pm is not None else None
    if cached is None:
        from mist_check.manager import collect_extractors, plugin_manager

        cached = collect_extractors(pm if pm is not None else plugin_manager(entry_points=False))
        if pm is not None:
            pm._mist_check_extractors = cached
    return cached


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    top = trust.root.abspath.parent.resolve()
    for doc in trust.documents:
        # each document against its own filing: an unreadable document elsewhere withholds nothing
        with ctx.judging():
            source = doc.raw.get("source")
            if isinstance(source, str):
                yield from _judge(trust, ctx, doc, source, doc.src, doc.raw, top, amendment=None)
        for amendment in doc.amendments:
            with ctx.judging():
                raw = _raw_at(doc.raw, amendment.src.path[len(doc.src.path):])
                if isinstance(raw, Mapping) and isinstance(raw.get("source"), str):
                    yield from _judge(trust, ctx, doc, raw["source"], amendment.src, raw, top, amendment=raw)


def _raw_at(raw: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        try:
            raw = raw[key]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def _load(ctx: RuleContext, path: Path, name: str) -> tuple[Filing, Reading, list[Any]]:
    from mist_check.filings.extract import read
    from mist_check.filings.text import decode, parse_filing, read_bytes

    data = read_bytes(path, ctx.limits.max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    key = f"{digest}:{name}"
    if key not in _FILINGS:
        filing = parse_filing(decode(data), name, digest,
                              html=True if path.suffix.lower() in (".htm", ".html", ".xhtml") else None)
        reading, facts = read(filing, _extractors(ctx))
        if len(_FILINGS) > 64:
            _FILINGS.clear()
        _FILINGS[key] = (filing, reading, facts)
    return _FILINGS[key]


def _judge(trust: Trust, ctx: RuleContext, doc: Document, source: str, src: Src, raw: Mapping[str, Any],
           top: Path, amendment: Mapping[str, Any] | None) -> Iterator[Finding]:
    base = src.file.abspath.parent
    title = doc.title if amendment is None else f"{amendment.get('title') or amendment.get('id')} to the {doc.title}"
    at_source = src.at("source")

    def unread(why: str) -> Finding:
        return ctx.finding(at_source, f"{title}: its source {source} {why}; its facts are not checked against "
                                      "the filing", subject=doc.id, case="unread",
                           citation=Citation(title, None))

    if os.path.isabs(source) or source.startswith("\\"):
        yield unread("is an absolute path (write it relative to this file)")
        return
    target = (base / source)
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        yield unread("cannot be resolved")
        return
    if not real.is_relative_to(top):
        yield unread("reaches outside the trust's directory and was not read")
        return
    from mist_check.filings.extract import Fact
    from mist_check.filings.text import FilingError

    try:
        filing, reading, facts = _load(ctx, real, source)
    except FilingError as exc:
        yield unread(str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc))
        return
    if reading.kind is None or _FAMILY.get(reading.kind) != _FAMILY.get(doc.kind):
        what = reading.kind or "no document kind mist-check reads"
        yield unread(f"reads as {what}, not as a {doc.kind}")
        return
    if (amendment is not None) != reading.amendment:
        yield unread("is an amendment" if reading.amendment else "is not an amendment")
        return
    seen: set[tuple[Any, ...]] = set()
    for fact in facts:
        if not isinstance(fact, Fact) or fact.path[0] in _NOT_COMPARED:
            continue
        path = fact.path
        if reading.amendment:
            if path[0] in _AMENDMENT_KEYS:
                pass  # the amendment's own (below `raw`)
            elif path[0] == "amendments":
                path = path[2:]
                if not path or path[0] in _NOT_COMPARED:
                    continue
            else:
                continue  # the amended agreement's facts: judged where its own source is named
        if path in seen:
            continue
        seen.add(path)
        yield from _compare(trust, ctx, doc, title, filing, fact, path, raw, src)


def _compare(trust: Trust, ctx: RuleContext, doc: Document, title: str, filing: Filing, fact: Fact,
             path: tuple[Any, ...], raw: Mapping[str, Any], src: Src) -> Iterator[Finding]:
    if path[0] == "fee_schedule":
        yield from _compare_rate(trust, ctx, doc, title, filing, fact, path, raw, src)
        return
    recorded = _raw_at(raw, path)
    if recorded is None and not _present(raw, path):
        return
    if _same(path[-1], recorded, fact.value):
        return
    if fact.hit is None:
        return
    key = ".".join(map(str, path[1:] if path[0] == "provisions" else path))
    if fact.value is None and path[-1] in ("dated", "adopted", "effective"):
        where = f"{filing.name}:{fact.hit.line}"
        yield ctx.finding(src.at(*path), f"{title} records {key} {_show(recorded)}; {where} leaves the date blank "
                                         f"(\"{fact.hit.words}\"): say in a comment where the date comes from",
                          subject=doc.id, citation=Citation(title, fact.section), case="unsupported")
        return
    words = fact.hit.words if len(fact.hit.words) <= 120 else fact.hit.words[:117] + "..."
    where = f"{filing.name}:{fact.hit.line}" + (f", {_sec(fact.section)}" if fact.section else "")
    cite = Citation(title, fact.section)
    if path[-1] == "section":
        what = ".".join(map(str, path[1:-1] if path[0] == "provisions" else path[:-1])) or "the document"
        yield ctx.finding(src.at(*path), f"{title} records {what} at {_sec(str(recorded))}; {where}, reads it: "
                                         f"\"{words}\"; write section: \"{fact.value}\"",
                          subject=doc.id, citation=cite, case="unsupported")
        return
    yield ctx.finding(src.at(*path), f"{title} records {key} {_show(recorded)}; {where}, reads \"{words}\"; "
                                     f"write {_show(fact.value)}", subject=doc.id, citation=cite)


def _compare_rate(trust: Trust, ctx: RuleContext, doc: Document, title: str, filing: Filing, fact: Fact,
                  path: tuple[Any, ...], raw: Mapping[str, Any], src: Src) -> Iterator[Finding]:
    schedule = raw.get("fee_schedule")
    if not isinstance(schedule, Mapping) or len(path) != 2:
        return
    slug = str(path[1])
    matches = [k for k in schedule if k == slug or _slug_of(trust, str(k)) == slug]
    if len(matches) != 1:
        return
    key = matches[0]
    if _same("rate", schedule[key], fact.value) or fact.hit is None:
        return
    where = f"{filing.name}:{fact.hit.line}" + (f", {_sec(fact.section)}" if fact.section else "")
    yield ctx.finding(src.at("fee_schedule", key), f"{title} records a fee of {schedule[key]} for {key}; {where}, "
                                                   f"reads \"{fact.hit.words}\"; write \"{fact.value}\"",
                      subject=doc.id, citation=Citation(title, fact.section))


def _sec(label: str) -> str:
    """``§9``, ``§7(a)``; a schedule or a heading by its name."""
    return f"§{label}" if label[:1].isdigit() or label.startswith("(") else label


def _slug_of(trust: Trust, portfolio_id: str) -> str | None:
    from mist_check.filings.provisions.schedule import slug

    portfolio = trust.portfolios_by_id.get(portfolio_id)
    return slug(portfolio.name) if portfolio is not None and portfolio.name else None


def _present(raw: Mapping[str, Any], path: tuple[Any, ...]) -> bool:
    parent = _raw_at(raw, path[:-1])
    return isinstance(parent, Mapping) and path[-1] in parent


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _tree(value: Any) -> Any:
    """A requirement in one form: a body, or (op, frozenset of items); one item is that item."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and len(value) == 1:
        op, items = next(iter(value.items()))
        if isinstance(items, list):
            parts = frozenset(_tree(i) for i in items)
            if len(parts) == 1:
                return next(iter(parts))
            return (op, parts)
    return ("?", repr(value))


_LEGAL_WORDS = {"inc", "llc", "lp", "llp", "ltd", "corp", "corporation", "company", "co", "the", "of", "and", "&"}


def _same(key: Any, recorded: Any, read_value: Any) -> bool:
    if key == "counterparty":
        # A shorter form of the name ("Pinecrest Capital" for "Pinecrest Capital Management, LLC") is
        # the same party; only names with no distinctive word in common disagree.
        a, b = (set(_norm(v).split()) - _LEGAL_WORDS for v in (recorded, read_value))
        return bool(a & b) or not a or not b
    if key == "section":
        # "7" for a clause read in 7(a), "3" or "Article III" for one read in 3.2: the section holds it.
        rec, got = (re.sub(r"[\s§]+", "", str(v)).casefold() for v in (recorded, read_value))
        return rec == got or bool(re.match(rf"{re.escape(rec)}(?:\(|\.|$)", got))
    if key in ("by", "requires", "continuance_requires"):
        return bool(_tree(recorded) == _tree(read_value))
    if key == "rate" or key in ("from", "to"):
        try:
            return bool(parse_rate(str(recorded)).percent == parse_rate(str(read_value)).percent)
        except (ValueError, AttributeError):
            return _rate_text(recorded) == _rate_text(read_value)
    if key in ("every", "after", "then", "cease_within"):
        try:
            return parse_period(str(recorded)) == parse_period(str(read_value))
        except ValueError:
            return False
    if isinstance(read_value, list):
        if not isinstance(recorded, list):
            return False
        return {_norm(x) for x in recorded} == {_norm(x) for x in read_value}
    if isinstance(read_value, bool) or isinstance(recorded, bool):
        return recorded is read_value
    if isinstance(read_value, int):
        return isinstance(recorded, int) and recorded == read_value
    if read_value is None or recorded is None:
        return recorded is read_value
    return _norm(recorded) == _norm(read_value)


def _rate_text(value: Any) -> Decimal | None:
    m = re.fullmatch(r"\s*([0-9.]+)\s*%\s*", str(value))
    return Decimal(m.group(1)) if m else None


def _norm(value: Any) -> str:
    return re.sub(r"[\s.,]+", " ", str(value)).strip().casefold()


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("filed-text", check, severity="error", cases={"unsupported": "warning", "unread": "warning"},
                 doc=__doc__)]
