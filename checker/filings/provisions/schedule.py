"""Schedules: the portfolios an agreement covers (``schedule``), their rates (``fee_schedule``),
and what an amendment adds, removes or re-prices (``adds``, ``removes``, ``fee_schedule``,
``changes.fee_cap``). Ids are slugs of the names as written ("J.P. Morgan Quality Bond Portfolio"
-> ``jp-morgan-quality-bond``); "(now known as ...)" is left out of the name and said in a comment."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..extract import Extractor, Fact, Reading, Review
from ..numbers import RATE, format_rate, read_rate
from ..sections import Hit, Section
from ._common import clause_passages, sentences

_ROW = re.compile(r"^(?P<name>\S(?:.*?\S)?)(?:\s{2,}|\s*\.{3,}\s*)(?P<rest>\S.*)$")
_BREAKPOINT = re.compile(r"\b(?:first|next|over|excess|thereafter|above|below|up to)\b|\$", re.I)
_NOW_KNOWN = re.compile(r"\s*\((?:now\s+known\s+as|formerly(?:\s+known\s+as)?|f/k/a)\s+(?P<other>[^)]*)\)?\s*$", re.I)
_CLASSES = re.compile(r"(?:Class(?:es)?\s+)?[A-Z0-9]{1,2}(?:\s*(?:,|and|&)\s*(?:Class\s+)?[A-Z0-9]{1,2})*")
_GROUP = re.compile(r"^(?P<label>[A-Z][^:]{3,80}):\s*$")


def slug(name: str) -> str:
    name = re.sub(r"\s+Portfolio$", "", name.strip())
    name = re.sub(r"[.'’]", "", name.lower())
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")


def _entries(r: Reading, section: Section) -> list[tuple[str | None, str, str | None, int, str]]:
    """(group label, name, rate text or None, line, the line's words) for each portfolio line."""
    out: list[tuple[str | None, str, str | None, int, str]] = []
    group: str | None = None
    pending: tuple[str | None, str, int, str] | None = None
    for number in range(section.start + 1, section.end + 1):
        raw = r.filing.line(number)
        line = " ".join(raw.split())
        if pending is not None:
            if raw.startswith((" ", "\t")) and line and "(" in pending[1] and ")" not in pending[1].split("(")[-1]:
                pending = (pending[0], pending[1] + " " + line, pending[2], pending[3] + " " + line)
                continue
            out.append((pending[0], pending[1], None, pending[2], pending[3]))
            pending = None
        if not line or re.fullmatch(r"[-=_ ]+", line):
            continue
        if (g := _GROUP.match(line)) and not RATE.search(line):
            group = g.group("label")
            continue
        letters = [c for c in line if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and not RATE.search(line):
            continue  # the schedule's own title lines ("TO AMENDMENT NO. 1", "CLASS B SHARES")
        row = _ROW.match(raw.strip())
        if row and RATE.search(row.group("rest")):
            out.append((group, row.group("name"), row.group("rest").strip(), number, line))
            continue
        if row and re.search(r"\s{2,}", raw.strip()):
            # a table row whose other column is not a rate: a name beside a list of classes is read
            # as the name; any other column makes the row unreadable (no name is guessed)
            if _CLASSES.fullmatch(row.group("rest").strip()):
                out.append((group, row.group("name"), None, number, line))
            continue
        if RATE.search(line) or re.search(r"\b(?:Portfolio|Fund|Series)\s+(?:Name|Rate|Fee)\b|"
                                          r"^(?:Portfolio|Fund|Series|Name)(?:\s|$)", line):
            if RATE.search(line):
                out.append((group, line, "?", number, line))
            continue  # a column heading
        if re.search(r"[.;:]$|\b(?:shall|will|hereby|agree|effective|dated|as of|amended)\b", line, re.I) \
                or len(line) > 100 or ":" in line or re.search(r"\d", line) or not line[0].isalpha():
            continue  # prose, a date or a signature line, not a list of names
        pending = (group, line, number, line)
    if pending is not None:
        out.append((pending[0], pending[1], None, pending[2], pending[3]))
    return out


def _name(text: str) -> tuple[str, str | None]:
    m = _NOW_KNOWN.search(text)
    if m:
        return text[:m.start()].strip(), " ".join(m.group("other").split())
    return text.strip(), None


def read(r: Reading) -> Iterator[Fact | Review]:
    schedules = [s for s in r.sections if s.level == 1 and re.match(r"(Schedule|Appendix|Exhibit|Annex) ", s.label)]
    if not schedules:
        return
    expense = False
    for section in schedules[:1]:
        heading = " ".join(r.filing.line(n) for n in range(section.start, min(section.end, section.start + 12) + 1))
        expense = bool(re.search(r"expense\s+(?:limit|cap|ratio)|operating\s+expense|limitation", heading, re.I))
        entries = _entries(r, section)
        groups: dict[str | None, list[tuple[str, str | None, int, str]]] = {}
        for group, name, rate, line, words in entries:
            groups.setdefault(group, []).append((name, rate, line, words))
        for group, rows in groups.items():
            target = _target(r, group)
            if target is None:
                yield Review(("schedule",), f"a list headed {group!r} on {section.label} is not read",
                             Hit(rows[0][3], rows[0][2], rows[0][2]))
                continue
            yield from _rows(r, section, target, rows, expense)


def _target(r: Reading, group: str | None) -> str | None:
    if group is None:
        return "amended" if r.amendment else "schedule"
    g = group.lower()
    if re.search(r"\b(?:added|new|additional)\b", g):
        return "adds"
    if re.search(r"\b(?:deleted|removed|terminated|withdrawn)\b", g):
        return "removes"
    if re.search(r"\b(?:original|existing|current|in\s+original)\b", g):
        return "schedule"
    return None


def _rows(r: Reading, section: Section, target: str, rows: list[tuple[str, str | None, int, str]],
          expense: bool) -> Iterator[Fact | Review]:
    ids: list[tuple[str, Hit]] = []
    rates: dict[str, tuple[str, Hit]] = {}
    for name_text, rate_text, line, words in rows:
        name, other = _name(name_text)
        hit = Hit(words, line, line)
        ident = slug(name)
        if not ident:
            continue
        ids.append((ident, hit))
        yield Fact(("portfolios", ident, "name"), name, hit, section.label)
        if other:
            yield Review(("portfolios", ident, "name"), f"the schedule says {name!r} is now known as {other!r}", hit)
        if rate_text is None:
            continue
        got = read_rate(rate_text) if rate_text != "?" else None
        if rate_text == "?" or got is None or _BREAKPOINT.search(rate_text) or len(RATE.findall(rate_text)) != 1:
            yield Review(("fee_schedule", ident), f"a rate not read as one flat percentage: {words!r}", hit)
            continue
        rates[ident] = (format_rate(got[0]), hit)
    if target == "amended" and not rates:
        yield Review(("schedule",), f"{section.label} lists {len(ids)} portfolios, replacing the schedule: which "
                     "were added or removed needs the previous schedule", ids[0][1] if ids else None)
        return
    listed = target != "schedule" or not rates or r.kind == "distribution-agreement"
    if target in ("schedule", "adds", "removes") and listed:
        if rates and r.kind == "distribution-agreement":
            yield Review(("fee_schedule",), "a distribution agreement's schedule with rates: the rates are not "
                         "recorded (the plan's cap governs)", ids[0][1])
        for index, (ident, hit) in enumerate(ids):
            yield Fact((target, index), ident, hit, section.label)
        return
    if expense:
        yield Review(("fee_schedule",), "the schedule's rates are expense limits, not fees: not recorded",
                     ids[0][1] if ids else None)
        return
    if r.kind == "distribution-plan" and rates:
        yield Review(("fee_schedule",), f"{section.label} gives each fund a rate ("
                     + ", ".join(sorted({v for v, _ in rates.values()})) + "): a plan's ceiling is its fee_cap; "
                     "per-fund distribution fees belong on the portfolios' classes", ids[0][1] if ids else None)
        return
    for ident, (rate, hit) in rates.items():
        yield Fact(("fee_schedule", ident), rate, hit, section.label)


def _changes(r: Reading) -> Iterator[Fact | Review]:
    """An amendment's change of a plan's fee ceiling: "from 0.25% to 0.35%", "replace '.25%' with '.35%'"."""
    if not r.amendment:
        return
    rate = r"(?:\d+(?:\.\d+)?|\.\d+)\s*%"
    pattern = re.compile(rf"\b(?:from|replac\w*|delet\w*)\s+[\"']?(?P<a>{rate})[\"']?\s+(?:to|with|and\s+"
                         rf"(?:substitut|insert)\w*)\s+[\"']?(?P<b>{rate})", re.I)
    for section, passage in clause_passages(r):
        for s, e in sentences(passage):
            sentence = passage.text[s:e]
            if not re.search(r"\b(?:fee|rate|Distribution Fee|compensation)\b", sentence, re.I):
                continue
            for m in pattern.finditer(sentence):
                a, b = read_rate(m.group("a")), read_rate(m.group("b"))
                if a is None or b is None:
                    continue
                hit = passage.hit(s + m.start(), s + m.end())
                yield Fact(("changes", "fee_cap", "from"), format_rate(a[0]), hit, section.label)
                yield Fact(("changes", "fee_cap", "to"), format_rate(b[0]), hit, section.label)
                return


def _new_portfolios(r: Reading) -> Iterator[Fact | Review]:
    """An amendment's own section naming the portfolios it adds ("the following new portfolios")."""
    if not r.amendment:
        return
    for section, passage in r.passages(1):
        m = re.search(r"\b(?:following|additional)\s+(?:new\s+)?(?:portfolios|funds|series)\b", passage.text, re.I)
        if m:
            yield Fact(("section",), section.label, passage.hit(m.start(), m.end()), section.label)
            return
    for section, passage in r.passages(1):
        if re.search(r"\bSchedule\s+[A-Z]\b[^.]{0,80}?\b(?:replaced|amended|supplemented)\b", passage.text):
            hit = passage.hit(0, min(len(passage.text), 120))
            yield Fact(("section",), section.label, hit, section.label)
            return


def read_all(r: Reading) -> Iterator[Fact | Review]:
    yield from read(r)
    yield from _changes(r)
    yield from _new_portfolios(r)


EXTRACTOR = Extractor("schedule", read_all, ("distribution-agreement", "management-agreement", "advisory-agreement",
                                            "fee-waiver", "distribution-plan"))
