"""Hostile and broken input: never a traceback, never a hang, nothing outside the trust read.

One test per protection; each fails if the protection is removed. Where a protection is missing
today, the test that shows it is marked ``xfail(strict=True)`` with the reason: it turns red once the
checker is fixed, so that the mark is removed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import write_files
from mist_check import engine
from mist_check.cli import main

ENTRY = "--no-entry-points"
AS_OF = ("--as-of", "2005-06-30")

# A small trust with findings in its root and in two parts.
TRUST = """\
format: 1
trust: {name: Test Trust, type: open-end}
include: ["parts/*.yaml"]
trustees:
  - {name: Trustee One, independent: false, from: 2000-01-01}
  - {name: Trustee Two, independent: true, from: 2000-01-01}
"""
PART_AGREEMENT = """\
documents:
  - id: ma
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {notice_days: 90, at_any_time: true, without_penalty: true, section: "9"}
"""
PART_PLAN = """\
documents:
  - id: plan-b
    kind: distribution-plan
    title: Class B Plan
    adopted: null
    share_class: B
    provisions:
      fee_cap: {rate: "0.50%", section: "1"}
portfolios:
  - id: p1
    classes: {"B": {distribution_fee: "0.75%"}}
"""
FILES = {"trust.yaml": TRUST, "parts/agreement.yaml": PART_AGREEMENT, "parts/plan.yaml": PART_PLAN}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``mist-check`` in process; (exit code, stdout, stderr)."""
    code = main([*args, ENTRY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def findings_of(out: str) -> list[dict[str, object]]:
    return json.loads(out)["findings"]  # type: ignore[no-any-return]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary working directory."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


# --- no code execution from data --------------------------------------------------------------------

PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch PWNED"]',
    '!!python/object/new:os.system ["touch PWNED"]',
    "!!python/object/apply:subprocess.check_call [[touch, PWNED]]",
    "!!python/name:os.system",
    "!!python/module:os",
    '!!python/object:__main__.Pwned {x: 1}',
    "!<tag:yaml.org,2002:python/object/apply:os.system> [touch PWNED]",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_in_a_trust_are_parse_errors_and_run_nothing(here: Path, capsys, tag: str) -> None:
    (here / "trust.yaml").write_text(f"format: 1\ntrust: {{name: T}}\ndocuments:\n  - {tag}\n")
    code, out, _ = cli(capsys, "check", ".", "--format", "json", *AS_OF)
    assert code == 1
    found = findings_of(out)
    assert [(f["rule"], f["line"]) for f in found] == [("parse-error", 4)]
    assert "is not allowed" in str(found[0]["message"])
    assert not (here / "PWNED").exists()


def test_a_policy_pack_with_a_python_tag_fails_the_run_and_runs_nothing(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": TRUST,
                       "pack.yaml": 'id: evil\ntitle: !!python/object/apply:os.system ["touch PWNED"]\n'})
    code, out, err = cli(capsys, "check", "trust.yaml", "--policy", "pack.yaml", *AS_OF)
    assert code == 2
    assert out == ""
    assert "pack.yaml" in err and "is not allowed" in err
    assert not (here / "PWNED").exists()


EVIL_MODULE = "mist_check_evil_module"
EVIL_SOURCE = "from pathlib import Path\nPath(__file__).with_name('IMPORTED').write_text('imported')\n"


@pytest.fixture
def evil_module(here: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module on sys.path that leaves a file named IMPORTED beside it when imported."""
    (here / f"{EVIL_MODULE}.py").write_text(EVIL_SOURCE)
    monkeypatch.syspath_prepend(str(here))
    monkeypatch.delitem(sys.modules, EVIL_MODULE, raising=False)
    yield here / "IMPORTED"
    sys.modules.pop(EVIL_MODULE, None)


def test_a_module_given_with_plugin_is_imported(evil_module: Path, capsys) -> None:
    # the control for the test below: the marker works, and --plugin is the way in
    write_files(evil_module.parent, {"trust.yaml": "format: 1\ntrust: {name: T}\n"})
    cli(capsys, "check", "trust.yaml", "--plugin", EVIL_MODULE, *AS_OF)
    assert evil_module.exists()


@pytest.mark.parametrize("trust", [
    f"format: 1\npolicy: {EVIL_MODULE}\ntrust: {{name: T}}\n",
    f"format: 1\npolicy: {EVIL_MODULE}.py\ntrust: {{name: T}}\n",
    f"format: 1\ntrust: {{name: T, plugin: {EVIL_MODULE}}}\nplugins: [{EVIL_MODULE}]\nplugin: {EVIL_MODULE}\n"
    f"{EVIL_MODULE}: {{import: true}}\ninclude: ['{EVIL_MODULE}.py']\n"
    f"documents:\n  - {{id: x, kind: {EVIL_MODULE}, title: {EVIL_MODULE}, x_plugin: {EVIL_MODULE}}}\n",
], ids=["policy-module", "policy-file", "keys"])
def test_a_module_named_in_a_trust_is_never_imported(evil_module: Path, capsys, trust: str) -> None:
    write_files(evil_module.parent, {"trust.yaml": trust})
    code, _, _ = cli(capsys, "check", ".", *AS_OF)
    assert code in (1, 2)  # schema errors, or an unknown policy
    assert not evil_module.exists()
    assert EVIL_MODULE not in sys.modules


# --- resource bombs -----------------------------------------------------------------------------------

def billion_laughs() -> str:
    lines = ["format: 1", "trust: {name: T}", 'x_a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"x_{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    lines.append("documents: [" + ", ".join(["*i"] * 9) + "]")  # 9 levels of 9: 9**9 strings expanded
    return "\n".join(lines) + "\n"


def timed(capsys, *args: str) -> tuple[float, int, list[dict[str, object]]]:
    started = time.monotonic()
    code, out, _ = cli(capsys, *args, "--format", "json", *AS_OF)
    return time.monotonic() - started, code, findings_of(out)


def _bounded() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def isolated(*args: str, timeout: float = 60) -> tuple[float, int, list[dict[str, object]]]:
    """``timed``, in a child process with 2 GiB of memory and a time limit: without its protection, a
    bomb fails this test (a crash, MemoryError or timeout) instead of taking pytest down with it."""
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "mist_check", *args, ENTRY, "--format", "json", *AS_OF],
                              capture_output=True, text=True, timeout=timeout, preexec_fn=_bounded)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no result after {timeout} s")
    elapsed = time.monotonic() - started
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    return elapsed, proc.returncode, findings_of(proc.stdout)


def test_billion_laughs_is_refused_quickly(here: Path, capsys) -> None:
    (here / "trust.yaml").write_text(billion_laughs())
    elapsed, code, found = isolated("check", "trust.yaml")
    assert elapsed < 5
    assert code == 1
    assert [f["rule"] for f in found] == ["parse-error"]
    assert "refused as a resource bomb" in str(found[0]["message"])


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_ten_thousand_levels_deep_is_refused_quickly(here: Path, capsys, style: str) -> None:
    depth = 10_000
    if style == "flow":
        body = "x_deep: " + "[" * depth + "]" * depth + "\n"
    else:
        body = "x_deep:\n  " + "- " * depth + "1\n"  # compact block sequences, one in another
    (here / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n" + body)
    elapsed, code, found = isolated("check", "trust.yaml")
    assert elapsed < 5
    assert code == 1
    assert [f["rule"] for f in found] == ["parse-error"]
    assert "nested more than 64 levels deep" in str(found[0]["message"])


def test_a_file_larger_than_max_file_bytes_is_refused_unread(here: Path, capsys) -> None:
    (here / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n" + "# padding\n" * 200)
    _, code, found = timed(capsys, "check", "trust.yaml", "--max-file-bytes", "1000")
    assert code == 1
    assert [(f["rule"], f["line"]) for f in found] == [("parse-error", 1)]
    assert "the limit is 1000" in str(found[0]["message"]) and "--max-file-bytes" in str(found[0]["message"])
    _, code, found = timed(capsys, "check", "trust.yaml", "--max-file-bytes", "100000")
    assert code == 0 and found == []


MILLION = "format: 1\ntrust: {name: T}\nx_many:\n" + "- 1\n" * 1_000_000


def test_a_list_of_a_million_items_is_refused_past_max_values(here: Path, capsys) -> None:
    (here / "trust.yaml").write_text(MILLION)
    elapsed, code, found = isolated("check", "trust.yaml", "--max-values", "1000")
    assert code == 1
    assert [f["rule"] for f in found] == ["parse-error"]
    assert "more than 1000 values" in str(found[0]["message"])
    assert elapsed < 30  # bounded, if not by the limit (see the next test)


def test_max_values_bounds_the_work_not_only_the_result(here: Path, capsys) -> None:
    import tracemalloc

    (here / "trust.yaml").write_text("format: 1\ntrust: {name: T}\nx_many:\n" + "- 1\n" * 200_000)
    tracemalloc.start()
    try:
        _, code, found = timed(capsys, "check", "trust.yaml", "--max-values", "1000")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [f["rule"] for f in found] == ["parse-error"]
    assert peak < 16 * 2**20  # the file is 0.8 MB; 1000 values cost little more


def test_a_line_of_a_million_characters_is_handled(here: Path, capsys) -> None:
    name = "N" * 1_000_000
    (here / "trust.yaml").write_text(f"format: 1\ntrust: {{name: {name}}}\ndocuments: [{{id: w, kind: fee-waiver, title: '{name}', "
                                      f"dated: 2005-01-01}}]\n# {name}\n")
    elapsed, code, found = isolated("check", "trust.yaml")
    assert elapsed < 10
    assert code == 0 and found == []
    # a key longer than YAML's 1024 characters for an implicit key: invalid YAML, at its line
    (here / "trust.yaml").write_text(f"format: 1\ntrust: {{name: T}}\nbogus{name}: 1\n")
    elapsed, code, found = isolated("check", "trust.yaml")
    assert elapsed < 10
    assert code == 1 and [(f["rule"], f["line"]) for f in found] == [("parse-error", 3)]
    assert len(str(found[0]["message"])) < 1000  # the message does not repeat the line


def test_many_findings_in_one_mapping_cost_linear_time() -> None:
    from mist_check.loader import load_text
    from mist_check.schema import validate

    def cost(n: int, tries: int) -> float:
        text = "format: 1\ntrust: {name: T}\n" + "".join(f"unknown{i}: 1\n" for i in range(n))
        best = float("inf")
        for _ in range(tries):
            src = load_text(text, "trust.yaml")
            started = time.perf_counter()
            found = validate(src)
            best = min(best, time.perf_counter() - started)
            assert len(found) == n
        return best

    small, big = cost(1000, 3), cost(6000, 2)
    # six times the keys: about 6 times the time if linear, 36 if quadratic (a margin for a busy machine)
    assert big / small < 18


@pytest.mark.parametrize("given", ["trust.yaml", "part.yaml", "."])
def test_a_number_of_thousands_of_digits_is_a_finding(here: Path, capsys, given: str) -> None:
    write_files(here, {"trust.yaml": f"format: 1\ntrust: {{name: T}}\ninclude: [part.yaml]\nx_big: {'1' * 5000}\n",
                       "part.yaml": "documents: []\n"})
    code, out, err = cli(capsys, "check", given, "--format", "json", *AS_OF)
    assert code == 1, err
    assert [(f["rule"], f["line"]) for f in findings_of(out)] in ([("parse-error", 4)], [("schema", 4)])


@pytest.mark.parametrize("flag, small, big, text", [
    # x_ keys are free only inside `provisions` (for third-party rules)
    ("--max-depth", "3", "64", "format: 1\ntrust: {name: T}\ndocuments:\n  - {id: w, kind: fee-waiver, title: W, "
     "dated: 2005-01-01, provisions: {x_deep: [[[[1]]]]}}\n"),
    ("--max-values", "5", "100", "format: 1\ntrust: {name: T}\ndocuments:\n  - {id: w, kind: fee-waiver, title: W, "
     "dated: 2005-01-01, provisions: {x_list: [1, 2, 3, 4, 5, 6]}}\n"),
    ("--max-file-bytes", "20", "1000", "format: 1\ntrust: {name: T}\n"),
])
def test_the_limits_are_configurable(here: Path, capsys, flag: str, small: str, big: str, text: str) -> None:
    (here / "trust.yaml").write_text(text)
    _, code, found = timed(capsys, "check", "trust.yaml", flag, small)
    assert code == 1 and [f["rule"] for f in found] == ["parse-error"]
    _, code, found = timed(capsys, "check", "trust.yaml", flag, big)
    assert code == 0 and found == []
    code, out, err = cli(capsys, "check", "trust.yaml", flag, "0")
    assert code == 2 and f"{flag} must be at least 1" in err


# --- files outside the trust --------------------------------------------------------------------------

MARKER = "OUTSIDE-MARKER-7f3a"
OUTSIDE = f"documents:\n  - {{id: {MARKER.lower()}, kind: {MARKER}, title: {MARKER}}}\n{MARKER}: 1\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the working directory, holding part files with a marker and schema errors."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "outside.yaml").write_text(OUTSIDE)
    (out / "more.yaml").write_text(OUTSIDE)
    return out


def _all_formats(capsys, *args: str) -> tuple[int, str]:
    """Exit code of the json run, and the output of every format, stderr included."""
    text = ""
    codes = []
    for fmt in ("json", "text", "sarif", "junit", "github"):
        code, out, err = cli(capsys, *args, "--format", fmt, *AS_OF)
        codes.append(code)
        text += out + err
    assert len(set(codes)) == 1
    return codes[0], text


@pytest.mark.parametrize("pattern, link", [
    ("../outside/outside.yaml", None),
    ("ABSOLUTE", None),
    ("link.yaml", "file"),
    ("linked/*.yaml", "dir"),
    ("linked/outside.yaml", "dir"),
    ("*/*.yaml", "dir"),
    ("parts/../../outside/*.yaml", None),
], ids=["dotdot", "absolute", "file-link", "dir-link-glob", "dir-link-file", "glob-through-link", "dotdot-glob"])
def test_an_include_never_reads_outside_the_trust(here: Path, outside: Path, capsys, pattern: str,
                                                  link: str | None) -> None:
    if pattern == "ABSOLUTE":
        pattern = str(outside / "outside.yaml")
    if link == "file":
        (here / "link.yaml").symlink_to(outside / "outside.yaml")
    elif link == "dir":
        (here / "linked").symlink_to(outside, target_is_directory=True)
    (here / "trust.yaml").write_text(f"format: 1\ntrust: {{name: T}}\ninclude:\n  - ok.yaml\n  - '{pattern}'\n")
    (here / "ok.yaml").write_text("documents: []\n")
    code, text = _all_formats(capsys, "check", "trust.yaml")
    assert code == 1
    assert MARKER not in text and MARKER.lower() not in text
    _, out, _ = cli(capsys, "check", "trust.yaml", "--format", "json", *AS_OF)
    found = findings_of(out)
    assert found and {(f["rule"], f["file"], f["line"], f["column"]) for f in found} == {("reference", "trust.yaml", 5, 5)}
    assert "outside the trust's directory" in str(found[0]["message"])


def test_a_searched_directory_does_not_follow_links_outside_it(here: Path, tmp_path: Path, capsys) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "trust.yaml").write_text(f"format: 1\ntrust: {{name: T, {MARKER}: 1}}\n")
    (secret / "part.yaml").write_text(OUTSIDE)
    (here / "trust.yaml").write_text("format: 1\ntrust: {name: Here}\n")
    (here / "evil.yaml").symlink_to(secret / "trust.yaml")
    (here / "evil-part.yaml").symlink_to(secret / "part.yaml")
    code, text = _all_formats(capsys, "check", ".")
    assert MARKER not in text and str(secret) not in text


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_a_trust_policy_never_reads_outside_the_trust(here: Path, outside: Path, capsys, where: str) -> None:
    (outside / "pack.yaml").write_text(f"id: outside\n{MARKER}: 1\n")
    name = "../outside/pack.yaml" if where == "relative" else str(outside / "pack.yaml")
    (here / "trust.yaml").write_text(f"format: 1\npolicy: {name}\ntrust: {{name: T}}\n")
    _, text = _all_formats(capsys, "check", "trust.yaml")
    assert MARKER not in text


def test_a_trust_policy_file_is_relative_to_the_trust(here: Path, capsys) -> None:
    write_files(here, {"sub/trust.yaml": "format: 1\npolicy: pack.yaml\ntrust: {name: T}\n",
                       "sub/pack.yaml": "id: local\nextends: ica-1940\n"})
    code, _, err = cli(capsys, "check", "sub", *AS_OF)
    assert code != 2, err


def test_symlink_loops_in_a_searched_directory_do_not_hang(here: Path) -> None:
    write_files(here, {"t/trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['**/*.yaml', 'd/*/*/*/*.yaml']\n",
                       "t/d/part.yaml": "documents: []\n"})
    (here / "t" / "d" / "up").symlink_to("..", target_is_directory=True)
    (here / "t" / "d" / "self").symlink_to(".", target_is_directory=True)
    (here / "t" / "d" / "loop-a").symlink_to("loop-b")
    (here / "t" / "d" / "loop-b").symlink_to("loop-a")
    (here / "t" / "d" / "loop.yaml").symlink_to("loop.yaml")
    (here / "t" / "d" / "nowhere.yaml").symlink_to("missing/nowhere.yaml")
    for args in (["."], ["t"], ["t/d/part.yaml"], ["t/d", "t/d/up/d/self/part.yaml"]):
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "mist_check", "check", *args, ENTRY, *AS_OF],
                              capture_output=True, text=True, timeout=60)
        assert time.monotonic() - started < 30
        assert proc.returncode in (0, 1), proc.stderr
        assert "Traceback" not in proc.stderr


def test_a_file_reached_twice_through_a_link_is_included_once(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['d/*.yaml', 'd/*/*.yaml']\n",
                       "d/p.yaml": "documents: [{id: a, kind: fee-waiver, title: A, dated: 2004-01-01}]\n"})
    (here / "d" / "self").symlink_to(".", target_is_directory=True)
    _, out, _ = cli(capsys, "check", "trust.yaml", "--format", "json", *AS_OF)
    assert findings_of(out) == []


def _unreadable_by_chmod(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    path.chmod(0)


def _unreadable_by_patch(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """What reading a mode-000 file does for a user that is not root (these tests also run as root)."""
    real = path.resolve()
    denied = PermissionError(13, "Permission denied")

    def guard(method):  # type: ignore[no-untyped-def]
        def wrapper(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(self).resolve() == real:
                raise denied
            return method(self, *args, **kwargs)
        return wrapper

    for name in ("open", "read_bytes", "read_text"):
        monkeypatch.setattr(Path, name, guard(getattr(Path, name)))
    real_open = os.open

    def os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]  # what every reader opens with
        if Path(path).resolve() == real:
            raise denied
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)


@pytest.mark.parametrize("how", ["chmod", "patch"])
def test_an_unreadable_part_is_a_parse_error(here: Path, capsys, monkeypatch, how: str) -> None:
    write_files(here, FILES)
    part = here / "parts" / "plan.yaml"
    if how == "chmod":
        _unreadable_by_chmod(part)
    else:
        _unreadable_by_patch(monkeypatch, part)
    code, out, _ = cli(capsys, "check", ".", "--format", "json")
    assert code == 1
    errors = [(f["rule"], f["file"], f["line"]) for f in findings_of(out) if f["file"] == "parts/plan.yaml"]
    assert errors == [("parse-error", "parts/plan.yaml", 1)]
    assert any(f["file"] == "parts/agreement.yaml" for f in findings_of(out))  # the rest is checked


@pytest.mark.parametrize("how", ["chmod", "patch"])
@pytest.mark.parametrize("given", [".", "trust.yaml"])
def test_an_unreadable_root_is_a_parse_error(here: Path, capsys, monkeypatch, how: str, given: str) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\n"})
    if how == "chmod":
        _unreadable_by_chmod(here / "trust.yaml")
    else:
        _unreadable_by_patch(monkeypatch, here / "trust.yaml")
    code, out, _ = cli(capsys, "check", given, "--format", "json")
    assert code == 1
    assert [(f["rule"], f["file"]) for f in findings_of(out)] == [("parse-error", "trust.yaml")]


def test_a_directory_matched_by_an_include_glob_is_not_a_crash(here: Path, capsys) -> None:
    write_files(here, FILES)
    (here / "parts" / "x.yaml").mkdir()
    (here / "dir.yaml").mkdir()
    (here / "trust.yaml").write_text(TRUST.replace('["parts/*.yaml"]', '["parts/*.yaml", "parts/x.yaml", "*.yaml"]'))
    code, out, _ = cli(capsys, "check", ".", "--format", "json", *AS_OF)
    assert code == 1
    doc = json.loads(out)
    assert [t["error"] for t in doc["trusts"]] == [None]
    assert not {"parse-error", "plugin-error"} & {f["rule"] for f in doc["findings"]}
    # the pattern that names only a directory matches no part: said once, at the pattern
    assert [f["message"] for f in doc["findings"] if f["rule"] == "reference"] == [
        "include 'parts/x.yaml' matches no file, so the parts it names were not checked; "
        "correct the pattern, or remove it if the trust has no such parts"]
    code, _, err = cli(capsys, "check", "dir.yaml", "parts/x.yaml", *AS_OF)  # directories named like files
    assert code == 2  # neither holds a trust: refused aloud, not a silent pass
    assert "directory 'dir.yaml' holds no trust" in err


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "---\n...\n", "~\n", "\ufeff"])
def test_an_empty_part_is_empty(here: Path, capsys, text: str) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: [empty.yaml]\n"})
    (here / "empty.yaml").write_text(text, encoding="utf-8")
    code, out, _ = cli(capsys, "check", ".", "--format", "json", *AS_OF)
    assert code == 0, out
    code, _, _ = cli(capsys, "check", "empty.yaml", *AS_OF)  # an empty file named alone: nothing to check
    assert code == 0


@pytest.mark.parametrize("raw, expected", [
    (b"\xef\xbb\xbfformat: 1\ntrust: {name: T}\nbogus: 1\n", [("schema", 3, 1)]),
    (b"format: 1\r\ntrust: {name: T}\r\n\r\n# c\r\nbogus: 1\r\n", [("schema", 5, 1)]),
    (b"\xef\xbb\xbfformat: 1\r\ntrust:\r\n  name: T\r\n  bogus: 1\r\n", [("schema", 4, 3)]),
    (b"format: 1\ntrust:\n  name: T\n\ttype: open-end\n", [("parse-error", 4, 1)]),
    (b"format: 1\ntrust:\n  name: T\ndocuments:\n\t- id: x\n", [("parse-error", 5, 1)]),
    (b"format: 1\r\ntrust:\r\n  name: T\r\n\r\n\tbad: 1\r\n", [("parse-error", 5, 1)]),
], ids=["bom", "crlf", "bom-crlf", "tab", "tab-list", "tab-crlf"])
def test_bom_crlf_and_tabs_give_findings_at_the_right_line(here: Path, capsys, raw: bytes,
                                                           expected: list[tuple[object, ...]]) -> None:
    (here / "trust.yaml").write_bytes(raw)
    code, out, _ = cli(capsys, "check", "trust.yaml", "--format", "json", *AS_OF)
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in findings_of(out)] == expected


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbftrust: {name: T}\nformat: 1\nbogus: 1\n",
    b"format: 1\rtrust: {name: T}\rbogus: 1\r",
    b"{format: 1, trust: {name: T}, bogus: 1}\n",
    b"  format: 1\n  trust: {name: T}\n  bogus: 1\n",
    b'format: 1\n"tr\\u0075st": {name: T}\nbogus: 1\n',
], ids=["bom-first-key", "cr-only", "flow-mapping", "indented", "escaped-key"])
@pytest.mark.parametrize("given", [".", "trust.yaml"])
def test_every_root_file_is_found(here: Path, capsys, raw: bytes, given: str) -> None:
    (here / "trust.yaml").write_bytes(raw)
    code, out, _ = cli(capsys, "check", given, "--format", "json", *AS_OF)
    assert code == 1
    assert [f["rule"] for f in findings_of(out)] == ["schema"]


def test_text_output_is_one_line_a_finding_whatever_the_data(here: Path, capsys) -> None:
    forged = "A\\nfake.yaml:1:1: error fake-rule forged\\u001b[2J\\r"
    (here / "trust.yaml").write_text(f'format: 1\ntrust: {{name: T}}\ndocuments:\n'
                                     f'  - {{id: a, kind: fee-waiver, title: "{forged}"}}\n')
    code, out, _ = cli(capsys, "check", "trust.yaml", *AS_OF)
    lines = out.splitlines()
    assert len(lines) == 3  # the finding (document-dates: no date), what it was judged by, the summary
    assert lines[1] == "trust.yaml: policy ica-1940, as of 2005-06-30"
    assert "\x1b" not in out and "\r" not in out


# --- isolation ----------------------------------------------------------------------------------------

BAD_PLUGIN = '''
from mist_check import Finding, Rule, Severity, hookimpl

def yields_junk(trust, ctx):
    yield Finding(trust.root.path, 1, 1, "yields-junk", "a real finding first", Severity.ERROR)
    yield {"rule": "yields-junk", "message": "a dict, not a Finding"}

def yields_none(trust, ctx):
    yield None

def returns_text(trust, ctx):
    return "not findings"

@hookimpl
def mist_check_rules():
    return [Rule("yields-junk", yields_junk, doc="Yields a dict."),
            Rule("yields-none", yields_none, doc="Yields None."),
            Rule("returns-text", returns_text, doc="Returns a string.")]
'''


def test_a_rule_that_yields_something_not_a_finding_is_a_plugin_error(here: Path, capsys, monkeypatch) -> None:
    write_files(here, {**FILES, "junk_rules.py": BAD_PLUGIN})
    monkeypatch.syspath_prepend(str(here))
    monkeypatch.delitem(sys.modules, "junk_rules", raising=False)
    code, out, _ = cli(capsys, "check", ".", "--plugin", "junk_rules", "--format", "json", *AS_OF)
    assert code == 1
    found = findings_of(out)
    errors = sorted(str(f["message"]) for f in found if f["rule"] == "plugin-error")
    assert len(errors) == 3
    assert "rule returns-text" in errors[0]
    assert "rule yields-junk" in errors[1] and "yielded dict, not a Finding" in errors[1]
    assert "rule yields-none" in errors[2] and "yielded NoneType, not a Finding" in errors[2]
    assert not any(f["rule"] in ("yields-junk", "yields-none", "returns-text") for f in found)
    assert {"termination-notice", "fee-cap"} <= {f["rule"] for f in found}  # the other rules ran


# Where each engine step is patched, and how it knows which trust it is working on.
_STEPS = {
    "validate": (lambda: engine, "validate", lambda args: args[0].path),
    "build_trust": (lambda: engine, "build_trust", lambda args: args[0].path),
    "check_references": (lambda: engine, "check_references", lambda args: args[0].root.path),
    "suppress": (lambda: engine.suppress, "apply", lambda args: list(args[1])[0].path),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("step", list(_STEPS))
def test_an_engine_fault_on_one_trust_fails_that_trust_and_checks_the_others(here: Path, capsys, monkeypatch,
                                                                            jobs: str, step: str) -> None:
    for name in ("a", "b", "c"):
        write_files(here, {f"{name}/{path}": text for path, text in FILES.items()})
    owner, attr, path_of = _STEPS[step]
    real = getattr(owner(), attr)

    def faulty(*args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path_of(args)).startswith("b/"):
            raise RuntimeError("injected fault")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner(), attr, faulty)
    code, out, err = cli(capsys, "check", ".", "--format", "json", "--jobs", jobs, *AS_OF)
    assert code == 2
    assert {str(f["file"]).split("/")[0] for f in findings_of(out)} == {"a", "c"}
    assert "b/trust.yaml: the checker failed on this trust: RuntimeError: injected fault" in err
    trusts = {t["root"]: t["error"] for t in json.loads(out)["trusts"]}
    assert trusts["a/trust.yaml"] is None and trusts["c/trust.yaml"] is None
    assert "injected fault" in str(trusts["b/trust.yaml"])


# --- determinism --------------------------------------------------------------------------------------

MANY = {
    **FILES,
    "parts/broken.yaml": "documents:\n  - {id: x, kind: nonsense, title: X}\nbogus: 1\n",
    "parts/dup.yaml": "documents:\n  - {id: ma, kind: fee-waiver, title: Again}\nportfolios:\n  - {id: p1}\n",
    "parts/bad.yaml": "documents: [\n",
    "other/trust.yaml": TRUST.replace("Test Trust", "Other Trust"),
    "other/parts/agreement.yaml": PART_AGREEMENT,
    "loose.yaml": "documents: []\n",
}


def _outputs(capsys, args: list[str]) -> dict[str, tuple[int, str]]:
    out = {}
    for fmt in ("json", "text", "sarif", "junit", "github"):
        code, text, err = cli(capsys, "check", *args, "--format", fmt, *AS_OF)
        out[fmt] = (code, text + err)
    return out


def test_the_same_input_prints_the_same_bytes(here: Path, capsys) -> None:
    write_files(here, MANY)
    first = _outputs(capsys, ["."])
    code, text = first["json"]
    assert code == 1 and len(findings_of(text)) >= 8
    assert _outputs(capsys, ["."]) == first
    assert _outputs(capsys, [".", "--jobs", "2"]) == first
    assert _outputs(capsys, [".", "--jobs", "1"]) == first


def test_the_order_of_paths_does_not_change_the_output(here: Path, capsys) -> None:
    write_files(here, MANY)
    expected = _outputs(capsys, ["trust.yaml", "other", "loose.yaml"])
    for args in (["other", "trust.yaml", "loose.yaml"], ["loose.yaml", "parts/plan.yaml", "other/trust.yaml"],
                 ["other/parts/agreement.yaml", "loose.yaml", "parts/bad.yaml", "trust.yaml"]):
        assert _outputs(capsys, args) == expected, args


class _Reversed:
    """``os.scandir`` with its entries in reverse order of name, usable as a context manager."""

    def __init__(self, real, path):  # type: ignore[no-untyped-def]
        with real(path) as it:
            self.entries = sorted(it, key=lambda e: e.name, reverse=True)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        return None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

    def close(self) -> None:
        return None


def test_the_order_of_files_on_disk_does_not_change_the_output(tmp_path: Path, capsys, monkeypatch) -> None:
    names = list(MANY)
    outputs = []
    for label, order in (("first", names), ("second", names[::-1])):
        root = tmp_path / label
        for name in order:  # created in opposite orders
            write_files(root, {name: MANY[name]})
        monkeypatch.chdir(root)
        outputs.append(_outputs(capsys, ["."]))
    assert outputs[0] == outputs[1]
    # and whatever order the file system lists them in
    real_listdir, real_scandir = os.listdir, os.scandir
    monkeypatch.setattr(os, "listdir", lambda path=".": sorted(real_listdir(path), reverse=True))
    monkeypatch.setattr(os, "scandir", lambda path=".": _Reversed(real_scandir, path))
    assert sorted(os.listdir(".")) == sorted(real_listdir("."))
    assert _outputs(capsys, ["."]) == outputs[0]
