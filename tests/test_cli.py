"""The command line: exit codes, one-line errors on stderr, plugins that fail, settings, outputs."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from helpers import write_files

from mist_check.cli import main

CLEAN = "format: 1\ntrust:\n  name: T\n"
WARNING_ONLY = "format: 1\ntrust:\n  name: T  # mist-check: ignore[fee-cap]\n"  # no reason: a warning
SCHEMA_ERROR = "format: 1\ntrust:\n  name: T\nportfolios:\n  - {id: p1, management_fee: 0.5}\n"
NINETY_DAYS = """\
documents:
  - id: mgmt
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {notice_days: 90, without_penalty: true, at_any_time: true, section: "9"}
      assignment: {terminates_automatically: true, section: "9"}
"""
SIX_RULES = ("fee-cap", "annual-continuance", "required-approvals", "termination-notice",
             "assignment-termination", "name-cessation")


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(*args: str) -> int:
    return main(["check", *args, "--no-entry-points"])


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mist-check: error: ")
    assert "Traceback" not in err
    return lines[0]


# --- exit 2: the run itself could not be done ------------------------------------------------------

@pytest.mark.parametrize(("args", "words"), [
    (["--select", "fee-cap,bogus-rule"], "'bogus-rule'"),
    (["--ignore", "nope"], "'nope'"),
    (["--ignore", "parse-error"], "parse-error cannot be ignored"),
    (["--ignore", "schema"], "schema cannot be ignored"),
    (["--ignore", "reference"], "reference cannot be ignored"),
    (["--ignore", "plugin-error"], "plugin-error cannot be ignored"),
    (["--policy", "no-such-pack"], "unknown policy 'no-such-pack'"),
    (["--policy", "ica-1904"], "nor a file; did you mean 'ica-1940'?"),
    (["--policy", "missing.yaml"], "unknown policy 'missing.yaml'"),
    (["--as-of", "2005-13-01"], "--as-of '2005-13-01'"),
    (["--as-of", "20050630"], "--as-of '20050630'"),    # date.fromisoformat takes it since 3.11
    (["--as-of", "2005-W26-4"], "--as-of '2005-W26-4'"),
    (["--as-of", "yesterday"], "--as-of 'yesterday'"),
    (["does-not-exist"], "path 'does-not-exist' does not exist"),
    (["--format", "xml"], "invalid choice: 'xml'"),
    (["--fail-on", "sometimes"], "invalid choice: 'sometimes'"),
    (["--plugin", "no_such_plugin_module_xyz"], "plugin 'no_such_plugin_module_xyz' cannot be imported"),
    (["--jobs", "0"], "--jobs"),
])
def test_usage_errors_exit_2_with_one_line(cwd: Path, capsys, args: list[str], words: str) -> None:
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".", *args) == 2
    line = _one_error_line(capsys)
    assert words in line
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv", [["frobnicate"], ["explain", "no-such-rule"], ["check", "--bogus-flag"]])
def test_other_usage_errors(cwd: Path, capsys, argv: list[str]) -> None:
    assert main(argv) == 2
    _one_error_line(capsys)


def test_no_command_prints_help_and_exits_2(cwd: Path, capsys) -> None:
    assert main([]) == 2
    assert "usage: mist-check" in capsys.readouterr().err


# --- exit 0 and 1, --fail-on ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "fail_on", "code"), [
    (CLEAN, None, 0), (CLEAN, "warning", 0),
    (WARNING_ONLY, None, 0), (WARNING_ONLY, "error", 0), (WARNING_ONLY, "warning", 1), (WARNING_ONLY, "never", 0),
    (SCHEMA_ERROR, None, 1), (SCHEMA_ERROR, "warning", 1), (SCHEMA_ERROR, "never", 0),
])
def test_fail_on(cwd: Path, capsys, text: str, fail_on: str | None, code: int) -> None:
    (cwd / "trust.yaml").write_text(text)
    args = ["--fail-on", fail_on] if fail_on else []
    assert _check(".", "--as-of", "2005-06-30", *args) == code
    assert capsys.readouterr().err == ""


# --- plugins --------------------------------------------------------------------------------------

BOOM = '''\
"""A rule that raises.

## What it does
Nothing useful.
"""
from mist_check import Rule, hookimpl


def check(trust, ctx):
    yield from ()
    raise RuntimeError("kaboom")


@hookimpl
def mist_check_rules():
    return [Rule("boom", check, doc=__doc__)]
'''


def test_a_plugin_rule_that_raises_is_a_plugin_error_and_the_rest_run(cwd: Path, capsys, monkeypatch) -> None:
    (cwd / "plugins_here").mkdir()
    (cwd / "plugins_here" / "boom_plugin_a.py").write_text(BOOM)
    monkeypatch.syspath_prepend(str(cwd / "plugins_here"))
    (cwd / "trust.yaml").write_text(SCHEMA_ERROR + NINETY_DAYS)
    code = _check(".", "--plugin", "boom_plugin_a", "--format", "json", "--as-of", "2005-06-30")
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    rules = [f["rule"] for f in report["findings"]]
    assert "plugin-error" in rules and "schema" in rules and "termination-notice" in rules
    error = next(f for f in report["findings"] if f["rule"] == "plugin-error")
    assert "boom" in error["message"] and "RuntimeError: kaboom" in error["message"]
    assert error["severity"] == "error"
    assert (error["file"], error["line"], error["column"]) == ("trust.yaml", 1, 1)


def test_a_plugin_error_fails_even_a_clean_trust_unless_never(cwd: Path, capsys, monkeypatch) -> None:
    (cwd / "plugins_here").mkdir()
    (cwd / "plugins_here" / "boom_plugin_b.py").write_text(BOOM)
    monkeypatch.syspath_prepend(str(cwd / "plugins_here"))
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".", "--plugin", "boom_plugin_b", "--as-of", "2005-06-30") == 1
    assert "plugin-error" in capsys.readouterr().out
    assert _check(".", "--plugin", "boom_plugin_b", "--fail-on", "never") == 0


@pytest.mark.parametrize(("name", "source", "words"), [
    ("bad_plugin_import", "raise ImportError('needs acme_lib')\n", "ImportError: needs acme_lib"),
    ("bad_plugin_syntax", "def broken(:\n", "SyntaxError"),
    ("bad_plugin_hook", "from mist_check import hookimpl\n\n@hookimpl\ndef mist_check_rulez():\n"
     "    return []\n", "mist_check_rulez"),  # a misspelt hook fails at start (pm.check_pending)
])
def test_a_plugin_that_fails_to_load_exits_2(cwd: Path, capsys, monkeypatch, name: str, source: str,
                                             words: str) -> None:
    (cwd / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(cwd))
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".", "--plugin", name) == 2
    assert words in _one_error_line(capsys)


# --- rules, explain, schema -----------------------------------------------------------------------

def test_rules_lists_the_six_rules(capsys) -> None:
    assert main(["rules", "--no-entry-points"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = [line.split()[0] for line in lines]
    for rule_id in SIX_RULES:
        assert rule_id in ids
    assert ids == sorted(ids)
    line = next(line for line in lines if line.startswith("termination-notice "))
    assert line.split()[1] == "error"
    assert "mist_check.plugins.termination_notice" in line


def test_explain_termination_notice(capsys) -> None:
    assert main(["explain", "termination-notice"]) == 0
    out = capsys.readouterr().out
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Parameters", "## References"):
        assert heading in out
    param = next(line for line in out.splitlines() if line.startswith("- notice_days_max: 60 ("))
    assert "§15(a)(3)" in param
    assert "## In policy ica-1940" in out and "## In policy mist" in out


def test_explain_with_a_policy(capsys) -> None:
    assert main(["explain", "name-cessation", "--policy", "mist"]) == 0
    out = capsys.readouterr().out
    assert "## In policy mist" in out and "ica-1940" not in out.split("## In policy mist")[1]
    assert "- period: 30 days (Management Agreement §6" in out


# --- [tool.mist-check] ----------------------------------------------------------------------------

def test_pyproject_sets_the_policy(cwd: Path, capsys) -> None:
    (cwd / "pyproject.toml").write_text('[tool.mist-check]\npolicy = "mist"\n')
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".", "--format", "json", "--as-of", "2005-06-30") == 0
    assert json.loads(capsys.readouterr().out)["policy"] == "mist"
    assert _check(".", "--format", "json", "--policy", "ica-1940") == 0  # the command line wins
    assert json.loads(capsys.readouterr().out)["policy"] == "ica-1940"


def test_the_files_policy_beats_pyproject(cwd: Path, capsys) -> None:
    (cwd / "pyproject.toml").write_text('[tool.mist-check]\npolicy = "mist"\n')
    (cwd / "trust.yaml").write_text("format: 1\npolicy: ica-1940\ntrust:\n  name: T\n")
    assert _check(".", "--format", "json", "--as-of", "2005-06-30") == 0
    assert json.loads(capsys.readouterr().out)["policy"] == "ica-1940"


def test_pyproject_policy_file_is_relative_to_pyproject(cwd: Path, capsys, monkeypatch) -> None:
    write_files(cwd, {
        "pyproject.toml": '[tool.mist-check]\npolicy = "packs/house.yaml"\n',
        "packs/house.yaml": "id: house\nextends: mist\n",
        "funds/trust.yaml": CLEAN,
    })
    monkeypatch.chdir(cwd / "funds")
    assert _check(".", "--format", "json", "--as-of", "2005-06-30") == 0
    assert json.loads(capsys.readouterr().out)["policy"] == "house"


@pytest.mark.parametrize(("table", "words"), [
    ('polcy = "mist"\n', "unknown key 'polcy'"),
    ('select = "fee-cap"\n', "select must be a list"),
    ("paths = [1]\n", "paths must be a list of strings"),
    ('fail-on = "sometimes"\n', "'sometimes'"),
    ('policy = "nope"\n', "unknown policy 'nope'"),
])
def test_bad_pyproject_settings_exit_2(cwd: Path, capsys, table: str, words: str) -> None:
    (cwd / "pyproject.toml").write_text("[tool.mist-check]\n" + table)
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".") == 2
    assert words in _one_error_line(capsys)


def test_unreadable_pyproject_exits_2(cwd: Path, capsys) -> None:
    (cwd / "pyproject.toml").write_text("[tool.mist-check\n")
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".") == 2
    assert "pyproject.toml cannot be read" in _one_error_line(capsys)


def test_pyproject_select_and_paths(cwd: Path, capsys) -> None:
    write_files(cwd, {
        "pyproject.toml": '[tool.mist-check]\nselect = ["schema"]\npaths = ["funds"]\n',
        "funds/trust.yaml": SCHEMA_ERROR,
        "elsewhere/trust.yaml": SCHEMA_ERROR.replace("p1", "p2"),
    })
    assert _check("--format", "json", "--as-of", "2005-06-30") == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["rule"]) for f in report["findings"]] == [("funds/trust.yaml", "schema")]


# --- outputs --------------------------------------------------------------------------------------

def test_output_file_gets_the_report_and_stdout_nothing(cwd: Path, capsys) -> None:
    (cwd / "trust.yaml").write_text(SCHEMA_ERROR)
    assert _check(".", "--format", "json", "--output", "report.json", "--as-of", "2005-06-30") == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    report = json.loads((cwd / "report.json").read_text(encoding="utf-8"))
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("schema", 5, 30)]


def test_output_to_a_missing_directory_exits_2(cwd: Path, capsys) -> None:
    (cwd / "trust.yaml").write_text(CLEAN)
    assert _check(".", "--output", "no/such/dir/report.txt") == 2
    assert "--output" in _one_error_line(capsys)


def test_json_output_is_byte_identical_across_runs(cwd: Path, capsys) -> None:
    write_files(cwd, {
        "a/trust.yaml": SCHEMA_ERROR + "include: [parts/*.yaml]\n",
        "a/parts/docs.yaml": textwrap.dedent("""\
            documents:
              - id: mgmt
                kind: management-agreement
                title: Management Agreement
                dated: 2004-11-01
                fee_schedule: {p1: "0.10%", ghost: "0.10%"}
                provisions:
                  termination:
                    by_fund: {notice_days: 90, without_penalty: true, at_any_time: true, section: "9"}
            """),
        "b/trust.yaml": WARNING_ONLY,
    })
    outputs = []
    for _ in range(2):
        assert _check(".", "--format", "json", "--as-of", "2005-06-30", "--policy", "mist") == 1
        outputs.append(capsys.readouterr().out.encode("utf-8"))
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[0])
    keys = [(f["file"], f["line"], f["column"], f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys)
    assert len(keys) >= 3
