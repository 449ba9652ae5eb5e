"""Run the command line from the repository root, as the golden files were made, and read the report."""
from __future__ import annotations

import io
import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mist_check.cli import main

REPO = Path(__file__).resolve().parents[2]

# The two trusts every format is run on: the bundled MIST trust (as the lead keeps it) and a small
# made-up one that fails on purpose (an error, a warning, a note and a finding suppressed in source).
CASES = {
    "mist": ["fixtures/mist"],
    "violating": ["tests/reporters/data/violating", "--policy", "tests/reporters/data/policy.yaml"],
}

Cli = Callable[..., tuple[int, bytes]]
CliStdout = Callable[..., tuple[int, str]]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli("violating", "sarif", *extra) -> (exit code, report bytes)``, written with ``--output``.

    Runs in the repository root (findings name ``fixtures/mist/...``), without installed entry points
    and without the colour variables of the caller's environment.
    """
    monkeypatch.chdir(REPO)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    counter = itertools.count()

    def _run(case: str, fmt: str, *extra: str) -> tuple[int, bytes]:
        out = tmp_path / f"report-{next(counter)}"
        code = main(["check", *CASES[case], "--format", fmt, "--output", str(out), "--no-entry-points", *extra])
        return code, out.read_bytes() if out.exists() else b""

    return _run


@pytest.fixture
def cli_stdout(cli: Cli) -> CliStdout:
    """``cli_stdout("violating", "text", tty=False) -> (exit code, what was printed)``, in the same
    directory and environment as ``cli`` (which this fixture sets up)."""

    class Stream(io.StringIO):
        tty = False

        def isatty(self) -> bool:
            return self.tty

    def _run(case: str, fmt: str, *extra: str, tty: bool = False) -> tuple[int, str]:
        stream = Stream()
        stream.tty = tty
        saved, sys.stdout = sys.stdout, stream
        try:
            code = main(["check", *CASES[case], "--format", fmt, "--no-entry-points", *extra])
        finally:
            sys.stdout = saved
        return code, stream.getvalue()

    return _run
