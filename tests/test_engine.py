"""The engine: isolation of rule and trust failures, determinism, parallel runs."""
from __future__ import annotations

import json
import textwrap

import pytest

from helpers import REPO, write_files
from mist_check import engine
from mist_check.cli import main
from mist_check.engine import Options, run

BROKEN_PLUGIN = '''
from mist_check import Rule, hookimpl

def check(trust, ctx):
    raise ZeroDivisionError("boom")

@hookimpl
def mist_check_rules():
    return [Rule("always-raises", check, doc="Raises.")]
'''
TRUST = """\
format: 1
trust: {name: T}
documents:
  - id: ma
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {notice_days: 90, at_any_time: true, without_penalty: true, section: "9"}
"""


def test_a_rule_that_raises_is_a_plugin_error_and_the_rest_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken_rules.py").write_text(BROKEN_PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    write_files(tmp_path, {"trust.yaml": TRUST})
    result = run(Options(paths=["."], plugins=("broken_rules",), entry_points=False))
    rules = sorted({f.rule for f in result.findings})
    assert "plugin-error" in rules
    assert "termination-notice" in rules and "assignment-termination" in rules
    error = next(f for f in result.findings if f.rule == "plugin-error")
    assert "always-raises" in error.message and "ZeroDivisionError: boom" in error.message
    assert (error.file, error.line, error.column) == ("trust.yaml", 1, 1)


def test_an_engine_fault_on_one_trust_fails_that_trust_only(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"a/trust.yaml": TRUST, "b/trust.yaml": TRUST.replace("name: T", "name: U")})
    real = engine.build_trust

    def flaky(root, parts, *rest):
        if root.path.startswith("a/"):
            raise RuntimeError("corrupt model")
        return real(root, parts, *rest)

    monkeypatch.setattr(engine, "build_trust", flaky)
    code = main(["check", ".", "--no-entry-points", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2
    doc = json.loads(captured.out)
    assert {f["file"] for f in doc["findings"]} == {"b/trust.yaml"}  # the other trust was checked
    assert "a/trust.yaml: the checker failed on this trust: RuntimeError: corrupt model" in captured.err
    assert "Traceback" not in captured.err


def test_output_is_identical_whatever_the_order_of_paths(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"a/trust.yaml": TRUST, "b/trust.yaml": TRUST.replace("name: T", "name: U")})
    outputs = []
    for paths in (["a", "b"], ["b", "a"], ["b/trust.yaml", "a"]):
        main(["check", *paths, "--no-entry-points", "--format", "json"])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_parallel_runs_print_the_same_bytes(tmp_path, monkeypatch, capsys, jobs):
    monkeypatch.chdir(tmp_path)
    for i in range(20):
        write_files(tmp_path, {f"t{i:02}/trust.yaml": TRUST.replace("name: T", f"name: T{i}")})
    main(["check", ".", "--no-entry-points", "--format", "json", "--jobs", "1"])
    serial = capsys.readouterr().out
    main(["check", ".", "--no-entry-points", "--format", "json", "--jobs", jobs])
    assert capsys.readouterr().out == serial
    assert json.loads(serial)["summary"]["trusts"] == 20


def test_the_mist_trust_is_checked_whole_when_one_part_is_given(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    main(["check", "fixtures/mist", "--no-entry-points", "--format", "json"])
    whole = capsys.readouterr().out
    main(["check", "fixtures/mist/documents/class-e-plan.yaml", "--no-entry-points", "--format", "json"])
    assert capsys.readouterr().out == whole


def test_explain_page_has_every_heading():
    text = textwrap.dedent(engine.Checker(Options(entry_points=False)).rules["termination-notice"].doc)
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Parameters", "## References"):
        assert heading in text


def test_a_root_as_of_that_is_not_a_date_runs_no_rule(run_files) -> None:
    # judged on today instead, a trust would get findings about a day nobody asked for
    text = (REPO / "fixtures" / "annual-continuance" / "fail" / "trust.yaml").read_text()
    assert "as_of: 2005-06-30" in text
    result = run_files(text.replace("as_of: 2005-06-30", "as_of: 2022-06-31"), as_of=None)
    assert [(f.rule, f.line, f.message) for f in result.findings] == [(
        "schema", 4, 'as_of: expected an ISO date (YYYY-MM-DD), found "2022-06-31"; the rules judge a trust as of '
        "that day, so none was run on this trust (write a real date YYYY-MM-DD, or pass --as-of)")]
    judged = run_files(text.replace("as_of: 2005-06-30", "as_of: 2022-06-31"), as_of="2005-06-30")
    assert {f.rule for f in judged.findings} > {"schema", "annual-continuance"}
