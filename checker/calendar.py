"""What falls due: each trust's dated obligations over a date range, or a board meeting's agenda.

Every date comes from ``timing.py``, the model the rules judge with (a rule asks whether a date
has passed; the calendar asks when it falls). Each trust is loaded and checked as ``check`` does,
with the timing rules only (``annual-continuance``, ``quarterly-reports``, ``interim-contract``,
``name-cessation``, as far as its policy pack enables them, with the pack's parameters); the
obligations are then read from the model. Reporters (``reporters/calendar.py``,
``reporters/ics.py``) write them; none computes a date.

Obligations: a plan's or agreement's continuance (the first one: its initial term ending), each
quarterly report to review, an interim contract's Rule 15a-4 deadline, the end of the use of the
adviser's name after an agreement ended, and the ratification of a vote taken under SEC relief at
the next in-person meeting. Those already lapsed at the start of the range are ``overdue`` and
come first.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .approvals import Requirements
from .engine import Checker, Options
from .findings import Finding, where
from .model import Document, Requirement, Trust
from .paths import forget as forget_paths
from .rules import RuleContext
from . import timing

TIMING_RULES = ("annual-continuance", "quarterly-reports", "interim-contract", "name-cessation", "board-composition")
INPUT_ERRORS = ("parse-error", "schema", "reference", "plugin-error")
KINDS = ("continuance", "initial-term", "quarterly-report", "interim-term", "name-cessation", "ratification",
         "shareholder-meeting")

_BODY = {
    "trustees": "the board",
    "independent_trustees": "a majority of the independent trustees",
    "shareholders": "the shareholders (a majority of the outstanding voting securities)",
    "class_shareholders": "the shareholders of the class (a majority of its outstanding voting securities)",
}


def who(need: Requirements | None) -> str:
    """The bodies of a requirement in words: "the board and a majority of the independent
    trustees, in person, at a meeting called for the purpose"."""
    if need is None:
        return "the board"
    words = _words(need.tree)
    if need.in_person:
        words += ", in person"
    if need.called_for_purpose:
        words += ", at a meeting called for the purpose"
    return words


def _words(req: Requirement) -> str:
    """``the board or the shareholders, and a majority of the independent trustees``: a nested
    group is set off by a comma."""
    if req.body is not None:
        return _BODY.get(req.body, req.body)
    parts = [_words(item) for item in req.items]
    if not parts:
        return "the board"
    joiner = "and" if req.op == "all_of" else "or"
    if len(parts) > 1 and any(" or " in p or " and " in p for p in parts[:-1]):
        return ", ".join(parts[:-1]) + f", {joiner} " + parts[-1]
    return f" {joiner} ".join(parts)


@dataclass(frozen=True)
class Obligation:
    """One dated thing that must happen, with where it comes from and who must do it."""

    date: date
    kind: str  # one of KINDS
    trust: str
    document_id: str
    document: str  # the document's title (or the amendment's that states the provision)
    section: str | None
    what: str  # what must happen, one sentence
    who: str  # the bodies that must act, in words
    authority: str | None
    file: str
    line: int
    rule: str  # the rule that judges it (and reports it once it has lapsed)
    overdue: bool = False  # already lapsed at the start of the range
    window_opens: date | None = None  # the first day it may be done (Rule 15a-2: 90 days before)
    projected: bool = False  # a later due date, on the assumption that each before it is met on time
    key: str = ""  # what tells it apart within its document (a period's end, a cycle number)
    root: str = ""  # the trust's root file, where two trusts of the run share a name (else "")

    @property
    def uid(self) -> str:
        """Stable across runs and edits: trust, document, kind and key (re-importing an .ics updates
        the event instead of duplicating it); the root file tells apart two trusts of one name."""
        parts = (self.trust, self.document_id, self.kind, self.key) + ((self.root,) if self.root else ())
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
        return f"{digest}@mist-check"

    @property
    def cited(self) -> str:
        """``Management Agreement §9; Investment Company Act of 1940 §15(a)(2)``."""
        return "; ".join(p for p in (where(self.document, self.section), self.authority or "") if p)

    def sort_key(self) -> tuple[Any, ...]:
        return (not self.overdue, self.date, self.trust, self.document, KINDS.index(self.kind), self.key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(), "kind": self.kind, "overdue": self.overdue,
            "projected": self.projected,
            "window_opens": self.window_opens.isoformat() if self.window_opens else None,
            "trust": self.trust, "document_id": self.document_id, "document": self.document,
            "section": self.section, "what": self.what, "who": self.who, "authority": self.authority,
            "rule": self.rule, "file": self.file, "line": self.line, "uid": self.uid,
        }


@dataclass(frozen=True)
class TrustInfo:
    root: str
    name: str
    policy: str
    as_of: date | None
    input_errors: int  # parse-error, schema, reference, plugin-error findings: what they hide is not listed
    error: str | None = None


@dataclass
class Agenda:
    """A board meeting's agenda: what must be approved there, reports to review, what may be voted
    early inside its window, and the rest that falls due before the next meeting."""

    meeting: date
    next_meeting: date
    approve: list[Obligation] = field(default_factory=list)
    reports: list[Obligation] = field(default_factory=list)
    early: list[Obligation] = field(default_factory=list)
    other: list[Obligation] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[Obligation]]]:
        return [("To approve (due before the next meeting, or overdue)", self.approve),
                ("Reports to review", self.reports),
                ("May be approved early (inside the window)", self.early),
                ("Also falling due before the next meeting", self.other)]


@dataclass
class CalendarResult:
    start: date
    end: date
    obligations: list[Obligation]
    trusts: list[TrustInfo]
    findings: list[Finding]  # the timing rules' findings, as `check` reports them (the agreement test)
    agenda: Agenda | None = None
    alarm_days: int = 30

    @property
    def errors(self) -> list[str]:
        return [f"{t.root}: {t.error}" for t in self.trusts if t.error]

    @property
    def incomplete(self) -> list[TrustInfo]:
        return [t for t in self.trusts if t.input_errors]


# --- obligations of one trust ---------------------------------------------------------------------

def _location(at: Any) -> tuple[str, int]:
    return at.file, at.line


def _short(reference: str | None) -> str | None:
    """``Rule 15a-2`` from a parameter's reference ``Rule 15a-2 (a continuance approved ...)``."""
    return reference.split(" (", 1)[0] if reference else None


def obligations(trust: Trust, contexts: dict[str, RuleContext], start: date, end: date) -> list[Obligation]:
    """The obligations of ``trust`` that fall due from ``start`` to ``end``, and those overdue at
    ``start``; ``contexts`` holds the timing rules' contexts (judged at ``start``)."""
    out: list[Obligation] = []
    if "annual-continuance" in contexts:
        out += _continuances(trust, contexts["annual-continuance"], start, end)
        out += _ratifications(trust, contexts["annual-continuance"], start)
    if "quarterly-reports" in contexts:
        out += _reports(trust, contexts["quarterly-reports"], start, end)
    if "interim-contract" in contexts:
        out += _interims(trust, contexts["interim-contract"], start, end)
    if "name-cessation" in contexts:
        out += _names(trust, contexts["name-cessation"], start, end)
    if "board-composition" in contexts:
        out += _shareholder_meetings(trust, contexts["board-composition"], start, end)
    return out


def _continuances(trust: Trust, ctx: RuleContext, start: date, end: date) -> Iterator[Obligation]:
    from mist_check.plugins.annual_continuance import _authority  # the rule's own citation

    for doc in trust.documents:
        timeline = timing.continuance(trust, doc, ctx.params, ctx.majorities, start)
        if timeline is None:
            continue
        prov = timeline.provision
        file, line = _location(prov.at() if prov is not None else doc.missing_at())
        authority = _authority(ctx, doc)
        if timeline.contract:
            authority = "; ".join(a for a in (authority, _short(ctx.reference("early_vote_window"))) if a)
        bodies = who(timeline.need)
        cycle = sum(1 for v in timeline.votes if v.valid)
        # once lapsed, the next due date depends on the day of the late vote: nothing is projected
        later = [] if timeline.lapsed(start) else [(d, True) for d in timeline.projected(end)]
        dues = [(timeline.due, False), *later]
        for n, (due, projected) in enumerate(dues):
            overdue = not projected and timeline.lapsed(start)
            if not overdue and due > end:
                continue
            if not overdue and due < start:
                continue
            initial = timeline.in_initial_term and n == 0
            kind = "initial-term" if initial and doc.is_agreement else "continuance"
            if overdue:
                what = f"continue the {doc.title}: its continuance was due by {due} and it has lapsed since"
            elif initial and doc.is_agreement:
                what = f"continue the {doc.title} before its initial term ends on {due}"
            else:
                what = f"continue the {doc.title} ({timeline.period} from the previous continuance)"
            opens = timing.window_opens(due, timeline.window) if timeline.window is not None else None
            out = Obligation(due, kind, trust.name, doc.id, prov.document if prov else doc.title,
                             prov.section if prov else None, what, bodies, authority, file, line,
                             "annual-continuance", overdue, opens, projected, f"cycle-{cycle + n}")
            yield out


def _ratifications(trust: Trust, ctx: RuleContext, start: date) -> Iterator[Obligation]:
    """Votes under SEC relief awaiting ratification at the next in-person meeting."""
    from .approvals import ratification, requirements

    for meeting in trust.meetings:
        if meeting.in_person or not meeting.relief or meeting.date > start:
            continue
        for action in meeting.actions:
            doc = trust.document(action.approves)
            if doc is None or action.action == "ratification":
                continue
            need = requirements(doc, action.action, None, ctx.params)
            if need is None or not need.in_person:
                continue
            status, _ = ratification(trust, meeting, action, start, need, ctx.majorities)
            if status != "pending":
                continue
            file, line = _location(action.src.at("approves"))
            yield Obligation(start, "ratification", trust.name, doc.id, doc.title, None,
                             f"ratify, at the next in-person meeting, the {action.action} of the {doc.title} "
                             f"voted on {meeting.date} under SEC relief ({meeting.relief})",
                             who(Requirements(need.tree, True, False, need.source)),
                             ctx.authority_for("default"), file, line, "annual-continuance",
                             key=f"{meeting.date}-{action.action}")


def _reports(trust: Trust, ctx: RuleContext, start: date, end: date) -> Iterator[Obligation]:
    for plan in trust.plans():
        schedule = timing.report_schedule(trust, plan, ctx.params, start, until=end)
        if schedule is None:
            continue
        file, line = _location(schedule.provision.at())
        authority = ctx.authority_for("default")
        reviewers = "the board (the trustees review the report)"
        missing = schedule.missing(start)
        if missing:  # one obligation for the plan, as the rule reports one finding listing them
            ends = [d.period_end for d in missing]
            listed = ", ".join(map(str, ends[:4])) + (f" and {len(ends) - 4} more" if len(ends) > 4 else "")
            yield Obligation(missing[0].deadline, "quarterly-report", trust.name, plan.id,
                             schedule.provision.document, schedule.provision.section,
                             f"review the written reports on the {plan.title}'s spending for the {len(ends)} "
                             f"period{'s' if len(ends) > 1 else ''} ending {listed}: none was reviewed in time",
                             reviewers, authority, file, line, "quarterly-reports", True, key="overdue")
        for due in schedule.periods:
            if due.reviewed_in_time() or due.late(start) is not None or due.missing(start):
                continue  # done (a late review is history: the rule's `late` warning), or overdue above
            if not start <= due.deadline <= end:
                continue
            yield Obligation(due.deadline, "quarterly-report", trust.name, plan.id, schedule.provision.document,
                             schedule.provision.section,
                             f"review the written report on the {plan.title}'s spending for the period ending "
                             f"{due.period_end}", reviewers, authority, file, line, "quarterly-reports", False,
                             due.period_end + timedelta(days=1), key=due.period_end.isoformat())


def _interims(trust: Trust, ctx: RuleContext, start: date, end: date) -> Iterator[Obligation]:
    for doc in trust.documents:
        try:
            term = timing.interim_term(trust, doc, ctx.params, ctx.majorities, start)
        except (OverflowError, ValueError):
            continue
        if term is None or term.ended_in_time() or term.approved_in_time():
            continue
        overdue = term.overdue(start)
        if not overdue and not (start <= term.deadline <= end):
            continue
        file, line = _location(doc.src.at("interim"))
        yield Obligation(term.deadline, "interim-term", trust.name, doc.id, doc.title, None,
                         f"have the shareholders approve a new advisory contract, or end the {doc.title}: its "
                         f"{ctx.params['max_duration']} from the end of the {term.predecessor} on "
                         f"{term.predecessor_ended} run out", _BODY["shareholders"],
                         ctx.authority_for("default"), file, line, "interim-contract", overdue,
                         term.predecessor_ended, key="term")


def _names(trust: Trust, ctx: RuleContext, start: date, end: date) -> Iterator[Obligation]:
    from mist_check.plugins.name_cessation import _written

    limit = ctx.params["period"]
    for doc in trust.documents:
        clause = doc.provision("name_use")
        if clause is None or doc.terminated is None:
            continue
        period = clause.period("cease_within")
        if period is None or period.nominal_days > limit.nominal_days:
            period = limit  # as the rule judges it
        deadline = timing.name_deadline(doc, period)
        if deadline is None:
            continue
        covered = set(clause.get("names") or ())
        for name in trust.names:
            if name.name not in covered or (name.end is not None and name.end <= deadline):
                continue
            overdue = doc.ended_by(start) and start > deadline
            if not overdue and not (start <= deadline <= end):
                continue
            at = name.src.at("until") if _written(name.src.file.data, name.src.pointer, "until") \
                else name.src.at("name")
            file, line = _location(at)
            yield Obligation(deadline, "name-cessation", trust.name, doc.id, clause.document, clause.section,
                             f"stop using the name {name.name!r} ({period} after the {doc.title} ended on "
                             f"{doc.terminated})", "the trust", ctx.authority_for("default"), file, line,
                             "name-cessation", overdue, doc.terminated, key=name.name)


def _shareholder_meetings(trust: Trust, ctx: RuleContext, start: date, end: date) -> Iterator[Obligation]:
    """ICA §16(a): the shareholders' meeting to elect trustees, once no more than half of the
    trustees in office were elected by the shareholders (board-composition's own reckoning)."""
    from mist_check.plugins.board_composition import shareholder_meetings

    for due in shareholder_meetings(trust, ctx):
        overdue = due.overdue(start)
        if not overdue and not (start <= due.due <= end):
            continue  # held late and cured since, or beyond the range
        b = due.board
        file, line = _location(due.at)
        yield Obligation(due.due, "shareholder-meeting", trust.name, "", "the board of trustees", None,
                         f"hold a shareholders' meeting to elect trustees: since {due.start} ({due.cause}) only "
                         f"{b.by_shareholders} of the {b.members} trustees in office had been elected by the "
                         f"shareholders ({due.period} to hold it)", "the board (it calls the meeting)",
                         ctx.authority_for("elected"), file, line, "board-composition", overdue, due.start,
                         key=str(due.start))


# --- agenda ---------------------------------------------------------------------------------------

def agenda(items: Iterable[Obligation], meeting: date, next_meeting: date) -> Agenda:
    """Sort obligations (judged at ``meeting``) into a meeting's agenda."""
    out = Agenda(meeting, next_meeting)
    for item in sorted(items, key=Obligation.sort_key):
        before_next = item.overdue or item.date < next_meeting
        if item.kind in ("continuance", "initial-term"):
            if before_next and not item.projected:
                out.approve.append(item)
            elif item.window_opens is not None and item.window_opens <= meeting <= item.date and not item.projected:
                out.early.append(item)
        elif item.kind == "quarterly-report":
            if item.overdue or (item.window_opens is not None and item.window_opens <= meeting):
                out.reports.append(item)  # the period has ended: its report can be reviewed now
        elif item.kind == "ratification":
            out.approve.append(item)
        elif before_next:
            out.other.append(item)
    return out


# --- the run ----------------------------------------------------------------------------------------

def run_calendar(options: Options, start: date | None, end: date | None, days: int,
                 meeting: date | None = None, next_meeting: date | None = None,
                 alarm_days: int = 30) -> CalendarResult:
    """Load and check every trust the paths lead to (timing rules only), and list its obligations
    from ``start`` (default: each trust's ``as_of``, else today) to ``end`` (default ``days`` later)."""
    from .engine import _fewer_collections

    with _fewer_collections():  # as `check` loads: see engine._fewer_collections
        return _run_calendar(options, start, end, days, meeting, next_meeting, alarm_days)


def _run_calendar(options: Options, start: date | None, end: date | None, days: int,
                  meeting: date | None, next_meeting: date | None, alarm_days: int) -> CalendarResult:
    from .periods import Period

    if meeting is not None:
        start = meeting
        next_meeting = next_meeting or Period(3, "month").after(meeting)
        # items due after the next meeting may be voted early at this one: look `days` ahead
        end = end or max(next_meeting, meeting + timedelta(days=days))
    options.as_of = start
    options.jobs = 1
    checker = Checker(options)
    # the timing rules the pack enables (not --select, which would run a rule the pack turns off)
    options.ignore = tuple(r for r in checker.rules if r not in TIMING_RULES)
    items: list[Obligation] = []
    infos: list[TrustInfo] = []
    findings: list[Finding] = []
    first_start: date | None = None
    by_root: dict[str, list[Obligation]] = {}
    model: dict[str, Any] = {}
    checker.on_model = lambda _result, trust, pack: model.update(trust=trust, pack=pack)
    for root in checker.roots().roots:
        model.clear()
        result = checker.check_root(root)
        errors = sum(1 for f in result.findings if f.rule in INPUT_ERRORS)
        infos.append(TrustInfo(result.root, result.name, result.policy, result.as_of, errors, result.error))
        findings += [f for f in result.findings if f.rule in TIMING_RULES]
        trust, pack = model.get("trust"), model.get("pack")
        if trust is None or pack is None or result.as_of is None:
            continue
        day = result.as_of
        first_start = first_start or day
        stop = end or day + timedelta(days=days)
        contexts = {rule.id: checker.context(pack, rule, trust, day)
                    for rule in checker.active_rules(pack) if rule.id in TIMING_RULES}
        found = obligations(trust, contexts, day, stop)
        by_root[result.root] = found
        items += found
    forget_paths()
    names = Counter(t.name for t in infos if t.name)
    shared = {t.name for t in infos if names[t.name] > 1}
    if shared:  # two trusts of one name: their root files keep the UIDs apart
        root_of = {id(item): root for root, group in by_root.items() for item in group}
        items = [replace(i, root=root_of[id(i)]) if i.trust in shared else i for i in items]
    items.sort(key=Obligation.sort_key)
    day0 = start or first_start or date.today()
    result_end = end or day0 + timedelta(days=days)
    out = CalendarResult(day0, result_end, items, infos, findings, alarm_days=alarm_days)
    if meeting is not None and next_meeting is not None:
        out.agenda = agenda(items, meeting, next_meeting)
    return out


