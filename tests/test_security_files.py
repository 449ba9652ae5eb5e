"""Hostile input around the YAML: the file system, discovery, includes, packs, baselines, config.

Each test is a reproduction of an attack on one surface (issue 12): it fails if the protection is
removed. Tests that could hang or exhaust memory without the protection run the checker in a child
process with a time limit and 2 GiB of address space.
"""
from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import write_files
from mist_check import files as files_module
from mist_check.cli import main

ENTRY = "--no-entry-points"
AS_OF = ("--as-of", "2005-06-30")
TRUST = "format: 1\ntrust: {name: T}\n"
PART = "documents:\n  - {id: w, kind: fee-waiver, title: W, dated: 2005-01-01}\n"
MARKER = "SECRET-MARKER-91c2"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the trust's, holding a pack whose keys must never be printed."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "secret.yaml").write_text(f"id: secret\n{MARKER}: 1\n")
    return out


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, ENTRY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def json_findings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    code, out, err = cli(capsys, *args, "--format", "json", *AS_OF)
    return code, (json.loads(out)["findings"] if out else []), err


def _bounded() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def child(*args: str, timeout: float = 90) -> tuple[int, list[dict[str, object]], str]:
    """The checker in a child process: (exit code, findings, stderr); a hang fails at ``timeout``."""
    try:
        proc = subprocess.run([sys.executable, "-m", "mist_check", *args, ENTRY, "--format", "json", *AS_OF],
                              capture_output=True, text=True, timeout=timeout, preexec_fn=_bounded)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no result after {timeout} s: the checker blocks or loops")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    found = json.loads(proc.stdout)["findings"] if proc.stdout.strip() else []
    return proc.returncode, found, proc.stderr


def rules_at(found: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(f["rule"], f["file"]) for f in found]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real path of every file a reader opens (every reader opens with ``os.open``)."""
    paths: list[str] = []
    real_open = os.open

    def record(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        paths.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", record)
    return paths


# --- reads outside the trust ---------------------------------------------------------------------

@pytest.mark.parametrize("target", ["../outside/secret.yaml", "OUTSIDE", "/etc/passwd", "/proc/self/environ",
                                    "link.yaml", "sub/../../outside/secret.yaml"])
def test_a_trust_pack_never_extends_a_file_outside_the_trust(here: Path, outside: Path, capsys, opened,
                                                             target: str) -> None:
    if target == "OUTSIDE":
        target = str(outside / "secret.yaml")
    (here / "link.yaml").symlink_to(outside / "secret.yaml")
    write_files(here, {"trust.yaml": "format: 1\npolicy: pack.yaml\ntrust: {name: T}\n",
                       "pack.yaml": f"id: local\nextends: '{target}'\n"})
    code, found, err = json_findings(capsys, "check", "trust.yaml")
    assert code == 1, err
    assert [(f["rule"], f["line"], f["pointer"]) for f in found] == [("reference", 2, "/policy")]
    assert "reaches outside the trust's directory" in str(found[0]["message"])
    assert MARKER not in json.dumps(found) + err and "unknown key" not in str(found[0]["message"])
    assert all(p.startswith(str(here)) or "/site-packages/" in p or "/checker/" in p for p in opened), opened


def test_a_pack_named_on_the_command_line_may_extend_any_file(here: Path, outside: Path, capsys) -> None:
    """The command line is trusted: only a pack the trust names is confined."""
    (outside / "base.yaml").write_text("id: base\nextends: ica-1940\n")
    write_files(here, {"trust.yaml": TRUST, "pack.yaml": "id: local\nextends: ../outside/base.yaml\n"})
    code, found, err = json_findings(capsys, "check", "trust.yaml", "--policy", "pack.yaml")
    assert code == 0 and found == [], err


def test_a_trust_pack_may_extend_a_built_in_pack_or_a_file_inside_the_trust(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": "format: 1\npolicy: packs/a.yaml\ntrust: {name: T}\n",
                       "packs/a.yaml": "id: a\nextends: b.yaml\n", "packs/b.yaml": "id: b\nextends: mist\n"})
    code, found, err = json_findings(capsys, "check", "trust.yaml")
    assert code == 0 and found == [], err


def test_an_include_through_a_link_out_is_one_finding_and_lists_nothing_behind_it(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['ext/*', 'ext/*/*.conf']\n"})
    (here / "ext").symlink_to("/etc", target_is_directory=True)
    code, found, _ = json_findings(capsys, "check", "trust.yaml")
    assert code == 1
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in found] == [
        ("reference", 3, 11, "/include/0"), ("reference", 3, 20, "/include/1")]
    for finding in found:
        assert "matches ext, a link that points outside the trust's directory" in str(finding["message"])
        assert "passwd" not in str(finding["message"]) and "/etc" not in str(finding["message"])


# --- unbounded reads and reads that block --------------------------------------------------------

def test_a_root_that_is_a_link_to_dev_zero_is_refused_unread(here: Path) -> None:
    # (a named link that leads out of the working directory is refused before anything is opened;
    # a character device met otherwise is refused by the reader: see tools/fuzz_tree.py's devices)
    (here / "trust.yaml").symlink_to("/dev/zero")
    code, found, err = child("check", "trust.yaml")
    assert code == 1, err
    assert [(f["rule"], f["file"]) for f in found] == [("parse-error", "trust.yaml")]
    assert "is a link that leads out of its directory and the working directory" in str(found[0]["message"])


def test_a_sparse_file_of_1_5_gb_beside_a_root_is_refused_unread(here: Path) -> None:
    write_files(here, {"trust.yaml": TRUST})
    with open(here / "big.yaml", "wb") as handle:
        handle.truncate(1536 * 2**20)  # sparse: no disk used
    started = time.monotonic()
    code, found, err = child("check", ".")
    assert time.monotonic() - started < 60
    assert code == 1, err
    assert rules_at(found) == [("parse-error", "big.yaml")]
    assert f"is {1536 * 2**20} bytes; the limit is 20971520" in str(found[0]["message"])


def test_a_character_device_matched_by_an_include_is_refused_unread(here: Path) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['parts/*']\n",
                       "parts/ok.yaml": PART})
    try:
        os.mknod(here / "parts" / "zero.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("making a device needs privileges")
    code, found, err = child("check", "trust.yaml")
    assert code == 1, err
    assert rules_at(found) == [("parse-error", "parts/zero.yaml")]
    assert "is a character device, not a regular file; it was not read" in str(found[0]["message"])


@pytest.mark.parametrize("where", ["include", "search", "named"])
def test_a_fifo_never_blocks(here: Path, where: str) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['parts/*']\n",
                       "parts/ok.yaml": PART})
    fifo = here / ("parts/pipe.yaml" if where == "include" else "pipe.yaml")
    os.mkfifo(fifo)
    code, found, err = child("check", {"include": "trust.yaml", "search": ".", "named": "pipe.yaml"}[where])
    assert code == 1, err
    assert rules_at(found) == [("parse-error", fifo.relative_to(here).as_posix())]
    assert "is a FIFO, not a regular file; it was not read" in str(found[0]["message"])


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "big", "directory"])
def test_a_baseline_is_read_as_a_bounded_regular_file(here: Path, kind: str) -> None:
    write_files(here, {"trust.yaml": TRUST})
    baseline = {"dev-zero": "/dev/zero", "fifo": "base.json", "big": "base.json", "directory": "dir"}[kind]
    if kind == "fifo":
        os.mkfifo(here / baseline)
    elif kind == "big":
        with open(here / baseline, "wb") as handle:
            handle.truncate(400 * 2**20)
    elif kind == "directory":
        (here / baseline).mkdir()
    code, found, err = child("check", "trust.yaml", "--baseline", baseline)
    assert code == 2 and found == []
    assert err.count("\n") == 1 and err.startswith(f"mist-check: error: baseline {baseline} cannot be read: it is ")


def test_a_sparse_pack_of_400_mb_is_refused_unread(here: Path) -> None:
    write_files(here, {"trust.yaml": "format: 1\npolicy: pack.yaml\ntrust: {name: T}\n"})
    with open(here / "pack.yaml", "wb") as handle:
        handle.truncate(400 * 2**20)
    code, found, err = child("check", "trust.yaml")
    assert code == 1, err
    assert [(f["rule"], f["pointer"]) for f in found] == [("reference", "/policy")]
    assert f"is {400 * 2**20} bytes; the limit is 20971520" in str(found[0]["message"])
    code, found, err = child("check", "trust.yaml", "--policy", "pack.yaml")
    assert code == 2 and "the limit is 20971520" in err


@pytest.mark.parametrize("reader", ["root", "part", "pack", "baseline", "pyproject"])
def test_every_reader_honours_max_file_bytes(here: Path, capsys, reader: str) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: [part.yaml]\n", "part.yaml": PART,
                       "pack.yaml": "id: local\nextends: ica-1940\n" + "# padding\n" * 40})
    if reader == "pyproject":
        (here / "pyproject.toml").write_text("[tool.mist-check]\nfail-on = 'error'\n" + "# padding\n" * 40)
    (here / "base.json").write_text(json.dumps({"mist-check-baseline": 1, "findings": {}}) + " " * 500)
    args = {"pack": ["--policy", "pack.yaml"], "baseline": ["--baseline", "base.json"]}.get(reader, [])
    limit = {"root": "40", "part": "60"}.get(reader, "200")
    code, out, err = cli(capsys, "check", "trust.yaml", *args, "--format", "json", *AS_OF)
    assert code == 0, err  # within the default limit
    code, out, err = cli(capsys, "check", "trust.yaml", *args, "--max-file-bytes", limit, "--format", "json",
                         *AS_OF)
    if reader in ("root", "part"):
        assert code == 1
        assert rules_at(json.loads(out)["findings"]) == [("parse-error", f"{reader.replace('root', 'trust')}.yaml")]
    else:
        assert code == 2 and f"the limit is {limit} (raise it with --max-file-bytes)" in err


# --- pack values ----------------------------------------------------------------------------------

PACK_WITH = "id: local\nextends: ica-1940\nparameters:\n  board_majority_more_than: {{value: {value}, reference: x}}\n"


@pytest.mark.parametrize("value, why", [
    ('"1e999999999"', "is out of range: at most 100 digits"), ('"NaN"', "is not a finite number"),
    ('"Infinity"', "is not a finite number"), ('"-inf"', "is not a finite number"),
    ("1.0e999", "is not a finite number"), (f'"0.{"0" * 200}1"', "is out of range"),
])
def test_a_pack_value_no_rule_can_use_fails_when_the_pack_is_read(here: Path, capsys, value: str, why: str) -> None:
    write_files(here, {"trust.yaml": "format: 1\npolicy: pack.yaml\ntrust: {name: T}\n",
                       "pack.yaml": PACK_WITH.format(value=value)})
    started = time.monotonic()
    code, found, err = json_findings(capsys, "check", "trust.yaml")
    assert time.monotonic() - started < 10
    assert code == 1, err
    assert [(f["rule"], f["pointer"]) for f in found] == [("reference", "/policy")]
    assert "parameter 'board_majority_more_than'" in str(found[0]["message"]) and why in str(found[0]["message"])
    code, found, err = json_findings(capsys, "check", "trust.yaml", "--policy", "pack.yaml")
    assert code == 2 and why in err and "plugin-error" not in err


def test_a_period_of_five_thousand_digits_is_a_schema_finding(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": TRUST + (
        "documents:\n  - id: ma\n    kind: management-agreement\n    title: MA\n    dated: 2004-11-01\n"
        f"    provisions:\n      term: {{initial_until: 2005-12-31, then: '{'9' * 5000} years', section: '1'}}\n")})
    code, found, _ = json_findings(capsys, "check", "trust.yaml", "--select", "schema,annual-continuance")
    assert code == 1
    assert [(f["rule"], f["line"]) for f in found] == [("schema", 9)]
    assert "expected a period" in str(found[0]["message"])


# --- what pathlib and recursion used to raise -----------------------------------------------------

@pytest.mark.parametrize("pattern", [".", "./", "./.", "**", "**/", "./*.yaml", "sub/./*.yaml"])
def test_include_patterns_pathlib_raised_on(here: Path, capsys, pattern: str) -> None:
    write_files(here, {"trust.yaml": f"format: 1\ntrust: {{name: T}}\ninclude: ['{pattern}']\n",
                       "a.yaml": PART, "sub/a.yaml": PART.replace("id: w", "id: v")})
    code, out, err = cli(capsys, "check", "trust.yaml", "--format", "json", *AS_OF)
    assert code in (0, 1), err
    assert "failed on this trust" not in err


def test_a_double_star_over_a_thousand_nested_directories(here: Path, capsys) -> None:
    deep = str(here)
    for _ in range(1000):  # (Path.mkdir(parents=True) recurses a level a directory)
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    deep = Path(deep)
    (deep / "part.yaml").write_text("portfolios:\n  - {id: p1, classes: {A: {distribution_fee: 5}}}\n")
    (here / "trust.yaml").write_text("format: 1\ntrust: {name: T}\ninclude: ['**/*.yaml']\n")
    try:
        code, found, err = json_findings(capsys, "check", "trust.yaml", "--select", "schema")
        assert code == 1, err
        assert [(f["rule"], str(f["file"]).count("/")) for f in found] == [("schema", 1000)]
    finally:  # (pytest's clean-up, shutil.rmtree, recurses a level a directory)
        (deep / "part.yaml").unlink()
        for directory in [deep, *deep.parents][:1000]:
            directory.rmdir()


def test_max_depth_is_bounded_where_the_checker_can_follow(here: Path, capsys) -> None:
    (here / "trust.yaml").write_text(TRUST + "x_deep: " + "[" * 500 + "]" * 500 + "\n")
    code, _, err = cli(capsys, "check", "trust.yaml", "--max-depth", "2000")
    assert code == 2 and "--max-depth must be at most 256" in err
    code, found, err = json_findings(capsys, "check", "trust.yaml", "--max-depth", "256")
    assert code == 1 and [f["rule"] for f in found] == ["parse-error"]
    assert "nested more than 256 levels deep" in str(found[0]["message"])


@pytest.mark.parametrize("text, words", [
    ('{"mist-check-baseline": 1, "findings": {"a": 5}}', "the entry 'a' is not a finding"),
    ('{"mist-check-baseline": 1, "findings": {"a": {"rule": "x", "file": ["t.yaml"]}}}', "is not a finding"),
    ('{"mist-check-baseline": 1, "findings": {"a": {"rule": {"x": 1}}}}', "is not a finding"),
    ('{"mist-check-baseline": 1, "findings": ' + "[" * 200_000 + "]" * 200_000 + "}", "nests too deeply"),
    ('{"mist-check-baseline": 1, "findings": {}}\xff', "cannot be read"),
])
def test_a_baseline_of_the_wrong_shape_is_one_line(here: Path, capsys, text: str, words: str) -> None:
    write_files(here, {"trust.yaml": TRUST})
    (here / "base.json").write_bytes(text.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff"))
    code, out, err = cli(capsys, "check", "trust.yaml", "--baseline", "base.json")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert words in err and err.startswith("mist-check: error: baseline base.json")


@pytest.mark.parametrize("text, words", [
    ("[tool]\nmist-check = 5\n", "[tool.mist-check] must be a table of settings, not a int"),
    ("[[tool.mist-check]]\npolicy = 'mist'\n", "must be a table of settings, not an array of tables"),
    ("tool = 5\n[x]\nmist-check = 1\n", None),
    ("[tool.mist-check]\nx = " + "[" * 3000 + "]" * 3000 + "\n", "cannot be read: it nests too deeply"),
])
def test_a_pyproject_table_of_the_wrong_shape_is_one_line(here: Path, capsys, text: str, words: str | None) -> None:
    write_files(here, {"trust.yaml": TRUST})
    (here / "pyproject.toml").write_text(text)
    code, out, err = cli(capsys, "check", "trust.yaml", *AS_OF)
    if words is None:  # `tool` is not a table: no settings of ours
        assert code == 0, err
        return
    assert code == 2 and err.count("\n") == 1 and words in err


@pytest.mark.parametrize("named", ["trust", "command-line"])
def test_a_chain_of_a_thousand_packs(here: Path, capsys, named: str) -> None:
    for index in range(1000):
        parent = f"p{index + 1}.yaml" if index < 999 else "ica-1940"
        (here / f"p{index}.yaml").write_text(f"id: p{index}\nextends: {parent}\n")
    if named == "trust":
        (here / "trust.yaml").write_text("format: 1\npolicy: p0.yaml\ntrust: {name: T}\n")
        code, found, err = json_findings(capsys, "check", "trust.yaml")
    else:
        (here / "trust.yaml").write_text(TRUST)
        code, found, err = json_findings(capsys, "check", "trust.yaml", "--policy", "p0.yaml")
    assert code == 0 and found == [], err


def test_an_extends_cycle_is_one_line(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": TRUST, "a.yaml": "id: a\nextends: b.yaml\n", "b.yaml": "id: b\nextends: a.yaml\n"})
    code, _, err = cli(capsys, "check", "trust.yaml", "--policy", "a.yaml")
    assert code == 2 and "extends itself through a -> b" in err


# --- nothing named or found is skipped in silence ------------------------------------------------

HIDDEN = "{format: 1, trust: {name: T}, x: [}\n"


@pytest.mark.parametrize("raw, words", [
    (TRUST.encode("utf-16"), "is UTF-16, not UTF-8"), (TRUST.encode("utf-32"), "is UTF-32, not UTF-8"),
    (HIDDEN.encode(), "invalid YAML"), (b"format: 1\ntrust: {name: T\n", "invalid YAML"),
    (b"\x00t\x00r\x00u\x00s\x00t\x00:", "invalid YAML"),
])
@pytest.mark.parametrize("given", ["trust.yaml", "."])
def test_a_root_that_cannot_be_parsed_is_reported_not_skipped(here: Path, capsys, raw: bytes, words: str,
                                                              given: str) -> None:
    (here / "trust.yaml").write_bytes(raw)
    code, found, err = json_findings(capsys, "check", given)
    assert code == 1, err
    assert rules_at(found) == [("parse-error", "trust.yaml")]
    assert words in str(found[0]["message"])


def test_an_unparsable_part_named_on_the_command_line_is_reported_by_its_trust(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: [parts/*.yaml]\n",
                       "parts/a.yaml": "{documents: [}\n", "parts/b.yaml": PART})
    code, found, _ = json_findings(capsys, "check", "parts/a.yaml")
    assert code == 1
    assert rules_at(found) == [("parse-error", "parts/a.yaml")]


@pytest.mark.parametrize("name, text", [
    (".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks: []\n"),
    ("mkdocs.yml", "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                   "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"),
    ("ci.yml", "job:\n  script: !reference [.setup, script]\n"),
    ("k8s.yaml", "kind: Service\n---\nkind: Deployment\n"),
    ("empty.yaml", ""),
])
def test_yaml_that_parses_and_is_no_trust_is_skipped_quietly(here: Path, capsys, name: str, text: str) -> None:
    """pre-commit passes every YAML file of a repository: only what holds no trust data is skipped."""
    write_files(here, {"trust.yaml": TRUST, name: text})
    code, found, err = json_findings(capsys, "check", "trust.yaml", name)
    assert code == 0 and found == [], err
    code, found, err = json_findings(capsys, "check", ".")
    assert code == 0 and found == [], err


def test_a_stream_of_documents_one_of_which_is_a_root_is_reported(here: Path, capsys) -> None:
    (here / "trust.yaml").write_text("kind: x\n---\n" + TRUST)
    code, found, _ = json_findings(capsys, "check", ".")
    assert code == 1 and rules_at(found) == [("parse-error", "trust.yaml")]


def _deny_listing(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """What listing a mode-000 directory does for a user that is not root (the suite also runs as root)."""
    real_scandir, denied = os.scandir, os.path.realpath(directory)

    def scandir(path="."):  # type: ignore[no-untyped-def]
        if os.path.realpath(path) == denied:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_directory_under_an_include_is_reported(here: Path, capsys, monkeypatch) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['parts/**/*.yaml']\n",
                       "parts/a.yaml": PART, "parts/locked/b.yaml": PART.replace("id: w", "id: v")})
    _deny_listing(monkeypatch, here / "parts" / "locked")
    code, found, _ = json_findings(capsys, "check", "trust.yaml")
    assert code == 1
    assert [(f["rule"], f["pointer"]) for f in found] == [("reference", "/include/0")]
    assert "the directory parts/locked cannot be read (Permission denied)" in str(found[0]["message"])


def test_an_unreadable_directory_under_a_searched_one_is_reported(here: Path, capsys, monkeypatch) -> None:
    write_files(here, {"a/trust.yaml": TRUST, "b/trust.yaml": TRUST})
    _deny_listing(monkeypatch, here / "b")
    code, found, _ = json_findings(capsys, "check", ".")
    assert code == 1
    assert rules_at(found) == [("parse-error", "b")]
    assert "cannot be searched (Permission denied)" in str(found[0]["message"])


def test_read_limited_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    for path, words in ((tmp_path / "fifo", "is a FIFO"), ("/dev/null", "is a character device"),
                        (tmp_path, "is a directory"), (tmp_path / "missing", "cannot be read")):
        with pytest.raises(files_module.Unreadable, match=words):
            files_module.read_limited(path, 100)
    (tmp_path / "f").write_bytes(b"x" * 101)
    with pytest.raises(files_module.Unreadable, match="is 101 bytes; the limit is 100"):
        files_module.read_limited(tmp_path / "f", 100)
    assert files_module.read_limited(tmp_path / "f", 101) == b"x" * 101
    assert len(files_module.read_limited("/proc/self/status", 10**6)) > 0  # size 0 on disk, read to the end
