"""Rule (what a plugin declares) and RuleContext (what a rule's check is handed)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .findings import Citation, Finding, Location, Severity, where
from .loader import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from .approvals import Majorities
    from .model import Document, Trust


@dataclass(frozen=True)
class Rule:
    """A rule: a stable id, a check function and what a policy pack may set for it.

    ``params`` maps each parameter name to its kind (``int``, ``decimal``, ``rate``, ``period``,
    ``list``, ``string``, ``mapping``); the values live in the policy pack with their citations.
    ``cases`` names the kinds of finding that may have their own severity (``due-soon``) with the
    severity each has when the pack does not say.
    """

    id: str
    check: Callable[[Trust, RuleContext], Iterable[Finding]]
    severity: str = "error"
    cases: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    doc: str = ""
    plugin: str = ""

    @property
    def summary(self) -> str:
        """The docstring's first line (what ``mist-check rules`` prints)."""
        return (self.doc or "").strip().splitlines()[0] if (self.doc or "").strip() else ""


class _Judgement(AbstractContextManager[None]):
    __slots__ = ("trust",)

    def __init__(self, trust: Trust) -> None:
        self.trust = trust

    def __enter__(self) -> None:
        self.trust.open_judgement()

    def __exit__(self, *exc: object) -> None:
        self.trust.close_judgement()


_NOTHING_TO_RECORD = nullcontext()  # a trust without gaps: nothing is recorded, nothing withheld


@dataclass
class RuleContext:
    """What a rule sees besides the trust: the day, its parameters, severities and authority."""

    rule: Rule
    trust: Trust
    as_of: date
    params: Mapping[str, Any]
    references: Mapping[str, str]
    severities: Mapping[str, Severity]
    authorities: Mapping[str, str]
    majorities: Majorities
    limits: Limits = DEFAULT_LIMITS  # the run's input limits (a rule that reads a file honours them)
    plugins: Any = None  # the run's pluggy PluginManager (e.g. for the filing extractors plugins add)
    # a parameter's (value, reference) on another day than ``as_of`` (a dated parameter: the law as it
    # stood on that day); given by the engine, else the values at ``as_of``
    history: Callable[[str, date], tuple[Any, str]] | None = None
    changes: Callable[[str], tuple[date, ...]] | None = None  # the days a dated parameter changes value

    @property
    def authority(self) -> str | None:
        return self.authorities.get("default")

    def authority_for(self, case: str) -> str | None:
        return self.authorities.get(case) or self.authorities.get("default")

    def reference(self, param: str) -> str | None:
        """The source of a parameter's value in force at ``as_of``."""
        return self.references.get(param)

    def param_on(self, param: str, day: date) -> tuple[Any, str]:
        """A parameter's value and reference in force on ``day`` (for a rule that judges the past)."""
        if self.history is not None:
            return self.history(param, day)
        return self.params[param], self.references.get(param, "")

    def param_changes(self, param: str) -> tuple[date, ...]:
        """The days from which a dated parameter takes a new value (none for an undated one)."""
        return self.changes(param) if self.changes is not None else ()

    def judging(self) -> AbstractContextManager[None]:
        """One judgement (of a document, a portfolio...): findings yielded inside rest on what is
        read inside only, so that a gap elsewhere in the trust does not withhold them. Outside any
        judgement a finding rests on everything the rule has read so far. Blocks nest."""
        return _Judgement(self.trust) if self.trust.gaps else _NOTHING_TO_RECORD

    def complete(self, kind: str, key: str | None = None) -> bool:
        """Whether every fact of ``kind`` (about ``key``) was readable (see ``Trust.complete``).
        Asking records nothing: a rule that asks takes the answer into account itself (it skips
        the judgement, or words it as unknown)."""
        return self.trust.complete(kind, key)

    def depends_on(self, kind: str, key: str | None = None) -> None:
        """Record that the judgement rests on every fact of ``kind`` (about ``key``): e.g. "no
        agreement lists this portfolio" depends on ``documents``. The lists and lookups of the
        trust record their own reads; this is for what a rule worked out before the judgement."""
        self.trust.read(kind, key)

    def severity(self, case: str = "default") -> Severity:
        return self.severities.get(case) or self.severities["default"]

    def finding(self, at: Location, message: str, *, subject: str | None = None,
                citation: Citation | None = None, case: str = "default") -> Finding:
        """A finding of this rule at ``at``, with the pack's severity and, unless given, authority."""
        citation = citation or Citation()
        if citation.authority is None:
            citation = Citation(citation.document, citation.section, citation.required_by,
                                self.authority_for(case))
        return Finding(at.file, at.line, at.column, self.rule.id, message, self.severity(case),
                       pointer=at.pointer, subject=subject, citation=citation)

    def missing(self, doc: Document, what: str, *, required_by: Citation | None = None,
                case: str = "default", message: str | None = None) -> Finding:
        """A provision that ``doc`` lacks, located at its ``provisions:`` key and cited to the
        document and section that require it."""
        req = required_by or Citation()
        required = where(req.document, req.section)
        msg = message or f"{doc.title} has no {what} provision" + (f"; {required} requires one" if required else "")
        return self.finding(doc.missing_at(), msg, subject=doc.id, case=case,
                            citation=Citation(req.document or doc.title, req.section, None, req.authority))
