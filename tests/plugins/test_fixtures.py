"""Every rule's sample trusts: `fixtures/<rule-id>/pass` has no finding of the rule, and in
`fixtures/<rule-id>/fail` the rule reports exactly the lines marked `# expect: <rule-id>`. Either
directory is one trust (`trust.yaml` in it) or holds one trust per behaviour, each in its own
folder (`fixtures/board-composition/fail/vacancy-suspended/trust.yaml`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from mist_check.engine import Options, run

CORE = ("parse-error", "schema", "reference", "plugin-error")
SIDES = sorted(p for p in (REPO / "fixtures").glob("*/*") if p.name in ("pass", "fail"))
CASES = sorted(root.parent for side in SIDES for root in side.rglob("trust.yaml"))


def _side(case: Path) -> Path:
    """The `pass` or `fail` directory a sample trust lies in."""
    return next(p for p in (case, *case.parents) if p.name in ("pass", "fail"))


def expected_lines(trust: Path, rule: str) -> list[int]:
    lines = trust.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.rstrip().endswith(f"# expect: {rule}")]


def test_every_rule_fixture_dir_is_found():
    rules = {p.parent.name for p in SIDES}
    assert {"fee-cap", "annual-continuance", "required-approvals", "termination-notice",
            "assignment-termination", "name-cessation", "interim-contract"} <= rules
    assert all((p.parent / "pass").is_dir() and (p.parent / "fail").is_dir() for p in SIDES)
    assert all(any(p.rglob("trust.yaml")) for p in SIDES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_fixture(case: Path) -> None:
    side = _side(case)
    rule = side.parent.name
    result = run(Options(paths=[str(case)], entry_points=False))
    assert [f for f in result.findings if f.rule in CORE] == []  # a broken fixture proves nothing
    found = sorted({f.line for f in result.findings if f.rule == rule})
    expected = expected_lines(case / "trust.yaml", rule)
    assert found == expected
    assert (side.name == "pass") == (expected == [])
