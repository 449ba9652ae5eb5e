#!/usr/bin/env python3
"""Generate a seeded corpus of realistic mist-check trusts (fund configuration format 1).

Each trust is a directory with a root ``trust.yaml`` that includes its parts::

    trust.yaml                         format, policy, as_of, include, trust, trustees, share_classes
    portfolios.yaml                    ~50 portfolios, their share classes and fees
    documents/agreements.yaml          distribution agreement (Schedule A, amendments), management
                                       agreement (fee schedule, amendments), sub-advisory agreements
    documents/multi-class-plan.yaml    the Rule 18f-3 plan
    documents/plans.yaml               one Rule 12b-1 plan per share class (one amended)
    meetings/YYYY-YYYY.yaml (x3)       ~40 quarterly board meetings with roll calls
    shareholder-votes.yaml             initial approvals and a class vote on a fee increase
    reports.yaml                       the quarterly Rule 12b-1 reports (~117)

Every trust is clean under the checker except a few seeded violations (``--violations``, default
3), drawn from a menu (a fee above its plan's cap, a lapsed continuance, a 90-day termination
notice, a missing quarterly report, ...). What was seeded is written to ``MANIFEST.json`` at the
top of ``--out``. The output depends only on the seed and the knobs: trust ``i`` of a corpus is the
same file for file whatever ``--trusts`` is, so a 100-trust corpus is the first 100 trusts of the
1,000-trust one.

Only the standard library is used: the YAML is written by a small emitter (dates as plain ISO
scalars, rates, periods, sections and class names as double-quoted strings).

    python benchmarks/generate.py --seed 1 --trusts 100 --out benchmarks/corpus/100
"""
from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 1
DEFAULTS = {
    "portfolios": 50,
    "classes": 3,
    "trustees": 8,
    "years": 10,
    "meetings_per_year": 4,
    "meeting_files": 3,
    "sub_advisers": 2,
    "violations": 3,
}


# --------------------------------------------------------------------------------------------
# A small YAML emitter
# --------------------------------------------------------------------------------------------
class Q(str):
    """A string always written double-quoted (rates, periods, sections, class names)."""


class Block(dict):  # type: ignore[type-arg]
    """A mapping always written in block style (never folded into ``{...}``)."""


class Comment:
    """A comment line: a list element, or a mapping key (its value is ignored)."""

    def __init__(self, text: str) -> None:
        self.text = text


@dataclass(frozen=True)
class Note:
    """A scalar with a trailing comment (block style only)."""

    value: Any
    comment: str


WIDTH = 100
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/&()'-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value: Any) -> str:
    if isinstance(value, Note):
        return scalar(value.value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Q):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and not value.endswith(" ") and value.lower() not in _RESERVED:
            return value
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} {value!r}")


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def _flowable(value: Any) -> bool:
    if isinstance(value, Block):
        return False
    if isinstance(value, dict):
        return all(not isinstance(k, Comment) and not isinstance(v, Note) and _flowable(v)
                   for k, v in value.items())
    if isinstance(value, list):
        return all(not isinstance(v, Comment) and _flowable(v) for v in value)
    return not isinstance(value, Note)


def _line(indent: int, text: str, value: Any = None) -> str:
    note = f"  # {value.comment}" if isinstance(value, Note) else ""
    return " " * indent + text + note


def _wrapped(prefix: str, value: Any, indent: int) -> list[str] | None:
    """``prefix`` and ``value`` in flow style, wrapped at WIDTH as people wrap long flow collections
    (continuation lines aligned after the opening bracket); None where block style reads better."""
    if not _flowable(value):
        return None
    text = flow(value)
    if indent + len(prefix) + len(text) <= WIDTH:
        return [" " * indent + prefix + text]
    if len(text) > 4 * WIDTH:
        return None
    if isinstance(value, dict):
        parts, (open_, close) = [f"{scalar(k)}: {flow(v)}" for k, v in value.items()], "{}"
    else:
        parts, (open_, close) = [flow(v) for v in value], "[]"
    column = indent + len(prefix) + 1
    lines, current = [], " " * indent + prefix + open_
    for i, part in enumerate(parts):
        piece = part + ("," if i < len(parts) - 1 else close)
        fresh = current.endswith(open_) and len(current) == column
        if not fresh and len(current) + 1 + len(piece) > WIDTH:
            lines.append(current)
            current = " " * column + piece
        else:
            current += ("" if fresh else " ") + piece
    lines.append(current)
    return lines


def block(value: Any, indent: int, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, Comment):
                out.append(_line(indent, f"# {key.text}"))
                continue
            head = f"{scalar(key)}:"
            if _is_scalar(item):
                out.append(_line(indent, f"{head} {scalar(item)}", item))
            elif not item:
                out.append(_line(indent, f"{head} {'{}' if isinstance(item, dict) else '[]'}"))
            else:
                wrapped = _wrapped(head + " ", item, indent)
                if wrapped is not None:
                    out.extend(wrapped)
                else:
                    out.append(_line(indent, head))
                    block(item, indent + 2, out)
        return
    for item in value:
        if isinstance(item, Comment):
            out.append(_line(indent, f"# {item.text}"))
        elif _is_scalar(item):
            out.append(_line(indent, f"- {scalar(item)}", item))
        else:
            wrapped = _wrapped("- ", item, indent)
            if wrapped is not None:
                out.extend(wrapped)
                continue
            inner: list[str] = []
            block(item, indent + 2, inner)
            first = next(i for i, text in enumerate(inner) if not text.lstrip().startswith("#"))
            out.extend(inner[:first])
            out.append(" " * indent + "- " + inner[first][indent + 2:])
            out.extend(inner[first + 1:])


def dump(header: list[str], data: dict[Any, Any]) -> str:
    out = [f"# {line}" if line else "#" for line in header]
    if header:
        out.append("")
    keys = list(data)
    for index, key in enumerate(keys):
        block({key: data[key]}, 0, out)
        following = data[keys[index + 1]] if index < len(keys) - 1 else None
        if index < len(keys) - 1 and not (_is_scalar(data[key]) and _is_scalar(following)):
            out.append("")  # a blank line around each section; scalar settings stay together
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Dates, rates, names
# --------------------------------------------------------------------------------------------
def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def quarter_end_after(day: date) -> date:
    """The last day of the calendar quarter that contains ``day``."""
    month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def pct(bp: int) -> Q:
    return Q(f"{bp // 100}.{bp % 100:02d}%")


def rate(bp: int, rng: random.Random) -> Q:
    """A rate as filings write it: mostly "0.65%", sometimes ".65%" or "65bp"."""
    roll = rng.random()
    if roll < 0.08:
        return Q(f"{bp}bp")
    if roll < 0.14 and bp < 100:
        return Q(f".{bp:02d}%")
    return pct(bp)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace(".", "")).strip("-")


FIRST = ["Alice", "Benjamin", "Carla", "David", "Elena", "Frank", "Grace", "Henry", "Irene", "James",
         "Karen", "Louis", "Margaret", "Nathan", "Olivia", "Paul", "Rachel", "Samuel", "Teresa",
         "Victor", "Walter", "Yvonne", "Arthur", "Beatrice", "Charles", "Dorothy", "Edward", "Florence",
         "George", "Helen", "Isaac", "Julia", "Kenneth", "Lillian", "Martin", "Nora", "Oscar", "Patricia"]
LAST = ["Abernathy", "Blackwood", "Castellano", "Delacroix", "Ellsworth", "Fairbanks", "Gallagher",
        "Hargrove", "Ingersoll", "Jablonski", "Kowalczyk", "Lindqvist", "Montgomery", "Nakamura",
        "Okonkwo", "Pemberton", "Quintero", "Rasmussen", "Sutherland", "Thornbury", "Underhill",
        "Vasquez", "Whitfield", "Yamamoto", "Zielinski", "Ashby", "Brennan", "Caldwell", "Donnelly",
        "Everett", "Fitzgerald", "Goodwin", "Holloway", "Iverson", "Jennings", "Kendrick"]
FIRMS = ["Aldgate", "Brookfield", "Calloway", "Dunmore", "Easton", "Fairhaven", "Glenrock", "Harwood",
         "Ironbridge", "Juniper", "Kestrel", "Larkspur", "Meridian", "Northgate", "Oakmont", "Pinecrest",
         "Quarry Hill", "Redwater", "Stonebridge", "Tidewater", "Union Square", "Verity", "Westbrook",
         "Yarrow", "Ashcombe", "Bellhaven", "Copperfield", "Driftwood"]
STRATEGIES = [
    ("Large Cap Value", 65), ("Large Cap Growth", 70), ("Mid Cap Value", 75), ("Mid Cap Growth", 80),
    ("Small Cap Value", 85), ("Small Cap Growth", 90), ("International Equity", 85),
    ("Emerging Markets Equity", 105), ("Global Real Estate", 80), ("Total Return Bond", 50),
    ("High Yield Bond", 60), ("Short Duration Bond", 40), ("Inflation Protected Bond", 45),
    ("Money Market", 30), ("Balanced", 60), ("Dividend Growth", 65), ("Equity Income", 65),
    ("Core Plus Bond", 50), ("Global Allocation", 70), ("Growth and Income", 65),
    ("Convertible Securities", 70), ("Natural Resources", 80), ("Technology", 85),
    ("Health Sciences", 85), ("Aggressive Allocation", 15), ("Moderate Allocation", 15),
    ("Conservative Allocation", 15), ("Enhanced Index", 35), ("Research International", 80),
    ("Capital Appreciation", 70), ("Strategic Income", 60), ("Quality Bond", 50)]
TRUST_KINDS = ["Series Trust", "Variable Insurance Trust", "Investors Trust", "Funds Trust",
               "Variable Series Trust", "Advisers Trust"]
# Share classes and the caps their plans commonly carry (basis points of average daily net assets).
CLASS_CAPS = {"A": [25], "B": [50, 75, 100], "C": [75, 100], "E": [15, 25], "R": [50],
              "Service": [25], "Investor": [25], "Advisor": [25, 50]}
CLASS_SETS = [("A", "B", "C"), ("B", "E", "A"), ("A", "C", "R"), ("Service", "Investor", "A"),
              ("A", "B", "E"), ("B", "C", "Advisor")]
VIOLATIONS = {
    # kind: (rule it trips, what it is)
    "fee-above-cap": ("fee-cap", "a portfolio charges a distribution fee above its class plan's cap"),
    "fee-increase-without-vote": ("fee-cap", "a portfolio charges the raised cap without its class's vote"),
    "management-fee-above-schedule": ("fee-cap", "a management fee above the agreement's Schedule A"),
    "lapsed-continuance": ("annual-continuance", "one annual continuance is skipped, so the next is late"),
    "notice-90-days": ("termination-notice", "an advisory agreement lets the fund terminate on 90 days"),
    "missing-report": ("quarterly-reports", "two quarterly reports of a plan are missing"),
    "late-report": ("quarterly-reports", "a quarterly report is reviewed after its deadline"),
    "not-on-schedule": ("schedule-coverage", "a portfolio removed from Schedule A still offers the class"),
    "not-in-office": ("required-approvals", "a retired trustee is in a roll call"),
    "no-independent-majority": ("required-approvals", "an amendment approved without the independent trustees"),
    "blank-adoption-date": ("document-dates", "a plan's adoption date is left blank"),
    "assignment-not-automatic": ("assignment-termination", "an agreement does not end on its assignment"),
}


# --------------------------------------------------------------------------------------------
# The trust
# --------------------------------------------------------------------------------------------
@dataclass
class Trustee:
    name: str
    independent: bool
    start: date | None
    end: date | None

    def in_office(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Meeting:
    day: date
    actions: list[dict[str, Any]] = field(default_factory=list)
    absent: str | None = None
    in_person: bool = True
    called_for_purpose: bool = False


@dataclass
class Portfolio:
    id: str
    name: str
    firm: str
    fee_bp: int
    launched: date | None = None  # None: one of the original portfolios
    classes: dict[str, int] = field(default_factory=dict)  # class -> distribution fee (bp)
    closed: set[str] = field(default_factory=set)  # classes no longer offered
    fee_text: Q | None = None


class TrustBuilder:
    def __init__(self, seed: int, index: int, knobs: dict[str, int]) -> None:
        self.rng = random.Random(f"mist-bench:{GENERATOR_VERSION}:{seed}:{index}")
        self.index = index
        self.k = knobs
        self.violations: list[dict[str, Any]] = []

    # ---- the calendar -----------------------------------------------------------------------
    def calendar(self) -> None:
        rng, k = self.rng, self.k
        self.y0 = rng.randint(1996, 2012)
        per_year = max(1, k["meetings_per_year"])
        step = max(1, 12 // per_year)
        offset = rng.randrange(step)
        weekday = rng.choice([1, 2, 3])  # Tuesday to Thursday
        self.meetings = [Meeting(nth_weekday(self.y0 + y, 1 + offset + step * q, weekday, 3))
                         for y in range(k["years"]) for q in range(per_year) if 1 + offset + step * q <= 12]
        self.as_of = self.meetings[-1].day + timedelta(days=rng.randint(20, 45))

    # ---- the board --------------------------------------------------------------------------
    def roster(self) -> None:
        rng, k = self.rng, self.k
        first = self.meetings[0].day
        span = self.meetings[-1].day - first
        names: set[str] = set()
        while len(names) < k["trustees"]:
            names.add(f"{rng.choice(FIRST)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(LAST)}")
        pool = sorted(names)
        rng.shuffle(pool)
        n_int = max(1, k["trustees"] // 4)
        self.trustees: list[Trustee] = []
        for i, name in enumerate(pool):
            independent = i >= n_int
            start = first - timedelta(days=rng.randint(30, 3000)) if rng.random() < 0.85 else None
            self.trustees.append(Trustee(name, independent, start, None))
        # The interested trustees take the latest dated seats (the independents the earlier ones and
        # the undated), so that the board is lawful from its first day: no more than 60% interested
        # (ICA §10(a)) and a majority independent (Rule 0-1(a)(7)(i)), as board-composition judges.
        starts = sorted((t.start for t in self.trustees if t.start is not None), reverse=True)
        starts += [None] * (len(self.trustees) - len(starts))
        by_seat = [t for t in self.trustees if not t.independent] + [t for t in self.trustees if t.independent]
        for t, start in zip(by_seat, starts):
            t.start = start
        independents = [t for t in self.trustees if t.independent]
        self.retired: Trustee | None = None
        if len(independents) >= 3:
            joiner, self.retired = independents[-1], independents[-2]
            join_day = first + timedelta(days=int(span.days * rng.uniform(0.2, 0.45)))
            joiner.start = date(join_day.year, join_day.month, 1)
            leave = first + timedelta(days=int(span.days * rng.uniform(0.5, 0.75)))
            self.retired.end = date(leave.year, 6, 30) if leave.month <= 6 else date(leave.year, 12, 31)

    def in_office(self, day: date) -> list[Trustee]:
        return [t for t in self.trustees if t.in_office(day)]

    @staticmethod
    def _passes(voted: list[Trustee], members: list[Trustee]) -> bool:
        ind = [t for t in members if t.independent]
        ind_for = [t for t in voted if t.independent]
        return 2 * len(voted) > len(members) and 2 * len(ind_for) > len(ind)

    def roll_call(self, meeting: Meeting, advisory: bool) -> dict[str, Any]:
        members = self.in_office(meeting.day)
        present = [t for t in members if t.name != meeting.absent]
        abstain = []
        if advisory and self.rng.random() < 0.3:  # an interested trustee affiliated with the adviser
            abstain = [t for t in present if not t.independent][:1]
        voted = [t for t in present if t not in abstain]
        if not self._passes(voted, members):
            voted, abstain = members, []
        out: dict[str, Any] = {"for": [t.name for t in voted]}
        if abstain:
            out["abstain"] = [t.name for t in abstain]
        return out

    def act(self, meeting: Meeting, approves: str, action: str, advisory: bool = False) -> dict[str, Any]:
        entry = Block({"approves": approves, "action": action, **self.roll_call(meeting, advisory)})
        meeting.actions.append(entry)
        meeting.in_person = meeting.called_for_purpose = True
        return entry

    # ---- portfolios -------------------------------------------------------------------------
    def portfolios_and_classes(self) -> None:
        rng, k = self.rng, self.k
        self.sponsor = rng.choice(FIRMS)
        self.trust_name = f"{self.sponsor} {rng.choice(TRUST_KINDS)}"
        classes = list(rng.choice(CLASS_SETS))[: max(1, k["classes"])]
        while len(classes) < k["classes"]:
            extra = rng.choice([c for c in CLASS_CAPS if c not in classes] or ["Z"])
            classes.append(extra if extra != "Z" else f"Z{len(classes)}")
        self.classes = classes
        self.caps = {c: rng.choice(CLASS_CAPS.get(c, [25])) for c in classes}
        # the distributed class: the one with the highest cap (B or C shares, typically)
        self.dist_class = max(classes, key=lambda c: (self.caps[c], -classes.index(c)))
        firms = [f for f in FIRMS if f != self.sponsor]
        seen: set[str] = set()
        self.portfolios: list[Portfolio] = []
        while len(self.portfolios) < k["portfolios"]:
            firm, (strategy, fee) = rng.choice(firms), rng.choice(STRATEGIES)
            pid = slug(f"{firm} {strategy}")
            if pid in seen:
                if len(seen) >= len(firms) * len(STRATEGIES):
                    raise SystemExit("--portfolios is larger than the name pool")
                continue
            seen.add(pid)
            fee = max(10, fee + rng.choice([-10, -5, 0, 0, 5, 10]))
            p = Portfolio(pid, f"{firm} {strategy} Portfolio", firm, fee)
            for c in classes:
                if c != self.dist_class and rng.random() < 0.15:
                    continue  # not every portfolio offers every class
                cap = self.caps[c]
                p.classes[c] = cap if rng.random() < 0.8 else max(5, cap - rng.choice([5, 10]))
            self.portfolios.append(p)

    # ---- documents --------------------------------------------------------------------------
    def documents(self) -> None:
        rng, n = self.rng, len(self.meetings)
        first = self.meetings[0]
        self.plan_ids = {c: f"class-{slug(c)}-plan" for c in self.classes}
        self.dist_id = f"class-{slug(self.dist_class)}-distribution"
        self.agreement_dated = {"dist": first.day + timedelta(days=rng.randint(0, 10)),
                                "mgmt": first.day + timedelta(days=rng.randint(0, 10))}
        # Launch events: new portfolios join the schedules by amendment.
        launches = round(len(self.portfolios) * 0.24) if len(self.portfolios) >= 5 else 0
        # A fee increase comes early, before any launch: Rule 12b-1(b)(1) would otherwise need a vote
        # of the class of every portfolio launched before it, not a few.
        self.raise_meeting = rng.randrange(1, max(2, n // 5)) if n > 8 else None
        lo, hi = (self.raise_meeting or 0) + 2, n - 6
        events = sorted(rng.sample(range(lo, hi), min(3, hi - lo))) if launches and hi > lo else []
        launches = launches if events else 0
        originals = self.portfolios[: len(self.portfolios) - launches]
        newcomers = self.portfolios[len(self.portfolios) - launches:]
        self.launch_events: list[tuple[int, list[Portfolio], date]] = []
        for e, meeting_index in enumerate(events):
            group = newcomers[e::len(events)]
            day = self.meetings[meeting_index].day
            effective = add_months(date(day.year, day.month, 1), 1)
            for p in group:
                p.launched = effective
            self.launch_events.append((meeting_index, group, effective))
        # Removals: a few original portfolios leave the distribution agreement's Schedule A.
        on_schedule = [p for p in originals if self.dist_class in p.classes]
        self.removed = rng.sample(on_schedule, min(3, max(0, len(on_schedule) - 2))) if events else []
        for p in self.removed:
            p.closed.add(self.dist_class)
        # Sub-advisers: the first from the start, the others hired at a launch event.
        firms = list(dict.fromkeys(p.firm for p in originals))
        rng.shuffle(firms)
        self.subs: list[dict[str, Any]] = []
        for s in range(self.k["sub_advisers"]):
            if s == 0 or not self.launch_events:
                firm = firms[s % len(firms)] if firms else self.sponsor
                covered = [p for p in originals if p.firm == firm] or originals[:1]
                hired, hire_day = 0, self.meetings[0].day
            else:
                hired, group, _ = self.launch_events[(s - 1) % len(self.launch_events)]
                firm = group[0].firm
                covered = group
                hire_day = self.meetings[hired].day
            sid = f"{slug(firm)}-sub-advisory-agreement" + (f"-{s + 1}" if s else "")
            self.subs.append({"id": sid, "firm": firm, "covered": covered, "meeting": hired,
                              "dated": hire_day + timedelta(days=rng.randint(0, 7))})
        # The fee increase: the lowest-capped plan raises its cap by 10bp, with class votes in a few
        # portfolios (elsewhere the increase does not take effect, so the fee stays under the old cap).
        self.raise_class = min(self.classes, key=lambda c: (self.caps[c], self.classes.index(c)))
        raise_candidates = [p for p in originals if self.raise_class in p.classes]
        self.raise_new = self.caps[self.raise_class] + 10
        self.raise_voters = rng.sample(raise_candidates, min(3, len(raise_candidates))) \
            if self.raise_meeting is not None else []
        for p in self.raise_voters:
            p.classes[self.raise_class] = self.raise_new

    # ---- violations (chosen before the history is written) -------------------------------------
    def choose_violations(self) -> None:
        menu = list(VIOLATIONS)
        if self.retired is None:
            menu.remove("not-in-office")
        if not self.removed:
            menu.remove("not-on-schedule")
        if not self.launch_events:
            menu.remove("no-independent-majority")
        if self.raise_meeting is None:
            menu.remove("fee-increase-without-vote")
        if len(self.meetings) < 12:
            for kind in ("lapsed-continuance", "missing-report", "late-report"):
                menu.remove(kind)
        self.chosen = set(self.rng.sample(menu, min(self.k["violations"], len(menu))))
        # A plan with no adoption date has no reporting periods to judge, so the report violations
        # go to another plan.
        self.blank_class = self.rng.choice(self.classes) if "blank-adoption-date" in self.chosen else None
        self.report_classes = [c for c in self.classes if c != self.blank_class] or self.classes

    def violation(self, kind: str, where: str) -> None:
        rule, what = VIOLATIONS[kind]
        self.violations.append({"kind": kind, "rule": rule, "what": what, "where": where})

    # ---- the history: approvals, continuances, votes, reports ------------------------------------
    def history(self) -> None:
        rng = self.rng
        first = self.meetings[0]
        self.votes: list[dict[str, Any]] = []
        # absences: now and then one trustee misses a meeting
        for m in self.meetings:
            if rng.random() < 0.25:
                m.absent = rng.choice(self.in_office(m.day)).name
            m.in_person = rng.random() < 0.85
        # initial approvals at the organizational meeting
        for c in self.classes:
            self.act(first, self.plan_ids[c], "initial")
        self.act(first, "multi-class-plan", "initial")
        self.act(first, self.dist_id, "initial")
        self.act(first, "management-agreement", "initial", advisory=True)
        seed_shares = rng.choice([10_000, 25_000, 100_000])
        self.votes.append(Block({"date": first.day, "approves": "management-agreement", "action": "initial",
                           "for": seed_shares, "against": 0, "present": seed_shares,
                           "outstanding": seed_shares}))
        for sub in self.subs:
            meeting = self.meetings[sub["meeting"]]
            self.act(meeting, sub["id"], "initial", advisory=True)
            vote = {"date": meeting.day, "approves": sub["id"], "action": "initial"}
            if sub["meeting"]:
                vote["portfolio"] = sub["covered"][0].id
            vote.update({"for": seed_shares, "against": 0, "present": seed_shares, "outstanding": seed_shares})
            self.votes.append(Block(vote))
        # amendments approved by the board
        no_majority = "no-independent-majority" in self.chosen
        for e, (mi, group, effective) in enumerate(self.launch_events):
            meeting = self.meetings[mi]
            action = self.act(meeting, f"{self.dist_id}-amendment-{e + 1}", "amendment")
            if no_majority:
                no_majority = False
                members = self.in_office(meeting.day)
                interested = [t for t in members if not t.independent]
                independent = [t for t in members if t.independent]
                action["for"] = [t.name for t in interested + independent[:1]]
                action["against"] = [t.name for t in independent[1:3]]
                action.pop("abstain", None)
                self.violation("no-independent-majority", f"meeting {meeting.day}, {action['approves']}")
            self.act(meeting, f"management-agreement-amendment-{e + 1}", "amendment", advisory=True)
        if self.raise_meeting is not None:
            meeting = self.meetings[self.raise_meeting]
            plan = self.plan_ids[self.raise_class]
            self.act(meeting, f"{plan}-amendment-1", "material-amendment")
            last_vote = meeting.day
            for p in self.raise_voters:
                outstanding = rng.randint(200, 5000) * 10_000
                present = outstanding * rng.randint(55, 80) // 100
                votes_for = present * rng.randint(75, 95) // 100
                against = (present - votes_for) * rng.randint(40, 90) // 100
                assert present * 2 > outstanding and Fraction(votes_for) >= Fraction(67, 100) * present
                day = meeting.day + timedelta(days=rng.randint(30, 50))
                last_vote = max(last_vote, day)
                self.votes.append(Block({"date": day, "approves": f"{plan}-amendment-1",
                                   "action": "material-amendment", "portfolio": p.id,
                                   "share_class": Q(self.raise_class), "for": votes_for, "against": against,
                                   "present": present, "outstanding": outstanding}))
            self.raise_dated = meeting.day
            self.raise_effective = add_months(date(last_vote.year, last_vote.month, 1), 1)
        self.continuances()
        self.reports()
        if "not-in-office" in self.chosen and self.retired is not None and self.retired.end is not None:
            left = self.retired.end
            later = [m for m in self.meetings if m.day > left and m.actions]
            if later:
                m = rng.choice(later)
                m.actions[0]["for"] = m.actions[0]["for"] + [self.retired.name]
                self.violation("not-in-office", f"meeting {m.day}, {self.retired.name} (left {self.retired.end})")
        self.votes.sort(key=lambda v: v["date"])

    def continuances(self) -> None:
        """Each plan and agreement continued at the last meeting before it falls due, as
        annual-continuance counts (mist_check.timing): a plan runs one year from each approval (Rule
        12b-1(b)(3)(i)); an agreement voted within the 90 days up to and including its due date runs
        from that date (Rule 15a-2), else from the vote."""
        rng = self.rng
        docs: list[tuple[str, int, date, bool]] = []  # id, initial meeting, first due, advisory
        first = self.meetings[0].day
        for c in self.classes:
            docs.append((self.plan_ids[c], 0, add_years(first, 1), False))
        d = self.agreement_dated
        docs.append((self.dist_id, 0, min(date(d["dist"].year + 1, 12, 31), add_years(d["dist"], 2)), False))
        docs.append(("management-agreement", 0, min(date(d["mgmt"].year + 1, 12, 31),
                                                     add_years(d["mgmt"], 2)), True))
        for sub in self.subs:
            docs.append((sub["id"], sub["meeting"], min(date(sub["dated"].year + 1, 12, 31),
                                                        add_years(sub["dated"], 2)), True))
        skip: tuple[str, int] | None = None
        if "lapsed-continuance" in self.chosen:
            skip = (rng.choice(docs)[0], rng.randint(2, max(2, self.k["years"] - 3)))
        horizon = self.as_of + timedelta(days=75)
        plans = set(self.plan_ids.values())
        for doc_id, start, due, advisory in docs:
            cycle = 0
            for i in range(start + 1, len(self.meetings)):
                m = self.meetings[i]
                nxt = self.meetings[i + 1].day if i + 1 < len(self.meetings) else None
                if not (m.day > due or (nxt is not None and nxt > due) or (nxt is None and due <= horizon)):
                    continue
                cycle += 1
                if skip == (doc_id, cycle) and m.day <= due:
                    skip = None
                    self.violation("lapsed-continuance", f"{doc_id}: no continuance before {due}")
                    continue
                self.act(m, doc_id, "continuance", advisory)
                if m.day > due:
                    due = add_years(m.day, 1)
                elif doc_id not in plans and m.day >= due - timedelta(days=89):
                    due = add_years(due, 1)
                else:
                    due = max(due, add_years(m.day, 1))

    def reports(self) -> None:
        self.report_list: list[dict[str, Any]] = []
        first = self.meetings[0].day
        missing = late = None
        if "missing-report" in self.chosen:
            missing = (self.rng.choice(self.report_classes), self.rng.randint(4, 20))
        if "late-report" in self.chosen:
            late = (self.rng.choice(self.report_classes), self.rng.randint(4, 20))
        for c in self.classes:
            plan = self.plan_ids[c]
            end = quarter_end_after(first)
            q = 0
            while True:
                after = [m for m in self.meetings if m.day > end]
                if not after:
                    break
                reviewed = after[0].day
                q += 1
                if missing and missing[0] == c and q in (missing[1], missing[1] + 1):
                    if q == missing[1]:
                        self.violation("missing-report", f"{plan}: periods ending {end} and the next")
                elif late and late[0] == c and q == late[1] and after[-1].day > add_months(end, 3):
                    tardy = next(m.day for m in after if m.day > add_months(end, 3))  # past the deadline
                    self.report_list.append({"plan": plan, "period_end": end, "reviewed": tardy})
                    self.violation("late-report", f"{plan}: period ending {end} reviewed {tardy}")
                else:
                    self.report_list.append({"plan": plan, "period_end": end, "reviewed": reviewed})
                end = quarter_end_after(end + timedelta(days=1))
        self.report_list.sort(key=lambda r: (r["period_end"], r["plan"]))

    # ---- files ------------------------------------------------------------------------------
    def build(self) -> dict[str, str]:
        self.calendar()
        self.roster()
        self.portfolios_and_classes()
        self.documents()
        self.choose_violations()
        self.history()
        files = {
            "trust.yaml": self.root_file(),
            "portfolios.yaml": self.portfolios_file(),
            "documents/plans.yaml": self.plans_file(),
            "documents/agreements.yaml": self.agreements_file(),
            "documents/multi-class-plan.yaml": self.multi_class_file(),
            "shareholder-votes.yaml": dump([f"{self.trust_name}: shareholder votes (counts of shares)."],
                                           {"shareholder_votes": self.votes}),
            "reports.yaml": dump([f"{self.trust_name}: the quarterly written reports of the Rule 12b-1 plans",
                                  "(Plan §5), with the date the board reviewed each."],
                                 {"reports": self.report_list}),
        }
        files.update(self.meeting_files())
        return files

    def root_file(self) -> str:
        rng = self.rng
        first = self.meetings[0].day
        data: dict[Any, Any] = {
            "format": 1,
            "policy": rng.choice(["ica-1940", "ica-1940", "mist"]),
            "as_of": self.as_of,
            "include": ["portfolios.yaml", "documents/*.yaml", "meetings/*.yaml", "shareholder-votes.yaml",
                        "reports.yaml"],
            "trust": Block({"name": self.trust_name, "type": "open-end",
                            "names": [{"name": self.trust_name,
                                       "from": first - timedelta(days=rng.randint(30, 400)), "until": None}]}),
            "trustees": [self._trustee(t) for t in self.trustees],
            "share_classes": Block({Q(c): ({"plan": self.plan_ids[c], "distribution_agreement": self.dist_id}
                                           if c == self.dist_class else {"plan": self.plan_ids[c]})
                                    for c in self.classes}),
        }
        return dump([f"{self.trust_name} (generated benchmark trust #{self.index}).",
                     "A Delaware statutory trust registered as an open-end management investment company.",
                     "Generated by benchmarks/generate.py: fictional names, realistic structure."], data)

    @staticmethod
    def _trustee(t: Trustee) -> dict[str, Any]:
        out: dict[str, Any] = {"name": t.name, "independent": t.independent}
        if t.start is not None:
            out["from"] = t.start
        if t.end is not None:
            out["until"] = t.end
        return out

    def portfolios_file(self) -> str:
        rng = self.rng
        chosen = {}
        if "fee-above-cap" in self.chosen:
            p = rng.choice([p for p in self.portfolios if p not in self.raise_voters])
            c = rng.choice([c for c in p.classes if c != self.raise_class] or list(p.classes))
            p.classes[c] = self.caps[c] + 15
            self.violation("fee-above-cap", f"{p.id} class {c}: {pct(p.classes[c])} over {pct(self.caps[c])}")
        if "fee-increase-without-vote" in self.chosen:
            # a portfolio launched after the raise offers its class at the new cap from the start: it had
            # no shareholders to vote (Rule 12b-1(b)(4) asks for the approval of (b)(1)), so not that one
            others = [p for p in self.portfolios if self.raise_class in p.classes and p not in self.raise_voters
                      and p.classes[self.raise_class] <= self.caps[self.raise_class]
                      and (p.launched is None or p.launched < getattr(self, "raise_effective", p.launched))]
            if others:
                p = rng.choice(others)
                p.classes[self.raise_class] = self.raise_new
                self.violation("fee-increase-without-vote", f"{p.id} class {self.raise_class}")
        if "management-fee-above-schedule" in self.chosen:
            p = rng.choice(self.portfolios)
            chosen[p.id] = p.fee_bp + 5
            self.violation("management-fee-above-schedule", f"{p.id}: {pct(p.fee_bp + 5)} over {pct(p.fee_bp)}")
        keep_open = None
        if "not-on-schedule" in self.chosen and self.removed:
            keep_open = rng.choice(self.removed)
            self.violation("not-on-schedule", f"{keep_open.id} class {self.dist_class}")
        items: list[Any] = []
        for i, p in enumerate(self.portfolios):
            if p.launched is not None and (i == 0 or self.portfolios[i - 1].launched is None):
                items.append(Comment("Portfolios launched later (added to the schedules by amendment)."))
            entry: dict[str, Any] = Block({"id": p.id, "name": p.name,
                                           "management_fee": rate(chosen.get(p.id, p.fee_bp), rng)})
            classes: dict[Any, Any] = {}
            for c, fee in p.classes.items():
                cls: dict[str, Any] = {"distribution_fee": rate(fee, rng)}
                if c in p.closed and p is not keep_open:
                    cls["offered"] = False
                else:
                    cls["offered"] = True
                    if p.launched is not None:
                        cls["first_offered"] = p.launched
                classes[Q(c)] = cls
            entry["classes"] = classes if len(flow(classes)) <= 88 else Block(classes)
            items.append(entry)
        return dump([f"{self.trust_name}: every portfolio, with the management fee it is charged and, per",
                     "share class, the Rule 12b-1 distribution fee it pays."], {"portfolios": items})

    def _requires(self) -> dict[str, Any]:
        return {"all_of": ["trustees", "independent_trustees"]}

    def plans_file(self) -> str:
        first = self.meetings[0].day
        blank = self.blank_class
        docs = []
        for c in self.classes:
            pid = self.plan_ids[c]
            doc: dict[Any, Any] = Block({
                "id": pid, "kind": "distribution-plan", "title": f"Class {c} Distribution Plan",
                "share_class": Q(c),
                "adopted": Note(None, '"Adopted as of ____": the date was left blank') if c == blank else first,
                "provisions": Block({
                    "fee_cap": {"rate": pct(self.caps[c]), "basis": "average daily net assets", "section": Q("1")},
                    "approval": {"requires": self._requires(), "in_person": True, "called_for_purpose": True,
                                 "section": Q("3")},
                    "continuance": {"every": Q("1 year"), "after": Q("1 year"), "section": Q("4")},
                    "reporting": {"every": Q("quarter"), "section": Q("5")},
                    "termination": {"by": {"any_of": ["independent_trustees", "class_shareholders"]},
                                    "section": Q("6")},
                    "related_agreements": Block({
                        "termination": {"notice_days_max": 60, "without_penalty": True, "written": True,
                                        "by": {"any_of": ["independent_trustees", "class_shareholders"]},
                                        "section": Q("7(a)")},
                        "assignment": {"terminates_automatically": True, "section": Q("7(b)")}}),
                    "fee_increase": {"requires": {"all_of": ["class_shareholders"]}, "section": Q("8")},
                }),
            })
            if c == blank:
                self.violation("blank-adoption-date", pid)
            if c == self.raise_class and self.raise_meeting is not None:
                doc["amendments"] = [Block({
                    "id": f"{pid}-amendment-1", "title": "Amendment No. 1",
                    "dated": self.raise_dated, "effective": self.raise_effective,
                    "changes": {"fee_cap": {"from": pct(self.caps[c]), "to": pct(self.raise_new)}},
                    "section": Q("8")})]
            docs.append(doc)
        return dump([f"{self.trust_name}: the Rule 12b-1 distribution plans, one per share class."],
                    {"documents": docs})

    def _termination(self, by: list[str], section: str, days: int = 60) -> dict[str, Any]:
        return Block({
            "by_fund": {"notice_days": days, "notice_bound": "exactly", "written": True, "at_any_time": True,
                        "without_penalty": True, "by": {"any_of": by}, "section": Q(section)},
            "by_counterparty": {"notice_days": self.rng.choice([60, 90]), "notice_bound": "exactly",
                                "written": True, "section": Q(section)}})

    def agreements_file(self) -> str:
        rng = self.rng
        d = self.agreement_dated
        notice_doc = assign_doc = None
        advisory_ids = ["management-agreement"] + [s["id"] for s in self.subs]
        if "notice-90-days" in self.chosen:
            notice_doc = rng.choice(advisory_ids)
            self.violation("notice-90-days", notice_doc)
        if "assignment-not-automatic" in self.chosen:
            assign_doc = rng.choice(advisory_ids + [self.dist_id])
            self.violation("assignment-not-automatic", assign_doc)
        continues = {"all_of": [{"any_of": ["trustees", "shareholders"]}, "independent_trustees"]}
        originals = [p for p in self.portfolios if p.launched is None]
        schedule = [p.id for p in originals if self.dist_class in p.classes]
        dist: dict[Any, Any] = Block({
            "id": self.dist_id, "kind": "distribution-agreement",
            "title": f"Distribution Agreement, Class {self.dist_class} Shares",
            "counterparty": f"{self.sponsor} Distributors LLC", "dated": d["dist"],
            "related_plan": self.plan_ids[self.dist_class],
            Comment("Schedule A: the portfolios whose shares of the class the distributor may sell."): None,
            "schedule": schedule,
            "provisions": Block({
                "term": {"initial_until": date(d["dist"].year + 1, 12, 31), "then": Q("1 year"),
                         "continuance_requires": continues, "in_person": True, "called_for_purpose": True,
                         "section": Q("10")},
                "termination": self._termination(["independent_trustees", "class_shareholders"], "11"),
                "assignment": {"terminates_automatically": assign_doc != self.dist_id, "section": Q("11")},
            }),
        })
        amendments = []
        mgmt_amendments = []
        for e, (mi, group, effective) in enumerate(self.launch_events):
            day = self.meetings[mi].day
            amendment: dict[str, Any] = {"id": f"{self.dist_id}-amendment-{e + 1}",
                                         "title": f"Amendment No. {e + 1}", "dated": day, "effective": effective,
                                         "adds": [p.id for p in group if self.dist_class in p.classes]}
            if e == len(self.launch_events) - 1 and self.removed:
                amendment["removes"] = [p.id for p in self.removed]
            amendment["section"] = Q("1")
            amendments.append(Block(amendment))
            mgmt_amendments.append(Block({
                "id": f"management-agreement-amendment-{e + 1}", "title": f"Amendment No. {e + 1} to Schedule A",
                "dated": day, "effective": effective,
                "fee_schedule": Block({p.id: pct(p.fee_bp) for p in group}), "section": Q("4")}))
        if amendments:
            dist["amendments"] = amendments
        mgmt: dict[Any, Any] = Block({
            "id": "management-agreement", "kind": "management-agreement", "title": "Management Agreement",
            "counterparty": f"{self.sponsor} Advisers LLC", "dated": d["mgmt"],
            Comment("Schedule A: annual rate of each portfolio's average daily net assets."): None,
            "fee_schedule": Block({p.id: pct(p.fee_bp) for p in originals}),
            "provisions": Block({
                "compensation": {"section": Q("4")},
                "term": {"initial_until": date(d["mgmt"].year + 1, 12, 31), "then": Q("1 year"),
                         "continuance_requires": continues, "section": Q("9")},
                "termination": self._termination(["trustees", "shareholders"], "9",
                                                 90 if notice_doc == "management-agreement" else 60),
                "assignment": {"terminates_automatically": assign_doc != "management-agreement",
                               "section": Q("9")},
                "name_use": {"names": [self.trust_name], "cease_within": Q("30 days"), "trigger": "termination",
                             "section": Q("6")},
            }),
            "terminated": None,
        })
        if mgmt_amendments:
            mgmt["amendments"] = mgmt_amendments
        docs: list[Any] = [mgmt, dist]
        for sub in self.subs:
            docs.append(Block({
                "id": sub["id"], "kind": "advisory-agreement",
                "title": f"Sub-Advisory Agreement with {sub['firm']} Asset Management",
                "counterparty": f"{sub['firm']} Asset Management LLC", "dated": sub["dated"],
                "fee_schedule": Block({p.id: pct(max(5, p.fee_bp - rng.choice([20, 25, 30, 35])))
                                       for p in sub["covered"]}),
                "provisions": Block({
                    "compensation": {"section": Q("3")},
                    "term": {"initial_until": date(sub["dated"].year + 1, 12, 31), "then": Q("1 year"),
                             "continuance_requires": continues, "section": Q("7")},
                    "termination": self._termination(["trustees", "shareholders"], "7(a)",
                                                     90 if notice_doc == sub["id"] else 60),
                    "assignment": {"terminates_automatically": assign_doc != sub["id"], "section": Q("7(b)")},
                    "name_use": {"names": [self.trust_name], "cease_within": Q("30 days"),
                                 "trigger": "termination", "section": Q("12")},
                }),
            }))
        return dump([f"{self.trust_name}: the management agreement, the distribution agreement (with its",
                     "Schedule A as amended) and the sub-advisory agreements."], {"documents": docs})

    def multi_class_file(self) -> str:
        doc = Block({"id": "multi-class-plan", "kind": "multi-class-plan", "title": "Plan pursuant to Rule 18f-3",
                     "adopted": self.meetings[0].day, "designates": [Q(c) for c in self.classes],
                     "section": Q("Class designations")})
        return dump([f"{self.trust_name}: the multi-class plan under Rule 18f-3."], {"documents": [doc]})

    def meeting_files(self) -> dict[str, str]:
        years = sorted({m.day.year for m in self.meetings})
        chunks = max(1, min(self.k["meeting_files"], len(years)))
        size = -(-len(years) // chunks)
        out = {}
        for i in range(0, len(years), size):
            span = years[i:i + size]
            name = f"meetings/{span[0]}.yaml" if len(span) == 1 else f"meetings/{span[0]}-{span[-1]}.yaml"
            meetings = []
            for m in self.meetings:
                if m.day.year not in span:
                    continue
                entry: dict[str, Any] = Block({"date": m.day, "in_person": m.in_person})
                if not m.in_person:
                    entry["relief"] = None
                entry["called_for_purpose"] = m.called_for_purpose
                entry["actions"] = m.actions
                meetings.append(entry)
            out[name] = dump([f"{self.trust_name}: minutes of the board of trustees, {span[0]}"
                              + (f" to {span[-1]}" if len(span) > 1 else "") + ".",
                              "Each approval with its roll call; the checker derives majorities from the roster."],
                             {"meetings": meetings})
        return out


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------
def source_digest() -> str:
    """The sha256 of this file: a corpus made by other code is made again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def trust_dir_name(index: int) -> str:
    return f"trust-{index:04d}"


def generate(out: Path, seed: int, trusts: int, knobs: dict[str, int], quiet: bool = False) -> dict[str, Any]:
    """Write ``trusts`` trusts under ``out`` (replacing what a previous run left) and a manifest."""
    if out.exists():
        if not (out / "MANIFEST.json").exists() and any(out.iterdir()):
            raise SystemExit(f"{out} exists and was not made by this generator (no MANIFEST.json); "
                             "refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = []
    total_files = total_bytes = 0
    for i in range(trusts):
        builder = TrustBuilder(seed, i, knobs)
        files = builder.build()
        directory = out / trust_dir_name(i)
        for rel, text in files.items():
            path = directory / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            path.write_bytes(data)
            total_bytes += len(data)
        total_files += len(files)
        entries.append({"dir": trust_dir_name(i), "name": builder.trust_name, "files": len(files),
                        "as_of": builder.as_of.isoformat(), "violations": builder.violations})
        if not quiet and trusts >= 100 and (i + 1) % (trusts // 10) == 0:
            print(f"  generated {i + 1}/{trusts} trusts", file=sys.stderr)
    manifest = {"generator": "benchmarks/generate.py", "version": GENERATOR_VERSION,
                "generator_sha256": source_digest(), "seed": seed,
                "trusts": trusts, "knobs": knobs, "files": total_files, "bytes": total_bytes,
                "entries": entries}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trusts", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus")
    for name, value in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value, dest=name,
                            help=f"(default {value})")
    parser.add_argument("--quiet", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    knobs = {name: getattr(args, name) for name in DEFAULTS}
    if min(knobs["portfolios"], knobs["years"], knobs["classes"], knobs["meeting_files"]) < 1:
        raise SystemExit("--portfolios, --years, --classes and --meeting-files must be at least 1")
    if knobs["trustees"] < 3 or not 4 <= knobs["meetings_per_year"] <= 12 or knobs["sub_advisers"] < 0 \
            or knobs["violations"] < 0 or args.trusts < 0:
        # fewer trustees leave no independent majority; fewer meetings leave quarterly reports unreviewed
        raise SystemExit("--trustees must be at least 3 and --meetings-per-year between 4 and 12")
    manifest = generate(args.out, args.seed, args.trusts, knobs, args.quiet)
    if not args.quiet:
        print(f"{args.out}: {manifest['trusts']} trusts, {manifest['files']} files, "
              f"{manifest['bytes'] / 1e6:.1f} MB (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
