"""``reference`` findings: every id that points nowhere, and ids used twice."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .findings import Finding, Location, Severity
from .hints import did_you_mean
from .model import Src, Trust


def _finding(at: Location, message: str, subject: str | None = None) -> Finding:
    return Finding(at.file, at.line, at.column, "reference", message, Severity.ERROR,
                   pointer=at.pointer, subject=subject)


# A board has a dozen trustees or so: past this many names of one roll call (for, against or
# abstain) that are not on the roster, the rest are one finding with their count, so that a list
# pasted by mistake is a few findings, not one a name (a million of them, 1.4 GB of JSON).
ROLL_CALL_NAMES_SHOWN = 10

# Where a reference is written: an object's source, the path below it, and whether the key is meant.
# Located only when it becomes a finding (a trust has thousands of references, nearly all sound).
Place = tuple[Src, tuple[str | int, ...], bool]


def _place(src: Src, *segments: str | int, key: bool = False) -> Place:
    return src, segments, key


def _at(place: Place) -> Location:
    src, segments, key = place
    return src.at(*segments, key=key)


def _duplicates(pairs: list[tuple[str, Src]], what: str, key: str) -> Iterator[Finding]:
    first: dict[str, Src] = {}
    for ident, src in pairs:
        if ident in first:
            was = first[ident].at(key)
            yield _finding(src.at(key), f"the {what} {ident!r} is used twice (first at {was.file}:{was.line})",
                           ident)
        else:
            first[ident] = src


Gaps = dict[str, set[str | None]]


def check_references(trust: Trust, gaps: Gaps | None = None) -> Iterator[Finding]:
    """Findings for ids and names that point nowhere. The ids of elements dropped for schema errors
    are known, so that one error is not reported twice; where an unreadable element's own id (or
    name) cannot be read either, no id of its kind is said to point nowhere.

    Into ``gaps`` (``Trust.gaps``' shape) go the facts each such reference leaves unknown: the id it
    names (a document ``class-b-plna`` is unknown, not absent), the element that holds it, and what
    a roll call or vote was on. The engine builds the trust again with them, so that no rule judges
    what the mistaken reference meant: the mistake is reported once, here."""
    found: Gaps = {} if gaps is None else gaps

    def gap(kind: str, key: str | None) -> None:
        found.setdefault(kind, set()).add(key)
    skip = trust.pruned_ids
    complete = trust.complete
    docs = trust.documents_by_id
    portfolios = trust.portfolios_by_id
    amendments = trust.amendments_by_id
    classes = set(trust.share_classes) | {c for p in trust.portfolios for c in p.classes}
    for d in trust.documents:
        classes.update(d.designates)

    # a class may be named by an unreadable share_classes entry, portfolio or multi-class plan
    classes_complete = all(complete(kind) for kind in ("share_classes", "portfolios", "documents"))

    doc_ids = [(d.id, d.src) for d in trust.documents]
    doc_ids += [(a.id, a.src) for d in trust.documents for a in d.amendments]
    yield from _duplicates(doc_ids, "id", "id")
    yield from _duplicates([(p.id, p.src) for p in trust.portfolios], "portfolio id", "id")
    yield from _duplicates([(t.name, t.src) for t in trust.trustees], "trustee name", "name")

    def doc_ref(value: str | None, at: Place, what: str, kinds: tuple[str, ...] = (),
                holder: tuple[str, str] | None = None) -> Iterator[Finding]:
        if value is None or value in skip:
            return
        doc = docs.get(value)
        if doc is None:
            if not complete("documents", value):
                return
            gap("documents", value)
            if holder:
                gap(*holder)
            yield _finding(_at(at), f"{what} {value!r} is not the id of any document{did_you_mean(value, docs)}", value)
        elif kinds and doc.kind not in kinds:
            if holder:
                gap(*holder)
            yield _finding(_at(at), f"{what} {value!r} is a {doc.kind}, not a {' or '.join(kinds)}", value)

    def portfolio_ref(value: str, at: Place, what: str, holder: tuple[str, str | None]) -> Iterator[Finding]:
        if value not in portfolios and value not in skip and complete("portfolios", value):
            gap("portfolios", value)
            gap(*holder)
            yield _finding(_at(at), f"{what} names {value!r}, which is not the id of any portfolio"
                                    f"{did_you_mean(value, portfolios)}", value)

    for name, entry in trust.share_classes.items():
        holder = ("share_classes", name)
        yield from doc_ref(entry.plan, _place(entry.src, "plan"), f"share class {name} plan",
                           ("distribution-plan",), holder)
        yield from doc_ref(entry.distribution_agreement, _place(entry.src, "distribution_agreement"),
                           f"share class {name} distribution agreement", ("distribution-agreement",), holder)
    for d in trust.documents:
        this = ("documents", d.id)
        yield from doc_ref(d.related_plan, _place(d.src, "related_plan"), f"{d.title} related_plan",
                           ("distribution-plan",), this)
        yield from doc_ref(d.replaces, _place(d.src, "replaces"), f"{d.title} replaces", (), this)
        for i, pid in enumerate(d.schedule):
            yield from portfolio_ref(pid, _place(d.src, "schedule", i), f"{d.title} Schedule A", this)
        for pid in d.fee_schedule:
            yield from portfolio_ref(pid, _place(d.src, "fee_schedule", pid, key=True), f"{d.title} fee schedule",
                                     this)
        if d.share_class is not None and d.share_class not in classes and classes_complete:
            gap(*this)
            yield _finding(d.src.at("share_class"), f"{d.title} is for class {d.share_class}, which no "
                                                    f"share_classes entry or portfolio has{did_you_mean(d.share_class, classes)}",
                           d.id)
        for a in d.amendments:
            for key in ("adds", "removes"):
                for i, pid in enumerate(getattr(a, key)):
                    yield from portfolio_ref(pid, _place(a.src, key, i), f"{a.title} {key}", this)
            for pid in a.fee_schedule or {}:
                yield from portfolio_ref(pid, _place(a.src, "fee_schedule", pid, key=True), f"{a.title} fee schedule",
                                         this)

    def target_ref(value: str | None, at: Place, what: str) -> Iterator[Finding]:
        if value is None or value in skip or value in docs or value in amendments \
                or not complete("documents", value):
            return
        gap("approvals", None)  # what it approved is unknown: it may be any document's approval
        yield _finding(_at(at), f"{what} {value!r} is not the id of any document or amendment"
                                f"{did_you_mean(value, [*docs, *amendments])}", value)

    roster = trust.trustees_by_name
    for m in trust.meetings:
        for action in m.actions:  # (the usual action names a known document and known trustees)
            if action.approves not in docs:
                yield from target_ref(action.approves, _place(action.src, "approves"),
                                      f"the meeting of {m.date} approves")
            for i, pid in enumerate(action.portfolios):
                yield from portfolio_ref(pid, _place(action.src, "portfolios", i), f"the meeting of {m.date}",
                                         ("approvals", action.approves))
            if roster.keys() >= {*action.votes_for, *action.against, *action.abstain}:
                continue
            for key, names in (("for", action.votes_for), ("against", action.against),
                               ("abstain", action.abstain)):
                unknown = [(i, name) for i, name in enumerate(names) if name not in roster
                           and complete("trustees", name)]
                if unknown:
                    gap("approvals", action.approves)  # who voted is unknown, so the count is
                for _, name in unknown:
                    gap("trustees", name)
                for i, name in unknown[:ROLL_CALL_NAMES_SHOWN]:
                    yield _finding(action.src.at(key, i), f"{name!r} in the roll call of {m.date} is "
                                                          f"not on the trustees roster{did_you_mean(name, roster)}",
                                   action.approves)
                if len(unknown) > ROLL_CALL_NAMES_SHOWN:
                    i, name = unknown[ROLL_CALL_NAMES_SHOWN]
                    yield _finding(action.src.at(key, i),
                                   f"{len(unknown) - ROLL_CALL_NAMES_SHOWN:,} more names in the roll call of "
                                   f"{m.date} ({key}), from {name!r} on, are not on the trustees roster",
                                   action.approves)
    for v in trust.shareholder_votes:
        yield from target_ref(v.approves, _place(v.src, "approves"), f"the shareholder vote of {v.date} approves")
        if v.portfolio is not None:
            yield from portfolio_ref(v.portfolio, _place(v.src, "portfolio"), f"the shareholder vote of {v.date}",
                                     ("approvals", v.approves))
        if v.share_class is not None and v.share_class not in classes and classes_complete:
            gap("approvals", v.approves)
            yield _finding(v.src.at("share_class"), f"the shareholder vote of {v.date} is by class "
                                                    f"{v.share_class}, which the trust does not have", v.approves)
    for r in trust.reports:
        if r.plan in docs and docs[r.plan].kind == "distribution-plan":
            continue
        yield from doc_ref(r.plan, _place(r.src, "plan"), f"the report for {r.period_end} plan", ("distribution-plan",),
                           ("reports", None))  # the report of some plan: which is unknown
