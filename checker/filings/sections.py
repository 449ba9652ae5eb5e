"""Sections as the document numbers them, and passages of text that remember their lines.

Recognised, at the start of a line: ``Section 9.`` / ``SECTION 9:`` / ``Sec. 9``, ``9.`` (numbered
paragraphs, accepted only in sequence, so that a wrapped line starting "2005." is not a section),
``9.1``, ``ARTICLE IX`` / ``Article 9``, ``(a)`` (a lettered subsection of the numbered section it
is in, cited ``7(a)``), and headings ``SCHEDULE A`` / ``Appendix B`` / ``EXHIBIT A``. A document
with no numbered sections is divided by its capitalised headings ("CLASS DESIGNATIONS" is cited
``Class designations``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .text import Filing

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SECTION_WORD = re.compile(r"^(?:SECTION|Section|Sec\.|SEC\.)\s+(\d{1,3}(?:\.\d{1,3})?)(?=[\s.:-]|$)[.:\s-]*(.*)$")
_ARTICLE = re.compile(r"^(?:ARTICLE|Article)\s+([IVXLC]{1,7}|\d{1,3})(?=[\s.:-]|$)[.:\s-]*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\.(?:\s+(.*)|$)")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?(?:\s+(.*)|$)")
_LETTERED = re.compile(r"^\(([a-z])\)\s")
_SCHEDULE = re.compile(r"^(SCHEDULE|APPENDIX|EXHIBIT|ANNEX|Schedule|Appendix|Exhibit|Annex)\s+([A-Z]{1,2}|\d{1,2})"
                       r"(?:\s*[-:]?\s*([A-Z0-9 ,.'&/()-]*))?$")
_CAPS_HEADING = re.compile(r"^[A-Z][A-Z ,&'/-]{3,60}$")


@dataclass(frozen=True)
class Section:
    """One section: its label as cited (``"9"``, ``"7(a)"``, ``"Schedule A"``), heading, lines."""

    label: str
    heading: str
    start: int  # first line, 1-based
    end: int  # last line, inclusive
    level: int = 1  # 1: a section, article, schedule or heading; 2: a subsection

    def __contains__(self, line: int) -> bool:
        return self.start <= line <= self.end


def _roman(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total = 0
    for char, nxt in zip(text, text[1:] + " "):
        value = _ROMAN.get(char)
        if value is None:
            return None
        total += -value if _ROMAN.get(nxt, 0) > value else value
    return total


def _heading(rest: str) -> str:
    """A heading is a short title after the number ("Term", "Use of Name"), not a sentence."""
    rest = rest.strip()
    first = re.split(r"(?<=[a-z])\.\s", rest, maxsplit=1)[0].rstrip(".").strip()
    if first and len(first.split()) <= 8 and not re.search(r"\b(shall|will|may|is|are|the Trust)\b", first):
        return first
    return ""


def _sentence_case(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:].lower()


def find_sections(filing: Filing) -> tuple[Section, ...]:
    """Every section and subsection, in order of the text (cached on the filing)."""
    cached = filing._cache.get("sections")
    if cached is None:
        cached = filing._cache["sections"] = tuple(_find(filing))
    return cached  # type: ignore[return-value]


def _find(filing: Filing) -> list[Section]:
    lines = filing.lines
    plain = _raw_starts(filing, None)
    numbered = [line for line, label, _, level in plain if level == 1]
    if numbered:
        # A schedule named before the first numbered section (a table of contents, a cover page)
        # would swallow the document: only schedule headings after it are sections.
        starts = _raw_starts(filing, numbered[0])
    else:
        starts = _headings(lines) + _raw_starts(filing, 1)
        starts.sort()
    return _close(starts, len(lines))


def _raw_starts(filing: Filing, schedules_from: int | None) -> list[tuple[int, str, str, int]]:
    """Section starts; schedule headings only from line ``schedules_from`` (None: none)."""
    starts: list[tuple[int, str, str, int]] = []  # (line, label, heading, level)
    last_number = 0
    current: str | None = None  # the label of the numbered section we are in (for (a), 9.1)
    last_letter = ""
    in_schedule = False
    lines = filing.lines
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if schedules_from is not None and number >= schedules_from and (m := _SCHEDULE.match(line)):
            if len(line) <= 70 and (m.group(3) is None or m.group(3) == m.group(3).upper()):
                word = m.group(1).capitalize()
                starts.append((number, f"{word} {m.group(2)}", (m.group(3) or "").strip(), 1))
                in_schedule, current, last_letter = True, None, ""
                continue
        if in_schedule:
            continue
        m = _SECTION_WORD.match(line) or _ARTICLE.match(line)
        if m:
            label = m.group(1)
            major = int(label.split(".")[0]) if label[0].isdigit() else _roman(label)
            if "." in label and current == label.split(".")[0]:
                starts.append((number, label, _heading(m.group(2)), 2))
                continue
            if major is not None and (major == last_number + 1 or (last_number == 0 and major <= 1)):
                article = line.upper().startswith("ARTICLE")
                label_out = f"Article {label}" if article else label
                starts.append((number, label_out, _heading(m.group(2)), 1))
                last_number, current, last_letter = major, (label_out if not article else str(major)), ""
                continue
        if m := _DOTTED.match(line):
            if current is not None and m.group(1) == current:
                starts.append((number, f"{m.group(1)}.{m.group(2)}", _heading(m.group(3) or ""), 2))
                continue
        if m := _NUMBERED.match(line):
            major = int(m.group(1))
            if major == last_number + 1 or (last_number == 0 and major == 1):
                starts.append((number, m.group(1), _heading(m.group(2) or ""), 1))
                last_number, current, last_letter = major, m.group(1), ""
                continue
        if current is not None and (m := _LETTERED.match(line)):
            letter = m.group(1)
            if (not last_letter and letter == "a") or (last_letter and ord(letter) == ord(last_letter) + 1):
                starts.append((number, f"{current}({letter})", "", 2))
                last_letter = letter
                continue
    return starts



def _headings(lines: tuple[str, ...]) -> list[tuple[int, str, str, int]]:
    """Capitalised headings alone on their line after a blank one (documents without numbers)."""
    out = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        before = lines[number - 2].strip() if number > 1 else ""
        if line and not before and _CAPS_HEADING.match(line) and len(line.split()) <= 8 \
                and not _SCHEDULE.match(line):
            out.append((number, _sentence_case(line), "", 1))
    return out


def _close(starts: list[tuple[int, str, str, int]], total: int) -> list[Section]:
    out = []
    for i, (line, label, heading, level) in enumerate(starts):
        end = total
        for nxt_line, _, _, nxt_level in starts[i + 1:]:
            if nxt_level <= level:
                end = nxt_line - 1
                break
        out.append(Section(label, heading, line, end, level))
    return out


def section_at(filing: Filing, line: int) -> str | None:
    """The label of the innermost section holding ``line`` (None: before the first section)."""
    best: Section | None = None
    for section in find_sections(filing):
        if line in section and (best is None or section.level >= best.level):
            best = section
    return best.label if best else None


def top_section_at(filing: Filing, line: int) -> Section | None:
    for section in find_sections(filing):
        if section.level == 1 and line in section:
            return section
    return None


@dataclass(frozen=True)
class Hit:
    """Words read from the filing: the text as written (spaces collapsed) and where it starts."""

    words: str
    line: int
    end_line: int


class Passage:
    """Lines joined into one string with single spaces, each offset mapped back to its line."""

    def __init__(self, filing: Filing, start: int = 1, end: int | None = None) -> None:
        self.filing = filing
        self.start = start
        end = len(filing.lines) if end is None else end
        parts: list[str] = []
        self._offsets: list[int] = []
        self._lines: list[int] = []
        pos = 0
        for number in range(start, end + 1):
            text = " ".join(filing.line(number).split())
            if not text:
                continue
            if parts:
                parts.append(" ")
                pos += 1
            self._offsets.append(pos)
            self._lines.append(number)
            parts.append(text)
            pos += len(text)
        self.text = "".join(parts)

    def line_of(self, offset: int) -> int:
        if not self._lines:
            return self.start
        return self._lines[max(0, bisect_right(self._offsets, offset) - 1)]

    def hit(self, start: int, end: int) -> Hit:
        while start < end and self.text[start] == " ":
            start += 1
        return Hit(self.text[start:end], self.line_of(start), self.line_of(max(start, end - 1)))

    def find(self, pattern: re.Pattern[str], start: int = 0) -> re.Match[str] | None:
        return pattern.search(self.text, start)


def section_passages(filing: Filing, level: int | None = None) -> list[tuple[Section, Passage]]:
    """Each section (of ``level``, or all) with its passage; cached on the filing."""
    key = f"passages-{level}"
    cached = filing._cache.get(key)
    if cached is None:
        cached = filing._cache[key] = [(s, Passage(filing, s.start, s.end)) for s in find_sections(filing)
                                       if level is None or s.level == level]
    return cached  # type: ignore[return-value]
