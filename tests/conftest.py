"""Shared helpers: write a trust to a temporary directory and check it, as the CLI would."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from mist_check.engine import Options, RunResult, run
from mist_check.findings import Finding

from helpers import REPO, summary, write_files  # noqa: F401 (re-exported for older imports)

Checker = Callable[..., list[Finding]]


@pytest.fixture
def run_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., RunResult]:
    """``run_files({"trust.yaml": "..."}, policy="mist", as_of="2005-06-30", select=("fee-cap",))``.

    Files are written under a temporary directory that becomes the working directory, so findings
    name them as written ("trust.yaml"). Installed entry points are not loaded.
    """
    monkeypatch.chdir(tmp_path)

    def _run(files: dict[str, str] | str, *, policy: str | None = "ica-1940", as_of: str | None = "2005-06-30",
             select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), paths: list[str] | None = None,
             plugins: tuple[str, ...] = ()) -> RunResult:
        if isinstance(files, str):
            files = {"trust.yaml": files}
        write_files(tmp_path, files)
        return run(Options(paths=paths or ["."], policy=policy,
                           as_of=date.fromisoformat(as_of) if as_of else None,
                           select=select, ignore=ignore, plugins=plugins, entry_points=False))

    return _run


@pytest.fixture
def check(run_files: Callable[..., RunResult]) -> Checker:
    """Like ``run_files`` but returns the findings only."""

    def _check(files: dict[str, str] | str, **kwargs: object) -> list[Finding]:
        return run_files(files, **kwargs).findings

    return _check
