"""Helpers the tests import: ``from helpers import REPO, summary, write_files``."""
from __future__ import annotations

import textwrap
from pathlib import Path

from mist_check.findings import Finding

REPO = Path(__file__).resolve().parents[1]
# A root file's first lines, then one portfolio `growth` whose facts follow (each test adds them)
GROWTH = "format: 1\ntrust:\n  name: Test Trust\nportfolios:\n  - id: growth\n    name: Growth Portfolio\n"


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def summary(findings: list[Finding]) -> list[tuple[str, int, int]]:
    """(rule, line, column) of each finding: what most rule tests compare."""
    return [(f.rule, f.line, f.column) for f in findings]
