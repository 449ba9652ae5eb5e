"""Who approved: board majorities from the roster on the day, ICA §2(a)(42) votes, all_of/any_of."""
from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .model import (Action, Amendment, Document, Meeting, Portfolio, Provision, Requirement, ShareholderVote,
                    Trust, Trustee)
from .periods import Period
from .rates import parse_rate

BOARD_BODIES = ("trustees", "independent_trustees")
SHAREHOLDER_BODIES = ("shareholders", "class_shareholders")
BODY_WORDS = {
    "trustees": "a majority of the trustees",
    "independent_trustees": "a majority of the independent trustees",
    "shareholders": "a majority of the outstanding voting securities of the portfolio",
    "class_shareholders": "a majority of the outstanding voting securities of the class",
}


@dataclass(frozen=True)
class Majorities:
    """The thresholds a policy pack sets, each with its source (see ``policies/ica-1940.yaml``)."""

    board_more_than: Decimal  # a majority of a body: more than this share of its members in office
    quorum_more_than: Decimal  # §2(a)(42)(A): more than this share of the outstanding present...
    present_at_least: Decimal  # ...and at least this share of those present voting for
    outstanding_more_than: Decimal  # §2(a)(42)(B): more than this share of the outstanding


@dataclass(frozen=True)
class BodyTally:
    body: str
    members: tuple[str, ...]
    voted_for: tuple[str, ...]

    def needed(self, share: Decimal) -> int:
        """The fewest votes that are more than ``share`` of the members."""
        num, den = _ratio(share)
        return len(self.members) * num // den + 1

    def passes(self, share: Decimal, unanimous: bool = False) -> bool:
        if not self.members:
            return False
        if unanimous:
            return len(self.voted_for) == len(self.members)
        return _above(len(self.voted_for), len(self.members), share)

    def describe(self, share: Decimal, unanimous: bool = False) -> str:
        need = len(self.members) if unanimous else self.needed(share)
        return f"{len(self.voted_for)} of {len(self.members)} in office voted for; {need} needed"


@dataclass(frozen=True)
class BoardVote:
    """A meeting action's roll call, counted over the roster in office on the meeting date."""

    trustees: BodyTally
    independent_trustees: BodyTally
    not_in_office: tuple[str, ...]  # on the roster, but not in office that day: not counted
    unknown: tuple[str, ...]  # not on the roster at all (a ``reference`` finding)


def board_vote(trust: Trust, meeting: Meeting, action: Action) -> BoardVote:
    """The roll call of ``action`` counted over the roster in office on the meeting date (computed
    once per action: several rules ask)."""
    key = (meeting.date, action.votes_for, action.against, action.abstain)  # actions with one roll call share it
    return trust.remember("board_vote", key, lambda: _board_vote(trust, meeting, action))  # type: ignore[no-any-return]


def _in_office(trust: Trust, day: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of the trustees in office on ``day``, all and independent (once per meeting day)."""
    def compute() -> tuple[tuple[str, ...], tuple[str, ...]]:
        in_office: list[Trustee] = [t for t in trust.trustees if t.in_office(day)]
        return tuple(t.name for t in in_office), tuple(t.name for t in in_office if t.independent)
    return trust.remember("in_office", day, compute)  # type: ignore[no-any-return]


def _board_vote(trust: Trust, meeting: Meeting, action: Action) -> BoardVote:
    all_members, independents = _in_office(trust, meeting.date)
    office_names = set(all_members)
    roster = trust.trustees_by_name
    voted = tuple(dict.fromkeys(n for n in action.votes_for if n in office_names))
    if action.against or action.abstain or len(voted) < len(action.votes_for):
        roll = (*action.votes_for, *action.against, *action.abstain)
        not_in_office = tuple(dict.fromkeys(n for n in roll if n in roster and n not in office_names))
        unknown = tuple(dict.fromkeys(n for n in roll if n not in roster))
    else:  # everyone on the roll voted for and was in office (the usual roll call)
        not_in_office = unknown = ()
    return BoardVote(
        BodyTally("trustees", all_members, voted),
        BodyTally("independent_trustees", independents, tuple(n for n in voted if n in independents)),
        not_in_office, unknown)


def shareholder_passes(vote: ShareholderVote, m: Majorities) -> bool:
    """ICA §2(a)(42): the lesser of (A) 67% of those present, if more than 50% are present,
    or (B) more than 50% of the outstanding: so the vote passes if either test is met.

    Counted exactly, in integers: share counts are unbounded, and a ``Decimal`` product rounds past
    28 digits (so that exactly half of 2,000,000,000,000,000,000,000,000,000,002 shares would pass as
    "more than half")."""
    if vote.outstanding <= 0:
        return False
    outstanding, votes_for, present = vote.outstanding, vote.votes_for, vote.present or 0
    if _above(votes_for, outstanding, m.outstanding_more_than):
        return True
    return (_above(present, outstanding, m.quorum_more_than)
            and _at_least(votes_for, present, m.present_at_least))


@functools.lru_cache(maxsize=64)
def _ratio(share: Decimal) -> tuple[int, int]:
    """``share`` as an exact (numerator, denominator) pair of integers."""
    return share.as_integer_ratio()


def _above(count: int, whole: int, share: Decimal) -> bool:
    """Whether ``count`` is more than ``share`` of ``whole``, exactly."""
    num, den = _ratio(share)
    return count * den > num * whole


def _at_least(count: int, whole: int, share: Decimal) -> bool:
    """Whether ``count`` is at least ``share`` of ``whole``, exactly."""
    num, den = _ratio(share)
    return count * den >= num * whole


def describe_vote(vote: ShareholderVote) -> str:
    present = f", {vote.present} present" if vote.present is not None else ""
    return f"{vote.votes_for} for of {vote.outstanding} outstanding{present}"


def failures(req: Requirement, satisfied: Callable[[str], str | None]) -> list[str]:
    """What keeps ``req`` from being met: one reason per failing body of an ``all_of`` (each body
    must approve by its own majority), one reason for an ``any_of`` none of whose bodies approved.

    ``satisfied(body)`` returns ``None`` when the body approved, else the reason it did not.
    """
    if req.body is not None:
        reason = satisfied(req.body)
        return [] if reason is None else [reason]
    results = [failures(item, satisfied) for item in req.items]
    if req.op == "all_of":
        return [reason for result in results for reason in result]
    if any(not result for result in results):
        return []
    return ["none of the alternatives approved: " + "; ".join(r for result in results for r in result)]


def remaining(req: Requirement, approved: Collection[str]) -> Requirement | None:
    """What of ``req`` is still unmet once the bodies in ``approved`` have approved (``None``: it
    is met): ``all_of`` keeps its unmet parts, ``any_of`` is met by any one of them."""
    if req.body is not None:
        return None if req.body in approved else req
    rest = [r for r in (remaining(item, approved) for item in req.items) if r is not None]
    if req.op == "all_of":
        if not rest:
            return None
        return rest[0] if len(rest) == 1 else Requirement("all_of", tuple(rest))
    if len(rest) < len(req.items):
        return None
    return rest[0] if len(rest) == 1 else Requirement("any_of", tuple(rest))


@dataclass(frozen=True)
class Requirements:
    """What an approval of a document must have: the bodies, and how the meeting must be held."""

    tree: Requirement
    in_person: bool
    called_for_purpose: bool
    source: Provision | None  # the provision that states the requirement (for the citation)


def target_document(trust: Trust, target: str | None) -> tuple[Document | None, Amendment | None]:
    """The document an approval is of, and the amendment when it approves one."""
    if target is None:
        return None, None
    amendment = trust.amendments_by_id.get(target)
    if amendment is not None:
        return trust.document(amendment.document), amendment
    return trust.document(target), None


def _cap_before(doc: Document, amendment: Amendment) -> Any:
    """The fee cap a plan stated just before ``amendment``: as adopted, then as earlier amended."""
    cap_prov = doc.provisions.get("fee_cap")
    cap = cap_prov.get("rate") if cap_prov is not None else None
    for earlier in doc.amendments_in_order:
        if earlier is amendment:
            break
        change = earlier.changes.get("fee_cap")
        if isinstance(change, Mapping) and change.get("to") is not None:
            cap = change["to"]
    return cap


def raises_fee_cap(amendment: Amendment | None, doc: Document | None = None) -> bool:
    """Whether ``amendment`` raises the plan's fee cap: above its ``from`` or, where it states none,
    above the cap of ``doc`` (the plan) just before it; with neither, any new cap counts as a raise."""
    change = amendment.changes.get("fee_cap") if amendment is not None else None
    if amendment is None or not isinstance(change, Mapping) or change.get("to") is None:
        return False
    before = change.get("from")
    if before is None and doc is not None:
        before = _cap_before(doc, amendment)
    try:
        return before is None or parse_rate(change["to"]) > parse_rate(before)
    except ValueError:
        return False


def requirements(doc: Document, action: str, amendment: Amendment | None,
                 params: Mapping[str, Any]) -> Requirements | None:
    """The requirement of the document's own text for this kind of approval, else the law's default
    (the pack's ``default_requirements``); ``None`` where neither names one. Worked out once per
    document, kind of approval, amendment and rule settings (a rule asks for every vote)."""
    # Keyed by the parameter values it reads (one object per pack and run, whichever rule asks), so
    # that the rules share the answer; they are kept with it, so that their ids stay unique.
    used = tuple(params.get(name) for name in _REQUIREMENT_PARAMS)
    key = ("requirements", action, id(amendment), *map(id, used))
    known = doc.memo.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], used)):
        return known[1]  # type: ignore[no-any-return]
    need = _requirements(doc, action, amendment, params)
    doc.memo[key] = (used, need)
    return need


_REQUIREMENT_PARAMS = ("default_requirements", "in_person_required", "called_for_purpose_required")


def _requirements(doc: Document, action: str, amendment: Amendment | None,
                  params: Mapping[str, Any]) -> Requirements | None:
    source: Provision | None = None
    if doc.is_plan:
        source = (doc.provision("continuance") if action == "continuance" else None)
        if source is None or source.requirement() is None:
            source = doc.provision("approval") or source
        tree = source.requirement() if source is not None else None
    elif doc.is_agreement and action == "continuance":
        source = doc.provision("term")
        tree = source.requirement("continuance_requires") if source is not None else None
    else:
        tree = None
    defaults = params.get("default_requirements") or {}
    if tree is None and doc.interim:
        tree = defaults.get(("interim-agreement", action))  # Rule 15a-4: the board without shareholders
    if tree is None:
        tree = defaults.get((doc.kind, action))
    if tree is None:
        return None
    if doc.is_plan and action in ("material-amendment", "amendment") and raises_fee_cap(amendment, doc):
        increase = doc.provision("fee_increase")
        extra = increase.requirement() if increase is not None else None
        extra = extra or Requirement("body", body="class_shareholders")
        tree = Requirement("all_of", (tree, extra))
    def stated(key: str) -> bool:
        return bool(source is not None and source.get(key))
    return Requirements(
        tree,
        stated("in_person") or doc.kind in (params.get("in_person_required") or ()),
        stated("called_for_purpose") or doc.kind in (params.get("called_for_purpose_required") or ()),
        source)


AMENDMENT_ACTIONS = ("amendment", "material-amendment")


def same_action(vote_action: str | None, action: str | None) -> bool:
    """Whether a shareholder vote is on the kind of approval ``action`` (a vote that states no
    action is on any): the shareholders' approval of the initial contract does not continue it."""
    if vote_action is None or action is None or vote_action == action:
        return True
    return vote_action in AMENDMENT_ACTIONS and action in AMENDMENT_ACTIONS


def speaks_for(vote: ShareholderVote, body: str, doc: Document, portfolio: str | None = None,
               action: str | None = None) -> bool:
    """Whether a shareholder vote can speak for ``body`` on ``doc`` (of ``portfolio``, for the kind
    of approval ``action``, when given), whatever its date and outcome."""
    return ((portfolio is None or vote.portfolio in (None, portfolio))
            and same_action(vote.action, action)
            and (body != "class_shareholders" or (vote.share_class is not None and
                                                   (doc.share_class is None or vote.share_class == doc.share_class))))


@dataclass(frozen=True)
class _Votes:
    """The votes on one target that can speak for one body, passing and failing, each by date (file
    order within a day): a window of dates is then two bisections, not a scan of every vote."""

    passing_dates: list[date]
    passing: list[ShareholderVote]
    failing_dates: list[date]
    failing: list[ShareholderVote]

    def window(self, near: tuple[date, Period] | None) -> tuple[slice, slice]:
        if near is None:
            return slice(None), slice(None)
        lo, hi = near[1].before(near[0]), near[1].after(near[0])  # (both ends excluded)
        return (slice(bisect.bisect_right(self.passing_dates, lo), bisect.bisect_left(self.passing_dates, hi)),
                slice(bisect.bisect_right(self.failing_dates, lo), bisect.bisect_left(self.failing_dates, hi)))


def _votes(trust: Trust, target: str, body: str, doc: Document, m: Majorities, portfolio: str | None,
           action: str | None) -> _Votes:
    """``_Votes`` for one question, built once per trust (each meeting on the target asks it)."""
    key = (target, body == "class_shareholders", doc.share_class, m, portfolio, action)

    def compute() -> _Votes:
        passing: list[ShareholderVote] = []
        failing: list[ShareholderVote] = []
        for v in sorted(trust.votes_by_target.get(target, ()), key=lambda v: v.date):
            if speaks_for(v, body, doc, portfolio, action):
                (passing if shareholder_passes(v, m) else failing).append(v)
        return _Votes([v.date for v in passing], passing, [v.date for v in failing], failing)
    return trust.remember("votes", key, compute)  # type: ignore[no-any-return]


def passing_votes(trust: Trust, target: str, body: str, doc: Document, m: Majorities,
                  portfolio: str | None = None, action: str | None = None,
                  near: tuple[date, Period] | None = None
                  ) -> tuple[list[ShareholderVote], list[ShareholderVote]]:
    """(passing, failing) shareholder votes on ``target`` (for the kind of approval ``action``, when
    given; within a period of a day, with ``near``) that can speak for ``body``, each by date."""
    votes = _votes(trust, target, body, doc, m, portfolio, action)
    yes, no = votes.window(near)
    return votes.passing[yes], votes.failing[no]


def first_votes(trust: Trust, target: str, body: str, doc: Document, m: Majorities,
                portfolio: str | None = None, action: str | None = None,
                near: tuple[date, Period] | None = None
                ) -> tuple[ShareholderVote | None, ShareholderVote | None]:
    """The earliest passing and the earliest failing vote of ``passing_votes``, without listing them
    (in logarithmic time: a trust of N meetings and N votes on one document costs N log N)."""
    votes = _votes(trust, target, body, doc, m, portfolio, action)
    yes, no = votes.window(near)
    first_yes = votes.passing[yes.start or 0] if len(range(*yes.indices(len(votes.passing)))) else None
    first_no = votes.failing[no.start or 0] if len(range(*no.indices(len(votes.failing)))) else None
    return first_yes, first_no


@dataclass(frozen=True)
class Evaluation:
    """A meeting's approval judged against a requirement."""

    reasons: list[str]  # why it is not valid (none: valid)
    vote: BoardVote
    provisional: str | None = None  # valid for now: a remote vote under SEC relief awaiting ratification

    @property
    def valid(self) -> bool:
        return not self.reasons


def ratification(trust: Trust, meeting: Meeting, action: Action, as_of: date | None,
                 need: Requirements | None = None, m: Majorities | None = None,
                 unanimous: Collection[str] = (),
                 others: Callable[[str], str | None] | None = None) -> tuple[str, Meeting | None, str | None]:
    """Whether a vote taken under SEC relief was ratified at the next in-person meeting:
    ``("ratified" | "pending" | "unratified", that meeting, why not)``. Pending until that meeting
    is held. With ``need`` and ``m``, the ratification is judged against the whole requirement of the
    approval: every board body it names votes again, each by its own majority of those in office on
    the day of the ratification (the independent trustees too, not the board's majority alone); a
    shareholder body is judged by ``others`` (its vote is not retaken)."""
    nxt = _next_in_person(trust, meeting.date)
    if nxt is None or (as_of is not None and nxt.date > as_of):
        return "pending", None, None
    why = None
    for act in nxt.actions:
        if act.action == "ratification" and act.ratifies == meeting.date \
                and act.approves in (None, action.approves):
            if need is not None and m is not None:
                reasons = [r for r in failures(need.tree, _board_satisfied(board_vote(trust, nxt, act), m,
                                                                           unanimous, others))
                           if not r.startswith(_SHAREHOLDER_WORDS)]  # those the approval itself reports
                if reasons:
                    why = why or "; ".join(reasons)
                    continue
            return "ratified", nxt, None
    return "unratified", nxt, why


def _next_in_person(trust: Trust, day: date) -> Meeting | None:
    """The first meeting held in person after ``day`` (the first written, of several that day)."""
    trust.read("meetings")  # any unreadable meeting may be the next one held in person
    known = trust.cache.get("in_person")
    if known is None:
        held = sorted((mt for mt in trust.meetings if mt.in_person), key=lambda mt: mt.date)
        known = trust.cache["in_person"] = ([mt.date for mt in held], held)
    dates, held = known
    at = bisect.bisect_right(dates, day)
    return held[at] if at < len(held) else None


_SHAREHOLDER_WORDS = tuple(BODY_WORDS[b] for b in SHAREHOLDER_BODIES)


def _board_satisfied(vote: BoardVote, m: Majorities, unanimous: Collection[str],
                     others: Callable[[str], str | None] | None) -> Callable[[str], str | None]:
    """``satisfied(body)`` for :func:`failures`: a board body by the tally of ``vote``; any other body
    by ``others`` (approved when none is given)."""
    def satisfied(body: str) -> str | None:
        if body in BOARD_BODIES:
            tally = vote.trustees if body == "trustees" else vote.independent_trustees
            whole = body in unanimous
            if tally.passes(m.board_more_than, whole):
                return None
            words = f"every {body.replace('_', ' ')[:-1]}" if whole else BODY_WORDS[body]
            return f"{words} did not approve ({tally.describe(m.board_more_than, whole)})"
        return others(body) if others is not None else None
    return satisfied


def evaluate(trust: Trust, meeting: Meeting, action: Action, need: Requirements, doc: Document,
             m: Majorities, unanimous: Collection[str] = (), as_of: date | None = None,
             window: Period | None = None) -> Evaluation:
    """Judge a meeting's approval against ``need``. A shareholder vote speaks for a continuance only
    within ``window`` of the meeting; a remote vote under SEC relief stands provisionally until the
    next in-person meeting (held by ``as_of``), and fails there if that meeting does not ratify it.
    Judged once per question: the continuance rule and the approvals rule ask the same ones."""
    key = (id(meeting), id(action), need.tree, need.in_person, need.called_for_purpose, id(doc), m,
           tuple(unanimous), as_of, window)
    return trust.remember("evaluate", key, lambda: _evaluate(  # type: ignore[no-any-return]
        trust, meeting, action, need, doc, m, unanimous, as_of, window))


def _evaluate(trust: Trust, meeting: Meeting, action: Action, need: Requirements, doc: Document,
              m: Majorities, unanimous: Collection[str], as_of: date | None,
              window: Period | None) -> Evaluation:
    vote = board_vote(trust, meeting, action)
    reasons: list[str] = []
    provisional = None

    def shareholders(body: str) -> str | None:
        near = (meeting.date, window) if window is not None and action.action == "continuance" else None
        passing, failing = first_votes(trust, action.approves or "", body, doc, m, action=action.action,
                                       near=near)
        if passing is not None:
            return None
        if failing is not None:
            return (f"{BODY_WORDS[body]} did not approve: the vote of {failing.date} "
                    f"({describe_vote(failing)}) fails the §2(a)(42) test")
        return f"{BODY_WORDS[body]} did not approve: no shareholder vote is recorded"

    satisfied = _board_satisfied(vote, m, unanimous, shareholders)
    if need.in_person and not meeting.in_person:
        if meeting.relief:
            status, nxt, why = ratification(trust, meeting, action, as_of, need, m, unanimous, shareholders)
            if status == "pending":
                provisional = (f"the meeting of {meeting.date} was not held in person; under SEC relief "
                               f"({meeting.relief}) the vote stands provisionally until it is ratified at the "
                               "next in-person meeting")
            elif status == "unratified" and nxt is not None:
                reasons.append(f"the meeting of {meeting.date} was held under SEC relief ({meeting.relief}) "
                               f"but the next in-person meeting, on {nxt.date}, did not ratify it"
                               + (f": at the ratification, {why}" if why else ""))
        else:
            reasons.append(f"the meeting of {meeting.date} was not held in person (written consent, telephone "
                           "or video), and the vote must be cast in person")
    if need.called_for_purpose and not meeting.called_for_purpose:
        reasons.append(f"the meeting of {meeting.date} was not called for the purpose of voting on it")

    reasons += failures(need.tree, satisfied)
    return Evaluation(reasons, vote, provisional if not reasons else None)


# --- class votes (Rule 12b-1(b)(1), (b)(4), (g); Rule 18f-3(a)(2)) ---------------------------------------
# One judgement of which portfolios' classes approved a plan or a raise of its fee cap, asked by both
# fee-cap (is the higher cap in effect for this portfolio?) and required-approvals (is a vote missing?).

@dataclass(frozen=True)
class ClassApproval:
    """Whether one portfolio's class approved a plan or an amendment of it, and the vote that says so."""

    portfolio: Portfolio
    share_class: str
    vote: ShareholderVote | None  # the passing vote; else the one that explains why not (None: no vote)
    why: str | None  # None: approved; else what keeps it from being approved

    @property
    def approved(self) -> bool:
        return self.why is None


def plan_classes(trust: Trust, plan: Document) -> tuple[str, ...]:
    """The share classes whose plan is ``plan`` (as ``Trust.plan_for_class`` decides for each)."""
    names = dict.fromkeys([*trust.share_classes, *(c for p in trust.portfolios for c in p.classes)])
    return tuple(n for n in names if trust.plan_for_class(n) is plan)


def class_approval(trust: Trust, target: str, portfolio: Portfolio, share_class: str, latest: date | None,
                   m: Majorities) -> ClassApproval:
    """Whether the holders of ``share_class`` of ``portfolio`` approved ``target`` (a plan or an
    amendment) by a passing §2(a)(42) vote dated no later than ``latest``. The vote is taken
    portfolio by portfolio and class by class (Rule 12b-1(g); Rule 18f-3(a)(2)): a vote of the whole
    portfolio (no ``share_class``) does not count, nor one that names no portfolio where more than
    one portfolio has the class."""
    by_portfolio = _votes_by_portfolio(trust, target)
    alone = _class_count(trust).get(share_class, 0) == 1
    votes = [*by_portfolio.get(portfolio.id, ()), *(by_portfolio.get(None, ()) if alone else ())]
    by_class = [v for v in votes if v.share_class == share_class]
    in_time = [v for v in by_class if latest is None or v.date <= latest]
    for vote in in_time:
        if shareholder_passes(vote, m):
            return ClassApproval(portfolio, share_class, vote, None)
    if in_time:
        vote = in_time[0]
        why = f"the class vote of {vote.date} ({describe_vote(vote)}) fails §2(a)(42)"
    elif by_class:
        vote = by_class[0]
        why = f"the class vote of {vote.date} came after {latest}, the date it had to be taken by"
    elif whole := [v for v in votes if v.share_class is None]:
        vote = whole[0]
        why = f"the vote of {vote.date} was by the whole portfolio, not by its class {share_class} shareholders"
    elif trust_wide := [v for v in by_portfolio.get(None, ()) if v.share_class == share_class]:
        vote = trust_wide[0]
        why = (f"the class {share_class} vote of {vote.date} names no portfolio, and each of the "
               f"{_class_count(trust).get(share_class, 0)} portfolios with the class votes separately")
    else:
        vote, why = None, f"no vote of its class {share_class} shareholders is recorded"
    return ClassApproval(portfolio, share_class, vote, why)


def _votes_by_portfolio(trust: Trust, target: str) -> dict[str | None, list[ShareholderVote]]:
    """The shareholder votes on ``target`` by the portfolio they name (once per target)."""
    def compute() -> dict[str | None, list[ShareholderVote]]:
        out: dict[str | None, list[ShareholderVote]] = {}
        for vote in trust.votes_by_target.get(target, ()):
            out.setdefault(vote.portfolio, []).append(vote)
        return out
    return trust.remember("votes_by_portfolio", target, compute)  # type: ignore[no-any-return]


def _class_count(trust: Trust) -> dict[str, int]:
    """How many portfolios have each share class (once per trust)."""
    cache = trust.cache.setdefault("class_count", {})
    if not cache:
        for portfolio in trust.portfolios:
            for name in portfolio.classes:
                cache[name] = cache.get(name, 0) + 1
    return cache


def increase_approvals(trust: Trust, plan: Document, amendment: Amendment,
                       m: Majorities) -> tuple[ClassApproval, ...]:
    """For an amendment of ``plan`` that changes its fee cap: each portfolio class under the plan that
    had shareholders on the amendment's date, and whether they approved it by then (Rule 12b-1(b)(4)
    requires the approval of (b)(1), which a class not yet offered to the public does not need: a
    class whose ``first_offered`` is on or after the amendment's date is left out). Worked out once
    per amendment: fee-cap and required-approvals ask the same question."""
    key = (id(amendment), m)

    def compute() -> tuple[ClassApproval, ...]:
        when = amendment.date
        out = []
        for share_class in plan_classes(trust, plan):
            for portfolio in trust.portfolios:
                cls = portfolio.classes.get(share_class)
                if cls is None or (when is not None and cls.first_offered is not None
                                   and when <= cls.first_offered):
                    continue
                out.append(class_approval(trust, amendment.id, portfolio, share_class, when, m))
        return tuple(out)
    return trust.remember("increase_approvals", key, compute)  # type: ignore[no-any-return]
