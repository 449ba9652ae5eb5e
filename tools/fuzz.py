"""Fuzz the checker: generate trusts from the format, break them, and check that nothing raises.

    .venv/bin/python tools/fuzz.py --examples 100000         # a long run: ~100 inputs/s, ~17 minutes
    .venv/bin/python tools/fuzz.py --seconds 600             # or run for a time
    .venv/bin/python tools/fuzz.py --examples 2000 --seed 7  # a reproducible short run

Each input is one trust root file, made by hypothesis strategies that follow format 1 (trust,
trustees, share classes, portfolios, documents of every kind with their provisions and amendments,
meetings with roll calls, shareholder votes, reports), then, for most inputs, broken: keys deleted or
renamed, values replaced by wrong types (numbers, huge integers, lists, mappings, null, booleans, odd
unicode, invalid or extreme dates, negative counts), and the YAML text itself cut, shuffled or laced
with tags, aliases, tabs and stray bytes.

Every input goes through the engine's pipeline in process, without temporary files:
``load_text`` -> ``schema.validate`` -> ``model.build_trust`` -> ``references.check_references`` ->
every rule's ``check`` (with the context ``Checker.context`` builds) -> ``suppress.apply`` -> every
reporter. Any exception is a crasher, and so is a rule that yields something other than a
``Finding`` (the engine would turn either into a ``plugin-error`` or a failed trust), and so is an
input that takes longer than ``--timeout`` seconds (a hang). Each distinct crash (by stage, exception
type and place) is saved once as ``tests/fuzz_corpus/crash-<n>.yaml``, with its traceback in
``crash-<n>.txt``; ``tests/test_fuzz.py`` replays every ``.yaml`` there through the real engine.

Hypothesis draws each trust and a pool of wrong values; ``random`` (seeded from hypothesis) then makes
``--family - 1`` broken versions of it, since drawing every breakage through hypothesis costs ten times
as much as checking the input. The exit status is 1 when a crash was found.

The strategies here are imported by ``tests/test_fuzz.py``; keep them fast.
"""
from __future__ import annotations

import argparse
import io
import random
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from mist_check import suppress
from mist_check.engine import (CORE_CHECKS, Checker, Options, RunResult, TrustResult, judge, malformed,
                               unreadable_lines)
from mist_check.errors import UsageError
from mist_check.findings import Finding, Severity, sort_findings
from mist_check.loader import DEFAULT_LIMITS, Limits, load_text
from mist_check.policy import DEFAULT_POLICY
from mist_check.references import check_references
from mist_check.reporters import BUILTIN_FORMATS, get_reporter
from mist_check.schema import validate

try:  # the engine takes the day from the root file before building the trust (newer engines)
    from mist_check.model import file_settings
except ImportError:  # pragma: no cover - an older model keeps as_of/policy on the Trust
    file_settings = None  # type: ignore[assignment]
from mist_check.model import build_trust

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fuzz_corpus"
ROOT_NAME = "trust.yaml"
NOWHERE = Path("/nonexistent/mist-check-fuzz")  # where the fuzzed trust "is": no policy file is ever found
DAY = date(2005, 6, 30)  # the day rules judge at when the file gives none (never "today": reproducible)

# --- values ----------------------------------------------------------------------------------------

BODIES = ("trustees", "independent_trustees", "shareholders", "class_shareholders")
KINDS = ("distribution-plan", "distribution-agreement", "management-agreement", "advisory-agreement",
         "multi-class-plan", "fee-waiver")
ACTIONS = ("initial", "continuance", "amendment", "material-amendment", "ratification")
VOTE_ACTIONS = ("initial", "continuance", "amendment", "material-amendment")

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,14}", fullmatch=True)
class_names = st.one_of(st.sampled_from(["A", "B", "C", "E", "I", "Retail", "Class 2", "Y", "N", "no", "on"]),
                        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,8}", fullmatch=True)
                        .filter(lambda s: s == s.strip()))
person_names = st.one_of(st.sampled_from(["Trustee One", "Trustee Two", "Elizabeth Forget", "O'Brien",
                                          "José Núñez", "李四"]),
                         st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                                 min_size=1, max_size=12).filter(str.strip))
titles = st.one_of(st.sampled_from(["Class B Distribution Plan", "Management Agreement",
                                    "Second Amended and Restated Distribution Agreement, Class B Shares",
                                    "Sub-Advisory Agreement", "Plan pursuant to Rule 18f-3"]),
                   st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""))
sections = st.one_of(st.sampled_from(["1", "3", "7(a)", "7(b)", "9", "Schedule A", "Class designations"]),
                     st.integers(0, 40))


@cache
def iso_dates(extreme: bool = False) -> st.SearchStrategy[date]:
    """Dates as ``date`` objects: YAML writes them plain (2003-05-01) and the loader keeps the text."""
    if extreme:
        return st.one_of(st.dates(), st.sampled_from([date.min, date.max, date(9999, 12, 1), date(1, 1, 31)]))
    return st.dates(date(1995, 1, 1), date(2012, 12, 31))


@cache
def rates(extreme: bool = False) -> st.SearchStrategy[str]:
    top = 10**30 if extreme else 300
    whole = st.integers(0, top)
    frac = st.integers(0, 9999)
    return st.one_of(
        st.builds(lambda w, f: f"{w}.{f:02d}%", st.integers(0, 2), st.integers(0, 99)),
        st.builds(lambda f: f".{f}%", frac),
        st.builds(lambda w, sp, u: f"{w}{sp}{u}", whole, st.sampled_from(["", " "]),
                  st.sampled_from(["bp", "bps", "BP", "Bps", "%"])),
        st.builds(lambda w, f: f"{w}.{f}%", whole, frac),
    )


@cache
def periods(extreme: bool = False) -> st.SearchStrategy[str]:
    count = st.integers(1, 10**12 if extreme else 120)  # "0 days" is a schema error (wrong_values has it)
    return st.one_of(
        st.sampled_from(["quarter", "year", "month", "1 year", "30 days", "3 months", "1 day"]),
        st.builds(lambda n, u: f"{n} {u}", count, st.sampled_from(["day", "days", "month", "months",
                                                                   "year", "years"])),
    )


@cache
def requirements() -> st.SearchStrategy[Any]:
    bodies = st.sampled_from(BODIES)
    return st.recursive(
        bodies,
        lambda inner: st.one_of(st.fixed_dictionaries({"all_of": st.lists(inner, min_size=1, max_size=3)}),
                                st.fixed_dictionaries({"any_of": st.lists(inner, min_size=1, max_size=3)})),
        max_leaves=5,
    )


def _opt(**fields: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    return fields


@cache
def _maybe_null(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, st.none())


# --- a whole trust ---------------------------------------------------------------------------------

@dataclass
class Pools:
    """Ids and names that the parts of one trust refer to, so that references mostly resolve."""

    portfolios: list[str]
    classes: list[str]
    trustees: list[str]
    documents: list[str]
    plans: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)

    def ref(self, pool: list[str], fallback: st.SearchStrategy[str] = slugs) -> st.SearchStrategy[str]:
        """Mostly an id from ``pool``; sometimes one that points nowhere."""
        return _ref(tuple(pool), fallback)


@cache
def _ref(pool: tuple[str, ...], fallback: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), fallback) if pool else fallback


@cache
def _notice(x: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=_opt(
        notice_days=_maybe_null(st.integers(0, 10**15 if x else 400)),
        notice_bound=st.sampled_from(["at-most", "exactly", "at-least", "none"]),
        written=st.booleans(), at_any_time=st.booleans(), without_penalty=st.booleans(),
        by=requirements(), section=sections))


@cache
def _approval() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=_opt(requires=requirements(), in_person=st.booleans(),
                                                   called_for_purpose=st.booleans(), section=sections))


@cache
def _assignment() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=_opt(terminates_automatically=st.booleans(), section=sections))


@cache
def provisions(kind: str, x: bool) -> st.SearchStrategy[dict[str, Any]]:
    """The provisions a document of ``kind`` records; any of them may be left out (absence is a fact)."""
    plan = _opt(
        fee_cap=st.fixed_dictionaries({"rate": rates(x)}, optional=_opt(basis=st.just("average daily net assets"),
                                                                        section=sections)),
        approval=_approval(),
        continuance=st.fixed_dictionaries({}, optional=_opt(every=periods(x), after=periods(x),
                                                            requires=requirements(), in_person=st.booleans(),
                                                            called_for_purpose=st.booleans(), section=sections)),
        reporting=st.fixed_dictionaries({}, optional=_opt(every=periods(x), section=sections)),
        termination=st.fixed_dictionaries({}, optional=_opt(by=requirements(), section=sections)),
        related_agreements=st.fixed_dictionaries({}, optional=_opt(
            termination=st.fixed_dictionaries({}, optional=_opt(
                notice_days_max=st.integers(0, 10**15 if x else 400), without_penalty=st.booleans(),
                written=st.booleans(), by=requirements(), section=sections)),
            assignment=_assignment())),
        fee_increase=_approval(),
    )
    agreement = _opt(
        compensation=st.fixed_dictionaries({}, optional=_opt(section=sections)),
        term=st.fixed_dictionaries({}, optional=_opt(
            initial_until=_maybe_null(iso_dates(x)), then=periods(x), continuance_requires=requirements(),
            in_person=st.booleans(), called_for_purpose=st.booleans(), section=sections)),
        termination=st.fixed_dictionaries({}, optional=_opt(by_fund=_notice(x), by_counterparty=_notice(x),
                                                            by=requirements(), section=sections)),
        assignment=_assignment(),
        name_use=st.fixed_dictionaries({}, optional=_opt(
            names=st.lists(st.one_of(st.just("Met Investors Series Trust"), titles), max_size=2),
            cease_within=periods(x), trigger=st.sampled_from(["termination", "request"]), section=sections)),
    )
    chosen = plan if kind == "distribution-plan" else agreement if "agreement" in kind else {
        "approval": _approval(), "x_note": st.just("extension keys are allowed")}
    return st.fixed_dictionaries({}, optional=chosen)


@st.composite
def documents(draw: st.DrawFn, doc_id: str, p: Pools, x: bool) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    doc: dict[str, Any] = {"id": doc_id, "kind": kind, "title": draw(titles)}
    dated = _maybe_null(iso_dates(x))
    doc.update(draw(st.fixed_dictionaries({}, optional=_opt(
        dated=dated, adopted=dated, effective=dated, terminated=dated,
        source=st.sampled_from(["001_f85395c53cb5868f.txt", "x.txt"]),
        counterparty=st.sampled_from(["MetLife Investors Distribution Company", "Met Investors Advisory LLC"]),
        provisions=provisions(kind, x)))))
    if kind == "distribution-plan" or draw(st.booleans()):
        if p.classes and draw(st.booleans()):
            doc["share_class"] = draw(p.ref(p.classes, class_names))
    if "agreement" in kind or kind == "fee-waiver":
        extra = draw(st.fixed_dictionaries({}, optional=_opt(
            related_plan=p.ref(p.plans),
            schedule=st.lists(p.ref(p.portfolios), max_size=4),
            fee_schedule=st.dictionaries(p.ref(p.portfolios), rates(x), max_size=3),
            interim=st.booleans(),
            replaces=p.ref(p.agreements))))
        doc.update(extra)
    if kind == "multi-class-plan":
        doc["designates"] = draw(st.lists(p.ref(p.classes, class_names), max_size=4))
        doc["no_12b1"] = draw(st.lists(p.ref(p.classes, class_names), max_size=2))
        doc["section"] = "Class designations"
    if draw(st.integers(0, 3)) == 0:
        doc["amendments"] = draw(st.lists(amendments(doc_id, kind, p, x), max_size=3))
    return doc


@st.composite
def amendments(draw: st.DrawFn, doc_id: str, kind: str, p: Pools, x: bool) -> dict[str, Any]:
    amendment = {"id": f"{doc_id}-amendment-{draw(st.integers(1, 9))}"}
    amendment.update(draw(st.fixed_dictionaries({}, optional=_opt(
        title=titles, dated=_maybe_null(iso_dates(x)), effective=_maybe_null(iso_dates(x)),
        adds=st.lists(p.ref(p.portfolios), max_size=3), removes=st.lists(p.ref(p.portfolios), max_size=3),
        changes=st.fixed_dictionaries({"fee_cap": st.fixed_dictionaries({"to": rates(x)},
                                                                        optional=_opt(from_=rates(x)))}),
        fee_schedule=st.dictionaries(p.ref(p.portfolios), rates(x), max_size=2),
        provisions=provisions(kind, x), section=sections, source=st.just("002_3b5930834763dc6e.txt")))))
    changes = amendment.get("changes", {}).get("fee_cap")
    if changes and "from_" in changes:
        changes["from"] = changes.pop("from_")
    return amendment


@st.composite
def portfolios(draw: st.DrawFn, pid: str, p: Pools, x: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"id": pid}
    item.update(draw(st.fixed_dictionaries({}, optional=_opt(
        name=titles, management_fee=rates(x),
        classes=st.dictionaries(p.ref(p.classes, class_names), _maybe_null(st.fixed_dictionaries({}, optional=_opt(
            distribution_fee=rates(x), offered=st.booleans(), first_offered=_maybe_null(iso_dates(x))))),
            max_size=3)))))
    return item


@st.composite
def meetings(draw: st.DrawFn, p: Pools, x: bool) -> dict[str, Any]:
    names = p.ref(p.trustees, person_names)
    action = st.fixed_dictionaries({"action": st.sampled_from(ACTIONS)}, optional=_opt(
        approves=p.ref(p.documents), ratifies=iso_dates(x), portfolios=st.lists(p.ref(p.portfolios), max_size=2),
        **{"for": st.lists(names, max_size=5), "against": st.lists(names, max_size=2),
           "abstain": st.lists(names, max_size=2)}))
    meeting = {"date": draw(iso_dates(x)), "actions": draw(st.lists(action, max_size=3))}
    meeting.update(draw(st.fixed_dictionaries({}, optional=_opt(
        in_person=st.booleans(), relief=_maybe_null(st.just("covid-2020")), called_for_purpose=st.booleans()))))
    return meeting


@st.composite
def shareholder_votes(draw: st.DrawFn, p: Pools, x: bool) -> dict[str, Any]:
    count = st.integers(0, 10**40 if x else 10**9)
    vote = {"date": draw(iso_dates(x)), "approves": draw(p.ref(p.documents)), "for": draw(count),
            "outstanding": draw(count)}
    vote.update(draw(st.fixed_dictionaries({}, optional=_opt(
        action=st.sampled_from(VOTE_ACTIONS), portfolio=p.ref(p.portfolios),
        share_class=p.ref(p.classes, class_names), against=count, present=count))))
    return vote


@st.composite
def trusts(draw: st.DrawFn, extreme: bool | None = None) -> dict[str, Any]:
    """A trust root file that follows format 1, as the dict YAML will write.

    ``extreme`` widens the values to the limits the schema allows (dates from year 1 to 9999,
    periods and notice days of trillions, share counts of 40 digits): still valid input.
    """
    x = draw(st.booleans()) if extreme is None else extreme
    pools = Pools(
        portfolios=draw(st.lists(slugs, max_size=4, unique=True)),
        classes=draw(st.lists(class_names, max_size=3, unique=True)),
        trustees=draw(st.lists(person_names, max_size=5, unique=True)),
        documents=draw(st.lists(slugs, max_size=5, unique=True)),
    )
    docs = [draw(documents(doc_id, pools, x)) for doc_id in pools.documents]
    pools.plans = [d["id"] for d in docs if d["kind"] == "distribution-plan"]
    pools.agreements = [d["id"] for d in docs if "agreement" in d["kind"]]
    # amendments are approved too: add their ids to what meetings and votes may approve
    pools.documents = pools.documents + [a["id"] for d in docs for a in d.get("amendments", [])]
    data: dict[str, Any] = {"format": 1}
    data.update(draw(st.fixed_dictionaries({}, optional=_opt(
        policy=st.sampled_from(["ica-1940", "mist"]), as_of=iso_dates(x)))))
    trust: dict[str, Any] = {"name": draw(titles)}
    trust.update(draw(st.fixed_dictionaries({}, optional=_opt(
        type=st.sampled_from(["open-end", "closed-end"]),
        names=st.lists(st.fixed_dictionaries({"name": st.one_of(st.just(trust["name"]), titles)}, optional=_opt(
            **{"from": _maybe_null(iso_dates(x)), "until": _maybe_null(iso_dates(x))})), max_size=3)))))
    data["trust"] = trust
    trustees = [dict({"name": name}, **draw(st.fixed_dictionaries({}, optional=_opt(
        independent=st.booleans(), **{"from": _maybe_null(iso_dates(x)), "until": _maybe_null(iso_dates(x))}))))
        for name in pools.trustees]
    share_classes = {}
    for name in pools.classes:
        share_classes[name] = draw(_maybe_null(st.fixed_dictionaries({}, optional=_opt(
            plan=pools.ref(pools.plans), distribution_agreement=pools.ref(
                [d["id"] for d in docs if d["kind"] == "distribution-agreement"])))))
    sections_out = {
        "trustees": trustees,
        "share_classes": share_classes,
        "portfolios": [draw(portfolios(pid, pools, x)) for pid in pools.portfolios],
        "documents": docs,
        "meetings": draw(st.lists(meetings(pools, x), max_size=3)),
        "shareholder_votes": draw(st.lists(shareholder_votes(pools, x), max_size=3)),
        "reports": draw(st.lists(st.fixed_dictionaries(
            {"plan": pools.ref(pools.plans), "period_end": iso_dates(x)},
            optional=_opt(reviewed=_maybe_null(iso_dates(x)))), max_size=4)),
    }
    for key, value in sections_out.items():
        if value or draw(st.booleans()):
            data[key] = value
    return data


# --- dumping ---------------------------------------------------------------------------------------

class PlainTimestamp(str):
    """A string YAML writes plain where it looks like a date (``2003-02-30``): read as a timestamp."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


_Dumper.add_representer(PlainTimestamp,
                        lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value)))


@st.composite
def dump_styles(draw: st.DrawFn) -> dict[str, Any]:
    return {"default_flow_style": draw(st.sampled_from([False, None, True])),
            "allow_unicode": draw(st.booleans()), "width": draw(st.sampled_from([80, 120, 30, 10**6])),
            "indent": draw(st.sampled_from([2, 2, 4, 3])), "explicit_start": draw(st.booleans()),
            "line_break": draw(st.sampled_from(["\n", "\n", "\n", "\r\n"])),
            "bom": draw(st.integers(0, 9)) == 0}


def dump(data: Any, style: dict[str, Any] | None = None) -> str:
    style = dict(style or {"default_flow_style": False, "allow_unicode": True})
    bom = style.pop("bom", False)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, **style)
    return ("\ufeff" if bom else "") + text


# --- breaking --------------------------------------------------------------------------------------

ODD_CHARS = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\u200b",
             "\u202e", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\U0001f600", "\U0010ffff", "\t", "\r", "\n",
             "%", "::", ",", "\\", '"', "'", "#", "&", "*", "!", "|", ">", "@", "`", "{", "}", "[", "]"]
odd_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.lists(st.sampled_from(ODD_CHARS), min_size=1, max_size=6).map("".join),
    st.sampled_from(["", " ", "yes", "no", "on", "off", "Y", "N", "~", "null", "true", ".nan", "-.inf", "1:30",
                     "0o17", "0x1F", "1_000", "1e400", "0.5", "50", "-1%", "1e3%", "٣%", "５０bp", "0.50 %%",
                     "2003-02-30", "2003-13-01", "0000-00-00", "2003-5-1", "20030501", "2005-W26-4",
                     "99999-01-01", "9999-12-31", "0001-01-01", "-1 days", "0 days", "99999999999999999999 years",
                     "1 fortnight", "quarterly", "trustees and shareholders", "all_of", "../../etc/passwd",
                     "/dev/zero", "mist", "ica-1940", "os", "\\x00", "x" * 500]),
)
HUGE = [10**19, 2**63, -(2**63) - 1, 10**40, -(10**40), 10**400, -1, -10**9]
huge = st.sampled_from(HUGE)
# and numbers only text can hold: Python refuses int() of more than 4300 digits
HUGE_TEXT = [str(v) for v in HUGE] + ["9" * 4301, "-" + "1" * 5000, "1" * 5000 + ".5", "0." + "1" * 5000 + "e-99999"]


@cache
def wrong_values(depth: int = 2) -> st.SearchStrategy[Any]:
    base = st.one_of(
        st.none(), st.booleans(), st.integers(), huge, st.floats(allow_nan=True, allow_infinity=True),
        odd_text, iso_dates(True), st.sampled_from(["2003-02-30", "2003-02-29", "2004-02-30", "0000-01-01",
                                                    "2003-00-10", "9999-99-99"]).map(PlainTimestamp),
        st.sampled_from(BODIES), st.sampled_from(KINDS), rates(True), periods(True))
    if depth <= 0:
        return base
    inner = wrong_values(depth - 1)
    return st.one_of(base, st.lists(inner, max_size=3),
                     st.dictionaries(st.one_of(odd_text, st.sampled_from(["id", "all_of", "any_of", "section",
                                                                          "rate", "x_", "<<", "trust"])),
                                     inner, max_size=3))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, prefix + (index,))
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for seg in path:
        value = value[seg]
    return value


KEY_NAMES = ["id", "kind", "title", "name", "date", "actions", "for", "against", "present", "outstanding",
             "provisions", "termination", "by_fund", "notice_days", "notice_bound", "rate", "fee_cap",
             "classes", "share_class", "plan", "approves", "action", "format", "trust", "include",
             "policy", "as_of", "amendments", "changes", "schedule", "fee_schedule", "x_extra", "notice_dayz",
             "Provisions", "", " ", "0", "null", "<<"]
SNIPPETS = ["!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!foo", "!!set {a, b}",
            "!!binary aGVsbG8=", "!!timestamp 2003-02-30", "!!int 0x1F", "!!float .nan", "!!str", "!!omap [a: 1]",
            "&a", "*a", "*undefined", "&a [*a]", "<<: *a", "? [a, b]\n: c", "%YAML 1.1\n---\n", "%TAG ! tag:x,\n",
            "---\n", "...\n", "{", "}", "[", "]", "'", '"', "|\n", ">-\n", "@", "`", "\x00", "\ufeff", "\t", "\r",
            "- ", ": ", ":", "#", "\n# mist-check: ignore[fee-cap] -- accepted\n",
            "  # mist-check: ignore[termination-notice]", "# mist-check: ignore[", "# mist-check: nonsense",
            "# mist-check: ignore[unknown-rule] -- why", "2003-02-30", "~", "yes", "1:30", "0o17", ".inf",
            "\\", "\xff", "\u2028", "\U0001f600", "x" * 2000, "9" * 4301, ": " + "1" * 5000]
_WRAPS: list[Callable[[Any], Any]] = [lambda v: [v], lambda v: {"all_of": [v]}, lambda v: {"x": v},
                                      lambda v: str(v), lambda v: [v, v]]


class Chooser:
    """The choices a breakage makes: from hypothesis (shrinkable) or from ``random`` (fast)."""

    def choice(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def integer(self, lo: int, hi: int) -> int:
        raise NotImplementedError

    def wrong(self) -> Any:
        """A value of a wrong type or an odd value of the right one."""
        raise NotImplementedError

    def key(self) -> str:
        raise NotImplementedError


class DrawChooser(Chooser):
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def choice(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        return self.draw(st.sampled_from(seq))

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def wrong(self) -> Any:
        return self.draw(wrong_values())

    def key(self) -> str:
        return self.draw(st.one_of(st.sampled_from(KEY_NAMES), odd_text))


class RandomChooser(Chooser):
    """Choices from ``random.Random``; wrong values and keys come from pools drawn by hypothesis."""

    def __init__(self, rng: random.Random, values: list[Any], keys: list[str]) -> None:
        import copy

        self.rng, self.values, self.keys, self._copy = rng, values or [None], keys or ["x"], copy.deepcopy

    def choice(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def wrong(self) -> Any:
        return self._copy(self.choice(self.values))

    def key(self) -> str:
        return self.choice(KEY_NAMES) if self.rng.random() < 0.5 else self.choice(self.keys)


def mutate_data(data: Any, c: Chooser) -> Any:
    """``data`` with 1 to 5 breakages at random places (a deep copy; ``data`` is not changed)."""
    import copy

    data = copy.deepcopy(data)
    for _ in range(c.integer(1, 5)):
        paths = _paths(data)
        path = c.choice(paths)
        op = c.choice(["delete", "replace", "replace", "replace", "rename", "add", "copy", "wrap", "duplicate"])
        if not path:  # the whole document
            if op == "replace":
                return c.wrong()
            continue
        parent = _get(data, path[:-1])
        last = path[-1]
        if op == "delete":
            del parent[last]
        elif op == "replace":
            parent[last] = c.wrong()
        elif op == "rename" and isinstance(parent, dict):
            parent[c.key()] = parent.pop(last)
        elif op == "add":
            target = _get(data, path)
            if isinstance(target, dict):
                target[c.key()] = c.wrong()
            elif isinstance(target, list):
                target.insert(c.integer(0, len(target)), c.wrong())
        elif op == "copy":  # a value from elsewhere in the trust: the right shape in the wrong place
            parent[last] = copy.deepcopy(_get(data, c.choice(paths)))
            if len(_paths(data)) > 5000:  # copies of ancestors into themselves grow fast
                return data
        elif op == "wrap":
            parent[last] = c.choice(_WRAPS)(parent[last])
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return data


def mutate_text(text: str, c: Chooser) -> str:
    """The YAML text with 1 to 3 edits that mostly make it invalid YAML or odd scalars."""
    for _ in range(c.integer(1, 3)):
        lines = text.split("\n")
        op = c.choice(["delete_line", "duplicate_line", "swap_lines", "tab", "truncate", "snippet", "snippet",
                       "char", "bad_date", "number", "indent", "crlf", "alias"])
        i = c.integer(0, max(0, len(lines) - 1))
        if op == "delete_line" and lines:
            del lines[i]
        elif op == "duplicate_line" and lines:
            lines.insert(i, lines[i])
        elif op == "swap_lines" and len(lines) > 1:
            j = c.integer(0, len(lines) - 1)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "tab" and lines:
            lines[i] = "\t" + lines[i]
        elif op == "indent" and lines:
            lines[i] = " " * c.integer(1, 5) + lines[i]
        elif op == "truncate":
            return text[: c.integer(0, len(text))]
        elif op in ("snippet", "char"):
            pos = c.integer(0, len(text))
            insert = c.choice(SNIPPETS) if op == "snippet" else c.choice(ODD_CHARS)
            text = text[:pos] + insert + text[pos:]
            continue
        elif op == "bad_date":
            text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b",
                          c.choice(["2003-02-30", "2003-13-45", "0000-00-00", "9999-12-31", "2004-02-29"]),
                          text, count=c.integer(1, 3))
            continue
        elif op == "number":
            text = re.sub(r"(?<=: )\d+\b", c.choice(HUGE_TEXT), text, count=1)
            continue
        elif op == "crlf":
            text = text.replace("\n", c.choice(["\r\n", "\r", "\n\n"]))
            continue
        elif op == "alias" and lines:
            lines[i] = lines[i].replace(": ", ": &anchor ", 1)
            j = c.integer(0, len(lines) - 1)
            lines[j] = re.sub(r": .*$", ": *anchor", lines[j], count=1)
        text = "\n".join(lines)
    return text


@st.composite
def mutated(draw: st.DrawFn, data: dict[str, Any]) -> Any:
    return mutate_data(data, DrawChooser(draw))


@st.composite
def text_mutations(draw: st.DrawFn, text: str) -> str:
    return mutate_text(text, DrawChooser(draw))


def _dump_any(data: Any, style: dict[str, Any]) -> str:
    try:
        return dump(data, style)
    except (yaml.YAMLError, RecursionError, ValueError):  # a value YAML cannot write: write it plainly
        return dump(data)


@st.composite
def inputs(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, YAML text): a valid trust, a trust with broken values, or broken YAML text."""
    data = draw(trusts())
    kind = draw(st.sampled_from(["valid", "mutated", "mutated", "mutated", "text", "text"]))
    if kind != "valid":
        data = draw(mutated(data))
    text = _dump_any(data, draw(dump_styles()))
    if kind == "text":
        text = draw(text_mutations(text))
    return kind, text


@st.composite
def families(draw: st.DrawFn, size: int) -> list[tuple[str, str]]:
    """A valid trust and ``size - 1`` broken ones made from it: hypothesis draws the trust and pools of
    wrong values; ``random`` makes the breakages (drawing each one through hypothesis costs ten times
    as much as checking it)."""
    data = draw(trusts())
    style = draw(dump_styles())
    values = draw(st.lists(wrong_values(), min_size=8, max_size=32))
    keys = draw(st.lists(odd_text, min_size=4, max_size=16))
    rng = random.Random(draw(st.integers(0, 2**64 - 1)))
    chooser = RandomChooser(rng, values, keys)
    text = _dump_any(data, style)
    out = [("valid", text)]
    for _ in range(size - 1):
        kind = chooser.choice(["mutated", "mutated", "mutated", "text", "text", "both"])
        if kind == "text":
            out.append((kind, mutate_text(text, chooser)))
            continue
        broken = _dump_any(mutate_data(data, chooser), style)
        out.append((kind, mutate_text(broken, chooser) if kind == "both" else broken))
    return out


# --- checking --------------------------------------------------------------------------------------

class Crash(Exception):
    """The checker misbehaved on an input without raising (a rule yielded something not a Finding)."""


class Hang(Exception):
    """One input took longer than the pipeline's time limit (raised where the checker was)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``Hang`` in the code running after ``seconds`` (main thread, where SIGALRM exists)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Pipeline:
    """The engine's pipeline for one in-memory root file, without the file system.

    It follows ``engine.Checker._check`` step by step, but lets every exception out (the engine turns a
    rule's into a ``plugin-error`` and any other into a failed trust) so that the fuzzer sees it. Each
    rule runs on its own, so that one rule's crash does not hide another's.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS, reporters: bool = True, timeout: float | None = 5) -> None:
        self.checker = Checker(Options(paths=[], entry_points=False, limits=limits))
        self.limits = limits
        self.timeout = timeout
        self.reporters = [get_reporter(name) for name in BUILTIN_FORMATS] if reporters else []
        self.known = set(self.checker.rules) | set(CORE_CHECKS)

    def check(self, text: str, path: str = ROOT_NAME, as_of: date | None = None) -> list[Finding]:
        """The findings for one root file's text; the first exception escapes (that is a crash)."""
        findings, errors = self.check_all(text, path, as_of)
        if errors:
            raise errors[0][1]
        return findings

    def check_all(self, text: str, path: str = ROOT_NAME,
                  as_of: date | None = None) -> tuple[list[Finding], list[tuple[str, BaseException]]]:
        """The findings, and every (stage, exception) that the checker raised on the way.

        ``as_of`` plays ``--as-of``: without it, the file's ``as_of`` or else ``DAY``. A stage still
        running after ``timeout`` seconds is stopped with ``Hang`` (an error like the others)."""
        errors: list[tuple[str, BaseException]] = []
        try:
            with time_limit(self.timeout):
                return self._check_all(text, path, as_of, errors)
        except Hang as exc:
            if not any(isinstance(e, Hang) for _, e in errors):  # it struck between two stages
                errors.append(("engine", exc))
            return [], errors

    def _check_all(self, text: str, path: str, as_of: date | None,
                   errors: list[tuple[str, BaseException]]) -> tuple[list[Finding], list[tuple[str, BaseException]]]:
        findings: list[Finding] = []
        result = TrustResult(path, files=[path])
        try:
            root = load_text(text, path, self.limits)
            findings += root.findings
            if not (root.data is None or root.node is None):  # unreadable; a duplicate key leaves data
                findings += validate(root)
                findings += self._trust(root, result, errors, as_of)
            findings = sort_findings(findings)
        except Hang:
            raise
        except Exception as exc:  # noqa: BLE001
            errors.append(("engine", exc))
            return findings, errors
        result.findings = findings
        try:
            for report in self.reporters:
                report(RunResult([result], findings, self.checker.rules, result.policy or None, result.as_of),
                       io.StringIO(), color=False)
        except Hang:
            raise
        except Exception as exc:  # noqa: BLE001
            errors.append(("reporter", exc))
        return findings, errors

    def _trust(self, root: Any, result: TrustResult, errors: list[tuple[str, BaseException]],
               as_of: date | None) -> list[Finding]:
        findings: list[Finding] = []
        if file_settings is not None:
            file_day, file_policy = file_settings(root)
            day = as_of or file_day or DAY
            trust = build_trust(root, [], day)
        else:  # pragma: no cover
            trust = build_trust(root, [])
            day, file_policy = as_of or trust.as_of or DAY, trust.policy
        try:  # a file name is looked up beside the trust: here, in a directory that does not exist
            pack = self.checker.policy(file_policy or DEFAULT_POLICY, NOWHERE if file_policy else None)
        except UsageError as exc:  # the engine: a `reference` finding at `policy`, and no rule runs
            if file_policy in (None, "ica-1940", "mist"):
                raise
            line, column = root.locate("/policy")
            return [Finding(root.path, line, column, "reference", f"{exc}; no rule was run on this trust",
                            Severity.ERROR, pointer="/policy")]
        unknown: dict[str, set[str | None]] = {}
        findings += check_references(trust, unknown)
        if unknown:  # as the engine does: what a dangling reference meant is not judged
            trust = build_trust(root, [], day, (), unknown)
        result.name, result.policy, result.as_of = trust.name, pack.id, day
        active = self.checker.active_rules(pack)
        partial: set[str] = {"reference"} if trust.gaps else set()
        for rule in active:
            ctx = self.checker.context(pack, rule, trust, day)
            try:
                out = judge(rule, trust, ctx, partial)  # as the engine runs a rule
                for finding in out:
                    problem = malformed(finding, rule.id)
                    if problem is not None:
                        raise Crash(f"rule {rule.id} {problem}")
            except Hang as exc:
                errors.append((f"rule {rule.id}", exc))
                raise  # the time is up for the whole input
            except Exception as exc:  # noqa: BLE001 - the engine would report a plugin-error
                errors.append((f"rule {rule.id}", exc))
                continue
            findings += out
        return suppress.apply(findings, [root], self.known, {r.id for r in active} | set(CORE_CHECKS),
                              partial, unreadable_lines(trust))


def signature(stage: str, exc: BaseException) -> str:
    """A crash's identity: its stage, its type and the innermost frame in the checker."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "mist_check" in f.filename or "/checker/" in f.filename
            or "/plugins/" in f.filename] or frames
    if isinstance(exc, Hang):  # wherever the time ran out: one loop, many lines
        return f"{stage}: Hang"
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{stage}: {type(exc).__name__} at {where}"


# --- the long run ----------------------------------------------------------------------------------

@dataclass
class Stats:
    inputs: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    crashes: int = 0
    signatures: dict[str, int] = field(default_factory=dict)
    saved: list[Path] = field(default_factory=list)
    parse_errors: int = 0
    schema_errors: int = 0
    clean: int = 0


def _next_index(corpus: Path) -> int:
    numbers = [int(m.group(1)) for p in corpus.glob("crash-*.yaml") if (m := re.fullmatch(r"crash-(\d+)\.yaml", p.name))]
    return max(numbers, default=0) + 1


def _save(corpus: Path, text: str, sig: str, exc: BaseException) -> Path:
    corpus.mkdir(parents=True, exist_ok=True)
    path = corpus / f"crash-{_next_index(corpus)}.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    (corpus / (path.stem + ".txt")).write_text(f"{sig}\n\n{detail}", encoding="utf-8")
    return path


def fuzz(examples: int | None, seconds: float | None, seed: int | None, corpus: Path, batch: int = 200,
         family: int = 16, progress: Callable[[Stats, float], None] | None = None,
         timeout: float | None = 5) -> Stats:
    """Run hypothesis' generator in batches (no shrinking, no database) until a limit is reached;
    each generated trust is checked as written and in ``family - 1`` broken versions."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    pipeline = Pipeline(timeout=timeout)
    stats = Stats()
    started = time.monotonic()
    rnd = random.Random(seed)

    def done() -> bool:
        return (examples is not None and stats.inputs >= examples) or (
            seconds is not None and time.monotonic() - started >= seconds)

    def one(family: list[tuple[str, str]]) -> None:
        for kind, text in family:
            if done():
                return
            stats.inputs += 1
            stats.kinds[kind] = stats.kinds.get(kind, 0) + 1
            findings, errors = pipeline.check_all(text)
            stats.crashes += bool(errors)
            for stage, exc in errors:
                sig = signature(stage, exc)
                if sig not in stats.signatures:
                    stats.saved.append(_save(corpus, text, sig, exc))
                    print(f"  crash: {sig}: {str(exc)[:160]!r} -> {stats.saved[-1].name}", flush=True)
                stats.signatures[sig] = stats.signatures.get(sig, 0) + 1
            rules = {f.rule for f in findings}
            stats.parse_errors += "parse-error" in rules
            stats.schema_errors += "schema" in rules
            stats.clean += not findings

    while not done():
        left = batch if examples is None else -(-(examples - stats.inputs) // family)
        run = hypothesis_seed(rnd.getrandbits(64))(  # a fresh batch, reproducible from --seed
            settings(max_examples=min(batch, left), database=None, phases=[Phase.generate], deadline=None,
                     suppress_health_check=list(HealthCheck))(given(families(family))(one)))
        before = stats.inputs
        run()
        if progress is not None:
            progress(stats, time.monotonic() - started)
        if stats.inputs == before:  # hypothesis found no more distinct inputs to try
            break
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--mode", choices=("yaml", "tree"), default="yaml",
                        help="yaml: trust files, in process (the default); tree: hostile trees, packs, "
                             "baselines, configs, plugins and output streams, each in a forked child with an "
                             "audit hook on open (see tools/fuzz_tree.py)")
    parser.add_argument("--surfaces", default="",
                        help="tree mode: what to attack, comma-separated (default: everything; see SURFACES in "
                             "tools/fuzz_tree.py)")
    parser.add_argument("--examples", type=int, default=None, help="inputs to run (default: 10000 without --seconds)")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    parser.add_argument("--seed", type=int, default=None, help="seed the batches (reproducible runs)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where crashers are saved")
    parser.add_argument("--batch", type=int, default=200, help="generated trusts per hypothesis batch")
    parser.add_argument("--family", type=int, default=16,
                        help="inputs per generated trust: the trust and its broken versions")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one input may take before it counts as a hang (default: 5; tree: 30)")
    parser.add_argument("--max-memory", type=int, default=4096,
                        help="MiB of address space for this process, so that a runaway input fails "
                             "with MemoryError instead of exhausting the machine (default: 4096; 0: no limit)")
    args = parser.parse_args(argv)
    if args.examples is None and args.seconds is None:
        args.examples = 10000
    if args.max_memory:
        try:
            import resource

            limit = args.max_memory * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
            pass
    if args.mode == "tree":
        return _tree_main(args)
    if args.timeout is None:
        args.timeout = 5
    last = [0.0]

    def progress(stats: Stats, elapsed: float) -> None:
        if elapsed - last[0] >= 30:
            last[0] = elapsed
            print(f"  {stats.inputs} inputs, {stats.inputs / elapsed:.0f}/s, {stats.crashes} crashes "
                  f"({len(stats.signatures)} distinct)", flush=True)

    started = time.monotonic()
    stats = fuzz(args.examples, args.seconds, args.seed, args.corpus, args.batch, args.family, progress,
                 args.timeout)
    elapsed = time.monotonic() - started
    print(f"inputs run: {stats.inputs} ({', '.join(f'{k} {v}' for k, v in sorted(stats.kinds.items()))})")
    print(f"outcomes: {stats.parse_errors} with a parse-error, {stats.schema_errors} with schema errors, "
          f"{stats.clean} without any finding")
    print(f"crashers found: {stats.crashes} inputs ({len(stats.signatures)} distinct crashes)")
    for sig, count in sorted(stats.signatures.items(), key=lambda kv: -kv[1]):
        print(f"  {count:6}  {sig}")
    for path in stats.saved:
        print(f"saved: {path}")
    print(f"time: {elapsed:.1f}s ({stats.inputs / elapsed if elapsed else 0:.0f} inputs/s)")
    return 1 if stats.crashes else 0


def load_tree_mode() -> Any:
    """``tools/fuzz_tree.py``, imported by path (``tools/`` is not a package)."""
    import importlib.util

    name = "mist_check_fuzz_tree"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fuzz_tree.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _tree_main(args: argparse.Namespace) -> int:
    tree = load_tree_mode()
    if args.examples is None and args.seconds is None:
        args.examples = 200
    started = time.monotonic()
    surfaces = tuple(s.strip() for s in args.surfaces.split(",") if s.strip())
    unknown = sorted(set(surfaces) - set(tree.SURFACES))
    if unknown:
        parser_error = f"unknown surfaces {', '.join(unknown)} (known: {', '.join(tree.SURFACES)})"
        print(parser_error, file=sys.stderr)
        return 2
    count, failures = tree.fuzz_trees(args.examples, args.seconds, args.seed, args.corpus,
                                      args.timeout or 30.0, log=lambda line: print(line, flush=True),
                                      surfaces=surfaces)
    elapsed = time.monotonic() - started
    print(f"inputs run: {count} hostile trees in {elapsed:.0f} s ({count / elapsed if elapsed else 0:.1f}/s)")
    print(f"failures: {len(failures)} distinct")
    for record in failures:
        print(f"  seed {record['seed']}: {record['problem'][:200]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
