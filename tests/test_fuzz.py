"""Property-based tests: trusts generated from the format, then broken; the checker never raises.

The strategies live in ``tools/fuzz.py`` (the long fuzz run uses them too). The default run is short;
``MIST_CHECK_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`` runs more examples per property.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import REPO
from mist_check.engine import Checker, Options, run
from mist_check.errors import UsageError
from mist_check.findings import Finding

EXAMPLES = int(os.environ.get("MIST_CHECK_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def _load_fuzz():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mist_check_fuzz", REPO / "tools" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()
PIPELINE = fuzz.Pipeline(timeout=3)  # an input that takes longer is a Hang

# Crashes known today, each shown by its own xfail test below: the properties let them pass, so that
# the properties keep looking for new ones. Remove an entry when its test turns red (fixed).
KNOWN: dict[str, str] = {}


def unexpected(errors: list[tuple[str, BaseException]]) -> list[str]:
    sigs = [fuzz.signature(stage, exc) + f": {exc}" for stage, exc in errors]
    return [s for s in sigs if not any(re.match(pattern, s) for pattern in KNOWN)]


def check(text: str) -> list[Finding]:
    findings, errors = PIPELINE.check_all(text)
    assert unexpected(errors) == [], text
    lines = max(1, text.count("\n") + text.count("\r") + 1)
    for f in findings:
        assert isinstance(f, Finding)
        assert f.file == fuzz.ROOT_NAME
        assert 1 <= f.line <= lines + 1 and f.column >= 1, (f, text)
        assert f.message
    return findings


# --- valid trusts -------------------------------------------------------------------------------------

@SETTINGS
@given(fuzz.trusts(extreme=False), fuzz.dump_styles())
def test_a_generated_trust_is_valid(data, style) -> None:
    text = fuzz.dump(data, style)
    findings = check(text)
    bad = [(f.rule, f.line, f.message) for f in findings if f.rule in ("parse-error", "schema", "plugin-error")]
    assert bad == [], text


@SETTINGS
@given(fuzz.trusts(extreme=True), fuzz.dump_styles())
def test_a_trust_with_extreme_values_is_valid_and_checked(data, style) -> None:
    # dates from year 1 to 9999, periods and notice of trillions, share counts of 40 digits
    text = fuzz.dump(data, style)
    findings = check(text)
    assert [f for f in findings if f.rule in ("parse-error", "schema")] == [], text


# --- broken trusts ------------------------------------------------------------------------------------

@SETTINGS
@given(st.data())
def test_a_trust_with_broken_values_never_raises(data) -> None:
    trust = data.draw(fuzz.trusts())
    broken = data.draw(fuzz.mutated(trust))
    check(fuzz.dump(broken, data.draw(fuzz.dump_styles())))


@SETTINGS
@given(st.data())
def test_broken_yaml_text_never_raises(data) -> None:
    text = fuzz.dump(data.draw(fuzz.trusts()), data.draw(fuzz.dump_styles()))
    check(data.draw(fuzz.text_mutations(text)))


@SETTINGS
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace"))))
def test_any_text_never_raises(text) -> None:
    check(text)


ENGINE = Checker(Options(as_of=fuzz.DAY, entry_points=False))


@settings(SETTINGS, max_examples=max(10, EXAMPLES // 4))
@given(fuzz.inputs())
def test_the_fuzz_pipeline_finds_what_the_engine_finds(tmp_path_factory, case) -> None:
    # tools/fuzz.py replicates the engine's steps on a string; the engine, on a file, must agree
    # (Checker.check_root: one trust, after discovery, which test_security.py covers)
    _, text = case
    findings, errors = PIPELINE.check_all(text, as_of=fuzz.DAY)
    if errors or any(f.pointer == "/policy" for f in findings):  # a policy file: its path is in the message
        return
    directory = tmp_path_factory.mktemp("case")
    (directory / fuzz.ROOT_NAME).write_text(text, encoding="utf-8", newline="")
    cwd = os.getcwd()
    os.chdir(directory)  # findings name the file as the pipeline does
    try:
        result = ENGINE.check_root(Path(fuzz.ROOT_NAME))
    except UsageError:  # the engine stops the run (exit 2) on an unknown policy; the pipeline skips it
        return
    finally:
        os.chdir(cwd)
    assert result.error is None, text
    key = lambda f: (f.line, f.column, f.rule, f.message, f.severity, f.suppressed)  # noqa: E731
    assert sorted(map(key, result.findings)) == sorted(map(key, findings)), text


# --- the corpus of crashers ---------------------------------------------------------------------------

CORPUS = REPO / "tests" / "fuzz_corpus"
# corpus files that still crash, by name: the bug each shows
CORPUS_KNOWN: dict[str, str] = {}


def _corpus() -> list[object]:
    files = sorted(CORPUS.glob("*.yaml"), key=lambda p: (len(p.name), p.name)) if CORPUS.is_dir() else []
    return [pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=True, reason=CORPUS_KNOWN[p.name])]
                         if p.name in CORPUS_KNOWN else []) for p in files]


@pytest.mark.parametrize("path", _corpus())
def test_a_saved_crasher_no_longer_crashes(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    # in memory first, under a time limit: a crasher that hangs must not hang the suite
    _, errors = PIPELINE.check_all(raw.decode("utf-8", "replace"))
    assert [fuzz.signature(stage, exc) + f": {exc}" for stage, exc in errors] == []
    (tmp_path / fuzz.ROOT_NAME).write_bytes(raw)
    monkeypatch.chdir(tmp_path)
    with fuzz.time_limit(60):
        result = run(Options(paths=["."], as_of=fuzz.DAY, entry_points=False))
    assert result.errors == []
    assert [f.message for f in result.findings if f.rule == "plugin-error"] == []


# --- known crashes, each with a minimal input ---------------------------------------------------------

def plugin_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: str,
                  as_of: date = date(2005, 6, 30)) -> list[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trust.yaml").write_text(f"format: 1\ntrust: {{name: T}}\ndocuments:\n  - {documents}\n")
    with fuzz.time_limit(30):
        result = run(Options(paths=["."], as_of=as_of, entry_points=False))
    assert result.errors == []
    return [f.message for f in result.findings if f.rule == "plugin-error"]


# Found by tools/fuzz.py (tests/fuzz_corpus/crash-1..7, 9): a date the schema accepts near 9999-12-31
# plus a period raised ValueError/OverflowError in periods.add_months or timedelta, in three rules.
@pytest.mark.parametrize("doc", [
    "{id: a, kind: advisory-agreement, title: A, dated: 9999-12-31}",
    "{id: a, kind: distribution-plan, title: A, adopted: 9999-12-31, provisions: {reporting: {every: quarter}}}",
    "{id: a, kind: distribution-plan, title: A, adopted: 9999-12-20, provisions: {reporting: {every: 30 days}}}",
    "{id: a, kind: management-agreement, title: A, dated: 2000-01-01, terminated: 9999-12-30, "
    "provisions: {name_use: {names: [T], cease_within: 1 year, trigger: termination}}}",
], ids=["annual-continuance", "quarterly-reports-months", "quarterly-reports-days", "name-cessation"])
@pytest.mark.parametrize("as_of", [date(2005, 6, 30), date(9999, 12, 31)])
def test_a_date_near_9999_does_not_crash_the_rules(tmp_path: Path, monkeypatch, doc: str, as_of: date) -> None:
    assert plugin_errors(tmp_path, monkeypatch, doc, as_of) == []


# Found by the fuzzer (crash-12): a date of year 0 passed the fast schema check and failed the trust.
@pytest.mark.parametrize("body", [
    "meetings:\n  - {date: 0000-01-01, actions: []}",
    "shareholder_votes:\n  - {date: 0000-12-31, approves: a, for: 1, outstanding: 2}",
    "reports:\n  - {plan: a, period_end: 0000-01-01}",
    "documents:\n  - {id: a, kind: fee-waiver, title: A, dated: 0000-01-01}",
], ids=["meeting", "vote", "report", "document"])
def test_a_date_in_year_zero_is_a_schema_error(tmp_path: Path, monkeypatch, body: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trust.yaml").write_text(f"format: 1\ntrust: {{name: T}}\n{body}\n")
    result = run(Options(paths=["."], as_of=date(2005, 6, 30), entry_points=False))
    assert result.errors == []
    assert ("schema", 4) in {(f.rule, f.line) for f in result.findings}


# Found by the fuzzer: a count of days past any calendar overflowed timedelta in quarterly-reports.
def test_a_reporting_period_of_billions_of_days_does_not_crash(tmp_path: Path, monkeypatch) -> None:
    doc = "{id: a, kind: distribution-plan, title: A, adopted: 2000-01-01, provisions: {reporting: {every: 99999999999 days}}}"
    assert plugin_errors(tmp_path, monkeypatch, doc) == []


# Found by the fuzzer: `every: "0 days"` made quarterly-reports loop forever, growing a list until memory
# ran out. A period is now at least 1 (a schema error otherwise), and the loop stops at zero anyway.
@pytest.mark.parametrize("every", ["0 days", "0 months", "0 years"])
def test_a_reporting_period_of_zero_does_not_hang(every: str) -> None:
    text = ("format: 1\ntrust: {name: T}\nas_of: 2005-06-30\ndocuments:\n  - {id: a, kind: distribution-plan, "
            f"title: A, adopted: 2005-01-01, provisions: {{reporting: {{every: {every}}}}}}}\n")
    findings, errors = fuzz.Pipeline(reporters=False, timeout=2).check_all(text)
    assert errors == []
    assert ("schema", 5) in {(f.rule, f.line) for f in findings}


# Found by the fuzzer (tests/fuzz_corpus/crash-10): quarterly-reports walked every period from adoption
# to as_of, scanning the reports for each: `every: 1 day` from year 1 to 9999 took ~5 s a plan.
def test_reporting_periods_over_millennia_are_checked_in_bounded_time() -> None:
    text = ("format: 1\ntrust: {name: T}\nas_of: 9999-12-31\ndocuments:\n  - {id: a, kind: distribution-plan, "
            "title: A, adopted: 0001-01-01, provisions: {reporting: {every: 1 day}}}\n")
    findings, errors = fuzz.Pipeline(reporters=False, timeout=2).check_all(text)
    for _, exc in errors:
        raise exc
    assert "quarterly-reports" in {f.rule for f in findings}


# --- the tree mode: everything around the YAML -------------------------------------------------------

# The surfaces the suite's short run attacks: all of them (``()``), as the long run does.
TREE_SURFACES: tuple[str, ...] = ()


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="the tree mode forks a child")
def test_a_short_tree_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    tree = fuzz.load_tree_mode()
    count, failures = tree.fuzz_trees(None, 4, 20261202, tmp_path / "corpus", timeout=60, log=lambda _: None,
                                      surfaces=TREE_SURFACES)
    assert count >= 1
    assert failures == []


EVIL_PLUGIN = """
from mist_check import Rule, hookimpl
from mist_check.findings import Location

def check(trust, ctx):
    with open("../outside/secret.yaml") as secret:
        yield ctx.finding(Location(trust.root.path, 1, 1, ""), secret.read())

@hookimpl
def mist_check_rules():
    return [Rule("evil-read", check, doc="Reads outside the trust.")]
"""


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="the tree mode forks a child")
def test_the_tree_mode_sees_a_read_outside_the_trust(tmp_path: Path) -> None:
    # the control: a (trusted) plugin that reads outside is caught by the audit hook and the canary
    tree = fuzz.load_tree_mode()
    scenario = tree.scenario(7, tmp_path, ("titles",))
    (tmp_path / "work" / "evil_read_plugin.py").write_text(EVIL_PLUGIN)
    scenario.argv += ["--plugin", "evil_read_plugin"]
    scenario.stdout = "file"
    outcome = tree.run_one(scenario, tmp_path, timeout=60)
    assert any(p.startswith("read outside the trust") and "secret.yaml" in p for p in outcome.problems)
    assert "a canary from outside the trust was printed" in outcome.problems
