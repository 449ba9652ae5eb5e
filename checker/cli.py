"""The command line: ``check``, ``calendar``, ``rules``, ``explain``, ``schema``, ``draft``; ``main(argv) -> exit code``."""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn

from . import __version__
from .errors import UsageError

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")
FAIL_ON = ("error", "warning", "never")


class _Parser(argparse.ArgumentParser):
    """argparse that raises ``UsageError`` (one line, exit 2) instead of printing usage."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class _Extend(argparse.Action):
    """``--select a,b --select c`` adds up to ``(a, b, c)``."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        setattr(namespace, self.dest, (*(getattr(namespace, self.dest) or ()), *_csv(values)))


def _date(text: str) -> date:
    from .periods import parse_date

    try:  # not date.fromisoformat alone: since 3.11 it also takes 20050630 and 2005-W26-4
        return parse_date(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def _date_of(flag: str) -> Any:
    def parse(text: str) -> date:
        from .periods import parse_date

        try:
            return parse_date(text)
        except ValueError:
            raise UsageError(f"{flag} {text!r} is not a date (YYYY-MM-DD)") from None
    return parse


CALENDAR_FORMATS = ("text", "json", "ics", "markdown")
CALENDAR_DAYS = 365  # the default range: a year of board meetings


def _add_calendar(sub: Any) -> None:
    cal = sub.add_parser("calendar", help="what falls due: each trust's dated obligations, or a meeting's agenda",
                         formatter_class=argparse.RawDescriptionHelpFormatter, epilog="""exit codes:
  0  the calendar was made
  1  a trust has parse, schema or reference errors (named on stderr; what they hide is not listed)
  2  the run could not be done""")
    cal.add_argument("paths", nargs="*", help="files or directories (default: [tool.mist-check] paths, then .)")
    cal.add_argument("--from", dest="start", type=_date_of("--from"),
                     help="the first day (default: the trust's as_of, else today); what lapsed before it is overdue")
    span = cal.add_mutually_exclusive_group()
    span.add_argument("--until", type=_date_of("--until"), help="the last day (YYYY-MM-DD)")
    span.add_argument("--days", type=int, default=None, help=f"the length of the range (default: {CALENDAR_DAYS})")
    cal.add_argument("--meeting", type=_date_of("--meeting"),
                     help="the agenda of the board meeting on this day (judged as of that day)")
    cal.add_argument("--next-meeting", type=_date_of("--next-meeting"),
                     help="the meeting after it (default: one quarter later)")
    cal.add_argument("--policy", help=POLICY_HELP)
    cal.add_argument("--format", choices=CALENDAR_FORMATS, default="text", help="the output's format (default: text)")
    cal.add_argument("--output", help="write to this file instead of stdout")
    cal.add_argument("--alarm-days", type=int, default=30,
                     help="ics: a reminder this many days before each date (default: 30; 0: none)")
    cal.add_argument("--plugin", action="append", default=[],
                     help="load a rule plugin module by import path (repeatable)")
    cal.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)


def _add_diff(sub: Any) -> None:
    diff = sub.add_parser("diff", help="what a change does in substance: documents, Schedule A, fees, "
                                       "provisions, trustees, meetings, and the findings it brings",
                          formatter_class=argparse.RawDescriptionHelpFormatter, epilog="""exit codes:
  0  the diff was made (a diff is a report; gate with `check --new-from-rev`)
  2  it cannot be made (an unknown revision, a shallow clone, a bad argument)""")
    diff.add_argument("rev", metavar="REV", help="the revision before (e.g. origin/main, HEAD~1)")
    diff.add_argument("more", nargs="*", metavar="[REV2] PATH",
                      help="the revision after (default: the work tree), then files or directories")
    diff.add_argument("--policy", help=POLICY_HELP)
    diff.add_argument("--as-of", type=_date, help="judge both sides as of this day (default: each file's as_of)")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                      help="the report's format (default: text)")
    diff.add_argument("--output", help="write to this file instead of stdout")
    diff.add_argument("--budget", type=int, default=None, metavar="BYTES",
                      help="markdown: the report's size limit (default: 1 MiB)")
    diff.add_argument("--plugin", action="append", default=[],
                      help="load a rule plugin module by import path (repeatable)")
    diff.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)


EXIT_CODES = """exit codes:
  0  nothing at or above --fail-on (a report: rules, explain, schema, draft, diff)
  1  a finding at or above --fail-on (parse-error, schema, reference, plugin-error are always errors)
  2  the run could not be done: a bad argument, a missing path, an unknown rule or policy, a pack or
     plugin that fails to load, a trust the engine failed on (the others are still reported)"""

POLICY_HELP = ("policy pack id (ica-1940, mist) or a pack file; precedence: this option, then the trust "
               "root's `policy:`, then [tool.mist-check] policy, then ica-1940")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mist-check", description="Compliance checks for mutual-fund trust configurations.",
                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mist-check {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    check = sub.add_parser("check", help="check trusts (files or directories)", epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", help="files or directories (default: [tool.mist-check] paths, then .)")
    check.add_argument("--policy", help=POLICY_HELP)
    check.add_argument("--as-of", type=_date,
                       help="the day date-aware rules judge at (YYYY-MM-DD); precedence: this option, then the "
                            "trust root's `as_of:`, then today")
    check.add_argument("--select", action=_Extend, default=None,
                       help="run only these rule ids (comma-separated; repeatable; default: [tool.mist-check] "
                            "select, then every rule)")
    check.add_argument("--ignore", action=_Extend, default=None,
                       help="do not run these rule ids (comma-separated; repeatable; default: [tool.mist-check] "
                            "ignore, then none)")
    check.add_argument("--format", choices=FORMATS, default="text", help="the report's format (default: text)")
    check.add_argument("--output", help="write the report to this file instead of stdout")
    check.add_argument("--budget", type=int, default=None, metavar="BYTES",
                       help="markdown: the report's size limit (default: 1 MiB, a GitHub job summary; "
                            "65536 for a pull-request comment); what does not fit is counted")
    check.add_argument("--fail-on", choices=FAIL_ON, default=None, help="exit 1 at this severity (default: [tool.mist-check] fail-on, then error)")
    check.add_argument("--baseline", help="report only findings not in this baseline file (default: "
                                          "[tool.mist-check] baseline, then none)")
    check.add_argument("--write-baseline", help="record the current findings in this file")
    since = check.add_mutually_exclusive_group()
    since.add_argument("--new-from-rev", metavar="REV",
                       help="report only findings absent at this git revision (an ancestor of HEAD)")
    since.add_argument("--new-from-merge-base", metavar="REF",
                       help="report only findings absent where HEAD's branch left REF (e.g. origin/main)")
    check.add_argument("--jobs", type=int, default=None,
                       help="parallel worker processes (default: automatic, one per core for large audits)")
    check.add_argument("--plugin", action="append", default=[],
                       help="load a rule plugin module by import path (repeatable; installed plugins load always)")
    check.add_argument("--max-file-bytes", type=int, default=None,
                       help="refuse YAML files larger than this (default: 20 MiB)")
    check.add_argument("--max-depth", type=int, default=None,
                       help="refuse nesting deeper than this (default: 64; at most 256)")
    check.add_argument("--max-values", type=int, default=None,
                       help="refuse files of more values than this, aliases expanded (default: 1,000,000)")
    check.add_argument("--rule-timeout", type=float, default=None, metavar="SECONDS",
                       help="a rule that runs longer on one trust is stopped and reported as a plugin-error "
                            "(default: 60; 0: no limit; POSIX only)")
    check.add_argument("--no-progress", action="store_true",
                       help="no progress bar (default: one on stderr while several trusts are checked, when "
                            "stderr is a terminal; never in a log)")
    check.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)
    _add_calendar(sub)
    _add_diff(sub)
    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--plugin", action="append", default=[],
                       help="load a rule plugin module by import path (repeatable)")
    rules.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                       help="text: a line per rule (default); json: id, severity, plugin, summary, authority and "
                            "parameters of each; markdown: the full catalogue, every rule's explain page")
    rules.add_argument("--policy", help="json: the pack whose parameters and citations are shown (default: ica-1940)")
    explain = sub.add_parser("explain", help="what a rule checks, why, its citations and parameters")
    explain.add_argument("rule", help="a rule id (see `mist-check rules`)")
    explain.add_argument("--policy", help="show the parameters of this pack (default: every built-in pack)")
    explain.add_argument("--plugin", action="append", default=[],
                         help="load a rule plugin module by import path (repeatable)")
    explain.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)
    sub.add_parser("schema", help="print the JSON Schema of the format")
    draft = sub.add_parser("draft", help="draft YAML documents from filed text (plain text, EDGAR, HTML)")
    draft.add_argument("filings", nargs="+", metavar="FILE",
                       help="filings: .txt (EDGAR text or full submission) or .htm")
    draft.add_argument("--output", help="write the YAML to this file instead of stdout (`source:` paths are "
                                        "relative to it)")
    draft.add_argument("--text", action="store_true",
                       help="print each filing's numbered lines as read (the lines the evidence cites) instead")
    draft.add_argument("--plugin", action="append", default=[],
                       help="load a plugin module (its extractors) by import path")
    draft.add_argument("--max-file-bytes", type=int, default=None,
                       help="refuse filings larger than this (default: 20 MiB)")
    draft.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 clean, 1 findings, 2 the run failed)."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        say(f"mist-check: error: {exc}")
        return 2
    except KeyboardInterrupt:
        say("mist-check: interrupted")
        return 130


def say(line: str) -> None:
    """One line on stderr (data in it shown escaped); nothing if stderr is closed or failing."""
    from .reporters import printable

    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(printable(line) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


@contextlib.contextmanager
def stdout() -> Iterator[IO[str]]:
    """Standard output for a report. A closed stdout, a full disk or a reader gone (a broken pipe,
    as ``| head`` leaves it) is a ``UsageError`` (one line, exit 2), never a traceback; what cannot
    be encoded (a lone surrogate in a message) is written as its backslash escape."""
    stream = sys.stdout
    if stream is None:
        raise UsageError("standard output is closed; nothing was written (use --output FILE)")
    try:
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[attr-defined]
        yield stream
        stream.flush()
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError) and "closed file" not in str(exc):
            raise
        _silence(stream)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot write to standard output: {why}") from None


def _silence(stream: IO[str]) -> None:
    """Point the failed stdout at the null device, so that the interpreter's last flush of what is
    still buffered does not fail again (and print a traceback) at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)


def _main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.command == "check":
        return _check(args)
    if args.command == "calendar":
        return _calendar(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "rules":
        return _rules(args)
    if args.command == "explain":
        return _explain(args)
    if args.command == "draft":
        from .filings.cli import run_draft

        return run_draft(args)
    if args.command == "schema":
        from .schema import schema_text

        with stdout() as out:
            out.write(schema_text())
        return 0
    parser.print_help(sys.stderr)
    return 2


def _check(args: argparse.Namespace) -> int:
    from .config import load_config
    from .engine import Options, run

    limits = _limits(args)  # (pyproject.toml is read within them too)
    config = load_config(limits=limits)
    options = Options(
        paths=args.paths or config.get("paths") or ["."],
        policy=args.policy,
        config_policy=config.get("policy"),
        config_dir=config.directory,
        as_of=args.as_of,
        select=args.select if args.select is not None else tuple(config.get("select") or ()),
        ignore=args.ignore if args.ignore is not None else tuple(config.get("ignore") or ()),
        plugins=tuple(args.plugin),
        entry_points=not args.no_entry_points,
    )
    fail_on = args.fail_on or config.get("fail-on") or "error"
    if fail_on not in FAIL_ON:
        raise UsageError(f"fail-on {fail_on!r} must be one of {', '.join(FAIL_ON)}")
    if args.budget is not None and args.budget < 1024:
        raise UsageError("--budget must be at least 1024 bytes")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    options.jobs = args.jobs
    options.views = args.format == "html"  # what the report draws is kept as each trust is checked
    options.progress = not args.no_progress and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    if args.rule_timeout is not None:
        if not args.rule_timeout >= 0 or args.rule_timeout == float("inf"):
            raise UsageError("--rule-timeout must be a number of seconds, 0 for no limit")
        options.rule_timeout = args.rule_timeout or None
    options.limits = limits
    result = run(options)
    baseline_path = args.baseline or config.get("baseline")
    if args.write_baseline:
        from .baseline import write_baseline

        write_baseline(result, Path(args.write_baseline))
    elif baseline_path:
        from .baseline import apply_baseline

        result = apply_baseline(result, Path(baseline_path), limits.max_bytes)
    if args.new_from_rev or args.new_from_merge_base:
        from .revisions import new_since

        result = new_since(result, options, args.new_from_rev or args.new_from_merge_base,
                           merge=bool(args.new_from_merge_base))
    _emit(args, result)
    if result.base:
        resolved = sorted(f"{e.get('rule')} {e.get('subject') or ''} ({e.get('file')})" for e in result.resolved)
        say(f"mist-check: only findings new since {result.base} are reported; {len(resolved)} resolved"
            + (f": {'; '.join(resolved)}" if resolved else ""))
    if result.baseline_gone:
        gone = sorted(f"{e.get('rule')} {e.get('subject') or ''} ({e.get('file')})"
                      for e in result.baseline_gone.values())
        say(f"mist-check: {len(gone)} baselined finding(s) no longer occur; refresh the baseline with "
            f"--write-baseline: {'; '.join(gone)}")
    for error in result.errors:
        say(f"mist-check: error: {error}")
    if result.errors:
        return 2
    return 1 if failing(result.findings, fail_on) else 0


def _diff(args: argparse.Namespace) -> int:
    from .config import load_config
    from .diff import WRITERS, run_diff
    from .engine import Options
    from .revisions import is_commit

    if args.budget is not None and args.budget < 1024:
        raise UsageError("--budget must be at least 1024 bytes")
    more = list(args.more)
    rev2 = more.pop(0) if more and not os.path.lexists(more[0]) and is_commit(more[0]) else None
    config = load_config()
    options = Options(paths=more or config.get("paths") or ["."], policy=args.policy,
                      config_policy=config.get("policy"), config_dir=config.directory, as_of=args.as_of,
                      plugins=tuple(args.plugin), entry_points=not args.no_entry_points)
    if rev2 is None:
        for path in options.paths:
            if not os.path.lexists(path):
                raise UsageError(f"{path}: no such file or directory (nor a revision)")
    result = run_diff(options, args.rev, rev2)
    writer = WRITERS[args.format]
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
                writer(result, stream, budget=args.budget)
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
    else:
        with stdout() as out:
            writer(result, out, budget=args.budget)
    return 0


def _calendar(args: argparse.Namespace) -> int:
    from .calendar import run_calendar
    from .config import load_config
    from .engine import Options
    from .reporters.calendar import WRITERS

    if args.meeting is not None and args.start is not None:
        raise UsageError("--meeting is the first day of the agenda; give --from or --meeting, not both")
    if args.next_meeting is not None and args.meeting is None:
        raise UsageError("--next-meeting needs --meeting")
    if args.meeting is not None and args.next_meeting is not None and args.next_meeting <= args.meeting:
        raise UsageError(f"--next-meeting {args.next_meeting} must be after --meeting {args.meeting}")
    if args.days is not None and args.days < 0:
        raise UsageError("--days must be at least 0")
    if args.alarm_days < 0:
        raise UsageError("--alarm-days must be at least 0")
    start = args.start or args.meeting
    if args.until is not None and start is not None and args.until < start:
        raise UsageError(f"--until {args.until} is before the first day {start}")
    config = load_config()
    options = Options(paths=args.paths or config.get("paths") or ["."], policy=args.policy,
                      config_policy=config.get("policy"), config_dir=config.directory,
                      plugins=tuple(args.plugin), entry_points=not args.no_entry_points)
    days = CALENDAR_DAYS if args.days is None else args.days
    result = run_calendar(options, args.start, args.until, days, args.meeting, args.next_meeting,
                          alarm_days=args.alarm_days)
    writer = WRITERS[args.format]
    if args.output:
        try:  # newline="": the ics writer's CRLF line ends are written as they are
            with open(args.output, "w", encoding="utf-8", newline="") as stream:
                writer(result, stream)
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
    else:
        writer(result, sys.stdout)
    for trust in result.incomplete:
        print(f"mist-check: {trust.root}: {trust.input_errors} parse, schema or reference error(s); what they "
              "hide is not in the calendar (run `mist-check check`)", file=sys.stderr)
    for error in result.errors:
        print(f"mist-check: error: {error}", file=sys.stderr)
    if result.errors:
        return 2
    return 1 if result.incomplete else 0


def _limits(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from .loader import DEFAULT_LIMITS, MAX_DEPTH_ALLOWED

    limits = DEFAULT_LIMITS
    for flag, field_name in (("max_file_bytes", "max_bytes"), ("max_depth", "max_depth"),
                             ("max_values", "max_values")):
        value = getattr(args, flag)
        if value is not None:
            if value < 1:
                raise UsageError(f"--{flag.replace('_', '-')} must be at least 1")
            if flag == "max_depth" and value > MAX_DEPTH_ALLOWED:
                raise UsageError(f"--max-depth must be at most {MAX_DEPTH_ALLOWED} (deeper nesting cannot be "
                                 "checked safely; no trust needs a tenth of it)")
            limits = replace(limits, **{field_name: value})
    return limits


def failing(findings: list[Any], fail_on: str) -> bool:
    from .findings import Severity

    if fail_on == "never":
        return False
    threshold = Severity.ERROR if fail_on == "error" else Severity.WARNING
    return any(f.suppressed is None and f.severity.rank >= threshold.rank for f in findings)


def _emit(args: argparse.Namespace, result: Any) -> None:
    from .reporters import get_reporter

    reporter = get_reporter(args.format)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
                reporter(result, stream, color=False, budget=getattr(args, "budget", None))
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
        return
    with stdout() as out:
        reporter(result, out, color=_color(out), budget=getattr(args, "budget", None))


def _color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def _rules(args: argparse.Namespace) -> int:
    from .engine import CORE_CHECKS
    from .manager import collect_rules, plugin_manager

    if args.format == "markdown":
        from .explain import catalogue

        text = catalogue(tuple(args.plugin), entry_points=not args.no_entry_points)
        with stdout() as out:
            out.write(text)
        return 0
    if args.format == "json":
        from .explain import rules_json

        text = rules_json(args.policy, tuple(args.plugin), entry_points=not args.no_entry_points)
        with stdout() as out:
            out.write(text)
        return 0
    if args.policy:
        raise UsageError("--policy applies to `rules --format json` only")
    rules = collect_rules(plugin_manager(args.plugin, entry_points=not args.no_entry_points))
    rows = [(rid, sev, "mist_check (core)", text) for rid, (sev, text) in CORE_CHECKS.items()]
    rows += [(r.id, r.severity, r.plugin, r.summary) for r in rules.values()]
    width = max(len(r[0]) for r in rows)
    pwidth = max(len(r[2]) for r in rows)
    with stdout() as out:
        for rid, sev, plugin, text in sorted(rows):
            out.write(f"{rid:<{width}}  {sev:<7}  {plugin:<{pwidth}}  {text}\n")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from .explain import explain

    text = explain(args.rule, args.policy, tuple(args.plugin), not args.no_entry_points)
    with stdout() as out:
        out.write(text)
    return 0
