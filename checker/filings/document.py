"""The document itself: kind, title, share class, counterparty and dates (a blank date is null)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .extract import Fact, Reading, Review
from .numbers import DATE, date_value
from .sections import Hit, Passage

_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "under",
          "pursuant", "with", "between", "relating"}
_KEEP = {"LLC", "LP", "L.P.", "INC.", "II", "III", "IV", "N-1A", "MFS", "PIMCO", "12B-1", "18F-3"}
_ROLE = re.compile(r"\((?:the\s+)?[\"'](?P<role>[A-Z][A-Za-z .-]{1,40})[\"']\)")
_FUND_ROLES = {"trust", "fund", "funds", "company", "corporation", "registrant", "series", "portfolio"}
_AMENDMENT_TITLE = re.compile(r"^(?P<ord>(?:FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+)?AMENDMENT(?:\s+NO\.?\s*(?P<no>\d+))?",
                              re.I)


def title_case(text: str) -> str:
    words = text.split()
    out = []
    for i, word in enumerate(words):
        upper = word.upper()
        if upper in _KEEP or (len(word) <= 3 and word.isupper() and word not in {"AND", "THE", "FOR", "TO", "OF"}
                              and not word.isalpha()):
            out.append(word if upper not in {"12B-1", "18F-3"} else upper.replace("B", "b").replace("F", "f"))
        elif re.fullmatch(r"[A-Z]", word) and (word != "A" or (i and words[i - 1].upper() == "CLASS")):
            out.append(word)
        elif i and word.lower() in _SMALL:
            out.append(word.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(out)


def _hit_line(r: Reading, number: int) -> Hit:
    return Hit(" ".join(r.filing.line(number).split()), number, number)


def parties(r: Reading) -> list[tuple[str, str, Hit]]:
    """(name, role, evidence) for each party the preamble defines: ``X ("MID")``, ``X (the "Manager")``."""
    cached = r.filing._cache.get("parties")
    if cached is None:
        cached = r.filing._cache["parties"] = _parties(r)
    return cached  # type: ignore[return-value]


def _parties(r: Reading) -> list[tuple[str, str, Hit]]:
    pre = _preamble(r)
    out = []
    for m in _ROLE.finditer(pre.text):
        found = _entity_before(pre.text, m.start())
        if found is None:
            continue
        name, start = found
        out.append((name, m.group("role"), pre.hit(start, m.end())))
    return out


_CONNECTORS = {"of", "and", "&", "de", "du"}
_SUFFIXES = {"llc", "inc", "inc.", "l.p.", "lp", "l.l.c.", "ltd", "ltd.", "corp", "corp.", "co", "co.", "n.a.",
             "llp", "plc", "s.a.", "ag"}


def _entity_before(text: str, end: int) -> tuple[str, int] | None:
    """The name of the entity a role definition follows: capitalised words (and "of", "and", "&",
    "LLC", "Inc.") back from ``end``, past a ", a Delaware limited liability company" description."""
    before = text[max(0, end - 220):end].rstrip()
    offset = end - 220 if end > 220 else 0
    cut = max(before.rfind(", a "), before.rfind(", an "))
    if cut >= 0 and not any(c in before[cut:] for c in '()"') and len(before) - cut < 110:
        before = before[:cut]
    words = before.split(" ")
    taken: list[str] = []
    for word in reversed(words):
        bare = word.rstrip(",")
        if not bare:
            continue
        if bare[0].isupper() or bare.lower() in _SUFFIXES or (taken and bare.lower() in _CONNECTORS):
            if bare.endswith(":") or bare.startswith("("):
                break
            taken.append(word)
            if len(taken) > 9:
                return None
            continue
        break
    while taken and taken[-1].rstrip(",").lower() in _CONNECTORS:
        taken.pop()
    name = " ".join(reversed(taken)).strip(" ,")
    name = re.sub(r"^(?:By and Between|Between|And|With|The|THIS|This|Ladies and Gentlemen:?)\s+", "", name)
    if not name or name.split()[0].lower() in {"this", "amendment", "agreement", "plan", "the"}:
        return None
    start = before.rfind(name.split()[0]) + offset
    return name, max(offset, start)


def _preamble(r: Reading) -> Passage:
    cached = r.filing._cache.get("preamble")
    if cached is None:
        first = min((s.start for s in r.sections), default=len(r.filing.lines) + 1)
        cached = r.filing._cache["preamble"] = Passage(r.filing, r.body_start, max(r.body_start, first - 1))
    return cached  # type: ignore[return-value]


def read_document(r: Reading) -> Iterator[Fact | Review]:
    if r.kind is None:
        yield Review(("kind",), "the title block names no kind of document mist-check knows "
                     "(12b-1 plan, distribution, management or advisory agreement, Rule 18f-3 plan, fee waiver)",
                     _hit_line(r, r.title_lines[0]) if r.title_lines else None)
        return
    block = [n for n in r.title_lines if not re.match(r"^\s*(N-1A|Previous:|Next:|485)", r.filing.line(n))]
    yield from _title(r, block)
    found = parties(r)
    others = [(n, role, h) for n, role, h in found if role.lower() not in _FUND_ROLES]
    if r.kind != "multi-class-plan" and r.kind != "distribution-plan":
        if len({n for n, _, _ in others}) == 1:
            name, role, hit = others[0]
            yield Fact(("counterparty",), name, hit)
        elif others:
            yield Review(("counterparty",), "more than one party besides the fund: "
                         + "; ".join(f"{n} ({role})" for n, role, _ in others), others[0][2])
        else:
            yield Review(("counterparty",), "no party besides the fund is defined in the preamble", None)
    yield from _dates(r)


def _title(r: Reading, block: list[int]) -> Iterator[Fact | Review]:
    trust_names = {n.upper() for n, role, _ in parties(r) if role.lower() in _FUND_ROLES}
    texts = [(n, " ".join(r.filing.line(n).split())) for n in block]
    texts = [(n, t) for n, t in texts if not re.match(r"^(?:EXHIBIT|Exhibit|EX-|Ex\.)\s*[\w().-]*$", t)]
    texts = [(n, t) for n, t in texts if t.upper() not in trust_names
             and not re.fullmatch(r"[A-Z][A-Z .,&'-]* (TRUST|FUNDS?|INC\.?|CORPORATION)", t)]
    if r.amendment:
        head = next(((n, t) for n, t in texts if _AMENDMENT_TITLE.match(t)), None)
        if head is None:
            return
        m = _AMENDMENT_TITLE.match(head[1])
        assert m is not None
        if m.group("no"):
            amend_title, ident = f"Amendment No. {m.group('no')}", f"amendment-{m.group('no')}"
        elif m.group("ord"):
            amend_title = f"{m.group('ord').strip().title()} Amendment"
            ident = f"{m.group('ord').strip().lower()}-amendment"
        else:
            amend_title, ident = "Amendment", "amendment"
        yield Fact(("amendments", 0, "id"), ident, _hit_line(r, head[0]))
        yield Fact(("amendments", 0, "title"), amend_title, _hit_line(r, head[0]))
        rest = [(n, t) for n, t in texts if n > head[0] and t.upper() != "TO"]
        rest_text = re.sub(r"^TO\s+", "", head[1][m.end():].strip(), flags=re.I)
        if rest_text:
            rest.insert(0, (head[0], rest_text))
        counter = {n.upper() for n, role, _ in parties(r) if role.lower() not in _FUND_ROLES}
        rest = [(n, t) for n, t in rest if t.upper() not in counter]
        if not rest:
            yield Review(("title",), "the amendment does not name the agreement it amends in its title", None)
            return
        parent = _join(t for _, t in rest)
        yield Fact(("title",), parent, Hit(" / ".join(t for _, t in rest), rest[0][0], rest[-1][0]))
        yield Fact(("id",), _doc_id(r.kind, parent, re.findall(r"\bClass\s+([A-Z0-9]{1,3})\b", parent)), None)
        return
    if not texts:
        first = " ".join(" ".join(r.filing.line(n).split()) for n in range(1, min(len(r.filing.lines), 12) + 1))
        m = re.match(r"\s*THIS\s+((?:[A-Z0-9'-]+\s+){0,8}?(?:AGREEMENT|PLAN|CONTRACT))\b", first)
        if m is None:
            yield Review(("title",), "no title block", None)
            return
        line = next(n for n in range(1, len(r.filing.lines) + 1) if r.filing.line(n).strip())
        texts = [(line, m.group(1))]
    title = _join(t for _, t in texts)
    title = re.sub(r"\s+under the Investment Company Act of 1940.*$", "", title, flags=re.I)
    yield Fact(("title",), title, Hit(" / ".join(t for _, t in texts), texts[0][0], texts[-1][0]))
    classes = re.findall(r"\bClass(?:es)?\s+([A-Z0-9]{1,3})\b", title)
    yield Fact(("id",), _doc_id(r.kind, title, classes), None)
    if r.kind == "distribution-plan":
        if len(classes) == 1:
            yield Fact(("share_class",), classes[0], Hit(title, texts[0][0], texts[-1][0]))
        elif classes:
            yield Review(("share_class",), f"the title names more than one class ({', '.join(classes)})", None)
        elif named := re.search(r"\b([A-Z][a-z]+)\s+Class\b", title):
            yield Review(("share_class",), f"the title names the {named.group(0)}: write its share-class name "
                         "as the trust's share_classes name it", Hit(title, texts[0][0], texts[-1][0]))


def _join(parts: object) -> str:
    """Title lines as one title: "... AGREEMENT" + "CLASS B SHARES" -> "..., Class B Shares"."""
    out = ""
    for part in parts:  # type: ignore[attr-defined]
        if out and re.search(r"(AGREEMENT|PLAN|CONTRACT|Agreement|Plan|Contract)$", out) and \
                re.match(r"(CLASS|RELATING|FOR|Class|Relating|For)\b", part):
            out += ", " + part
        else:
            out = f"{out} {part}".strip()
    return title_case(out)


def _doc_id(kind: str | None, title: str, classes: list[str]) -> str:
    """An id for the document: ``class-b-plan``, ``class-b-distribution``, ``multi-class-plan``."""
    if kind == "multi-class-plan":
        return "multi-class-plan"
    if len(classes) == 1 and kind == "distribution-plan":
        return f"class-{classes[0].lower()}-plan"
    if len(classes) == 1 and kind == "distribution-agreement":
        return f"class-{classes[0].lower()}-distribution"
    return _slug(title)


def _slug(text: str) -> str:
    text = re.sub(r"[.'’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_DATED = re.compile(r"\b(?:dated|made|entered into|effective|executed)(?:\s+and\s+effective)?\s+(?:as\s+of\s+)?"
                    r"(?:(?:the|this)\s+)?", re.I)
# "Adopted as of April 24, 2001", "ADOPTED: ____", "Approved at a meeting held on / /00", at the start
# of a line (not "the Trust has adopted on behalf of ...").
_ADOPTED = re.compile(r"\b(?:Adopted|ADOPTED|Approved|APPROVED)(?:\s+and\s+(?:approved|effective|APPROVED))?"
                      r"(?:\s+(?:as\s+of|on|at\s+a\s+meeting\s+held\s+on|AS\s+OF)|:)\s*")
_BLANK = re.compile(r"^(?:_{2,}|-{2,}|\[\s*\]|\s)*,?\s*(?:19|20)?\d\d\b|^\s*/\s*/\s*\d\d\b|^_{2,}|^\s*$")


def _dates(r: Reading) -> Iterator[Fact | Review]:
    whole = r.whole()
    text = whole.text
    if r.kind in ("distribution-plan", "multi-class-plan") and not r.amendment:
        # the last "Adopted as of" is the plan's (an earlier one may quote another plan)
        m = max((a for a in _ADOPTED.finditer(text)
                 if r.filing.line(whole.line_of(a.start())).lstrip().startswith(a.group()[:5])),
                key=lambda found: found.start(), default=None)
        if m is None:
            yield Review(("adopted",), "no \"Adopted as of\" line", None)
            return
        after = text[m.end():m.end() + 40]
        d = DATE.match(after)
        if d and (value := date_value(d)):
            yield Fact(("adopted",), value.isoformat(), whole.hit(m.start(), m.end() + d.end()))
        elif _BLANK.match(after) or re.match(r"^[\s_/-]*,?\s*(?:19|20)?\d\d\b", after) or not after.strip():
            line = whole.line_of(m.start())
            yield Fact(("adopted",), None, Hit(r.filing.line(line).strip(), line, line))
        else:
            yield Review(("adopted",), f"an adoption line that gives no date: {text[m.start():m.end() + 30]!r}",
                         whole.hit(m.start(), m.end()))
        return
    pre = _preamble(r)
    root: tuple[str | int, ...] = ("amendments", 0) if r.amendment else ()
    letter = _letter_date(r)
    found = []
    for m in _DATED.finditer(pre.text):
        d = DATE.match(pre.text, m.end())
        if d and (value := date_value(d)):
            found.append((m, d, value))
    if r.amendment:
        # "AMENDMENT ... dated as of May 1, 2003": the amendment's; "... Agreement ... dated as of
        # August 30, 2002" (after the amended agreement's name): the agreement's.
        if found:
            m, d, value = found[0]
            yield Fact(("amendments", 0, "dated"), value.isoformat(), pre.hit(m.start(), d.end()))
            for m, d, value in found[1:2]:
                head = pre.text[max(0, m.start() - 160):m.start()]
                if re.search(r"(Agreement|Plan|Contract)\b[^.]*$", head):
                    yield Fact(("dated",), value.isoformat(), pre.hit(m.start(), d.end()))
        else:
            yield Review(("amendments", 0, "dated"), "no \"dated as of\" in the preamble", None)
        eff = re.search(r"effective date of this Amendment(?:\s+No\.\s*\d+)?[^.]{0,40}?shall be\s+", whole.text, re.I)
        if eff and (d := DATE.match(whole.text, eff.end())) and (value := date_value(d)):
            section = _section_of(r, whole.line_of(eff.start()))
            yield Fact(("amendments", 0, "effective"), value.isoformat(), whole.hit(eff.start(), d.end()), section)
        return
    if found:
        m, d, value = found[0]
        head = pre.text[max(0, m.start() - 160):m.start()]
        own = re.search(r"\b(?:THIS|This)\b[^.]*$|\bAGREEMENT\b[^.]*$|^\W*$", head) and not re.search(
            r"\b(?:pursuant to|under|to)\s+(?:the|that|a|an)\s+[^.]*$", head)
        if own or len({v for _, _, v in found}) == 1:
            yield Fact(root + ("dated",), value.isoformat(), pre.hit(m.start(), d.end()))
        else:
            yield Review(root + ("dated",), "the preamble gives more than one date: " + ", ".join(
                v.isoformat() for _, _, v in found), pre.hit(m.start(), d.end()))
    elif letter is not None:
        yield Fact(root + ("dated",), letter[0], letter[1])
    else:
        blank = re.search(r"\b(?:dated|made)\s+(?:as\s+of\s+)?(?:_{2,}|\[\s*\])", pre.text, re.I)
        if blank:
            yield Fact(root + ("dated",), None, pre.hit(blank.start(), blank.end()))
        else:
            yield Review(root + ("dated",), "no date of the agreement found in its preamble", None)


def _letter_date(r: Reading) -> tuple[str, Hit] | None:
    """A letter agreement's date: a line that is only a date, before the salutation."""
    for number in range(1, min(len(r.filing.lines), r.body_start + 8) + 1):
        line = " ".join(r.filing.line(number).split())
        d = DATE.fullmatch(line)
        if d and (value := date_value(d)):
            return value.isoformat(), Hit(line, number, number)
    return None


def _section_of(r: Reading, line: int) -> str | None:
    from .sections import section_at

    return section_at(r.filing, line)
