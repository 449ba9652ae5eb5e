"""Every format's report on the two test trusts is byte for byte its golden file.

``MIST_CHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reporters`` rewrites the golden files
instead of comparing them (review their diff before committing).
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from mist_check.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"
SUFFIXES = {"json": "json", "sarif": "sarif", "junit": "junit.xml", "github": "github.txt", "text": "text.txt",
            "gitlab": "gitlab.json", "markdown": "md"}
CASES = ("mist", "violating")
PAIRS = [(case, fmt) for case in CASES for fmt in SUFFIXES]
IDS = [f"{case}-{fmt}" for case, fmt in PAIRS]


def compare_golden(path: Path, actual: bytes) -> None:
    """Fail with a unified diff unless ``actual`` is ``path``'s bytes; rewrite it when asked to."""
    if os.environ.get("MIST_CHECK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    if not path.exists():
        pytest.fail(f"{path} does not exist: run with MIST_CHECK_UPDATE_GOLDEN=1 to create it", pytrace=False)
    expected = path.read_bytes()
    if actual == expected:
        return
    diff = list(difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(keepends=True),
                                     actual.decode("utf-8", "replace").splitlines(keepends=True),
                                     fromfile=f"golden/{path.name}", tofile="actual output"))
    shown = "".join(diff[:200])
    if len(diff) > 200:
        shown += f"... and {len(diff) - 200} more diff lines\n"
    if not diff:  # the same lines: line endings or the final newline differ
        shown = f"the same lines, other bytes: golden ends {expected[-20:]!r}, actual ends {actual[-20:]!r}\n"
    pytest.fail(f"the report differs from golden/{path.name}:\n{shown}"
                "If the change is intended, rewrite the golden files with MIST_CHECK_UPDATE_GOLDEN=1 "
                "and review their diff.", pytrace=False)


@pytest.mark.parametrize(("case", "fmt"), PAIRS, ids=IDS)
def test_report_matches_golden(cli, case, fmt):
    code, out = cli(case, fmt)
    if case == "violating":  # (the MIST trust's exit code is test_smoke's business)
        assert code == 1
    compare_golden(GOLDEN / f"{case}.{SUFFIXES[fmt]}", out)


@pytest.mark.parametrize(("case", "fmt"), PAIRS, ids=IDS)
def test_same_bytes_on_a_second_run(cli, case, fmt):
    first = cli(case, fmt)
    assert first[1]
    assert cli(case, fmt) == first


@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_stdout_gets_what_output_writes(cli, cli_stdout, fmt):
    code, written = cli("violating", fmt)
    assert cli_stdout("violating", fmt) == (code, written.decode("utf-8"))


def test_output_writes_the_report_to_the_file_and_nothing_to_stdout(cli, tmp_path, capsys):
    expected = cli("violating", "sarif")[1]
    target = tmp_path / "out" / "mist-check.sarif"
    target.parent.mkdir()
    code = main(["check", "tests/reporters/data/violating", "--policy", "tests/reporters/data/policy.yaml",
                 "--format", "sarif", "--output", str(target), "--no-entry-points"])
    assert code == 1
    assert capsys.readouterr().out == ""
    assert target.read_bytes() == expected


def test_output_into_a_missing_directory_is_a_usage_error(cli, tmp_path, capsys):
    cli("mist", "json")  # the fixture changes to the repository root
    target = tmp_path / "no-such-dir" / "report.json"
    assert main(["check", "fixtures/mist", "--format", "json", "--output", str(target), "--no-entry-points"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mist-check: error: --output ")
    assert "Traceback" not in err
