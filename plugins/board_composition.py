"""The board as the Act composes it: interested trustees, independent majority, elected trustees.

## What it does
Judges the board as it stood after every change of the roster (a trustee joining on `from`, or
leaving the day after `until`), on every day a trustee was `elected`, on every meeting that approves
something, and on `as_of`:
- ICA §10(a): no more than `interested_max` (60%) of the trustees in office are interested persons
  (`independent: false`);
- Rule 0-1(a)(7)(i), while the trust relies on Rule 12b-1 or Rule 18f-3: more than
  `independent_majority_more_than` (half) of the trustees in office are independent. The trust relies
  on Rule 12b-1 on a day when a `distribution-plan` document is in force (Rule 12b-1(c)), on Rule
  18f-3 when a `multi-class-plan` is (Rule 18f-3(e)); a closed-end trust relies on neither. (Rule
  15a-4(b)(2) imposes the same condition on an interim contract after an assignment; the format does
  not say which paragraph of Rule 15a-4 an interim contract rests on, so it is not inferred.)
- ICA §16(a), where every trustee in office records `elected: {by: shareholders | board, on: DATE}`
  (a board with one trustee who does not is not judged for it): a trustee elected by the board fills
  a vacancy lawfully only if, afterwards, at least `shareholder_elected_after_filling_at_least`
  (two-thirds) of the trustees in office were elected by the shareholders; and whenever no more than
  half were, a shareholders' meeting to elect trustees is held within `shareholder_meeting_within`
  (60 days): a trustee `elected: {by: shareholders}` in that time shows it was.

A breach caused by a trustee's leaving is suspended (Rule 10e-1; before 2001, ICA §10(e)) for
`vacancy_suspension_board` (90 days) when the board could fill the vacancy under §16(a), else for
`vacancy_suspension_shareholders` (150 days); the roster does not say why a trustee left, so every
departure is taken as a death, disqualification or bona fide resignation. While the suspension runs
at `as_of` the finding is a warning (`suspended`), like a shareholders' meeting not yet due
(`meeting-due`).

Each breach is one error at the roster entry that began it (the `from` of the trustee who joined, the
`until` of the one who left, or the `elected` of the trustee the board chose), saying until when it
lasted; each meeting that approves something while the board is in breach is an error at its `date`
(`meeting`). A trust whose roster is empty or missing, and a day on which no trustee is in office,
are not judged: the roster is what the rule reads, and an absent roster says nothing. A meeting that
cannot be read is not judged, but it does not withhold the board's own breaches, which rest on the
roster alone.

## Why is this bad?
A board with too few independent trustees cannot give the approvals the Act entrusts to it, and a
trust that relies on Rule 12b-1 or Rule 18f-3 without a majority of independent trustees pays its
distribution fees, or issues its classes, outside the exemption. Trustees the shareholders did not
elect serve only within the limits of §16(a).

## Example
```yaml
trustees:
  - {name: Ann Inside, independent: false, from: 2000-01-01}
  - {name: Art Inside, independent: false, from: 2000-01-01}
  - {name: Bob Outside, independent: true, from: 2000-01-01}
  - {name: Amy Inside, independent: false, from: 2006-03-01}   # 3 of 4 interested: more than 60%
```
Use instead: appoint an independent trustee, so that at most 60% are interested persons and, for a
trust with a 12b-1 plan, a majority are independent.

## Parameters
- `interested_max`: the largest share of the trustees in office that may be interested persons.
- `independent_majority_more_than`: the share of the trustees in office the independent trustees
  must exceed while the trust relies on Rule 12b-1 or 18f-3 (dated; null before Rule 0-1(a)(7)).
- `shareholder_elected_after_filling_at_least`: the share elected by shareholders after the board
  fills a vacancy.
- `shareholder_elected_majority_more_than`: below or at this share, a shareholders' meeting is due.
- `shareholder_meeting_within`: how soon that meeting must be held.
- `vacancy_suspension_board`: how long a departure suspends the composition requirements when the
  board may fill the seat (dated).
- `vacancy_suspension_shareholders`: how long, when the shareholders must fill it (dated).

## References
- Investment Company Act of 1940 §10(a), §10(e), §16(a)
- Rule 0-1(a)(7)(i); Rule 12b-1(c); Rule 18f-3(e); Rule 10e-1
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from mist_check import Citation, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.findings import Location
from mist_check.model import Document, Meeting, Trustee

RELIED_KINDS = {"distribution-plan": "12b-1", "multi-class-plan": "18f-3"}
DAY = timedelta(days=1)
PARAMS = {"interested_max": "ratio", "independent_majority_more_than": "ratio",
          "shareholder_elected_after_filling_at_least": "ratio", "shareholder_elected_majority_more_than": "ratio",
          "shareholder_meeting_within": "period", "vacancy_suspension_board": "period",
          "vacancy_suspension_shareholders": "period"}


@dataclass(frozen=True)
class Board:
    """The trustees in office on one day, counted."""

    day: date
    members: int
    interested: int
    by_shareholders: int  # elected by the shareholders on or before the day
    unknown: int  # no `elected` recorded

    @property
    def independent(self) -> int:
        return self.members - self.interested


def _gone(t: Trustee) -> date | None:
    """The first day ``t`` is no longer in office (None: never, or only after the calendar's end)."""
    return None if t.end is None or t.end == date.max else t.end + DAY


def _above(count: int, whole: int, share: Fraction) -> bool:
    return count * share.denominator > share.numerator * whole


def _at_least(count: int, whole: int, share: Fraction) -> bool:
    return count * share.denominator >= share.numerator * whole


def _share(share: Fraction) -> str:
    """A share as the law writes it: "60%", "two-thirds", "half"."""
    words = {Fraction(1, 2): "half", Fraction(2, 3): "two-thirds", Fraction(3, 4): "three-quarters"}
    if share in words:
        return words[share]
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{share.numerator}/{share.denominator}"


def _shareholder_elected_from(t: Trustee) -> date | None:
    """The day from which ``t`` counts as elected by the shareholders (None: never, or not recorded)."""
    if t.elected_by != "shareholders" or t.elected_on is None:
        return None
    return max(t.elected_on, t.start) if t.start is not None else t.elected_on


def boards(trust: Trust, days: list[date]) -> dict[date, Board]:
    """The board on each of ``days`` (sorted), by one sweep over the roster's dated changes. A
    trustee's election counts from its ``on`` date (before it, how the trustee served is unknown)."""
    events: list[tuple[date, tuple[int, int, int, int]]] = []
    base = (0, 0, 0, 0)  # members, interested, by shareholders, unknown

    def add(day: date | None, row: tuple[int, int, int, int]) -> None:
        nonlocal base
        if day is None:
            base = (base[0] + row[0], base[1] + row[1], base[2] + row[2], base[3] + row[3])
        else:
            events.append((day, row))

    for t in trust.trustees:
        if t.start is not None and t.end is not None and t.end < t.start:
            continue  # never in office
        interested = 0 if t.independent else 1
        known = t.elected_on if t.elected_by is not None else None
        if known is not None and t.start is not None and known < t.start:
            known = t.start
        by_sh = 1 if t.elected_by == "shareholders" else 0
        add(t.start, (1, interested, 0, 1))
        gone = _gone(t)
        if known is not None and (gone is None or known < gone):
            add(known, (0, 0, by_sh, -1))
            if gone is not None:
                add(gone, (-1, -interested, -by_sh, 0))
        elif gone is not None:
            add(gone, (-1, -interested, 0, -1))
    events.sort(key=lambda e: e[0])
    out: dict[date, Board] = {}
    counts, i = base, 0
    for day in days:
        while i < len(events) and events[i][0] <= day:
            row = events[i][1]
            counts = (counts[0] + row[0], counts[1] + row[1], counts[2] + row[2], counts[3] + row[3])
            i += 1
        out[day] = Board(day, *counts)
    return out


def _relied_on(trust: Trust, day: date) -> list[Document]:
    """The documents through which the trust relies, on ``day``, on a rule that requires the fund
    governance standards of Rule 0-1(a)(7): a 12b-1 plan or a multi-class plan in force."""
    if not trust.is_open_end:
        return []
    return [d for d in trust.documents if d.kind in RELIED_KINDS and d.in_force(day)]


@dataclass
class _Episode:
    start: date
    at: Location
    cause: str
    departure: bool
    board: Board
    end: date | None = None


def _cause(trust: Trust, day: date) -> tuple[Location, str, bool]:
    """Where a breach that began on ``day`` is reported: the trustee who joined, else who left."""
    joined = [t for t in trust.trustees if t.start == day]
    if joined:
        t = next((t for t in joined if not t.independent), joined[0])
        return t.src.at("from"), f"{t.name} joined on {day}", False
    left = [t for t in trust.trustees if _gone(t) == day]
    if left:
        t = next((t for t in left if t.independent), left[0])
        return t.src.at("until"), f"{t.name} left on {t.end}", True
    for doc in trust.documents:
        if doc.kind in RELIED_KINDS and doc.start == day:
            key = "adopted" if doc.adopted else "effective" if doc.effective else "dated"
            return doc.src.at(key), f"{doc.title} took effect on {day}", False
    in_office = [t for t in trust.trustees if t.in_office(day)]
    t = in_office[-1] if in_office else trust.trustees[-1]
    return t.src.at(), f"as the roster stands on {day}", False


def _episodes(trust: Trust, days: list[date], state: dict[date, Board],
              breached: Callable[[Board], bool]) -> list[_Episode]:
    """The spans of ``days`` on which ``breached(board)`` holds, each with the change that began it."""
    out: list[_Episode] = []
    current: _Episode | None = None
    for day in days:
        board = state[day]
        bad = board.members > 0 and breached(board)
        if bad and current is None:
            at, cause, departure = _cause(trust, day)
            current = _Episode(day, at, cause, departure, board)
            out.append(current)
        elif not bad and current is not None:
            current.end = day
            current = None
    return out


def _approving(trust: Trust, ctx: RuleContext) -> list[Meeting]:
    return [m for m in trust.meetings if m.date <= ctx.as_of and any(a.approves for a in m.actions)]


def _judged_days(trust: Trust, ctx: RuleContext, approving: list[Meeting]) -> list[date]:
    """Every day up to ``as_of`` on which the board may have changed: the roster's changes, the
    approving meetings, the days the law or the trust's reliance on Rule 12b-1 or 18f-3 changed."""
    changes: set[date] = {ctx.as_of}
    for t in trust.trustees:
        if t.start is not None:
            changes.add(t.start)
        if (gone := _gone(t)) is not None:
            changes.add(gone)
        if t.elected_on is not None:
            changes.add(t.elected_on)
    changes |= {m.date for m in approving}
    for name in PARAMS:  # the days the law changed (a dated parameter's new value)
        changes |= set(ctx.param_changes(name))
    for doc in trust.documents:  # the days the trust begins or ends to rely on Rule 12b-1 or 18f-3
        if doc.kind in RELIED_KINDS:
            changes |= {d for d in (doc.start, doc.terminated) if d is not None}
    return sorted(d for d in changes if d <= ctx.as_of)


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    if not trust.trustees:
        return  # no roster: nothing to judge (see the rule's docs)
    with ctx.judging():  # the board itself: the roster, the law, the plans relied on (no meeting)
        days = _judged_days(trust, ctx, [])
        state = boards(trust, days)
        yield from _interested(trust, ctx, days, state, [])
        yield from _independent(trust, ctx, days, state, [])
        yield from _elected(trust, ctx, days, state)
    with ctx.judging():  # the meetings that approved something while the board was not lawful
        approving = _approving(trust, ctx)
        if approving:
            days = _judged_days(trust, ctx, approving)
            state = boards(trust, days)
            yield from _interested(trust, ctx, days, state, approving, meetings_only=True)
            yield from _independent(trust, ctx, days, state, approving, meetings_only=True)


@dataclass(frozen=True)
class MeetingDue:
    """ICA §16(a): a shareholders' meeting to elect trustees, due because no more than half of the
    trustees in office had been elected by the shareholders from ``start`` (still so on ``as_of``
    when ``end`` is None). The rule reports it and the calendar lists it from this one reckoning."""

    start: date
    due: date
    period: Any  # the parameter's Period
    reference: str
    at: Location
    cause: str
    board: Board
    end: date | None

    def overdue(self, day: date) -> bool:
        """Still owed on ``day``: past its last day, the deficit not cured (once cured, it is history)."""
        return self.end is None and day > self.due


def shareholder_meetings(trust: Trust, ctx: RuleContext, days: list[date] | None = None,
                         state: dict[date, Board] | None = None) -> list[MeetingDue]:
    """The §16(a) shareholders' meetings that fell due up to ``ctx.as_of`` and were not held in time
    (no trustee elected by the shareholders within the period, and the deficit not cured by then)."""
    if not trust.trustees:
        return []
    if days is None or state is None:
        days = _judged_days(trust, ctx, _approving(trust, ctx))
        state = boards(trust, days)
    shareholder_days = sorted(s for t in trust.trustees if (s := _shareholder_elected_from(t)) is not None)

    def deficit(b: Board) -> bool:
        share = ctx.param_on("shareholder_elected_majority_more_than", b.day)[0]
        return b.unknown == 0 and not _above(b.by_shareholders, b.members, share)

    out = []
    for ep in _episodes(trust, days, state, deficit):
        period, ref = ctx.param_on("shareholder_meeting_within", ep.start)
        due = period.after(ep.start)
        if any(ep.start <= d <= due for d in shareholder_days) or (ep.end is not None and ep.end <= due):
            continue
        out.append(MeetingDue(ep.start, due, period, ref, ep.at, ep.cause, ep.board, ep.end))
    return out


def _suspension(ctx: RuleContext, ep: _Episode | None) -> tuple[date, str] | None:
    """Until when a breach begun by a departure is suspended (Rule 10e-1; ICA §10(e) before it), and
    the source of the period: the board's period where §16(a) lets the board fill the vacancy."""
    if ep is None or not ep.departure:
        return None
    b = ep.board
    two_thirds = ctx.param_on("shareholder_elected_after_filling_at_least", ep.start)[0]
    board_can_fill = b.unknown == 0 and _at_least(b.by_shareholders, b.members + 1, two_thirds)
    name = "vacancy_suspension_board" if board_can_fill else "vacancy_suspension_shareholders"
    period, ref = ctx.param_on(name, ep.start)
    return period.after(ep.start), ref


def _episode_on(episodes: list[_Episode], day: date) -> _Episode | None:
    return next((e for e in episodes if e.start <= day and (e.end is None or day < e.end)), None)


def _title(trust: Trust, target: str) -> str:
    """What a meeting approved, by its title (a document or an amendment of one)."""
    amendment = trust.amendments_by_id.get(target)
    if amendment is not None:
        return amendment.title
    doc = trust.document(target)
    return doc.title if doc is not None else target


def _report(trust: Trust, ctx: RuleContext, episodes: list[_Episode], approving: list[Meeting], state: dict[date, Board],
            what: Callable[[Board], str], authority_on: Callable[[date], str | None],
            meetings_only: bool = False) -> Iterator[Finding]:
    """One finding per episode at the change that began it (unless ``meetings_only``), and one per
    approving meeting in it, unless a vacancy's suspension covers it."""
    for ep in ([] if meetings_only else episodes):
        until = f"until {ep.end}" if ep.end is not None else f"still on {ctx.as_of}"
        susp = _suspension(ctx, ep)
        cite = Citation(None, None, None, authority_on(ep.start))
        if susp is not None and ep.end is not None and ep.end <= susp[0]:
            continue  # cured within the suspension
        if susp is not None and ep.end is None and ctx.as_of < susp[0]:
            yield ctx.finding(ep.at, f"since {ep.start} ({ep.cause}) {what(ep.board)}; the requirement is "
                                     f"suspended until {susp[0]} ({susp[1]}): fill the vacancy by then",
                              case="suspended", citation=cite)
            continue
        extra = f" (the suspension for the vacancy ended on {susp[0]})" if susp is not None else ""
        yield ctx.finding(ep.at, f"from {ep.start} ({ep.cause}) {until}, {what(ep.board)}{extra}", citation=cite)
    for meeting in approving:
        ep = _episode_on(episodes, meeting.date)
        if ep is None:
            continue
        susp = _suspension(ctx, ep)
        if susp is not None and meeting.date < susp[0]:
            continue
        titles = ", ".join(dict.fromkeys(_title(trust, a.approves) for a in meeting.actions if a.approves))
        yield ctx.finding(meeting.src.at("date"), f"the board that met on {meeting.date} to approve {titles} "
                                                  f"was not lawfully composed: {what(state[meeting.date])}",
                          case="meeting", citation=Citation(None, None, None, authority_on(meeting.date)))


def _interested(trust: Trust, ctx: RuleContext, days: list[date], state: dict[date, Board],
                approving: list[Meeting], meetings_only: bool = False) -> Iterator[Finding]:
    """ICA §10(a): no more than 60 per centum of the board interested persons."""
    def limit(day: date) -> Fraction:
        return ctx.param_on("interested_max", day)[0]  # type: ignore[no-any-return]

    def what(b: Board) -> str:
        return (f"{b.interested} of the {b.members} trustees in office were interested persons; at most "
                f"{_share(limit(b.day))} may be (appoint an independent trustee)")

    episodes = _episodes(trust, days, state, lambda b: _above(b.interested, b.members, limit(b.day)))
    yield from _report(trust, ctx, episodes, approving, state, what, lambda day: ctx.authority_for("interested"),
                       meetings_only)


def _independent(trust: Trust, ctx: RuleContext, days: list[date], state: dict[date, Board],
                 approving: list[Meeting], meetings_only: bool = False) -> Iterator[Finding]:
    """Rule 0-1(a)(7)(i): a majority of independent trustees while the trust relies on a rule that
    requires the fund governance standards."""
    def need(day: date) -> Fraction | None:
        return ctx.param_on("independent_majority_more_than", day)[0]  # type: ignore[no-any-return]

    def breached(b: Board) -> bool:
        share = need(b.day)
        return share is not None and bool(_relied_on(trust, b.day)) and not _above(b.independent, b.members, share)

    def what(b: Board) -> str:
        docs = _relied_on(trust, b.day)
        rules = " and ".join(dict.fromkeys(f"Rule {RELIED_KINDS[d.kind]}" for d in docs))
        return (f"{b.independent} of the {b.members} trustees in office were independent; while the trust relies "
                f"on {rules} ({docs[0].title}) more than {_share(need(b.day) or Fraction(0))} must be "
                "(appoint an independent trustee)")

    def authority_on(day: date) -> str:
        parts = [ctx.authority_for("independent") or ""]
        for kind in dict.fromkeys(d.kind for d in _relied_on(trust, day)):
            parts.append(ctx.authority_for(f"relies-{RELIED_KINDS[kind]}") or "")
        return "; ".join(p for p in parts if p)

    episodes = _episodes(trust, days, state, breached)
    yield from _report(trust, ctx, episodes, approving, state, what, authority_on, meetings_only)


def _elected(trust: Trust, ctx: RuleContext, days: list[date], state: dict[date, Board]) -> Iterator[Finding]:
    """ICA §16(a): the board fills a vacancy only while two-thirds were elected by the shareholders;
    when no more than half were, a shareholders' meeting within the period."""
    authority = ctx.authority_for("elected")
    for t in trust.trustees:
        if t.elected_by != "board" or t.elected_on is None or t.elected_on > ctx.as_of:
            continue
        day = t.elected_on if t.start is None or t.start <= t.elected_on else t.start
        if day > ctx.as_of:
            continue
        board = state[day]
        if board.unknown or board.members == 0:
            continue
        share = ctx.param_on("shareholder_elected_after_filling_at_least", day)[0]
        if _at_least(board.by_shareholders, board.members, share):
            continue
        needed = -(-share.numerator * board.members // share.denominator)
        yield ctx.finding(t.src.at("elected"),
                          f"{t.name} was elected by the board on {t.elected_on}, but afterwards only "
                          f"{board.by_shareholders} of the {board.members} trustees in office had been elected by the "
                          f"shareholders; the board may fill a vacancy only while at least {_share(share)} "
                          f"({needed}) were: the shareholders must elect this trustee", case="filling",
                          citation=Citation(None, None, None, authority))
    for ep in shareholder_meetings(trust, ctx, days, state):
        period, due = ep.period, ep.due
        b = ep.board
        what = (f"only {b.by_shareholders} of the {b.members} trustees in office had been elected by the "
                f"shareholders, not a majority")
        if ctx.as_of <= due:  # it may still be held, on its last day too
            yield ctx.finding(ep.at, f"since {ep.start} ({ep.cause}) {what}: a shareholders' meeting to elect "
                                     f"trustees must be held by {due}", case="meeting-due",
                              citation=Citation(None, None, None, authority))
        else:
            until = f"until {ep.end}" if ep.end is not None else f"still on {ctx.as_of}"
            yield ctx.finding(ep.at, f"from {ep.start} ({ep.cause}) {until}, {what}, and no shareholders' meeting "
                                     f"elected trustees by {due}, within {period} as required", case="shareholder-meeting",
                              citation=Citation(None, None, None, authority))


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("board-composition", check, severity="error",
                 cases={"meeting": "error", "suspended": "warning", "filling": "error",
                        "shareholder-meeting": "error", "meeting-due": "warning"},
                 params=PARAMS, doc=__doc__)]
