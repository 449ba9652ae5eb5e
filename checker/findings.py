"""Severity, Citation, Location and Finding: what every rule reports."""
from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is; ordered so that ``ERROR > WARNING > NOTE``."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text)
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or note)") from None


_RANK = {Severity.NOTE: 0, Severity.WARNING: 1, Severity.ERROR: 2}

# Findings that mean the check is incomplete (a file, an element or a rule's judgement is missing):
# they cannot be ignored, suppressed, baselined or carried over from a base revision, since hiding
# one would let a trust pass on facts no rule read.
INCOMPLETE = frozenset({"parse-error", "schema", "reference", "plugin-error"})


@dataclass(frozen=True)
class Citation:
    """Where a finding rests: the document and section, what requires it, and the law behind it."""

    document: str | None = None
    section: str | None = None
    required_by: str | None = None
    authority: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "document": self.document,
            "section": self.section,
            "required_by": self.required_by,
            "authority": self.authority,
        }

    def text(self) -> str:
        """``Class B Distribution Plan §7(a); Rule 12b-1(b)(3)(iv)``, the parts that are known."""
        parts = [p for p in (where(self.document, self.section),
                             f"required by {self.required_by}" if self.required_by else "",
                             self.authority or "") if p]
        return "; ".join(parts)


def where(document: str | None, section: str | None) -> str:
    """``Class B Distribution Plan §7(a)``; a named section is quoted: ``Plan, "Class designations"``."""
    if not section:
        return document or ""
    ref = f"§{section}" if section[:1].isdigit() else f'"{section}"'
    if not document:
        return ref
    return f"{document} {ref}" if ref.startswith("§") else f"{document}, {ref}"


class Location:
    """A place in a file: 1-based line and column, and the JSON pointer of the value.

    The line and column may be given as a function that finds them, called only when they are read:
    rules point at facts all the time, and only the few that become findings need a position.
    """

    __slots__ = ("file", "_pointer", "_line", "_column", "_find")

    def __init__(self, file: str, line: int = 1, column: int = 1, pointer: str | Callable[[], str] = "",
                 find: Callable[[], tuple[int, int]] | None = None) -> None:
        self.file, self._pointer = file, pointer
        self._line, self._column, self._find = line, column, find

    def _resolve(self) -> None:
        if self._find is not None:
            self._line, self._column = self._find()
            self._find = None

    @property
    def pointer(self) -> str:
        if callable(self._pointer):
            self._pointer = self._pointer()
        return self._pointer

    @property
    def line(self) -> int:
        self._resolve()
        return self._line

    @property
    def column(self) -> int:
        self._resolve()
        return self._column

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return (self.file, self.line, self.column, self.pointer) == (other.file, other.line, other.column,
                                                                     other.pointer)

    def __hash__(self) -> int:
        return hash((self.file, self.pointer))

    def __repr__(self) -> str:
        return f"Location({self.file!r}, {self.line}, {self.column}, {self.pointer!r})"


@dataclass(frozen=True)
class Suppression:
    """A ``# mist-check: ignore[rule] -- reason`` comment that silenced a finding."""

    reason: str
    line: int


@dataclass(frozen=True, order=True)
class Finding:
    """One result of one rule, located at the fact it is about and cited."""

    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity = field(compare=False)
    pointer: str = field(default="", compare=False)
    subject: str | None = field(default=None, compare=False)
    citation: Citation = field(default_factory=Citation, compare=False)
    suppressed: Suppression | None = field(default=None, compare=False)
    occurrence: int = field(default=0, compare=False)  # tells apart findings with the same key

    @property
    def fingerprint(self) -> str:
        """Stable across edits to unrelated lines: rule, file, subject and pointer, not the line
        (nor the message, whose dates and counts move with ``as_of``)."""
        parts = [self.rule, self.file, self.subject or "", self.pointer]
        if self.occurrence:
            parts.append(str(self.occurrence))
        import hashlib  # here: a run that prints no fingerprint need not load it

        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order: file, line, column, rule, message; findings that share a fingerprint
    key are numbered in that order, so each fingerprint is unique."""
    ordered = sorted(findings, key=Finding.sort_key)
    seen: dict[tuple[str, str, str, str], int] = {}
    out = []
    for f in ordered:
        key = (f.rule, f.file, f.subject or "", f.pointer)
        count = seen.get(key, 0)
        seen[key] = count + 1
        out.append(f if count == f.occurrence else dataclasses.replace(f, occurrence=count))
    return out
