"""Baselines: adopt the gate on an existing repository and fail only on new findings."""
from __future__ import annotations

import json
from pathlib import Path

from helpers import write_files
from mist_check.cli import main

TRUST = """\
format: 1
as_of: 2005-06-30
trust: {name: T}
documents:
  - id: ma
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {notice_days: NOTICE, at_any_time: true, without_penalty: true, section: "9"}
      assignment: {terminates_automatically: ASSIGN, section: "9"}
"""
ARGS = ["--no-entry-points", "--select", "termination-notice,assignment-termination"]


def _write(tmp_path: Path, notice: int = 90, assign: str = "true", header: str = "") -> None:
    write_files(tmp_path, {"trust.yaml": header + TRUST.replace("NOTICE", str(notice)).replace("ASSIGN", assign)})


def test_write_then_apply_baseline(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path)
    assert main(["check", ".", "--write-baseline", "baseline.json", *ARGS]) == 1
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert data["mist-check-baseline"] == 1
    assert [e["rule"] for e in data["findings"].values()] == ["termination-notice"]
    capsys.readouterr()
    # The same finding is baselined: the gate passes.
    assert main(["check", ".", "--baseline", "baseline.json", *ARGS]) == 0
    assert "in baseline baseline.json" in capsys.readouterr().out


def test_baseline_survives_edits_to_unrelated_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path)
    main(["check", ".", "--write-baseline", "baseline.json", *ARGS])
    # Three comment lines above move every line; the fingerprint does not depend on lines.
    _write(tmp_path, header="# a\n# b\n# c\n")
    assert main(["check", ".", "--baseline", "baseline.json", *ARGS]) == 0


def test_new_findings_fail_and_gone_ones_are_reported(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path)
    main(["check", ".", "--write-baseline", "baseline.json", *ARGS])
    capsys.readouterr()
    _write(tmp_path, notice=60, assign="false")  # the old finding is fixed, a new one appears
    assert main(["check", ".", "--baseline", "baseline.json", *ARGS]) == 1
    captured = capsys.readouterr()
    assert "assignment-termination" in captured.out
    assert "no longer occur" in captured.err and "termination-notice" in captured.err


def test_missing_or_foreign_baseline_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path)
    assert main(["check", ".", "--baseline", "nope.json", *ARGS]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "other.json").write_text('{"x": 1}')
    assert main(["check", ".", "--baseline", "other.json", *ARGS]) == 2
    assert "not a mist-check baseline" in capsys.readouterr().err


def test_the_fixtures_baseline_is_current(monkeypatch, capsys):
    """The project's own pre-commit hook checks fixtures/ against fixtures/baseline.json."""
    from helpers import REPO

    monkeypatch.chdir(REPO)
    assert main(["check", "fixtures", "--baseline", "fixtures/baseline.json", "--no-entry-points"]) == 0
    assert "no longer occur" not in capsys.readouterr().err


def test_entries_of_trusts_not_checked_are_not_reported_gone(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"a/trust.yaml": TRUST.replace("NOTICE", "90").replace("ASSIGN", "true"),
                           "b/trust.yaml": TRUST.replace("NOTICE", "90").replace("ASSIGN", "true")})
    main(["check", ".", "--write-baseline", "baseline.json", *ARGS])
    capsys.readouterr()
    assert main(["check", "a", "--baseline", "baseline.json", *ARGS]) == 0  # as pre-commit runs one trust
    assert "no longer occur" not in capsys.readouterr().err


def test_an_incomplete_check_is_never_baselined(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, assign='"yes"')  # a string where the schema wants a boolean
    assert main(["check", ".", "--write-baseline", "baseline.json", *ARGS]) == 1
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert data["findings"] == {}  # (the document is not judged, so no rule finding either)
    capsys.readouterr()
    assert main(["check", ".", "--baseline", "baseline.json", *ARGS]) == 1
    out = capsys.readouterr().out
    assert "schema" in out and "1 error" in out
