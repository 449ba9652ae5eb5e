"""The trust as typed, frozen objects built from schema-valid values; each knows where it is written.

An element that a schema error made unreadable is not built, but it is known to exist: the trust
keeps it as an ``Unreadable`` (where it is, what of it is readable) and lists it in ``gaps``, the
facts that are incomplete. Rules read the trust through lookups that record what they depend on
(``read``); the engine does not report a finding that depends on an incomplete fact.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Any

from .findings import Location
from .loader import SourceFile, escape, split_pointer
from .periods import Period, parse_date, parse_period
from .rates import Rate, parse_rate
from .schema import PRUNED, Pruned

AGREEMENT_KINDS = ("distribution-agreement", "management-agreement", "advisory-agreement")
ADVISORY_KINDS = ("management-agreement", "advisory-agreement")


class Src:
    """Where an object is written: its file and the path of its value there (the JSON pointer is
    built only when asked for: most objects never become a finding)."""

    __slots__ = ("file", "path")

    def __init__(self, file: SourceFile, pointer_or_path: str | tuple[str | int, ...] = ()) -> None:
        self.file = file
        self.path: tuple[str | int, ...] = (tuple(split_pointer(pointer_or_path))
                                            if isinstance(pointer_or_path, str) else pointer_or_path)

    @property
    def pointer(self) -> str:
        return "".join("/" + escape(s) for s in self.path)

    def child(self, *segments: str | int) -> Src:
        new = Src.__new__(Src)  # (one per fact of the trust: no pointer parsing)
        new.file, new.path = self.file, self.path + segments
        return new

    def at(self, *segments: str | int, key: bool = False) -> Location:
        """The location of this object, or of ``segments`` below it (its key with ``key=True``)."""
        target, source = self.child(*segments), self.file
        return Location(source.path, pointer=lambda: target.pointer,
                        find=lambda: source.locate(target.pointer, key=key))


@dataclass(frozen=True)
class Requirement:
    """A boolean tree over bodies: ``all_of``/``any_of`` of bodies or of further trees."""

    op: str  # "all_of" | "any_of" | "body"
    items: tuple[Requirement, ...] = ()
    body: str | None = None

    def __hash__(self) -> int:  # computed once: approvals are looked up by requirement, per vote
        known = self.__dict__.get("_hash")
        if known is None:
            known = self.__dict__["_hash"] = hash((self.op, self.items, self.body))
        return known  # type: ignore[no-any-return]

    def bodies(self) -> Iterator[str]:
        if self.body is not None:
            yield self.body
        for item in self.items:
            yield from item.bodies()

    def __str__(self) -> str:
        if self.body is not None:
            return self.body
        joiner = " and " if self.op == "all_of" else " or "
        return "(" + joiner.join(str(i) for i in self.items) + ")"

    def words(self) -> str:
        """``independent trustees or class shareholders``: the tree as a person reads it, without
        its outer parentheses."""
        text = str(self).replace("_", " ")
        return text[1:-1] if self.body is None and text.startswith("(") else text


def requirement(value: Any) -> Requirement | None:
    if isinstance(value, str):
        return Requirement("body", body=value)
    if isinstance(value, Mapping) and len(value) == 1:
        op, items = next(iter(value.items()))
        if op in ("all_of", "any_of") and isinstance(items, list):
            parsed = [requirement(i) for i in items]
            return Requirement(op, tuple(p for p in parsed if p is not None))
    return None


@dataclass(frozen=True, eq=False)
class Provision:
    """What a document says on one matter, with the section that says it."""

    name: str
    values: Mapping[str, Any]
    src: Src
    document: str = ""  # the title of the instrument that says it (a document or an amendment)

    @property
    def section(self) -> str | None:
        value = self.values.get("section")
        return None if value is None else str(value)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def sub(self, key: str) -> Provision | None:
        value = self.values.get(key)
        if not isinstance(value, Mapping):
            return None
        return Provision(f"{self.name}.{key}", value, self.src.child(key), self.document)

    def rate(self, key: str) -> Rate | None:
        value = self.values.get(key)
        return None if value is None else parse_rate(value)

    def period(self, key: str) -> Period | None:
        value = self.values.get(key)
        return None if value is None else parse_period(value)

    def date(self, key: str) -> date | None:
        value = self.values.get(key)
        return None if value is None else parse_date(value)

    def requirement(self, key: str = "requires") -> Requirement | None:
        return requirement(self.values.get(key))

    def at(self, key: str | None = None) -> Location:
        """The value of ``key``, or (without one) the provision's own key."""
        return self.src.at(key) if key is not None else self.src.at(key=True)


@dataclass(frozen=True, eq=False)
class Trustee:
    name: str
    independent: bool
    start: date | None
    end: date | None
    src: Src
    elected_by: str | None = None  # how the trustee was elected: "shareholders" or "board" (ICA §16(a))
    elected_on: date | None = None

    def in_office(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, eq=False)
class TrustName:
    name: str
    start: date | None
    end: date | None
    src: Src


@dataclass(frozen=True, eq=False)
class ShareClass:
    name: str
    plan: str | None
    distribution_agreement: str | None
    src: Src


@dataclass(frozen=True, eq=False)
class PortfolioClass:
    name: str
    distribution_fee: Rate | None
    offered: bool | None
    first_offered: date | None
    src: Src


@dataclass(frozen=True, eq=False)
class Portfolio:
    id: str
    name: str
    management_fee: Rate | None
    classes: Mapping[str, PortfolioClass]
    src: Src

    @property
    def title(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, eq=False)
class Amendment:
    id: str
    title: str
    document: str  # the id of the document it amends
    dated: date | None
    effective: date | None
    adds: tuple[str, ...]
    removes: tuple[str, ...]
    changes: Mapping[str, Any]
    fee_schedule: Mapping[str, Rate] | None
    section: str | None
    provisions: Mapping[str, Provision]
    src: Src

    @property
    def date(self) -> date | None:
        return self.effective or self.dated


@dataclass(frozen=True, eq=False)
class Predecessor:
    """The contract an interim contract replaces, when it is not among the trust's documents."""

    title: str
    terminated: date | None
    note: str | None
    src: Src


@dataclass(frozen=True, eq=False)
class Document:
    id: str
    kind: str
    title: str
    dated: date | None
    adopted: date | None
    effective: date | None
    terminated: date | None
    counterparty: str | None
    share_class: str | None
    related_plan: str | None
    schedule: tuple[str, ...]
    fee_schedule: Mapping[str, Rate]
    provisions: Mapping[str, Provision]
    amendments: tuple[Amendment, ...]
    interim: bool
    replaces: str | None
    designates: tuple[str, ...]
    no_12b1: tuple[str, ...]
    section: str | None
    raw: Mapping[str, Any]
    src: Src
    judged_on: date | None = None  # the day the trust is judged at: later amendments do not apply yet
    predecessor: Predecessor | None = None  # an interim contract's unrecorded predecessor (Rule 15a-4)
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)  # derived facts, by question

    @property
    def is_agreement(self) -> bool:
        return self.kind in AGREEMENT_KINDS

    @property
    def is_plan(self) -> bool:
        return self.kind == "distribution-plan"

    @property
    def start(self) -> date | None:
        """The date the document took effect, as the text gives it."""
        return self.adopted or self.effective or self.dated

    def ended_by(self, day: date) -> bool:
        """Whether the document had ended (``terminated``) on or before ``day``."""
        return self.terminated is not None and self.terminated <= day

    def in_force(self, day: date) -> bool:
        """Whether the document had taken effect (or gives no date) and not yet ended on ``day``."""
        return (self.start is None or self.start <= day) and not self.ended_by(day)

    @cached_property
    def amendments_in_order(self) -> tuple[Amendment, ...]:
        """The amendments by date (undated ones first, as of any day)."""
        return tuple(sorted(self.amendments, key=lambda a: a.date or date.min))

    def fee_schedule_on(self, day: date) -> Mapping[str, Rate]:
        """Schedule A's rates as amended by ``day`` (amendments in date order; undated ones apply)."""
        key = ("fee_schedule", day)
        if key not in self.memo:  # asked for each portfolio
            schedule = dict(self.fee_schedule)
            for amendment in self.amendments_in_order:
                if amendment.fee_schedule is not None and (amendment.date is None or amendment.date <= day):
                    schedule.update(amendment.fee_schedule)
            self.memo[key] = MappingProxyType(schedule)
        return self.memo[key]  # type: ignore[no-any-return]

    def provision(self, *path: str, on: date | None = None) -> Provision | None:
        """What the document says on a matter on ``on`` (default: the day the trust is judged at),
        as amended by then: an amendment's provision replaces the document's own
        (``doc.provision("termination", "by_fund")``)."""
        day = on or self.judged_on
        key = ("provision", path, day)
        if key in self.memo:  # asked many times per trust (by several rules, for each vote)
            return self.memo[key]  # type: ignore[no-any-return]
        prov = self.provisions.get(path[0])
        for amendment in self.amendments_in_order:
            if day is not None and amendment.date is not None and amendment.date > day:
                continue
            prov = amendment.provisions.get(path[0], prov)
        for step in path[1:]:
            if prov is None:
                break
            prov = prov.sub(step)
        self.memo[key] = prov
        return prov

    def missing_at(self) -> Location:
        """Where a missing provision is reported: the ``provisions:`` key, else the ``id``."""
        if "provisions" in self.raw:
            return self.src.at("provisions", key=True)
        return self.src.at("id")

    def has_date(self, field_name: str) -> bool:
        return field_name in self.raw


@dataclass(frozen=True, eq=False)
class Action:
    approves: str | None
    action: str
    ratifies: date | None
    portfolios: tuple[str, ...]
    votes_for: tuple[str, ...]
    against: tuple[str, ...]
    abstain: tuple[str, ...]
    src: Src
    effective: date | None = None  # when a continuance takes effect, where the minutes say (Rule 15a-2)


@dataclass(frozen=True, eq=False)
class Meeting:
    date: date
    in_person: bool
    relief: str | None
    called_for_purpose: bool
    actions: tuple[Action, ...]
    src: Src


@dataclass(frozen=True, eq=False)
class ShareholderVote:
    date: date
    approves: str
    action: str | None
    portfolio: str | None
    share_class: str | None
    votes_for: int
    against: int | None
    present: int | None
    outstanding: int
    src: Src


@dataclass(frozen=True, eq=False)
class Report:
    plan: str
    period_end: date
    reviewed: date | None
    src: Src


# The kinds of fact whose completeness a rule may depend on (``Trust.read``, ``Trust.complete``):
# each list of the format, ``approvals`` (the meeting actions and shareholder votes on one target),
# ``trust`` (a key of the root's ``trust:``: ``type``...) and ``names`` (``trust.names``).
FACT_KINDS = ("documents", "meetings", "approvals", "shareholder_votes", "trustees", "portfolios",
              "share_classes", "reports", "names", "trust")
EVERYTHING = "*"  # a gap in every kind a part may hold: a part file that could not be read at all
_ROOT_KINDS = ("trust", "names")  # written in the root file only (a part with `trust:` is a root)


@dataclass(frozen=True, eq=False)
class Unreadable:
    """An element a schema error made unreadable: it exists, but no rule judges what depends on it.

    ``kind`` is the list (or key) it is in (``documents``, ``meetings``...), ``key`` its id or name
    where that is readable, ``known`` its values without the wrong ones (a mapping, or ``None``)."""

    kind: str
    key: str | None
    known: Any
    src: Src

    def get(self, name: str) -> Any:
        """A readable value of the element (``None`` when it is wrong or not written)."""
        return self.known.get(name) if isinstance(self.known, dict) else None


Dependency = tuple[str, "str | None"]


class _Tracked(list):  # type: ignore[type-arg]
    """A list of facts with an unreadable element: reading it at all records the dependency."""

    __slots__ = ("_trust", "_kind")

    def __init__(self, items: Iterable[Any], trust: Trust, kind: str) -> None:
        super().__init__(items)
        self._trust, self._kind = trust, kind

    def __iter__(self) -> Iterator[Any]:
        self._trust.read(self._kind)
        return super().__iter__()

    def __len__(self) -> int:
        self._trust.read(self._kind)
        return super().__len__()

    def __getitem__(self, index: Any) -> Any:
        self._trust.read(self._kind)
        return super().__getitem__(index)

    def __contains__(self, item: object) -> bool:
        self._trust.read(self._kind)
        return super().__contains__(item)


class _TrackedDict(dict):  # type: ignore[type-arg]
    """A mapping of facts by key with an unreadable element: a lookup records the dependency on
    that key, a walk over it on the whole kind."""

    __slots__ = ("_trust", "_kind")

    def __init__(self, items: Mapping[Any, Any], trust: Trust, kind: str) -> None:
        super().__init__(items)
        self._trust, self._kind = trust, kind

    def get(self, key: Any, default: Any = None) -> Any:
        self._trust.read(self._kind, key if isinstance(key, str) else None)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self._trust.read(self._kind, key if isinstance(key, str) else None)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._trust.read(self._kind, key if isinstance(key, str) else None)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[Any]:
        self._trust.read(self._kind)
        return super().__iter__()

    def __len__(self) -> int:
        self._trust.read(self._kind)
        return super().__len__()

    def keys(self) -> Any:
        self._trust.read(self._kind)
        return super().keys()

    def values(self) -> Any:
        self._trust.read(self._kind)
        return super().values()

    def items(self) -> Any:
        self._trust.read(self._kind)
        return super().items()


@dataclass(eq=False)
class Trust:
    """One trust: the root file and its parts, joined.

    ``unreadable`` lists the elements that schema errors made unreadable, and ``gaps`` maps each
    kind of fact (``FACT_KINDS``) to the keys that are incomplete (``None``: an element whose key is
    not readable either). While the engine runs a rule, ``read`` records what the rule depends on;
    the lists and lookups of a trust with gaps record it themselves.
    """

    name: str
    type: str | None
    root: SourceFile
    files: list[SourceFile]
    as_of: date | None = None
    policy: str | None = None
    names: list[TrustName] = field(default_factory=list)
    trustees: list[Trustee] = field(default_factory=list)
    share_classes: dict[str, ShareClass] = field(default_factory=dict)
    portfolios: list[Portfolio] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    shareholder_votes: list[ShareholderVote] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    pruned_ids: set[str] = field(default_factory=set)
    unreadable: list[Unreadable] = field(default_factory=list)
    gaps: dict[str, set[str | None]] = field(default_factory=dict)
    cache: dict[str, dict[Any, Any]] = field(default_factory=dict, repr=False)  # per-trust memo of derived facts
    _frames: list[set[Dependency]] = field(default_factory=list, repr=False)  # what the running rule read
    _seen: set[Dependency] = field(default_factory=set, repr=False)  # all it read, for the engine
    _quiet: int = field(default=0, repr=False)

    @property
    def src(self) -> Src:
        return Src(self.root, "")

    # --- completeness -------------------------------------------------------------------------
    def complete(self, kind: str, key: str | None = None) -> bool:
        """Whether every fact of ``kind`` (with ``key``: every fact of that kind about ``key``, such
        as the approvals of one document) was readable."""
        if not self.gaps:
            return True
        if EVERYTHING in self.gaps and kind not in _ROOT_KINDS:
            return False
        missing = self.gaps.get(kind)
        if not missing:
            return True
        return key is not None and key not in missing and None not in missing

    def read(self, kind: str, key: str | None = None) -> None:
        """Record that what the running rule is working out depends on the facts of ``kind`` (about
        ``key``). Free when the trust has no gaps; the engine withholds a finding whose
        dependencies are incomplete."""
        if self.gaps and self._frames and not self._quiet:
            self._frames[-1].add((kind, key))
            self._seen.add((kind, key))

    def judgeable(self, dependencies: Iterable[Dependency]) -> bool:
        return all(self.complete(kind, key) for kind, key in dependencies)

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Reads inside are the model's own bookkeeping (building an index), not a rule's."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def remember(self, name: str, key: Any, compute: Any) -> Any:
        """``compute()``, memoised per trust under ``name`` and ``key``; what it read is recorded
        again on every later call, as if it were computed anew."""
        cache = self.cache.setdefault(name, {})
        if not self.gaps:
            if key not in cache:
                cache[key] = compute()
            return cache[key]
        if key not in cache:
            self._frames.append(set())
            try:
                value = compute()
            finally:
                reads = self._frames.pop()
            cache[key] = (value, reads)
        value, reads = cache[key]
        if self._frames and not self._quiet:
            self._frames[-1].update(reads)
            self._seen.update(reads)
        return value

    # --- what the running rule depends on (the engine and RuleContext.judging) ------------------
    def begin_rule(self) -> None:
        self._frames, self._seen = [set()], set()

    def end_rule(self) -> set[Dependency]:
        """Stop recording; return everything the rule read."""
        seen, self._frames, self._seen = self._seen, [], set()
        return seen

    def open_judgement(self) -> None:
        self._frames.append(set())

    def close_judgement(self) -> None:
        if len(self._frames) > 1:
            self._frames.pop()

    def dependencies(self) -> set[Dependency]:
        """What a finding yielded now rests on: the reads of the open judgements (``ctx.judging``),
        or, outside any, everything the rule has read so far."""
        if len(self._frames) > 1:
            return set().union(*self._frames[1:])
        return set(self._frames[0]) if self._frames else set()

    def inside_unreadable(self, file: str, pointer: str, subject: str | None = None) -> bool:
        """Whether a place (or a subject: an id, a name) is an unreadable element or inside one."""
        for element in self.unreadable:
            if subject is not None and element.key == subject:
                return True
            if element.src.file.path == file:
                where = element.src.pointer
                if pointer == where or pointer.startswith(where + "/"):
                    return True
        return False

    def _index(self, built: dict[str, Any], kind: str) -> dict[str, Any]:
        return _TrackedDict(built, self, kind) if self.gaps else built

    @property
    def is_open_end(self) -> bool:
        """Rule 12b-1 and ICA §15(b)(2) bind open-end companies; a trust that does not say is taken
        to be open-end (the usual case for a fund with share classes and 12b-1 plans)."""
        self.read("trust", "type")
        return self.type != "closed-end"

    @cached_property
    def documents_by_id(self) -> dict[str, Document]:
        with self.quietly():
            return self._index(_first({d.id: d for d in reversed(self.documents)}), "documents")

    @cached_property
    def amendments_by_id(self) -> dict[str, Amendment]:
        with self.quietly():
            return self._index(_first({a.id: a for d in reversed(self.documents) for a in reversed(d.amendments)}),
                               "documents")

    @cached_property
    def portfolios_by_id(self) -> dict[str, Portfolio]:
        with self.quietly():
            return self._index(_first({p.id: p for p in reversed(self.portfolios)}), "portfolios")

    @cached_property
    def trustees_by_name(self) -> dict[str, Trustee]:
        with self.quietly():
            return self._index(_first({t.name: t for t in reversed(self.trustees)}), "trustees")

    def document(self, doc_id: str | None) -> Document | None:
        return None if doc_id is None else self.documents_by_id.get(doc_id)

    def reports_for(self, plan_id: str) -> list[Report]:
        """The reports recorded on one plan."""
        self.read("reports", plan_id)
        with self.quietly():
            return [r for r in self.reports if r.plan == plan_id]

    def agreements(self) -> list[Document]:
        return [d for d in self.documents if d.is_agreement]

    def plans(self) -> list[Document]:
        return [d for d in self.documents if d.is_plan]

    def plan_for_class(self, share_class: str) -> Document | None:
        entry = self.share_classes.get(share_class)
        if entry is not None and entry.plan is not None:
            return self.document(entry.plan)
        for doc in self.plans():  # (records a dependency on every document: any could be its plan)
            if doc.share_class == share_class:
                return doc
        return None

    def related_plans(self, agreement: Document) -> list[Document]:
        """The 12b-1 plans an agreement implements: its ``related_plan``, or share classes naming it."""
        plans = []
        if agreement.related_plan and (plan := self.document(agreement.related_plan)) is not None:
            plans.append(plan)
        if agreement.kind != "distribution-agreement":
            return plans  # only a distribution agreement is named by a class (`reference` says so)
        for entry in self.share_classes.values():
            if entry.distribution_agreement == agreement.id and entry.plan:
                plan = self.document(entry.plan)
                if plan is not None and plan not in plans:
                    plans.append(plan)
        return plans

    def requiring_plan(self, agreement: Document, *path: str) -> tuple[Document | None, str | None]:
        """The plan that requires a clause of a related agreement, and its section for the clause
        (``trust.requiring_plan(doc, "related_agreements", "termination")`` -> plan, "7(a)")."""
        for plan in self.related_plans(agreement):
            prov = plan.provision(*path)
            return plan, prov.section if prov is not None else None
        return None, None

    def first_approval(self, doc_id: str) -> date | None:
        """The date of the earliest recorded `initial` approval of a document."""
        dates = [m.date for m, a in self.actions_by_target.get(doc_id, ()) if a.action == "initial"]
        return min(dates) if dates else None

    @cached_property
    def actions_by_target(self) -> dict[str, list[tuple[Meeting, Action]]]:
        """The meeting actions on each document or amendment (a lookup depends on the `approvals`
        of that target)."""
        out: dict[str, list[tuple[Meeting, Action]]] = {}
        with self.quietly():
            for meeting in self.meetings:
                for action in meeting.actions:
                    if action.approves:
                        out.setdefault(action.approves, []).append((meeting, action))
        return self._index(out, "approvals")

    @cached_property
    def votes_by_target(self) -> dict[str, list[ShareholderVote]]:
        """The shareholder votes on each document or amendment (as ``actions_by_target``)."""
        out: dict[str, list[ShareholderVote]] = {}
        with self.quietly():
            for vote in self.shareholder_votes:
                out.setdefault(vote.approves, []).append(vote)
        return self._index(out, "approvals")


def _first(by_key_reversed: dict[str, Any]) -> dict[str, Any]:
    """An index built from a reversed list keeps each key's first element (a duplicate id is a
    `reference` finding that names the first as the one in force); restore the list order."""
    return dict(reversed(list(by_key_reversed.items())))


# --- building ---------------------------------------------------------------------------------

def _d(value: Any) -> date | None:
    try:
        return None if value is None else parse_date(value)
    except ValueError:
        return None


def _r(value: Any) -> Rate | None:
    try:
        return None if value is None else parse_rate(value)
    except ValueError:
        return None


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _items(data: Mapping[str, Any], key: str) -> Iterator[tuple[int, Any]]:
    value = data.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if item is not PRUNED and isinstance(item, dict):
                yield index, item


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(map(str, value)) if isinstance(value, list) else ()


def file_settings(root: SourceFile) -> tuple[date | None, str | None]:
    """The root file's own ``as_of`` and ``policy``."""
    data = root.data if isinstance(root.data, dict) else {}
    return _d(data.get("as_of")), _s(data.get("policy"))


def build_trust(root: SourceFile, parts: list[SourceFile], judged_on: date | None = None,
                unread: Iterable[SourceFile] = (), gaps: Mapping[str, set[str | None]] | None = None) -> Trust:
    """Join a root file and its parts into one ``Trust`` as it stands on ``judged_on``;
    schema-invalid elements are already gone, and become the trust's ``unreadable`` elements and
    ``gaps``. ``unread`` are part files that could not be read at all: every kind of fact has a gap.
    ``gaps`` are further facts known to be unknown (those a reference that points nowhere leaves).
    (The loader gives plain dicts and lists: they are tested as such, which is several times faster
    than asking ``Mapping``.)"""
    data = root.data if isinstance(root.data, dict) else {}
    info = data.get("trust") if isinstance(data.get("trust"), dict) else {}
    as_of, policy = file_settings(root)
    trust = Trust(name=str(info.get("name") or root.path), type=_s(info.get("type")), root=root,
                  files=[root, *parts], as_of=as_of, policy=policy)
    base = Src(root, "")
    for index, item in _items(info, "names"):
        trust.names.append(TrustName(str(item["name"]), _d(item.get("from")), _d(item.get("until")),
                                     base.child("trust", "names", index)))
    classes = data.get("share_classes")
    if isinstance(classes, dict):
        for name, entry in classes.items():
            entry = entry if isinstance(entry, dict) else {}
            trust.share_classes[str(name)] = ShareClass(
                str(name), _s(entry.get("plan")), _s(entry.get("distribution_agreement")),
                base.child("share_classes", name))
    for src_file in trust.files:
        trust.pruned_ids |= src_file.pruned_ids
        part = src_file.data if isinstance(src_file.data, dict) else {}
        _add_lists(trust, part, Src(src_file, ""), judged_on)
        if not isinstance(src_file.data, dict):
            trust.gaps.setdefault(EVERYTHING, set()).add(None)
        for pruned in src_file.pruned:
            _add_unreadable(trust, pruned, Src(src_file, pruned.path))
    if any(True for _ in unread):
        trust.gaps.setdefault(EVERYTHING, set()).add(None)
    for kind, keys in (gaps or {}).items():
        trust.gaps.setdefault(kind, set()).update(keys)
    if trust.gaps:
        _track(trust)
    return trust


_LIST_KINDS = ("documents", "meetings", "shareholder_votes", "trustees", "portfolios", "reports")


def _add_unreadable(trust: Trust, pruned: Pruned, src: Src) -> None:
    """Know an element a schema error removed, and the gaps it leaves."""
    head = pruned.path[0]
    known = pruned.readable()
    gaps = trust.gaps

    def gap(kind: str, key: Any) -> None:
        gaps.setdefault(kind, set()).add(key if isinstance(key, str) else None)

    def targets(value: Any) -> None:
        """The approvals an unreadable meeting or vote may have been on."""
        if not isinstance(value, dict):
            gap("approvals", None)
        elif head == "shareholder_votes":
            gap("approvals", value.get("approves"))
        elif any(len(e) == 1 for e in pruned.unknown):
            gap("approvals", None)  # a key the format does not have: it may have been `actions`
        elif "actions" in value or (isinstance(pruned.value, dict) and "actions" in pruned.value):
            actions = value.get("actions")
            for action in actions if isinstance(actions, list) else (None,):
                gap("approvals", action.get("approves") if isinstance(action, dict) else None)

    if head == "trust":
        if len(pruned.path) > 1 and pruned.path[1] == "names":
            kind, key = "names", None
        else:
            kind, key = "trust", pruned.path[1] if len(pruned.path) > 1 else None
            if key is None:
                gap("names", None)
        gap(kind, key)
    elif head == "share_classes":
        kind, key = "share_classes", pruned.path[1] if len(pruned.path) > 1 else None
        gap(kind, key)
    elif head in _LIST_KINDS:
        kind = str(head)
        if len(pruned.path) == 1:  # the whole list is wrong
            key = None
            gap(kind, None)
            if head in ("meetings", "shareholder_votes"):
                gap("approvals", None)
        else:
            name = {"trustees": "name", "reports": "plan"}.get(kind, "id")
            key = known.get(name) if isinstance(known, dict) and isinstance(known.get(name), str) else None
            gap(kind, key)
            if head == "documents":
                amendments = known.get("amendments") if isinstance(known, dict) else None
                for amendment in amendments if isinstance(amendments, list) else ():
                    gap("documents", amendment.get("id") if isinstance(amendment, dict) else None)
                if isinstance(pruned.value, dict) and "amendments" in pruned.value \
                        and not isinstance(amendments, list):
                    gap("documents", None)
            if head in ("meetings", "shareholder_votes"):
                targets(known)
    elif head == "include":
        kind, key = "include", None
        gap(EVERYTHING, None)  # the parts it names may be missing: nothing is known to be complete
    elif head in ("format", "as_of", "policy"):
        return  # `format`: the rest is still read; `as_of` and `policy` are the engine's
    else:  # a key the format does not have, at the top of a file: it may have been any list
        kind, key = str(head), None
        gap(EVERYTHING, None)
    trust.unreadable.append(Unreadable(kind, key, known, src))


def _track(trust: Trust) -> None:
    """Give the lists and lookups of a trust with gaps the power to record what rules read."""
    for kind in _LIST_KINDS:
        setattr(trust, kind, _Tracked(getattr(trust, kind), trust, kind))
    trust.names = _Tracked(trust.names, trust, "names")
    trust.share_classes = _TrackedDict(trust.share_classes, trust, "share_classes")


def _add_lists(trust: Trust, data: Mapping[str, Any], base: Src, judged_on: date | None) -> None:
    for i, item in _items(data, "trustees"):
        elected = item.get("elected") if isinstance(item.get("elected"), dict) else {}
        trust.trustees.append(Trustee(str(item["name"]), bool(item.get("independent", False)),
                                      _d(item.get("from")), _d(item.get("until")), base.child("trustees", i),
                                      _s(elected.get("by")), _d(elected.get("on"))))
    for i, item in _items(data, "portfolios"):
        src = base.child("portfolios", i)
        classes = {}
        raw_classes = item.get("classes")
        if isinstance(raw_classes, dict):
            for name, entry in raw_classes.items():
                entry = entry if isinstance(entry, dict) else {}
                offered = entry.get("offered")
                classes[str(name)] = PortfolioClass(
                    str(name), _r(entry.get("distribution_fee")),
                    offered if isinstance(offered, bool) else None,
                    _d(entry.get("first_offered")), src.child("classes", name))
        trust.portfolios.append(Portfolio(str(item["id"]), str(item.get("name") or ""),
                                          _r(item.get("management_fee")), classes, src))
    for i, item in _items(data, "documents"):
        trust.documents.append(_document(item, base.child("documents", i), judged_on))
    for i, item in _items(data, "meetings"):
        src = base.child("meetings", i)
        actions = tuple(
            Action(_s(a.get("approves")), str(a.get("action")), _d(a.get("ratifies")),
                   _strings(a.get("portfolios")), _strings(a.get("for")), _strings(a.get("against")),
                   _strings(a.get("abstain")), src.child("actions", j), _d(a.get("effective")))
            for j, a in _items(item, "actions"))
        trust.meetings.append(Meeting(parse_date(item["date"]), bool(item.get("in_person", False)),
                                      _s(item.get("relief")), bool(item.get("called_for_purpose", False)),
                                      actions, src))
    for i, item in _items(data, "shareholder_votes"):
        trust.shareholder_votes.append(ShareholderVote(
            parse_date(item["date"]), str(item["approves"]), _s(item.get("action")),
            _s(item.get("portfolio")), _s(item.get("share_class")), int(item["for"]),
            item.get("against"), item.get("present"), int(item["outstanding"]),
            base.child("shareholder_votes", i)))
    for i, item in _items(data, "reports"):
        trust.reports.append(Report(str(item["plan"]), parse_date(item["period_end"]),
                                    _d(item.get("reviewed")), base.child("reports", i)))


def _provisions(item: Mapping[str, Any], src: Src, title: str) -> dict[str, Provision]:
    raw = item.get("provisions")
    if not isinstance(raw, dict):
        return {}
    return {name: Provision(name, value, src.child("provisions", name), title)
            for name, value in raw.items() if isinstance(value, dict)}


def _document(item: Mapping[str, Any], src: Src, judged_on: date | None = None) -> Document:
    doc_id = str(item["id"])
    title = str(item["title"])
    provisions = _provisions(item, src, title)
    amendments = tuple(
        Amendment(str(a["id"]), str(a.get("title") or a["id"]), doc_id, _d(a.get("dated")),
                  _d(a.get("effective")), _strings(a.get("adds")), _strings(a.get("removes")),
                  a.get("changes") if isinstance(a.get("changes"), dict) else {},
                  {str(k): r for k, v in a["fee_schedule"].items() if (r := _r(v)) is not None}
                  if isinstance(a.get("fee_schedule"), dict) else None,
                  _s(a.get("section")),
                  _provisions(a, src.child("amendments", j), f"{a.get('title') or a['id']} to the {title}"),
                  src.child("amendments", j))
        for j, a in _items(item, "amendments"))
    fees = item.get("fee_schedule")
    pred = item.get("predecessor")
    predecessor = (Predecessor(str(pred.get("title") or ""), _d(pred.get("terminated")), _s(pred.get("note")),
                               src.child("predecessor")) if isinstance(pred, dict) else None)
    return Document(
        id=doc_id, kind=str(item["kind"]), title=title, dated=_d(item.get("dated")),
        adopted=_d(item.get("adopted")), effective=_d(item.get("effective")),
        terminated=_d(item.get("terminated")), counterparty=_s(item.get("counterparty")),
        share_class=_s(item.get("share_class")), related_plan=_s(item.get("related_plan")),
        schedule=_strings(item.get("schedule")),
        fee_schedule={str(k): r for k, v in fees.items() if (r := _r(v)) is not None}
        if isinstance(fees, dict) else {},
        provisions=provisions, amendments=amendments, interim=bool(item.get("interim", False)),
        replaces=_s(item.get("replaces")), designates=_strings(item.get("designates")),
        no_12b1=_strings(item.get("no_12b1")), section=_s(item.get("section")), raw=item, src=src,
        judged_on=judged_on, predecessor=predecessor)
