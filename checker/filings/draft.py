"""`mist-check draft`: YAML in the format (a ``documents:`` list, one document per filing) from
filed text, every value with its evidence as a comment and what could not be read as ``# review:``."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import Extractor, Fact, Reading, Review, read
from .sections import Hit
from .text import Filing, read_filing

# Keys of an amendment (the rest of what an amendment filing says is about the agreement it amends).
_AMENDMENT_KEYS = {"provisions", "adds", "removes", "changes", "fee_schedule", "section", "effective"}
_ORDER = ["id", "kind", "title", "share_class", "counterparty", "dated", "adopted", "effective", "source",
          "schedule", "fee_schedule", "designates", "no_12b1", "adds", "removes", "changes",
          "provisions", "amendments",
          "fee_cap", "approval", "continuance", "reporting", "termination", "related_agreements", "fee_increase",
          "compensation", "term", "assignment", "name_use",
          "rate", "basis", "from", "to", "requires", "every", "after", "initial_until", "then",
          "continuance_requires", "by_fund", "by_counterparty", "notice_days", "notice_days_max", "notice_bound",
          "written", "at_any_time", "without_penalty", "by", "terminates_automatically", "names", "cease_within",
          "trigger", "in_person", "called_for_purpose", "section"]
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_ ./&,()'-]*[A-Za-z0-9.)]$")
_WORDS_MAX = 110


@dataclass
class Drafted:
    """One filing's draft: the document's values, their evidence, and what is left for review."""

    filing: Filing
    reading: Reading
    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[tuple[Any, ...], Fact] = field(default_factory=dict)
    reviews: list[Review] = field(default_factory=list)
    portfolios: dict[str, Fact] = field(default_factory=dict)


def draft_filing(filing: Filing, extractors: Sequence[Extractor], source: str) -> Drafted:
    """The document a filing describes, as values with evidence (nothing guessed)."""
    r, facts = read(filing, extractors)
    out = Drafted(filing, r)
    if r.kind is None:
        out.reviews.extend(f for f in facts if isinstance(f, Review))
        return out
    doc = out.values
    for item in facts:
        if isinstance(item, Review):
            out.reviews.append(_route_review(item, r))
            continue
        if item.path[0] == "portfolios":
            out.portfolios.setdefault(str(item.path[1]), item)
            continue
        path = _route(item.path, r)
        if path in out.evidence:
            continue  # the first reading of a value stands
        _put(doc, path, item.value)
        out.evidence[path] = item
    amended = doc.get("amendments", [{}])[0] if r.amendment else {}
    if "fee_cap" in amended.get("changes", {}) and "fee_cap" in amended.get("provisions", {}):
        # The change records the new ceiling; a restated fee_cap would replace the plan's whole provision.
        del amended["provisions"]["fee_cap"]
        if not amended["provisions"]:
            del amended["provisions"]
    doc.setdefault("id", "document")
    doc["kind"] = r.kind
    if r.title_lines:
        out.evidence[("kind",)] = Fact(("kind",), r.kind, Hit(" ".join(filing.line(r.title_lines[-1]).split()),
                                                              r.title_lines[-1], r.title_lines[-1]))
    if r.amendment:
        amendments = doc.get("amendments") or [{}]
        amendments[0].setdefault("id", "amendment")
        amendments[0]["source"] = source
        doc["amendments"] = amendments
        if "title" not in doc:
            doc["title"] = "Agreement"
        out.reviews.append(Review(("id",), "this filing is an amendment: the document it amends is drafted from the "
                                  "amendment alone; merge this `amendments:` entry into the document drafted from "
                                  "its own filing (whose provisions the amendment does not restate)"))
    else:
        doc["source"] = source
    if "title" not in doc:
        doc["title"] = r.kind.replace("-", " ").capitalize()
    return out


def _route(path: tuple[Any, ...], r: Reading) -> tuple[Any, ...]:
    if r.amendment and path[0] in _AMENDMENT_KEYS:
        return ("amendments", 0, *path)
    return path


def _route_review(review: Review, r: Reading) -> Review:
    return Review(_route(review.path, r), review.note, review.hit)


def _put(tree: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = tree
    for i, key in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, list):
            while len(node) <= key:
                node.append({} if not isinstance(nxt, int) else [])
            node = node[key]
            continue
        if key not in node:
            node[key] = [] if isinstance(nxt, int) else {}
        node = node[key]
    last = path[-1]
    if isinstance(node, list):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def draft(paths: Sequence[Path], extractors: Sequence[Extractor], relative_to: Path,
          max_bytes: int) -> tuple[str, list[Drafted]]:
    """The YAML text of every filing's document, and the drafts (for counts and tests)."""
    drafts = []
    for path in paths:
        filing = read_filing(path, path.name, max_bytes)
        try:
            source = os.path.relpath(path.resolve(), relative_to.resolve()).replace(os.sep, "/")
        except ValueError:  # another drive (Windows)
            source = str(path)
        drafts.append(draft_filing(filing, extractors, source))
    return render(drafts), drafts


# --- YAML ----------------------------------------------------------------------------------------

def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) or (
            _PLAIN.match(text) and len(text) > 3 and text.lower() not in ("null", "true", "false", "yes", "no",
                                                                          "on", "off")
            and not re.search(r"[:#]|^\d|%", text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _comment(d: Drafted, fact: Fact | None) -> str:
    if fact is None or fact.hit is None:
        return ""
    words = fact.hit.words if len(fact.hit.words) <= _WORDS_MAX else fact.hit.words[:_WORDS_MAX - 3] + "..."
    label = fact.section or ""
    where = f"{d.filing.name}:{fact.hit.line}" + (
        f" §{label}" if label[:1].isdigit() else f" ({label})" if label else "")
    return f"  # {where}: \"{words}\""


def _review_line(d: Drafted, review: Review, indent: str) -> str:
    where = f" ({d.filing.name}:{review.hit.line})" if review.hit else ""
    dotted = ".".join(str(p) for p in review.path)
    return f"{indent}# review: {dotted}: {review.note}{where}"


def _key_order(key: Any) -> tuple[int, str]:
    return (_ORDER.index(key) if key in _ORDER else len(_ORDER), str(key))


def _emit(d: Drafted, node: Any, path: tuple[Any, ...], indent: int, lines: list[str],
          reviews: dict[tuple[Any, ...], list[Review]]) -> None:
    pad = " " * indent
    if isinstance(node, dict):
        keys = sorted(node, key=_key_order) if path[:1] != ("fee_schedule",) and "fee_schedule" not in path[-1:] \
            else list(node)
        for key in keys:
            value = node[key]
            sub = path + (key,)
            if isinstance(value, dict) and not _is_tree(sub):
                lines.append(f"{pad}{key}:")
                _emit(d, value, sub, indent + 2, lines, reviews)
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                lines.append(f"{pad}{key}:")
                for i, item in enumerate(value):
                    start = len(lines)
                    _emit(d, item, sub + (i,), indent + 4, lines, reviews)
                    if start < len(lines):
                        lines[start] = " " * (indent + 2) + "- " + lines[start].lstrip()
            elif isinstance(value, list) and sub[-1] in ("schedule", "adds", "removes"):
                lines.append(f"{pad}{key}:")
                for i, item in enumerate(value):
                    lines.append(f"{pad}  - {_scalar(item)}{_comment(d, d.evidence.get(sub + (i,)))}")
            else:
                lines.append(f"{pad}{key}: {_flow(value)}{_comment(d, d.evidence.get(sub))}")
        for review in reviews.pop(path, []):
            lines.append(_review_line(d, review, pad))


def _is_tree(path: tuple[Any, ...]) -> bool:
    return path[-1] in ("requires", "by", "continuance_requires")


def _anchor(tree: dict[str, Any], path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The deepest mapping of the draft on a review's path (where its comment goes)."""
    node: Any = tree
    best: tuple[Any, ...] = ()
    for i, key in enumerate(path[:-1]):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and not _is_tree(path[:i + 1]):
            best = path[:i + 1]
    return best


def render(drafts: Sequence[Drafted]) -> str:
    lines = ["# Drafted by `mist-check draft` from the filed text. Every value is followed by the file,",
             "# line, section and words it was read from; `# review:` marks what was seen but not read",
             "# for certain, and was left out. Check each value against the filing before relying on it.",
             ""]
    portfolios: dict[str, tuple[Drafted, Fact]] = {}
    for d in drafts:
        for ident, fact in d.portfolios.items():
            portfolios.setdefault(ident, (d, fact))
    if portfolios:
        lines.append("portfolios:")
        for ident, (d, fact) in portfolios.items():
            lines.append(f"  - id: {ident}")
            lines.append(f"    name: {_scalar(fact.value)}{_comment(d, fact)}")
        lines.append("")
    lines.append("documents:" if any(d.reading.kind for d in drafts) else "documents: []")
    for d in drafts:
        lines.append(f"  # {d.filing.name} (sha256 {d.filing.digest[:12]}...)")
        if d.reading.kind is None:
            for review in d.reviews:
                lines.append(_review_line(d, review, "  "))
            lines.append("  # nothing drafted: the kind of document was not read")
            continue
        reviews: dict[tuple[Any, ...], list[Review]] = {}
        for review in d.reviews:
            reviews.setdefault(_anchor(d.values, review.path), []).append(review)
        start = len(lines)
        _emit(d, d.values, (), 4, lines, reviews)
        lines[start] = "  - " + lines[start].lstrip()
        for rest in reviews.values():
            for review in rest:
                lines.append(_review_line(d, review, "    "))
    return "\n".join(lines) + "\n"
