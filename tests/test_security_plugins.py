"""Plugins that misbehave: what they raise, what they yield, the ids they take, rules that never end,
worker processes that die. The run goes on and says what was lost; never a traceback, never a hang.
"""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

import pytest

from helpers import write_files
from mist_check.cli import main

ENTRY = "--no-entry-points"
AS_OF = ("--as-of", "2005-06-30")
TRUST = """\
format: 1
trust: {name: NAME}
trustees:
  - {name: Trustee One, independent: false, from: 2000-01-01}
documents:
  - id: ma
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {notice_days: 90, at_any_time: true, without_penalty: true, section: "9"}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.syspath_prepend(str(work))
    return work


def plugin(here: Path, monkeypatch: pytest.MonkeyPatch, source: str, name: str = "odd_rules") -> str:
    """Write a plugin module beside the trust; its name for --plugin."""
    write_files(here, {f"{name}.py": source})
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, ENTRY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def plugin_errors(out: str) -> dict[str, str]:
    return {str(f["subject"]): str(f["message"]) for f in json.loads(out)["findings"] if f["rule"] == "plugin-error"}


RAISING = '''
from mist_check import Rule, hookimpl

class Custom(BaseException):
    pass

def raises(exc):
    def check(trust, ctx):
        raise exc
        yield
    return check

@hookimpl
def mist_check_rules():
    return [Rule("raises-base", raises(BaseException("base")), doc="Raises BaseException."),
            Rule("raises-generator-exit", raises(GeneratorExit()), doc="Raises GeneratorExit."),
            Rule("raises-system-exit", raises(SystemExit(7)), doc="Raises SystemExit."),
            Rule("raises-custom", raises(Custom("mine")), doc="Raises a BaseException of its own."),
            Rule("raises-memory", raises(MemoryError()), doc="Raises MemoryError.")]
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_raising_base_exceptions_is_a_plugin_error_and_the_others_run(here: Path, capsys, monkeypatch,
                                                                           jobs: str) -> None:
    name = plugin(here, monkeypatch, RAISING)
    write_files(here, {"a/trust.yaml": TRUST.replace("NAME", "A"), "b/trust.yaml": TRUST.replace("NAME", "B")})
    code, out, err = cli(capsys, "check", ".", "--plugin", name, "--format", "json", "--jobs", jobs, *AS_OF)
    assert code == 1, err
    errors = plugin_errors(out)
    assert set(errors) == {"raises-base", "raises-generator-exit", "raises-system-exit", "raises-custom",
                           "raises-memory"}
    assert "raised SystemExit: 7" in errors["raises-system-exit"]
    assert "raised GeneratorExit" in errors["raises-generator-exit"]
    assert "raised Custom: mine" in errors["raises-custom"]
    found = json.loads(out)["findings"]
    assert sum(f["rule"] == "plugin-error" for f in found) == 10  # five rules, two trusts
    assert sum(f["rule"] == "termination-notice" for f in found) == 2  # the others ran on both


def test_keyboard_interrupt_in_a_rule_stops_the_run_with_130(here: Path, capsys, monkeypatch) -> None:
    name = plugin(here, monkeypatch, RAISING.replace('BaseException("base")', "KeyboardInterrupt()"))
    write_files(here, {"trust.yaml": TRUST})
    code, out, err = cli(capsys, "check", ".", "--plugin", name, *AS_OF)
    assert code == 130
    assert out == "" and err == "mist-check: interrupted\n"


MALFORMED = '''
from mist_check import Citation, Finding, Rule, Severity, hookimpl
from mist_check.findings import Location

def make(**change):
    def check(trust, ctx):
        good = ctx.finding(Location(trust.root.path, 2, 1, "/trust"), "fine so far")
        fields = dict(file=good.file, line=good.line, column=good.column, rule=good.rule, message=good.message,
                      severity=good.severity, pointer=good.pointer)
        fields.update(change)
        yield Finding(**{k: (v if v != "OWN" else ctx.rule.id) for k, v in fields.items()})
    return check

@hookimpl
def mist_check_rules():
    return [Rule("string-severity", make(severity="error"), doc="A severity given as text."),
            Rule("other-id", make(rule="parse-error"), doc="Passes for the engine."),
            Rule("text-line", make(line="7"), doc="A line that is text."),
            Rule("zero-column", make(column=0), doc="Column 0."),
            Rule("int-message", make(message=5), doc="A message that is a number."),
            Rule("bad-citation", make(citation=("a", "b")), doc="A citation that is a tuple."),
            Rule("well-formed", make(), doc="The control: a finding as ctx.finding makes it.")]
'''


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_a_malformed_finding_is_a_plugin_error_in_every_format(here: Path, capsys, monkeypatch, fmt: str) -> None:
    name = plugin(here, monkeypatch, MALFORMED)
    write_files(here, {"trust.yaml": TRUST})
    code, out, err = cli(capsys, "check", ".", "--plugin", name, "--format", fmt, *AS_OF)
    assert code == 1, err
    if fmt == "json":
        errors = plugin_errors(out)
        assert set(errors) == {"string-severity", "other-id", "text-line", "zero-column", "int-message",
                               "bad-citation"}
        assert "severity is 'error', not a Severity" in errors["string-severity"]
        assert "rule id 'parse-error', not its own" in errors["other-id"]
        found = json.loads(out)["findings"]
        assert [f["rule"] for f in found if f["message"] == "fine so far"] == ["well-formed"]
        assert not any(f["rule"] == "parse-error" for f in found)


@pytest.mark.parametrize("reserved", ["parse-error", "schema", "reference", "plugin-error", "unused-suppression"])
def test_a_plugin_may_not_take_a_built_in_finding_id(here: Path, capsys, monkeypatch, reserved: str) -> None:
    name = plugin(here, monkeypatch, f'''
from mist_check import Rule, hookimpl

def check(trust, ctx):
    return []

@hookimpl
def mist_check_rules():
    return [Rule({reserved!r}, check, doc="Takes a reserved id.")]
''')
    write_files(here, {"trust.yaml": TRUST})
    for command in (["check", "."], ["rules"]):
        code, out, err = cli(capsys, *command, "--plugin", name)
        assert code == 2 and out == ""
        assert err == (f"mist-check: error: plugin {name!r} declares the rule id {reserved!r}, which is reserved "
                       "for the checker's own findings\n")


@pytest.mark.parametrize(("source", "words"), [
    ("raise SystemExit(7)\n", "cannot be imported: SystemExit: 7"),
    ("raise BaseException('at import')\n", "cannot be imported: BaseException: at import"),
    ("from mist_check import hookimpl\n@hookimpl\ndef mist_check_rules():\n    raise SystemExit(3)\n",
     "failed to declare its rules: SystemExit: 3"),
    ("from mist_check import Rule, hookimpl\n@hookimpl\ndef mist_check_rules():\n"
     "    return [Rule('two words', lambda t, c: [])]\n", "which is not a word"),
    ("from mist_check import Rule, hookimpl\n@hookimpl\ndef mist_check_rules():\n"
     "    return [Rule('x-rule', lambda t, c: [], severity='fatal')]\n", "with severity 'fatal'"),
])
def test_a_plugin_that_fails_to_load_or_declare_is_one_line(here: Path, capsys, monkeypatch, source: str,
                                                            words: str) -> None:
    name = plugin(here, monkeypatch, source)
    write_files(here, {"trust.yaml": TRUST})
    code, out, err = cli(capsys, "check", ".", "--plugin", name, *AS_OF)
    assert code == 2 and out == ""
    assert words in err and err.count("\n") == 1


# --- rules that never end ------------------------------------------------------------------------

LOOPING = '''
import os
from mist_check import Rule, hookimpl

def forever(trust, ctx):
    while True:
        pass
    yield

def stubborn(trust, ctx):
    try:
        while True:
            pass
    except BaseException:  # swallows the first stop...
        pass
    while True:  # ...and loops again
        pass
    yield

def quick(trust, ctx):
    return []

@hookimpl
def mist_check_rules():
    return [Rule("loops-forever", forever, doc="Never ends."),
            Rule("loops-stubbornly", stubborn, doc="Never ends, and swallows the first stop."),
            Rule("quick", quick, doc="Ends at once.")]
'''


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the time budget needs setitimer (POSIX)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_that_never_ends_is_stopped_by_its_time_budget(here: Path, capsys, monkeypatch, jobs: str) -> None:
    name = plugin(here, monkeypatch, LOOPING)
    write_files(here, {"a/trust.yaml": TRUST.replace("NAME", "A"), "b/trust.yaml": TRUST.replace("NAME", "B")})
    started = time.monotonic()
    code, out, err = cli(capsys, "check", ".", "--plugin", name, "--format", "json", "--rule-timeout", "0.5",
                         "--jobs", jobs, *AS_OF)
    assert time.monotonic() - started < 30
    assert code == 1, err
    errors = plugin_errors(out)
    assert set(errors) == {"loops-forever", "loops-stubbornly"}
    assert "did not finish within its time budget of 0.5 s (--rule-timeout)" in errors["loops-forever"]
    found = json.loads(out)["findings"]
    assert sum(f["rule"] == "plugin-error" for f in found) == 4
    assert sum(f["rule"] == "termination-notice" for f in found) == 2


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "x"])
def test_the_time_budget_must_be_a_number_of_seconds(here: Path, capsys, value: str) -> None:
    write_files(here, {"trust.yaml": TRUST})
    code, out, err = cli(capsys, "check", ".", "--rule-timeout", value)
    assert code == 2 and out == "" and err.count("\n") == 1 and "--rule-timeout" in err


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="setitimer (POSIX)")
def test_the_time_budget_gives_back_a_timer_already_running() -> None:
    from mist_check.engine import RuleTimeout, time_budget

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        with time_budget(5):
            time.sleep(0.1)
        assert not fired and 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.5
        time.sleep(0.8)
        assert fired  # the caller's alarm still rang, on time
        with pytest.raises(RuleTimeout), time_budget(0.1):
            time.sleep(2)
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- worker processes that die --------------------------------------------------------------------

KILLER = '''
import os, signal
from mist_check import Rule, hookimpl

PARENT = os.getpid()

def check(trust, ctx):
    if trust.name == "Doomed" and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return []

@hookimpl
def mist_check_rules():
    return [Rule("kills-its-worker", check, doc="Kills the worker process checking the trust named Doomed.")]
'''


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_killed_worker_fails_its_trusts_and_the_others_are_checked(here: Path, capsys, monkeypatch) -> None:
    name = plugin(here, monkeypatch, KILLER)
    names = {"a": "A", "b": "Doomed", "c": "C", "d": "D", "e": "E"}
    write_files(here, {f"{d}/trust.yaml": TRUST.replace("NAME", n) for d, n in names.items()})
    code, out, err = cli(capsys, "check", ".", "--plugin", name, "--format", "json", "--jobs", "2", *AS_OF)
    assert code == 2
    assert err.count("\n") == 1
    assert "mist-check: error: b/trust.yaml: the worker process checking this trust ended abruptly" in err
    trusts = {t["root"]: t["error"] for t in json.loads(out)["trusts"]}
    assert [root for root, error in trusts.items() if error] == ["b/trust.yaml"]
    checked = {str(f["file"]).split("/")[0] for f in json.loads(out)["findings"] if f["rule"] == "termination-notice"}
    assert checked == {"a", "c", "d", "e"}
