"""Due dates, windows and lapses of plans and agreements: the one timing model.

Rules ask it whether a date has passed; the calendar asks it when a date falls. Each function takes
the trust, the document and the rule's pack parameters (``ctx.params``), and is pure: the same
facts give the same dates, whoever asks.

Public API (stable; the calendar and the HTML report draw from it):

- ``continuance(trust, doc, params, majorities, as_of) -> Continuance | None``: the history of a
  plan's or agreement's continuances up to ``as_of`` (``None``: not continued annually, or no
  date to count from). ``Continuance.due`` is the date the next continuance is due by,
  ``Continuance.window_opens`` the first day of its Rule 15a-2 window (contracts only),
  ``Continuance.votes`` every continuance vote judged (``Vote``), ``Continuance.lapses`` each
  lapse (``Lapse``) ended by a late vote, ``Continuance.lapsed(day)`` whether it has lapsed.
  ``Continuance.projected(until)`` gives the due dates after ``due`` up to ``until``, on the
  assumption that each is met on time.
- ``report_schedule(trust, plan, params, as_of, until) -> ReportSchedule | None``: each reporting
  period of a 12b-1 plan (``ReportDue``: the period's end, the day its report must be reviewed by,
  the reports recorded for it), with ``missing(as_of)`` and ``late(as_of)``.
- ``interim_term(trust, doc, params, majorities, as_of) -> InterimTerm | None``: the Rule 15a-4
  deadline of an interim contract, counted from its predecessor's termination.
- ``name_deadline(doc, period) -> date | None``: the day the trust must have stopped using the
  adviser's name after the agreement ended.
- ``window_opens(due, window)``: the first day of "the 90 days up to and including" ``due``.

The model, as Rule 15a-2 (17 CFR 270.15a-2) and Rule 12b-1(b)(3)(i) write it:

- **Contracts** (ICA §15(a) advisory and §15(b) principal-underwriting agreements): the first
  continuance is due by the earlier of the stated end of the initial term and the second
  anniversary of execution (``agreement_initial_max``). Each later one is due one year
  (``continuance_period``) from the day the previous continuance took effect. A vote within the
  ``early_vote_window`` (90 days) up to and including the due date is in the safe harbour; it takes
  effect on the anniversary it continues (the due date) unless the minutes record ``effective:``.
  A valid vote earlier than the window still continues the contract, from its own date (never
  shortening the term already running), and is noted as outside the safe harbour. A vote after
  the due date ends a lapse that ran from the due date to the day it took effect.
- **12b-1 plans**: Rule 12b-1(b)(3)(i) alone: approved at least annually, one year from the
  previous approval (or from adoption); there is no window: a vote carries the plan one year from
  the day it takes effect (its ``effective:``, else its date).
"""
from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .approvals import Majorities, Requirements, describe_vote, evaluate, requirements, shareholder_passes
from .model import ADVISORY_KINDS, Action, Document, Meeting, Provision, Report, ShareholderVote, Trust
from .periods import Period, add_months

__all__ = [
    "Continuance", "InterimTerm", "Lapse", "ReportDue", "ReportSchedule", "Vote", "continuance",
    "interim_term", "name_deadline", "period_ends", "report_deadline", "report_schedule", "window_opens",
]


def window_opens(due: date, window: Period) -> date:
    """The first day of "the ``window`` up to and including ``due``": for 90 days, 89 days before
    it (the due date is the 90th day)."""
    start = window.before(due)
    return start if start == date.min else start + timedelta(days=1)


def _shorter(a: Period, b: Period) -> Period:
    return a if a.nominal_days <= b.nominal_days else b


# --- annual continuance ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Lapse:
    """A time the document ran without a valid continuance: from the day it was due to the day a
    late continuance took effect."""

    start: date
    end: date
    vote: Vote


@dataclass(frozen=True)
class Vote:
    """One continuance vote up to ``as_of``, judged."""

    meeting: Meeting
    action: Action
    reason: str | None  # why it does not count (None: it counts)
    due_before: date  # the due date it answered
    due_after: date  # the due date after it (unchanged when it does not count)
    effective: date | None = None  # the day it took effect (valid votes only)
    in_window: bool = False  # inside the Rule 15a-2 window (contracts)
    early: bool = False  # valid, but earlier than the window: outside the safe harbour

    @property
    def valid(self) -> bool:
        return self.reason is None

    @property
    def late(self) -> bool:
        return self.valid and self.effective is not None and self.effective > self.due_before


@dataclass(frozen=True)
class Continuance:
    """A plan's or agreement's continuances, judged up to ``as_of``."""

    document: Document
    provision: Provision | None  # the continuance (plan) or term (agreement) provision, if any
    contract: bool  # a §15(a)/§15(b) contract (Rule 15a-2), not a 12b-1 plan
    period: Period  # how often it must be continued
    window: Period | None  # the Rule 15a-2 window (contracts only)
    first_due: date
    due: date  # the date the next continuance is due by, after the last valid vote up to as_of
    votes: tuple[Vote, ...]
    need: Requirements | None  # what a valid continuance needs (bodies, in person, called for it)
    lapses: tuple[Lapse, ...] = field(default=())
    as_of: date = date.min

    @property
    def in_initial_term(self) -> bool:
        """No valid continuance yet: the due date is the end of the initial term."""
        return not any(v.valid for v in self.votes)

    @property
    def window_opens(self) -> date | None:
        """The first day of the safe-harbour window before ``due`` (contracts), else ``None``."""
        return window_opens(self.due, self.window) if self.window is not None else None

    def lapsed(self, day: date) -> bool:
        """Whether the document has lapsed on ``day`` (due before it, with no valid vote since)."""
        return day > self.due

    def days_left(self, day: date) -> int:
        return (self.due - day).days

    def projected(self, until: date) -> Iterator[date]:
        """The due dates after ``due`` up to ``until``, each continuance taken to be voted on time
        (inside the window, taking effect on the anniversary)."""
        day = self.due
        while True:
            nxt = self.period.after(day)
            if nxt > until or nxt <= day:
                return
            yield nxt
            day = nxt


def continuance(trust: Trust, doc: Document, params: Mapping[str, Any], majorities: Majorities,
                as_of: date) -> Continuance | None:
    """The continuance history of ``doc`` judged at ``as_of``; ``None`` for a document that is not
    continued annually, has ended by ``as_of``, or gives no date to count from."""
    if not (doc.is_plan or doc.is_agreement) or doc.ended_by(as_of):
        return None
    # Asked by the rule and by the calendar: worked out once per document, day and settings (the
    # settings are kept beside the answer, so that their ids stay unique while it is cached).
    used = _params_key(params)
    key = ("continuance", id(doc), as_of, majorities, *map(id, used))
    cache = trust.cache.setdefault("timing", {})
    known = cache.get(key)
    if known is not None:  # (with gaps, the memo keeps what was read beside the answer)
        answer = known[0] if trust.gaps else known
        if not all(a is b for a, b in zip(answer[0], used)):
            del cache[key]
    # memoised by the trust, so that a rule asking again records again what the answer rests on
    return trust.remember("timing", key,  # type: ignore[no-any-return]
                          lambda: (used, _continuance(trust, doc, params, majorities, as_of)))[1]


def _params_key(params: Mapping[str, Any]) -> tuple[Any, ...]:
    """The parameters a continuance depends on."""
    return tuple(params.get(name) for name in ("continuance_period", "plan_initial_max",
                                                "agreement_initial_max", "early_vote_window",
                                                "default_requirements", "in_person_required",
                                                "called_for_purpose_required"))


def _first_due(trust: Trust, doc: Document, params: Mapping[str, Any]) -> tuple[date, Period, Provision | None] | None:
    """The first due date, the continuance period and the provision that states them."""
    default: Period = params["continuance_period"]
    if doc.is_plan:
        prov = doc.provision("continuance")
        start = doc.adopted or doc.effective or trust.first_approval(doc.id)
        if start is None:
            return None
        after = (prov.period("after") if prov is not None else None) or default
        first = _shorter(after, params["plan_initial_max"]).after(start)
        every = (prov.period("every") if prov is not None else None) or default
        return first, _shorter(every, default), prov
    prov = doc.provision("term")
    start = doc.dated or doc.effective or trust.first_approval(doc.id)
    stated = prov.date("initial_until") if prov is not None else None
    limit = params["agreement_initial_max"].after(start) if start is not None else None
    candidates = [d for d in (stated, limit) if d is not None]
    if not candidates:
        return None
    every = (prov.period("then") if prov is not None else None) or default
    return min(candidates), _shorter(every, default), prov


def _continuance(trust: Trust, doc: Document, params: Mapping[str, Any], majorities: Majorities,
                 as_of: date) -> Continuance | None:
    schedule = _first_due(trust, doc, params)
    if schedule is None:
        return None
    first, period, prov = schedule
    contract = doc.is_agreement
    window: Period | None = params["early_vote_window"] if contract else None
    need = requirements(doc, "continuance", None, params)
    due = first
    judged: list[Vote] = []
    lapses: list[Lapse] = []
    for meeting, action in sorted(trust.actions_by_target.get(doc.id, ()), key=lambda ma: ma[0].date):
        if action.action != "continuance" or meeting.date > as_of:
            continue
        reasons = evaluate(trust, meeting, action, need, doc, majorities, as_of=as_of,
                           window=period).reasons if need else []
        if reasons:
            judged.append(Vote(meeting, action, reasons[0], due, due))
            continue
        opens = window_opens(due, window) if window is not None else None
        in_window = opens is not None and opens <= meeting.date <= due
        early = opens is not None and meeting.date < opens
        if action.effective is not None:
            effective = max(action.effective, meeting.date)  # a continuance cannot take effect before its vote
        elif in_window:
            effective = due  # Rule 15a-2: it continues the contract from the anniversary
        else:
            effective = meeting.date
        new_due = period.after(effective)
        if effective <= due:
            new_due = max(new_due, due)  # an early vote never shortens the term already running
        vote = Vote(meeting, action, None, due, new_due, effective, in_window, early)
        if effective > due:
            lapses.append(Lapse(due, effective, vote))
        judged.append(vote)
        due = new_due
    return Continuance(doc, prov, contract, period, window, first, due, tuple(judged), need,
                       tuple(lapses), as_of)


# --- quarterly reports ------------------------------------------------------------------------------

def period_ends(start: date, until: date, period: Period) -> Iterator[date]:
    """Ends of the reporting periods after ``start`` up to ``until``: for months (a quarter) and
    years, the last day of each calendar period; for days, every ``count`` days from ``start``.
    Stops at the end of the calendar, and yields nothing for a period of zero."""
    if period.count <= 0 or until < start or (period.unit == "day" and period.count > (until - start).days):
        return  # no period, or none that ends by `until` (a count of days past any calendar)
    if period.unit == "day":
        step, end = timedelta(days=period.count), start
        while True:
            try:
                end += step
            except OverflowError:
                return
            if end > until:
                return
            yield end
    months = period.months
    index = ((start.year * 12 + start.month - 1) // months + 1) * months  # the first boundary after start
    while True:
        year, month = divmod(index, 12)
        if year > date.max.year:
            return
        end = date(year, month + 1, 1) - timedelta(days=1)
        if end > until:
            return
        if end >= start:
            yield end
        index += months


# A bound on the work, not a legal number: a plan is judged over its most recent reporting periods
# only (1,000 quarters is 250 years), so that a date in year 1 or 9999 cannot make the check hang.
MAX_PERIODS = 1000


def _recent_start(start: date, until: date, period: Period) -> date:
    """``start``, moved forward so that at most ``MAX_PERIODS`` periods end by ``until``."""
    if period.unit == "day":
        spare = (until - start).days // period.count - MAX_PERIODS
        return start + timedelta(days=spare * period.count) if spare > 0 else start
    months = period.months
    spare = ((until.year - start.year) * 12 + until.month - start.month) // months - MAX_PERIODS
    return add_months(start, spare * months) if spare > 0 else start


@functools.lru_cache(maxsize=4096)  # the same quarter ends recur across plans and trusts
def report_deadline(end: date, review: Period) -> date:
    """When the report on a period ending ``end`` must be reviewed: ``review`` later, and for a
    period ending on a month's last day, the last day of the month that many months on (the
    report on the quarter ending 30 September is due by 31 December, not 30 December)."""
    if review.unit == "day":
        return review.after(end)
    try:
        first_of_next = end + timedelta(days=1)
    except OverflowError:
        return date.max
    if first_of_next.day != 1:
        return review.after(end)
    after = add_months(first_of_next, review.months)
    return after if after == date.max else after - timedelta(days=1)


@dataclass(frozen=True)
class ReportDue:
    """One reporting period of a plan: its end, the day its report must be reviewed by, and the
    reports recorded for it."""

    period_end: date
    deadline: date
    reports: tuple[Report, ...]

    def reviewed_in_time(self) -> bool:
        return any(r.reviewed is not None and r.reviewed <= self.deadline for r in self.reports)

    def first_review(self) -> Report | None:
        reviewed = [r for r in self.reports if r.reviewed is not None]
        return min(reviewed, key=lambda r: r.reviewed or date.max) if reviewed else None

    def late(self, as_of: date) -> Report | None:
        """The report reviewed after the deadline (by ``as_of``), when none was in time."""
        if self.reviewed_in_time():
            return None
        first = self.first_review()
        return first if first is not None and first.reviewed is not None and first.reviewed <= as_of else None

    def missing(self, as_of: date) -> bool:
        """Past its deadline at ``as_of`` with no report reviewed in time, nor late by ``as_of``."""
        return self.deadline < as_of and not self.reviewed_in_time() and self.late(as_of) is None


@dataclass(frozen=True)
class ReportSchedule:
    plan: Document
    provision: Provision
    period: Period
    review: Period
    periods: tuple[ReportDue, ...]  # in date order, up to the schedule's end

    def missing(self, as_of: date) -> list[ReportDue]:
        return [p for p in self.periods if p.missing(as_of)]

    def late(self, as_of: date) -> list[tuple[ReportDue, Report]]:
        return [(p, r) for p in self.periods if (r := p.late(as_of)) is not None]


def report_schedule(trust: Trust, plan: Document, params: Mapping[str, Any], as_of: date,
                    until: date | None = None) -> ReportSchedule | None:
    """The reporting periods of ``plan`` ending by ``until`` (default ``as_of``), bounded by the
    plan's termination; ``None`` without a ``reporting`` provision or a date to count from."""
    prov = plan.provision("reporting")
    start = plan.adopted or plan.effective
    if prov is None or start is None:
        return None
    period: Period = prov.period("every") or params["report_period"]
    review: Period = params["review_within"]
    end = until or as_of
    last = plan.terminated if plan.terminated is not None and plan.terminated < end else end
    reviewed: dict[date, list[Report]] = {}
    for r in trust.reports_for(plan.id):
        reviewed.setdefault(r.period_end, []).append(r)
    periods = tuple(ReportDue(e, report_deadline(e, review), tuple(reviewed.get(e, ())))
                    for e in period_ends(_recent_start(start, last, period), last, period))
    return ReportSchedule(plan, prov, period, review, periods)


# --- interim contracts (Rule 15a-4) ------------------------------------------------------------------

@dataclass(frozen=True)
class InterimTerm:
    """An interim contract's Rule 15a-4 term: from its predecessor's end to ``deadline``."""

    document: Document
    predecessor: str  # the replaced contract's title
    predecessor_ended: date
    deadline: date
    ended: date | None  # the interim contract's own termination
    approval: ShareholderVote | None  # the first passing shareholder vote by as_of
    failing: ShareholderVote | None  # the first vote by as_of, when none passed

    def approved_in_time(self) -> bool:
        return self.approval is not None and self.approval.date <= self.deadline

    def ended_in_time(self) -> bool:
        return self.ended is not None and self.ended <= self.deadline

    def overdue(self, as_of: date) -> bool:
        """Run past its deadline at ``as_of``, neither ended nor approved by the shareholders in time."""
        return as_of > self.deadline and not self.ended_in_time() and not self.approved_in_time()

    def why(self) -> str:
        if self.approval is not None:
            return f"the shareholders approved it only on {self.approval.date}"
        if self.failing is not None:
            return (f"the shareholder vote of {self.failing.date} ({describe_vote(self.failing)}) fails the "
                    "§2(a)(42) test")
        return "no shareholder vote approving it is recorded"


def interim_term(trust: Trust, doc: Document, params: Mapping[str, Any], majorities: Majorities,
                 as_of: date) -> InterimTerm | None:
    """The Rule 15a-4 term of an interim advisory contract; ``None`` when it is not one, or its
    predecessor is unknown or has not ended (nothing to count from)."""
    if not doc.interim or doc.kind not in ADVISORY_KINDS:
        return None
    old = trust.document(doc.replaces)
    if old is not None:
        title, ended = old.title, old.terminated
    elif doc.replaces is None and doc.predecessor is not None:
        title, ended = doc.predecessor.title, doc.predecessor.terminated
    else:
        return None
    if ended is None:
        return None
    deadline = params["max_duration"].after(ended)
    votes = sorted((v for v in trust.votes_by_target.get(doc.id, ()) if v.date <= as_of), key=lambda v: v.date)
    passing = [v for v in votes if shareholder_passes(v, majorities)]
    return InterimTerm(doc, title, ended, deadline, doc.terminated, passing[0] if passing else None,
                       votes[0] if votes and not passing else None)


# --- the adviser's name ------------------------------------------------------------------------------

def name_deadline(doc: Document, period: Period) -> date | None:
    """The day by which the trust must have stopped using the names of ``doc``'s name-use clause
    (``period`` after it ended; a month is a calendar month); ``None`` while it has not ended."""
    if doc.terminated is None:
        return None
    return period.after(doc.terminated)
