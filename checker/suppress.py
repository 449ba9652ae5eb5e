"""``# mist-check: ignore[rule-id] -- reason`` comments: on the fact's line or the line above."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .findings import INCOMPLETE, Finding, Severity, Suppression
from .hints import did_you_mean
from .loader import SourceFile

_COMMENT = re.compile(r"(?:^|\s)#\s*mist-check:\s*(?P<body>.*)$")
_IGNORE = re.compile(r"ignore\[(?P<rules>[^\]]*)\]\s*(?:--\s*(?P<reason>.*))?$")
UNSUPPRESSIBLE = INCOMPLETE | {"unused-suppression"}


@dataclass
class Comment:
    file: str
    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    whole_line: bool  # a comment alone on its line covers the next line too
    problem: str | None = None
    used: bool = False


def comments(src: SourceFile) -> list[Comment]:
    """Every mist-check comment in a file (a cheap scan: only lines that mention it are parsed)."""
    if "mist-check:" not in src.text:
        return []
    found = []
    for number, line in enumerate(src.text.splitlines(), start=1):
        if "mist-check:" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        column = line.index("#", match.start()) + 1
        body = match.group("body").strip()
        ignore = _IGNORE.match(body)
        whole = line[: match.start()].strip() == "" and line.lstrip().startswith("#")
        if ignore is None:
            found.append(Comment(src.path, number, column, (), "", whole,
                                 f"cannot read {body!r}: write 'ignore[rule-id] -- reason'"))
            continue
        rules = tuple(r.strip() for r in ignore.group("rules").split(",") if r.strip())
        reason = (ignore.group("reason") or "").strip()
        problem = None
        if not rules:
            problem = "names no rule: write ignore[rule-id]"
        elif not reason:
            problem = "gives no reason: add '-- why this finding is accepted'"
        found.append(Comment(src.path, number, column, rules, reason, whole, problem))
    return found


def apply(findings: Iterable[Finding], files: Iterable[SourceFile],
          known_rules: Collection[str], active_rules: Collection[str],
          partial: Collection[str] = (), unreadable: Collection[tuple[str, int]] = ()) -> list[Finding]:
    """Mark suppressed findings; add ``unused-suppression`` warnings for comments that are wrong
    (no reason, unknown rule) or that suppressed nothing. A comment that suppresses nothing is not
    reported when one of its rules did not judge everything (``partial``: it read a fact a schema
    error made unreadable) or when it is written inside an unreadable element (``(file, line)``)."""
    by_line: dict[tuple[str, int], list[Comment]] = {}
    all_comments: list[Comment] = []
    for src in files:
        for comment in comments(src):
            all_comments.append(comment)
            if comment.problem is None:
                by_line.setdefault((comment.file, comment.line), []).append(comment)
                if comment.whole_line:
                    by_line.setdefault((comment.file, comment.line + 1), []).append(comment)
    out: list[Finding] = []
    for finding in findings:
        if finding.rule not in UNSUPPRESSIBLE:
            for comment in by_line.get((finding.file, finding.line), ()):
                if finding.rule in comment.rules:
                    comment.used = True
                    finding = dataclasses.replace(finding, suppressed=Suppression(comment.reason, comment.line))
                    break
        out.append(finding)
    for comment in all_comments:
        message = None
        unknown = [r for r in comment.rules if r not in known_rules]
        if comment.problem:
            message = f"suppression {comment.problem}"
        elif unknown:
            message = (f"suppression names unknown rule {unknown[0]!r}"
                       f"{did_you_mean(unknown[0], known_rules) or '; see `mist-check rules`'}")
        elif fixed := [r for r in comment.rules if r in INCOMPLETE]:
            message = (f"{fixed[0]} cannot be suppressed: it means the check is incomplete; "
                       "correct the input instead and remove the comment")
        elif not comment.used and all(r in active_rules for r in comment.rules) \
                and not any(r in partial for r in comment.rules) and (comment.file, comment.line) not in unreadable:
            message = f"suppression of {', '.join(comment.rules)} suppresses nothing; remove it"
        if message:
            out.append(Finding(comment.file, comment.line, comment.column, "unused-suppression", message,
                               Severity.WARNING))
    return out
