"""Check trusts: load each one whole, validate, build the model, run the rules one by one."""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from . import suppress
from .approvals import Majorities
from .discover import Search, expand_includes, find_roots, include_patterns, settle
from .errors import UsageError
from .findings import INCOMPLETE, Citation, Finding, Severity, sort_findings
from .hints import did_you_mean
from .loader import DEFAULT_LIMITS, Limits, SourceFile, display_path, load_file
from .manager import collect_rules, plugin_manager
from .model import Trust, build_trust, file_settings
from .paths import forget as forget_paths
from .paths import real_text
from .policy import DEFAULT_POLICY, SHARED_PARAMS, Param, Policy, convert, is_builtin, load_policy
from .references import check_references
from .rules import Rule, RuleContext
from .schema import validate

# A rule's settings on a day: parameter values, their references, severities, authorities, majorities.
_Settings = tuple[dict[str, Any], dict[str, str], dict[str, Severity], dict[str, str], Majorities]

# Findings the engine itself makes; listed by `mist-check rules` beside the plugins' rules.
CORE_CHECKS = {
    "parse-error": ("error", "The file is not valid YAML, has duplicate keys, or is not UTF-8"),
    "schema": ("error", "The file does not match the format (one finding per schema error)"),
    "reference": ("error", "An id or name points nowhere, or is used twice"),
    "plugin-error": ("error", "A rule raised an exception; the other rules still ran"),
    "unused-suppression": ("warning", "A suppression comment without a reason, for an unknown rule, "
                                      "or that suppresses nothing"),
}
# Seconds one rule may take on one trust (--rule-timeout): ample for any trust within the input
# limits (the slowest built-in rule takes well under a second on the largest), and short enough that
# a rule that never ends is reported instead of hanging a CI job.
DEFAULT_RULE_TIMEOUT = 60.0


@dataclass
class Options:
    paths: list[str] = field(default_factory=lambda: ["."])
    policy: str | None = None  # --policy
    config_policy: str | None = None  # [tool.mist-check] policy
    config_dir: Path | None = None
    as_of: date | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    entry_points: bool = True
    limits: Limits = DEFAULT_LIMITS
    jobs: int | None = None  # worker processes; None: automatic (one per core for large audits)
    rule_timeout: float | None = DEFAULT_RULE_TIMEOUT  # seconds a rule may take on one trust; None: no limit
    views: bool = False  # keep what the HTML report draws (timelines, fee tables, YAML excerpts)
    progress: bool = False  # a progress bar on stderr (the CLI asks for it when stderr is a terminal)


@dataclass
class TrustResult:
    root: str
    name: str = ""
    policy: str = ""
    as_of: date | None = None
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # the rule ids that ran on it, core checks included
    parts: list[str] = field(default_factory=list)  # real paths of the part files it includes
    error: str | None = None  # the engine failed on this trust (exit 2); the others were checked
    view: dict[str, Any] | None = None  # Options.views: what the HTML report draws (plain data)
    excerpts: dict[str, dict[int, str]] = field(default_factory=dict)  # Options.views: file -> line -> text


@dataclass
class RunResult:
    trusts: list[TrustResult]
    findings: list[Finding]
    rules: Mapping[str, Rule]
    policy: str | None
    as_of: date | None
    baseline_gone: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    base: str | None = None  # --new-from-rev: the revision compared with ("REV (commit)")
    resolved: list[Mapping[str, object]] = field(default_factory=list)  # its findings that are gone

    @property
    def errors(self) -> list[str]:
        return [f"{t.root}: {t.error}" for t in self.trusts if t.error]

    @property
    def files(self) -> list[str]:
        return sorted({f for t in self.trusts for f in t.files} | {f.file for f in self.findings})


class Checker:
    """One run's plugins, rules and policy packs, to check any number of trusts."""

    def __init__(self, options: Options) -> None:
        self.options = options
        forget_paths()  # real paths are remembered for one run only
        self.pm = plugin_manager(options.plugins, entry_points=options.entry_points)
        self.rules = collect_rules(self.pm)
        known = set(self.rules) | set(CORE_CHECKS)
        for rule_id in (*options.select, *options.ignore):
            if rule_id not in known:
                raise UsageError(f"unknown rule id {rule_id!r}{did_you_mean(rule_id, known)} "
                                 "(see `mist-check rules`)")
        for rule_id in options.ignore:
            if rule_id in INCOMPLETE:
                raise UsageError(f"{rule_id} cannot be ignored: it means the check is incomplete")
        self._policies: dict[str, Policy] = {}
        self._parts: dict[Path, tuple[list[Path], list[tuple[int, str]]]] = {}  # of roots a part was traced to
        self._conversions: dict[tuple[str, str, str], Any] = {}
        # Called with each trust's result, model and pack once they are known (the calendar reads
        # the model the rules judged; `check` keeps none).
        self.on_model: Callable[[TrustResult, Trust, Policy], None] | None = None
        if options.policy:  # a bad --policy fails the run at once, before any trust is read
            self.policy(options.policy)
        elif options.config_policy:
            self.policy(options.config_policy)

    # --- policy -------------------------------------------------------------------------------
    def _pack_for(self, file_policy: str | None, root: Path) -> Policy:
        """--policy, then the root file's `policy:` (a path relative to the file), then the config's."""
        if self.options.policy:
            return self.policy(self.options.policy)
        if file_policy:
            # A pack named by the trust is data of the trust: like an include, neither it nor a
            # pack it extends may lie outside the trust's directory (the command line and
            # pyproject.toml may name any pack).
            return self.policy(file_policy, root.parent, confine=root.parent)
        return self.policy(self.options.config_policy or DEFAULT_POLICY)

    def policy(self, name: str, base: Path | None = None, confine: Path | None = None) -> Policy:
        if base is None and name == self.options.config_policy:
            base = self.options.config_dir
        key = name if base is None or not name.endswith((".yaml", ".yml")) else str((base / name).resolve())
        if confine is not None and not is_builtin(name):  # a built-in pack is the same for every trust
            key = f"{key}\0{confine.resolve()}"  # (the same file through --policy is not confined)
        if key not in self._policies:
            pack = load_policy(name, base, self.options.limits, confine)
            self._validate_pack(pack)
            self._policies[key] = pack
        return self._policies[key]

    def _validate_pack(self, pack: Policy) -> None:
        for rule_id, settings in pack.rules.items():
            rule = self.rules.get(rule_id)
            if rule is None:
                raise UsageError(f"{pack.source} configures rule {rule_id!r}, which no plugin provides")
            for name, param in settings.params.items():
                if name not in rule.params:
                    raise UsageError(f"{pack.source}: rule {rule_id!r} has no parameter {name!r}")
                self._convert_all(rule.params[name], param, f"{pack.source}: parameter {name!r}")
        for name, param in pack.parameters.items():
            kinds = {r.params[name] for r in self.rules.values() if name in r.params}
            if name in SHARED_PARAMS:
                kinds.add(SHARED_PARAMS[name])
            if not kinds:
                raise UsageError(f"{pack.source}: no rule reads the parameter {name!r}")
            for kind in sorted(kinds):
                self._convert_all(kind, param, f"{pack.source}: parameter {name!r}")

    def _convert_all(self, kind: str, param: Param, where: str) -> None:
        """Every value a parameter has ever had, converted when the pack is loaded: a value no rule
        can use ("1e999999999", NaN) fails the pack at once, never a rule in the middle of a trust."""
        for _, value, _ in param.history:
            self._converted(kind, value, where)

    def active_rules(self, pack: Policy) -> list[Rule]:
        selected = set(self.options.select)
        chosen = []
        for rule_id, rule in self.rules.items():
            settings = pack.rules.get(rule_id)
            enabled = settings.enabled if settings is not None else True
            if selected:
                enabled = rule_id in selected
            if enabled and rule_id not in self.options.ignore:
                chosen.append(rule)
        return chosen

    @cache  # noqa: B019 - one Checker per run
    def _rule_settings(self, pack_id: str, rule_id: str) -> tuple[
            tuple[tuple[str, str, Param], ...], dict[str, Severity], dict[str, str]]:
        """What a pack sets for a rule, whatever the day: its parameters (name, kind, values over
        time), severities and authorities."""
        pack = self._policies_by_id()[pack_id]
        rule = self.rules[rule_id]
        settings = pack.rules.get(rule_id)
        wanted: list[tuple[str, str, Param]] = []
        for name, kind in {**SHARED_PARAMS, **rule.params}.items():
            param = (settings.params.get(name) if settings else None) or pack.parameters.get(name)
            if param is None:
                if name in rule.params:
                    off = settings is not None and not settings.enabled
                    why = (f"; the pack turns the rule off (packs that enable it: "
                           f"{', '.join(self._packs_enabling(rule_id)) or 'none'})") if off else ""
                    raise UsageError(f"rule {rule_id!r} needs the parameter {name!r}, which {pack.source} "
                                     f"does not set{why}")
                continue
            wanted.append((name, kind, param))
        severities = {"default": Severity.parse(rule.severity)}
        severities.update({case: Severity.parse(sev) for case, sev in rule.cases.items()})
        if settings is not None:
            if settings.severity is not None:
                severities["default"] = settings.severity
            severities.update(settings.severities)
        authorities = dict(settings.authority) if settings else {}
        return tuple(wanted), severities, authorities

    def _settings(self, pack_id: str, rule_id: str, day: date) -> _Settings:
        """A rule's settings on ``day``; trusts judged on days with the same parameter values share
        them (a parameter's value changes on a few dates at most)."""
        wanted, _, _ = self._rule_settings(pack_id, rule_id)
        return self._settings_for(pack_id, rule_id, tuple(param.index_at(day) for _, _, param in wanted))

    @cache  # noqa: B019 - one Checker per run
    def _settings_for(self, pack_id: str, rule_id: str, entries: tuple[int, ...]) -> _Settings:
        wanted, severities, authorities = self._rule_settings(pack_id, rule_id)
        pack = self._policies_by_id()[pack_id]
        params: dict[str, Any] = {}
        refs: dict[str, str] = {}
        for (name, kind, param), entry in zip(wanted, entries):
            _, value, ref = param.history[entry]
            params[name] = self._converted(kind, value, f"{pack.source}: parameter {name!r}")
            refs[name] = ref
        majorities = Majorities(
            params.get("board_majority_more_than", 0), params.get("shareholder_quorum_more_than", 0),
            params.get("shareholder_present_at_least", 0), params.get("shareholder_outstanding_more_than", 0))
        return params, refs, severities, authorities, majorities

    @cache  # noqa: B019 - one Checker per run
    def _param_table(self, pack_id: str, rule_id: str) -> dict[str, tuple[str, Param]]:
        return {name: (kind, param) for name, kind, param in self._rule_settings(pack_id, rule_id)[0]}

    def _converted(self, kind: str, value: Any, where: str) -> Any:
        """A parameter's value converted once per run (trusts judged on many days share it)."""
        key = (kind, where, repr(value))
        if key not in self._conversions:
            self._conversions[key] = convert(kind, value, where)
        return self._conversions[key]

    def _packs_enabling(self, rule_id: str) -> list[str]:
        from .policy import builtin_policies

        names = []
        for name in builtin_policies():
            settings = self.policy(name).rules.get(rule_id)
            if settings is not None and settings.enabled:
                names.append(name)
        return names

    def _policies_by_id(self) -> dict[str, Policy]:
        return {p.id: p for p in self._policies.values()}

    def context(self, pack: Policy, rule: Rule, trust: Trust, day: date) -> RuleContext:
        params, refs, severities, authorities, majorities = self._settings(pack.id, rule.id, day)

        table = self._param_table(pack.id, rule.id)

        def history(name: str, on: date) -> tuple[Any, str]:
            kind, param = table[name]  # that parameter alone, not the rule's every one
            _, value, ref = param.history[param.index_at(on)]
            return self._converted(kind, value, f"{pack.source}: parameter {name!r}"), ref

        def changes(name: str) -> tuple[date, ...]:
            if name not in table:
                return ()
            return tuple(start for start, _, _ in table[name][1].history if start is not None)

        return RuleContext(rule, trust, day, params, refs, severities, authorities, majorities,
                           self.options.limits, self.pm, history, changes)

    # --- trusts -------------------------------------------------------------------------------
    def roots(self) -> Search:
        return find_roots(self.options.paths, self._parts_of, self.options.limits)

    def _parts_of(self, root: Path) -> tuple[list[Path], list[tuple[int, str]]]:
        """A root's part files and refused include patterns, worked out once per run (tracing a
        part to its root asks for them). Only paths are kept: holding every root's node tree until
        its turn made a thousand-trust audit slower per trust (a larger heap for the garbage
        collector to walk)."""
        if root not in self._parts:
            self._parts[root] = expand_includes(root, include_patterns(load_file(root, self.options.limits).data))
        return self._parts[root]

    def check_root(self, root: Path) -> TrustResult:
        """Check one trust; an engine fault is caught here and names the trust."""
        result = TrustResult(display_path(root))
        files: list[SourceFile] = []
        try:
            self._check(root, result, files)
            if self.options.views:
                result.excerpts = excerpts(files, result.findings)
        except UsageError:
            raise
        except Exception as exc:  # the engine must not lose the other trusts
            import traceback

            where = traceback.extract_tb(exc.__traceback__)[-1]
            result.error = (f"the checker failed on this trust: {type(exc).__name__}: {exc} "
                            f"(at {Path(where.filename).name}:{where.lineno}; please report it)")
        return result

    def _check(self, root_path: Path, result: TrustResult, files: list[SourceFile]) -> None:
        limits = self.options.limits
        root = load_file(root_path, limits)
        files.append(root)
        findings: list[Finding] = list(root.findings)
        if not root.has_document:  # unreadable (a duplicate key alone still leaves data), or empty
            result.files, result.findings = [root.path], self._filter(findings)
            result.rules = ["parse-error"]
            return
        findings += validate(root)
        known = self._parts.pop(root_path, None)  # (not needed again: the trust is checked once)
        parts_paths, refused = known or expand_includes(root_path, include_patterns(root.data))
        result.parts = [real_text(p) for p in parts_paths]
        for index, message in refused:
            at = root.locate(f"/include/{index}")
            findings.append(Finding(root.path, at[0], at[1], "reference", message, Severity.ERROR,
                                    pointer=f"/include/{index}"))
        parts: list[SourceFile] = []
        unread: list[SourceFile] = []  # parts that could not be read: what they hold is unknown
        for part_path in parts_paths:
            part = load_file(part_path, limits)
            files.append(part)
            findings += part.findings
            if part.data is None:
                unread.append(part)
                continue
            if isinstance(part.data, dict) and "trust" in part.data:
                continue  # another root matched by a glob: checked on its own
            findings += validate(part)
            parts.append(part)
        file_day, file_policy = file_settings(root)
        day = self.options.as_of or file_day or date.today()
        trust = build_trust(root, parts, day, unread)
        try:
            pack = self._pack_for(file_policy, root_path)
        except UsageError as exc:
            if self.options.policy or not file_policy:
                raise  # a bad --policy or [tool.mist-check] policy fails the whole run
            # The trust names a pack that cannot be used: a finding of that trust, not a fault of the run.
            at = root.locate("/policy")
            result.files = [f.path for f in files]
            result.findings = sort_findings(self._filter([*findings, Finding(
                root.path, at[0], at[1], "reference", f"{exc}; no rule was run on this trust",
                Severity.ERROR, pointer="/policy")]))
            return
        unknown: dict[str, set[str | None]] = {}
        findings += check_references(trust, unknown)
        if unknown:  # what a reference that points nowhere meant is unknown: no rule judges it
            trust = build_trust(root, parts, day, unread, unknown)
        result.name, result.policy, result.as_of = trust.name, pack.id, day
        if self.on_model is not None:
            self.on_model(result, trust, pack)
        if self.options.views:
            from .report_html.views import trust_view

            result.view = trust_view(self, trust, pack, day)
        result.files = [f.path for f in files]
        bad_day = [i for i, f in enumerate(findings)
                   if f.rule == "schema" and f.file == root.path and f.pointer == "/as_of"]
        if bad_day and self.options.as_of is None:
            # The trust asks to be judged on a day that is not a date: judging it on another day
            # (today) would give findings about a day nobody asked for. Its schema finding says why.
            f = findings[bad_day[0]]
            findings[bad_day[0]] = dataclasses.replace(f, message=f.message + (
                "; the rules judge a trust as of that day, so none was run on this trust "
                "(write a real date YYYY-MM-DD, or pass --as-of)"))
            result.rules = sorted(set(CORE_CHECKS) - set(self.options.ignore))
            result.as_of = None  # judged as of no day
            result.findings = sort_findings(self._filter(findings))
            return
        active = self.active_rules(pack)
        result.rules = sorted({r.id for r in active} | (set(CORE_CHECKS) - set(self.options.ignore)))
        partial: set[str] = set()  # rules that did not judge everything: a part they read was unreadable
        for rule in active:
            findings += self._run(rule, trust, self.context(pack, rule, trust, day), partial)
        if trust.gaps:
            partial.add("reference")
        findings = suppress.apply(self._filter(findings), files, set(self.rules) | set(CORE_CHECKS),
                                  {r.id for r in active} | set(CORE_CHECKS), partial, unreadable_lines(trust))
        result.findings = sort_findings(self._filter(findings))

    def _filter(self, findings: Iterable[Finding]) -> list[Finding]:
        ignored = set(self.options.ignore)
        return [f for f in findings if f.rule not in ignored]

    def _run(self, rule: Rule, trust: Trust, ctx: RuleContext, partial: set[str] | None = None) -> list[Finding]:
        """One rule on one trust: whatever it raises (``SystemExit`` and ``GeneratorExit`` too), a
        finding that is not well formed, or running past ``--rule-timeout`` is a ``plugin-error``,
        never the end of the run. Only ``KeyboardInterrupt`` (the user's) and ``UsageError`` stop it."""
        def error(what: str) -> list[Finding]:
            return [Finding(trust.root.path, 1, 1, "plugin-error",
                            f"rule {rule.id} ({rule.plugin}) {what}; its findings for this trust are missing",
                            Severity.ERROR, subject=rule.id, citation=Citation(None, None, None, None))]

        timeout = self.options.rule_timeout
        try:
            with time_budget(timeout):
                out = judge(rule, trust, ctx, partial)
        except (UsageError, KeyboardInterrupt):
            raise
        except RuleTimeout:
            return error(f"did not finish within its time budget of {timeout:g} s (--rule-timeout)")
        except BaseException as exc:  # noqa: B036 - a plugin's SystemExit must not end the run
            import traceback

            tb = traceback.extract_tb(exc.__traceback__)
            where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
            return error(f"raised {type(exc).__name__}: {exc}{where}")
        for f in out:
            problem = malformed(f, rule.id)
            if problem is not None:
                return error(problem)
        return out


def malformed(f: object, rule_id: str) -> str | None:
    """What is wrong with what a rule yielded (``None``: a well-formed finding of that rule); each
    part is checked because reporters, sorting and fingerprints rely on its type."""
    if not isinstance(f, Finding):
        return f"yielded {type(f).__name__}, not a Finding"
    if f.rule != rule_id:
        return f"yielded a finding of rule id {f.rule!r}, not its own"
    if not isinstance(f.severity, Severity):
        return f"yielded a finding whose severity is {f.severity!r}, not a Severity"
    for name in ("file", "message", "pointer"):
        if not isinstance(getattr(f, name), str):
            return f"yielded a finding whose {name} is {type(getattr(f, name)).__name__}, not str"
    for name in ("line", "column"):
        value = getattr(f, name)
        if type(value) is not int or value < 1:
            return f"yielded a finding whose {name} is {value!r}, not a positive int"
    if f.subject is not None and not isinstance(f.subject, str):
        return f"yielded a finding whose subject is {type(f.subject).__name__}, not str"
    if not isinstance(f.citation, Citation) or not all(
            v is None or isinstance(v, str) for v in f.citation.as_dict().values()):
        return "yielded a finding whose citation is not a Citation of strings"
    if f.suppressed is not None or type(f.occurrence) is not int:
        return "yielded a finding marked suppressed (only comments and baselines suppress)"
    return None


class RuleTimeout(BaseException):
    """A rule ran past its time budget (a ``BaseException``, so that ``except Exception`` in the rule
    does not swallow it)."""


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``RuleTimeout`` in the code running after ``seconds`` of wall-clock time, and again each
    second after that if the code catches it. Where the platform allows: a POSIX ``setitimer`` in
    the main thread of the process (the CLI's, or a ``--jobs`` worker's); elsewhere, no budget. A
    timer already running (a caller's own SIGALRM) is restored with the time it had left."""
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    armed = [True]

    def expired(signum: int, frame: Any) -> None:
        if armed[0]:
            raise RuleTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    before = signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        armed[0] = False  # (a signal that strikes from here on does nothing)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if before[0] > 0:
            left = before[0] - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), before[1])


def judge(rule: Rule, trust: Trust, ctx: RuleContext, partial: set[str] | None = None) -> list[Finding]:
    """The findings of one rule on one trust (its exceptions, and what it yields that is not a
    well-formed finding, are the caller's: ``malformed``).

    A finding that rests on an incomplete fact (what the rule read while working it out, see
    ``Trust.dependencies``), or on an unreadable element, is withheld: a schema error is reported
    once, as itself, never again as a legal violation. The ids of rules that read an incomplete fact
    are added to ``partial`` (their suppressions may have had nothing to suppress)."""
    trust.begin_rule()
    try:
        out = []
        for finding in rule.check(trust, ctx):
            if trust.gaps and isinstance(finding, Finding) and (not trust.judgeable(trust.dependencies()) or trust.inside_unreadable(
                    finding.file, finding.pointer, finding.subject)):
                continue
            out.append(finding)
        return out
    finally:
        if not trust.judgeable(trust.end_rule()) and partial is not None:
            partial.add(rule.id)


def unreadable_lines(trust: Trust) -> set[tuple[str, int]]:
    """(file, line) of every line an unreadable element is written on."""
    return {(u.src.file.path, line) for u in trust.unreadable for line in u.src.file.lines(u.src.pointer)}


# Below this many trusts, starting worker processes costs more than it saves.
_PARALLEL_FROM = 16
_worker: Checker | None = None


def _start_worker(options: Options) -> None:
    global _worker
    gc.set_threshold(50_000, 20, 100)  # as in run(): see _fewer_collections
    _worker = Checker(options)


def _check_in_worker(root: Path) -> TrustResult:
    assert _worker is not None
    return _worker.check_root(root)


EXCERPT_CONTEXT = 2  # lines of YAML shown above and below a finding's line in the HTML report


def excerpts(files: list[SourceFile], findings: list[Finding]) -> dict[str, dict[int, str]]:
    """The lines of YAML around each finding, from the text already read (nothing is read again)."""
    wanted: dict[str, set[int]] = {}
    for f in findings:
        wanted.setdefault(f.file, set()).update(range(max(1, f.line - EXCERPT_CONTEXT), f.line + EXCERPT_CONTEXT + 1))
    out: dict[str, dict[int, str]] = {}
    for src in files:
        lines = wanted.get(src.path)
        if not lines or not src.text:
            continue
        all_lines = src.text.split("\n")
        out[src.path] = {n: all_lines[n - 1][:400] for n in sorted(lines) if n <= len(all_lines)}
    return out


def _jobs(options: Options, trusts: int) -> int:
    if options.jobs is not None:
        return max(1, min(options.jobs, trusts))
    if trusts < _PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, trusts))


def _check_chunk(roots: list[Path]) -> list[TrustResult]:
    assert _worker is not None
    return [_worker.check_root(root) for root in roots]


# A worker process that dies (killed by a signal or the kernel's out-of-memory killer, a plugin
# calling os._exit or crashing the interpreter) takes its trusts' results with it.
WORKER_DIED = ("the worker process checking this trust ended abruptly (killed, out of memory, or a "
               "plugin ended the process); its findings are missing")


def check_roots(checker: Checker, roots: list[Path]) -> list[TrustResult]:
    """Check each trust, in worker processes when asked; results keep the order of ``roots``.

    Workers receive paths, not parsed trees, and build their own plugins and packs once. When a
    worker dies, the trusts whose results were lost are checked again one at a time in a fresh
    worker: the trust that kills it again is reported as failed, and the others are checked.
    """
    jobs = _jobs(checker.options, len(roots))
    with _progress(checker.options, len(roots)) as bar:
        if jobs <= 1:
            out = []
            for root in roots:
                out.append(checker.check_root(root))
                bar.update(1)
            return out
        return _check_in_pool(checker, roots, jobs, bar)


class _NoBar:
    def update(self, n: int) -> None:
        pass


@contextlib.contextmanager
def _progress(options: Options, total: int) -> Iterator[Any]:
    """A tqdm bar on stderr for an audit of several trusts when asked, else one that does nothing
    (tqdm is imported only then: a pre-commit run of one trust pays nothing for it)."""
    if not options.progress or total < 2:
        yield _NoBar()
        return
    from tqdm import tqdm

    bar = tqdm(total=total, unit="trust", file=sys.stderr, leave=False,
               desc="mist-check", mininterval=0.2)
    try:
        yield bar
    finally:
        bar.close()


def _check_in_pool(checker: Checker, roots: list[Path], jobs: int, bar: Any) -> list[TrustResult]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, len(roots) // (jobs * 32))  # small chunks: the last one must not leave a worker idle
    chunks = [roots[i:i + chunk] for i in range(0, len(roots), chunk)]
    results: list[TrustResult | None] = [None] * len(roots)
    lost: list[int] = []
    with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker,
                             initargs=(checker.options,)) as pool:
        futures = [pool.submit(_check_chunk, part) for part in chunks]
        for n, future in enumerate(futures):
            first = n * chunk
            try:
                results[first:first + len(chunks[n])] = future.result()
            except BrokenProcessPool:
                lost.extend(range(first, first + len(chunks[n])))
            bar.update(len(chunks[n]))
    if lost:
        for index, result in zip(lost, _one_by_one(checker, [roots[i] for i in lost])):
            results[index] = result
    return [r for r in results if r is not None]


def _one_by_one(checker: Checker, roots: list[Path]) -> Iterator[TrustResult]:
    """Check each root in a worker of its own pool, started again after a worker dies."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool: ProcessPoolExecutor | None = None
    try:
        for root in roots:
            if pool is None:
                pool = ProcessPoolExecutor(1, mp_context=_context(), initializer=_start_worker,
                                           initargs=(checker.options,))
            try:
                yield pool.submit(_check_in_worker, root).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                yield TrustResult(display_path(root), error=WORKER_DIED)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def _context() -> Any:
    import multiprocessing

    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Loading YAML makes many short-lived, acyclic objects: the cyclic garbage collector's default
    threshold (700 allocations) makes it run thousands of times for nothing. Measured on the
    100-trust benchmark corpus: 15% less CPU with a threshold of 50,000."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run(options: Options) -> RunResult:
    """Check every trust the paths lead to; findings sorted by file, line, column, rule."""
    with _fewer_collections():
        return _run(options)


def _run(options: Options) -> RunResult:
    checker = Checker(options)
    search = checker.roots()
    results = check_roots(checker, search.roots)
    included: set[str] = set()  # real paths, as the trusts' checks found them
    for root, result in zip(search.roots, results):
        parts = result.parts if not result.error else [real_text(p) for p in checker._parts_of(root)[0]]
        included.update(parts)
    more, orphans = settle(search, included, checker._parts_of, options.limits)
    if more:  # the roots, above the searched directories, of parts found there
        results = sorted([*results, *check_roots(checker, more)], key=lambda t: t.root)
    findings = sort_findings([f for t in results for f in t.findings]
                             + checker._filter([*search.orphans, *orphans]))
    policies = {t.policy for t in results if t.policy}
    days = {t.as_of for t in results if t.as_of}
    return RunResult(results, findings, checker.rules,
                     policies.pop() if len(policies) == 1 else options.policy,
                     days.pop() if len(days) == 1 else options.as_of)
