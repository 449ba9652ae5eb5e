"""`mist-check draft FILE ... [--output FILE] [--text]`: the command behind ``cli.main``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..loader import DEFAULT_LIMITS


def run_draft(args: argparse.Namespace) -> int:
    from ..manager import collect_extractors, plugin_manager
    from .draft import draft
    from .text import read_filing

    max_bytes = args.max_file_bytes if args.max_file_bytes is not None else DEFAULT_LIMITS.max_bytes
    if max_bytes < 1:
        raise UsageError("--max-file-bytes must be at least 1")
    paths = [Path(p) for p in args.filings]
    if args.text:
        out = []
        for path in paths:
            filing = read_filing(path, path.name, max_bytes)
            out.append(f"==> {filing.name} ({'HTML, rendered' if filing.html else 'text'}) <==")
            out.extend(f"{n:6d}  {line}" for n, line in enumerate(filing.lines, 1))
        _write("\n".join(out) + "\n", None)
        return 0
    extractors = collect_extractors(plugin_manager(tuple(args.plugin), entry_points=not args.no_entry_points))
    output = Path(args.output) if args.output else None
    if output is not None and output.resolve() in {p.resolve() for p in paths}:
        raise UsageError(f"--output {args.output} is one of the filings; it was not overwritten")
    text, drafts = draft(paths, extractors, output.parent if output else Path.cwd(), max_bytes)
    _write(text, output)
    facts = sum(len(d.evidence) for d in drafts)
    reviews = sum(len(d.reviews) for d in drafts)
    print(f"mist-check draft: {len(drafts)} filing{'s' if len(drafts) != 1 else ''}, {facts} values read, "
          f"{reviews} left for review", file=sys.stderr)
    return 0


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot be written ({exc.strerror or exc})") from None
