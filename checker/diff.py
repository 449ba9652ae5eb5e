"""``mist-check diff REV [REV2] [PATH ...]``: what a change does to each trust, in substance.

Both sides are read into the model (a revision through ``git archive``, the work tree as it is) and
compared fact by fact, never line by line: documents added, removed or amended (with the
amendment's own id, date and section), Schedule A portfolios added and removed, fees and fee caps
from -> to, provisions changed, trustees joining and leaving, meetings and shareholder votes
recorded, then the findings the change introduces and resolves (matched as ``--new-from-rev``
matches them). Reformatting a file, or moving a document to another part file, changes nothing.
"""
from __future__ import annotations

import dataclasses
import os
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .findings import Finding, where
from .model import requirement
from .reporters import count

# --- a trust's facts, plain and comparable -------------------------------------------------------


def plain(value: Any) -> Any:
    """A model value as JSON-able data (dates ISO, rates ``0.50%``), for comparing and printing."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, (date, Decimal)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "percent"):  # a Rate
            return str(value)
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("src", "memo", "raw")}
    return str(value)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"by_fund": {"notice_days": 60}}`` -> ``{"by_fund.notice_days": 60}`` (lists kept whole)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else k))
        return out
    return {prefix: value}


@dataclass
class Facts:
    """One trust at one revision: its model reduced to comparable facts, and its live findings."""

    name: str
    root: str
    as_of: str | None
    documents: dict[str, Any]
    portfolios: dict[str, Any]
    trustees: dict[str, Any]
    share_classes: dict[str, Any]
    meetings: dict[str, Any]
    votes: dict[str, Any]
    reports: dict[str, Any]
    findings: list[tuple[Finding, Any]] = field(default_factory=list)


def _document(doc: Any) -> dict[str, Any]:
    return {
        "title": doc.title, "kind": doc.kind, "dated": plain(doc.dated), "adopted": plain(doc.adopted),
        "effective": plain(doc.effective), "terminated": plain(doc.terminated),
        "counterparty": doc.counterparty, "share_class": doc.share_class, "section": doc.section,
        "schedule": list(doc.schedule), "fee_schedule": plain(doc.fee_schedule),
        "designates": list(doc.designates), "replaces": doc.replaces, "interim": doc.interim,
        "provisions": {name: plain(p.values) for name, p in doc.provisions.items()},
        "amendments": {a.id: {"title": a.title, "dated": plain(a.dated), "effective": plain(a.effective),
                              "adds": list(a.adds), "removes": list(a.removes), "section": a.section,
                              "fee_schedule": plain(a.fee_schedule), "changes": plain(a.changes),
                              "provisions": {n: plain(p.values) for n, p in a.provisions.items()}}
                       for a in doc.amendments},
    }


def facts_of(trust: Any, root: str) -> Facts:
    meetings: dict[str, Any] = {}
    for m in trust.meetings:
        meetings.setdefault(m.date.isoformat(), []).append(plain(m))
    votes: dict[str, Any] = {}
    for v in trust.shareholder_votes:
        key = f"{v.date.isoformat()} {v.approves}" + (f" ({v.portfolio})" if v.portfolio else "")
        votes.setdefault(key, []).append(plain(v))
    return Facts(
        name=trust.name, root=root, as_of=plain(trust.as_of),
        documents={d.id: _document(d) for d in trust.documents},
        portfolios={p.id: {"name": p.name, "management_fee": plain(p.management_fee),
                           "classes": {c: plain(pc) for c, pc in p.classes.items()}} for p in trust.portfolios},
        trustees={t.name: {"independent": t.independent, "from": plain(t.start), "until": plain(t.end)}
                  for t in trust.trustees},
        share_classes={c: {"plan": s.plan, "distribution_agreement": s.distribution_agreement}
                       for c, s in trust.share_classes.items()},
        meetings=meetings, votes=votes,
        reports={f"{r.plan} {r.period_end.isoformat()}": plain(r) for r in trust.reports},
    )


# --- reading both sides --------------------------------------------------------------------------


def snapshot(options: Any, want_key: Any = None) -> dict[str, Facts]:
    """Every trust the options' paths lead to, by name (the root file's path when unnamed). Each
    live finding's key by ids is worked out (a second parse of its file) only where ``want_key(f)``
    says it may be needed: for all findings without it."""
    from .engine import Checker
    from .findings import sort_findings
    from .paths import forget
    from .revisions import Identities

    options = dataclasses.replace(options, jobs=1)
    checker = Checker(options)
    seen: dict[str, Any] = {}
    checker.on_model = lambda _result, trust, _pack: seen.update(trust=trust)
    out: dict[str, Facts] = {}
    ids = Identities(options.limits.max_bytes)
    for root in checker.roots().roots:
        seen.clear()
        result = checker.check_root(root)
        trust = seen.get("trust")
        if trust is None:
            continue
        facts = facts_of(trust, result.root)
        live = [f for f in sort_findings(result.findings) if f.suppressed is None]
        facts.findings = [(f, ids.key(f) if want_key is None or want_key(f) else None) for f in live]
        out[facts.name or facts.root] = facts
    forget()
    return out


# --- the change -----------------------------------------------------------------------------------


@dataclass
class Change:
    """One change in substance: its kind, what it is about, and a sentence a reviewer signs off."""

    kind: str
    subject: str
    text: str
    before: Any = None
    after: Any = None
    section: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "text": self.text, "from": self.before,
                "to": self.after, "section": self.section}


@dataclass
class TrustDiff:
    name: str
    status: str  # "added", "removed", "changed", "unchanged"
    changes: list[Change] = field(default_factory=list)
    introduced: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)


@dataclass
class DiffResult:
    base: str
    head: str
    trusts: list[TrustDiff]


def _list(items: list[str]) -> str:
    return ", ".join(items)


def _sec(section: Any) -> str:
    return f" (§{section})" if section and str(section)[:1].isdigit() else (f' ("{section}")' if section else "")


def show(value: Any) -> str:
    """A plain value as a reviewer reads it: ``none``, ``true``, ``60``, ``["a", "b"]`` compact."""
    import json

    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _values(flat: Mapping[str, Any]) -> str:
    """A provision's terms as words: ``initial term ends 2003-08-31; each continuance lasts 1 year``."""
    said = []
    for key, value in flat.items():
        *groups, leaf = key.split(".")
        if leaf == "section":
            continue
        words, unit = _TERMS.get(leaf, (leaf.replace("_", " "), ""))
        value_words = [] if isinstance(value, bool) else [_term(leaf, value, unit)]
        if value is False:
            words = f"not {words}"  # in person; not at a meeting called for the purpose
        said.append(" ".join([*(_PARTS.get(g, g.replace("_", " ")) for g in groups), words, *value_words]))
    return "; ".join(said) or "(no terms)"


# How a reviewer reads a provision's parts and terms: ``by_fund.notice_days`` 60 -> 90 is "termination by
# the fund (§9): notice 60 -> 90 days". A key not listed here is shown as the format spells it.
_PARTS = {"by_fund": "by the fund", "by_counterparty": "by the other party", "termination": "termination",
          "assignment": "assignment"}
_TERMS = {"notice_days": ("notice", " days"), "notice_days_max": ("notice at most", " days"),
          "notice_bound": ("notice", ""), "written": ("written notice", ""),
          "at_any_time": ("at any time", ""), "without_penalty": ("without penalty", ""),
          "terminates_automatically": ("ends automatically on assignment", ""), "by": ("who may act", ""),
          "requires": ("approval required", ""), "continuance_requires": ("continuance requires", ""),
          "in_person": ("in person", ""), "called_for_purpose": ("at a meeting called for the purpose", ""),
          "rate": ("rate", ""), "basis": ("applied to", ""),
          "every": ("every", ""), "after": ("first due after", ""), "initial_until": ("initial term ends", ""),
          "then": ("each continuance lasts", ""), "names": ("names", ""), "cease_within": ("cease within", ""),
          "trigger": ("on", "")}


def _is_requirement(key: str) -> bool:
    return key == "by" or key.endswith("requires")


_BOUNDS = {"at-most": "not more than", "exactly": "exactly", "at-least": "not less than", "none": "no number"}


def _term(leaf: str, value: Any, unit: str = "") -> str:
    """One value of a term as words: ``yes``, ``"not more than"``, ``independent trustees or ...``."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if leaf == "notice_bound" and value in _BOUNDS:
        return f'"{_BOUNDS[value]}"'
    if _is_requirement(leaf) and (tree := requirement(value)) is not None:
        return f'"{tree.words()}"'
    return f"{show(value)}{unit}"


def _reads(name: str, key: str, at: Any, old: Any, new: Any) -> str:
    """``termination by the fund (§9): notice 60 -> 90 days``."""
    parts = key.split(".")
    leaf, groups = parts[-1], parts[:-1]
    words, unit = _TERMS.get(leaf, (leaf.replace("_", " "), ""))
    head = " ".join([name.replace("_", " "), *(_PARTS.get(g, g.replace("_", " ")) for g in groups)])
    if unit and type(old) is int and type(new) is int:  # the unit once: 60 -> 90 days
        return f"{head}{_sec(at)}: {words} {_term(leaf, old)} -> {_term(leaf, new)}{unit}"
    return f"{head}{_sec(at)}: {words} {_term(leaf, old, unit)} -> {_term(leaf, new, unit)}"


def _provisions(where_: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Change]:
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        section = (new or old or {}).get("section")
        if old is None:
            yield Change("provision-added", f"{where_}: {name}",
                         f"{where_}: provision {name} added{_sec(section)}: {_values(_grouped(new))}",
                         None, new, section)
        elif new is None:
            yield Change("provision-removed", f"{where_}: {name}",
                         f"{where_}: provision {name} removed{_sec(section)}", old, None, section)
        else:
            fo, fn = _grouped(old), _grouped(new)
            for key in sorted(set(fo) | set(fn)):
                if fo.get(key) != fn.get(key) and key.rsplit(".", 1)[-1] != "section":
                    at = _section_of(key, fn) or _section_of(key, fo) or section
                    yield Change("provision-changed", f"{where_}: {name}.{key}",
                                 f"{where_}: {_reads(name, key, at, fo.get(key), fn.get(key))}",
                                 fo.get(key), fn.get(key), at)
            for key in sorted(set(fo) | set(fn)):
                if key.rsplit(".", 1)[-1] == "section" and fo.get(key) != fn.get(key):
                    head = " ".join([name.replace("_", " "),
                                     *(_PARTS.get(g, g.replace("_", " ")) for g in key.split(".")[:-1])])
                    yield Change("provision-changed", f"{where_}: {name}.{key}",
                                 f"{where_}: {head}: section {show(fo.get(key))} -> {show(fn.get(key))}",
                                 fo.get(key), fn.get(key), fn.get(key))


def _grouped(value: Any) -> dict[str, Any]:
    """``flatten``, but a requirement (``by: {any_of: [...]}``) stays one term, compared whole."""
    out: dict[str, Any] = {}
    for key, v in flatten(value).items():
        parts = key.split(".")
        for i, part in enumerate(parts):
            if _is_requirement(part) and i < len(parts) - 1:
                whole = ".".join(parts[:i + 1])
                node: Any = value
                for step in parts[:i + 1]:
                    node = node[step]
                out[whole] = node
                break
        else:
            out[key] = v
    return out


def _section_of(key: str, flat: Mapping[str, Any]) -> Any:
    """The section of the nearest part of a provision that names one (``by_fund.section``)."""
    parts = key.split(".")[:-1]
    while parts:
        value = flat.get(".".join([*parts, "section"]))
        if value is not None:
            return value
        parts.pop()
    return flat.get("section")


def _fields(where_: str, kind: str, before: Mapping[str, Any], after: Mapping[str, Any],
            keys: tuple[str, ...]) -> Iterator[Change]:
    for key in keys:
        if before.get(key) != after.get(key):
            yield Change(kind, f"{where_}: {key}", f"{where_}: {key} {show(before.get(key))} -> {show(after.get(key))}",
                         before.get(key), after.get(key))


def _amendment_text(title: str, a: Mapping[str, Any]) -> str:
    """``Amendment No. 1 to <title> (amendment-1, dated 2003-05-01, §1): Schedule A adds ...; deletes ...``."""
    meta = [a["_id"]]
    if a.get("dated"):
        meta.append(f"dated {a['dated']}")
    if a.get("effective") and a.get("effective") != a.get("dated"):
        meta.append(f"effective {a['effective']}")
    if a.get("section"):
        meta.append(f"§{a['section']}" if str(a["section"])[:1].isdigit() else f'"{a["section"]}"')
    text = f"{a['title']} to {title} ({', '.join(meta)})"
    if a.get("adds"):
        text += f": Schedule A adds {_list(a['adds'])}"
    if a.get("removes"):
        text += ("; " if a.get("adds") else ": Schedule A ") + f"deletes {_list(a['removes'])}"
    return text


def _documents(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Change]:
    for doc_id in sorted(set(before) | set(after)):
        old, new = before.get(doc_id), after.get(doc_id)
        if old == new:
            continue
        if old is None:
            dated = new.get("dated") or new.get("adopted")
            yield Change("document-added", doc_id, f"document added: {new['title']} ({doc_id}, {new['kind']}"
                         + (f", dated {dated}" if dated else "") + ")", None, new["title"])
            old = {"schedule": [], "provisions": {}, "amendments": {}, "fee_schedule": {}}
            if new["schedule"]:
                yield Change("schedule-added", doc_id, f"{new['title']}: Schedule A lists {_list(new['schedule'])}",
                             None, new["schedule"])
            for a_id, a in sorted(new["amendments"].items(), key=lambda kv: (kv[1]["dated"] or "", kv[0])):
                yield Change("amendment-added", f"{doc_id}/{a_id}", _amendment_text(new["title"], {**a, "_id": a_id}),
                             None, a, a.get("section"))
            continue
        if new is None:
            yield Change("document-removed", doc_id, f"document removed: {old['title']} ({doc_id})", old["title"])
            continue
        title = new["title"]
        yield from _fields(title, "document-changed", old, new,
                           ("title", "kind", "dated", "adopted", "effective", "terminated", "counterparty",
                            "share_class", "replaces", "interim"))
        gone = [p for p in old["schedule"] if p not in new["schedule"]]
        came = [p for p in new["schedule"] if p not in old["schedule"]]
        if came:
            yield Change("schedule-added", doc_id, f"{title}: Schedule A adds {_list(came)}", None, came)
        if gone:
            yield Change("schedule-removed", doc_id, f"{title}: Schedule A deletes {_list(gone)}", gone, None)
        fo, fn = old["fee_schedule"], new["fee_schedule"]
        for p in sorted(set(fo) | set(fn)):
            if fo.get(p) != fn.get(p):
                yield Change("fee-changed", f"{doc_id}: {p}", f"{title}: fee of {p} {show(fo.get(p))} -> {show(fn.get(p))}",
                             fo.get(p), fn.get(p))
        yield from _provisions(title, old["provisions"], new["provisions"])
        for a_id in sorted(set(old["amendments"]) | set(new["amendments"])):
            oa, na = old["amendments"].get(a_id), new["amendments"].get(a_id)
            if oa == na:
                continue
            if oa is None:
                yield Change("amendment-added", f"{doc_id}/{a_id}", _amendment_text(title, {**na, "_id": a_id}),
                             None, na, na.get("section"))
                for name, values in sorted(na["provisions"].items()):
                    yield Change("provision-added", f"{doc_id}/{a_id}: {name}",
                                 f"{na['title']} to {title}: provision {name} added{_sec(values.get('section'))}: "
                                 f"{_values(_grouped(values))}", None, values, values.get("section"))
            elif na is None:
                yield Change("amendment-removed", f"{doc_id}/{a_id}",
                             f"{oa['title']} to {title} ({a_id}) removed", oa, None, oa.get("section"))
            else:
                label = f"{na['title']} to {title}"
                yield from _fields(label, "amendment-changed", oa, na,
                                   ("title", "dated", "effective", "adds", "removes", "section", "fee_schedule",
                                    "changes"))
                yield from _provisions(label, oa["provisions"], na["provisions"])


def _portfolios(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Change]:
    for pid in sorted(set(before) | set(after)):
        old, new = before.get(pid), after.get(pid)
        if old == new:
            continue
        if old is None:
            yield Change("portfolio-added", pid, f"portfolio added: {new['name']} ({pid})", None, new["name"])
            continue
        if new is None:
            yield Change("portfolio-removed", pid, f"portfolio removed: {old['name']} ({pid})", old["name"])
            continue
        name = new["name"]
        yield from _fields(name, "portfolio-changed", old, new, ("name",))
        if old["management_fee"] != new["management_fee"]:
            yield Change("fee-changed", f"{pid}: management_fee",
                         f"{name}: management fee {show(old['management_fee'])} -> {show(new['management_fee'])}",
                         old["management_fee"], new["management_fee"])
        for c in sorted(set(old["classes"]) | set(new["classes"])):
            oc, nc = old["classes"].get(c) or {}, new["classes"].get(c) or {}
            for key in sorted(set(oc) | set(nc)):
                if key != "name" and oc.get(key) != nc.get(key):
                    kind = "fee-changed" if key.endswith("fee") else "portfolio-changed"
                    yield Change(kind, f"{pid}: class {c} {key}",
                                 f"{name}: class {c} {key.replace('_', ' ')} {show(oc.get(key))} -> {show(nc.get(key))}",
                                 oc.get(key), nc.get(key))


def _keyed(kind: str, noun: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Change]:
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is None:
            yield Change(f"{kind}-added", key, f"{noun} recorded: {key}", None, new)
        elif new is None:
            yield Change(f"{kind}-removed", key, f"{noun} removed: {key}", old, None)
        else:
            yield Change(f"{kind}-changed", key, f"{noun} changed: {key}", old, new)


def _trustees(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Change]:
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if old is None:
            role = "independent" if new["independent"] else "interested"
            yield Change("trustee-joined", name, f"trustee joins: {name} ({role}"
                         + (f", from {new['from']}" if new["from"] else "") + ")", None, new)
        elif new is None:
            yield Change("trustee-left", name, f"trustee leaves the roster: {name}", old, None)
        else:
            if old["until"] != new["until"] and new["until"]:
                yield Change("trustee-left", name, f"trustee leaves: {name} (until {new['until']})", old, new)
            yield from (c for c in _fields(f"trustee {name}", "trustee-changed", old, new, ("independent", "from"))
                        )
            if old["until"] != new["until"] and not new["until"]:
                yield Change("trustee-changed", name, f"trustee {name}: until {old['until']} -> none", old, new)


def compare(name: str, old: Facts | None, new: Facts | None) -> TrustDiff:
    if old is None and new is not None:
        out = TrustDiff(name, "added")
        base = Facts(name, new.root, None, {}, {}, {}, {}, {}, {}, {})
        out.changes = list(_changes(base, new))
        out.introduced = [f for f, _ in new.findings]
        return out
    if new is None and old is not None:
        return TrustDiff(name, "removed", resolved=[f for f, _ in old.findings])
    assert old is not None and new is not None
    out = TrustDiff(name, "changed")
    out.changes = list(_changes(old, new))
    # the same finding: the same fingerprint (or key by ids) at the same severity, as --new-from-rev
    # matches them (a warning that became an error at the same value is introduced, and resolved)
    by_print = {(f.fingerprint, f.severity) for f, _ in old.findings}
    by_key = {(k, f.severity) for f, k in old.findings if k is not None}
    now_print = {(f.fingerprint, f.severity) for f, _ in new.findings}
    now_key = {(k, f.severity) for f, k in new.findings if k is not None}
    out.introduced = [f for f, k in new.findings
                      if (f.fingerprint, f.severity) not in by_print and (k is None or (k, f.severity) not in by_key)]
    out.resolved = [f for f, k in old.findings
                    if (f.fingerprint, f.severity) not in now_print and (k is None or (k, f.severity) not in now_key)]
    if not out.changes and not out.introduced and not out.resolved:
        out.status = "unchanged"
    return out


def _changes(old: Facts, new: Facts) -> Iterator[Change]:
    if old.as_of != new.as_of and old.as_of is not None:
        yield Change("as-of-changed", "as_of", f"judged as of {old.as_of} -> {new.as_of}", old.as_of, new.as_of)
    yield from _documents(old.documents, new.documents)
    yield from _portfolios(old.portfolios, new.portfolios)
    for c in sorted(set(old.share_classes) | set(new.share_classes)):
        o, n = old.share_classes.get(c), new.share_classes.get(c)
        if o != n:
            yield Change("share-class-changed", c, f"class {c}: {show(o)} -> {show(n)}", o, n)
    yield from _trustees(old.trustees, new.trustees)
    yield from _keyed("meeting", "board meeting", old.meetings, new.meetings)
    yield from _keyed("vote", "shareholder vote", old.votes, new.votes)
    yield from _keyed("report", "quarterly report", old.reports, new.reports)


def diff(old: Mapping[str, Facts], new: Mapping[str, Facts], base: str, head: str,
         renamed: Mapping[str, str] | None = None) -> DiffResult:
    renamed = renamed or {}
    carried = {}
    for name, facts in old.items():
        facts.findings = [(dataclasses.replace(f, file=renamed.get(f.file, f.file)), k) for f, k in facts.findings]
        carried[name] = facts
    trusts = [compare(name, carried.get(name), new.get(name)) for name in sorted(set(carried) | set(new))]
    return DiffResult(base, head, trusts)


def finding_text(f: Finding) -> str:
    cite = where(f.citation.document, f.citation.section)
    return f"{f.severity.value} {f.rule} {f.file}:{f.line}: {f.message}" + (f" [{cite}]" if cite else "")


# --- running it -------------------------------------------------------------------------------------


def run_diff(options: Any, rev: str, rev2: str | None) -> DiffResult:
    """The diff of the trusts under ``options.paths`` from ``rev`` to ``rev2`` (the work tree if None)."""
    from .revisions import Identities, _inside, _relative, checkout, renames, repo, resolve_any

    r = repo("diff")
    base = resolve_any(r, rev)

    def at(commit: str, want_key: Any = None) -> dict[str, Facts]:
        with checkout(r, commit) as here:
            if not here.is_dir():
                return {}
            with _inside(here):
                paths = [p for p in (_relative(p) for p in options.paths) if os.path.lexists(p)]
                return snapshot(dataclasses.replace(options, paths=paths), want_key) if paths else {}

    if rev2 is None:
        # the work tree first, keys by ids left out: a finding needs its key only where no finding
        # of the other side has its fingerprint and severity (each side's files parsed again only there)
        moved = renames(r, base)

        def carried(f: Finding) -> tuple[str, Any]:  # a base finding as it is matched, under its new name
            return dataclasses.replace(f, file=moved.get(f.file, f.file)).fingerprint, f.severity

        new, head_label = snapshot(options, want_key=lambda f: False), "the work tree"
        now = {(f.fingerprint, f.severity) for facts in new.values() for f, _ in facts.findings}
        old = at(base, lambda f: carried(f) not in now)
        then = {carried(f) for facts in old.values() for f, _ in facts.findings}
        ids = Identities(options.limits.max_bytes)
        for facts in new.values():
            facts.findings = [(f, ids.key(f) if (f.fingerprint, f.severity) not in then else None)
                              for f, _ in facts.findings]
        return diff(old, new, f"{rev} ({base[:12]})", head_label, moved)
    old = at(base)  # two revisions: each tree exists only while it is read, so every key is worked out
    head = resolve_any(r, rev2)
    new, head_label = at(head), f"{rev2} ({head[:12]})"
    moved = renames(r, base, head)
    return diff(old, new, f"{rev} ({base[:12]})", head_label, moved)


# --- output -----------------------------------------------------------------------------------------


def document_of(result: DiffResult) -> dict[str, Any]:
    from .reporters.json_ import finding_dict

    return {"base": result.base, "head": result.head, "trusts": [
        {"trust": t.name, "status": t.status, "changes": [c.as_dict() for c in t.changes],
         "findings_introduced": [finding_dict(f) for f in t.introduced],
         "findings_resolved": [finding_dict(f) for f in t.resolved]} for t in result.trusts]}


def write_json(result: DiffResult, stream: Any, **_: Any) -> None:
    import json

    json.dump(document_of(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_text(result: DiffResult, stream: Any, **_: Any) -> None:
    from .reporters import printable

    stream.write(f"mist-check diff {printable(result.base)} -> {printable(result.head)}\n")
    for t in result.trusts:
        stream.write(f"\n{printable(t.name)}: {t.status}\n")
        for c in t.changes:
            stream.write(f"  {printable(c.text)}\n")
        for f in t.introduced:
            stream.write(f"  + finding introduced: {printable(finding_text(f))}\n")
        for f in t.resolved:
            stream.write(f"  - finding resolved: {printable(finding_text(f))}\n")
    total = sum(len(t.changes) for t in result.trusts)
    new = sum(len(t.introduced) for t in result.trusts)
    gone = sum(len(t.resolved) for t in result.trusts)
    stream.write(f"\n{count(total, 'change')}; {count(new, 'finding')} introduced, {gone} resolved\n")


def write_markdown(result: DiffResult, stream: Any, budget: int | None = None, **_: Any) -> None:
    from .reporters.markdown import DEFAULT_BUDGET, cell, code, fit

    total = sum(len(t.changes) for t in result.trusts)
    new = sum(len(t.introduced) for t in result.trusts)
    gone = sum(len(t.resolved) for t in result.trusts)
    head = [f"## mist-check diff: {count(total, 'change')}, {count(new, 'finding')} introduced, {gone} resolved\n\n",
            f"From {code(result.base)} to {code(result.head)}.\n"]
    rows: list[tuple[str, str]] = []
    for t in result.trusts:
        if t.status == "unchanged":
            continue
        group = f"\n### {cell(t.name)} ({t.status})\n\n"
        rows += [(group, f"- {cell(c.text)}\n") for c in t.changes]
        rows += [(group, f"- **new finding:** {cell(finding_text(f))}\n") for f in t.introduced]
        rows += [(group, f"- resolved: {cell(finding_text(f))}\n") for f in t.resolved]
    if not rows:
        head.append("\nNo change in substance.\n")
    stream.write(fit(head, rows, budget or DEFAULT_BUDGET))


WRITERS = {"text": write_text, "json": write_json, "markdown": write_markdown}
