"""Discovery: directories are searched for trust roots; a part is traced to its root; includes stay
inside the trust's directory."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import summary, write_files

from mist_check.discover import expand_includes, find_roots, is_root, trace_root, yaml_files
from mist_check.errors import UsageError
from mist_check.loader import load_file

ROOT = """\
format: 1
trust:
  name: T
include:
  - parts/*.yaml
"""

PORTFOLIOS = """\
portfolios:
  - id: growth
    management_fee: 0.5
"""


def _parts_of(root: Path) -> tuple[list[Path], list[tuple[int, str]]]:
    from mist_check.discover import include_patterns

    return expand_includes(root, include_patterns(load_file(root).data))


@pytest.mark.parametrize(("text", "root"), [
    ("format: 1\ntrust:\n  name: T\n", True),
    ('"trust": {name: T}\n', True),
    ("trust : {name: T}\n", True),
    ("portfolios: []\n", False),
    ("documents:\n  - trust: x\n", False),   # not a top-level key
    ("# trust: commented\nportfolios: []\n", False),
])
def test_is_root_looks_for_a_top_level_trust_key(tmp_path: Path, text: str, root: bool) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text)
    assert is_root(path) is root


def test_a_directory_is_searched_for_roots(run_files) -> None:
    result = run_files({
        "funds/a/trust.yaml": ROOT,
        "funds/a/parts/portfolios.yaml": PORTFOLIOS,
        "funds/b/root.yml": "format: 1\ntrust: {name: B}\nportfolios:\n  - {id: x, oops: 1}\n",
        "notes/readme.yaml": "title: not a trust\n",
        ".git/config.yaml": "trust: {name: ignored}\n",
        ".venv/lib/trust.yaml": "trust: {name: ignored}\n",
    }, select=("schema",))
    assert [t.root for t in result.trusts] == ["funds/a/trust.yaml", "funds/b/root.yml"]
    assert [t.name for t in result.trusts] == ["T", "B"]
    assert [(f.file, f.rule, f.line, f.column) for f in result.findings] == [
        ("funds/a/parts/portfolios.yaml", "schema", 3, 21),
        ("funds/b/root.yml", "schema", 4, 13),
    ]


def test_a_part_given_alone_is_traced_to_its_root(run_files) -> None:
    result = run_files({"trust.yaml": ROOT, "parts/portfolios.yaml": PORTFOLIOS,
                        "parts/documents.yaml": "documents: []\n"},
                       paths=["parts/portfolios.yaml"], select=("schema",))
    assert [t.root for t in result.trusts] == ["trust.yaml"]
    assert sorted(result.trusts[0].files) == ["parts/documents.yaml", "parts/portfolios.yaml", "trust.yaml"]
    assert [(f.file, f.line, f.column) for f in result.findings] == [("parts/portfolios.yaml", 3, 21)]


def test_a_trust_named_by_root_and_parts_is_checked_once(run_files) -> None:
    result = run_files({"trust.yaml": ROOT, "parts/portfolios.yaml": PORTFOLIOS,
                        "parts/documents.yaml": "documents: []\n"},
                       paths=["parts/portfolios.yaml", "trust.yaml", "parts/documents.yaml", "."],
                       select=("schema",))
    assert [t.root for t in result.trusts] == ["trust.yaml"]
    assert summary(result.findings) == [("schema", 3, 21)]


def test_a_directory_of_parts_is_traced_to_its_root(run_files) -> None:
    result = run_files({"trust.yaml": ROOT, "parts/portfolios.yaml": PORTFOLIOS},
                       paths=["parts"], select=("schema",))
    assert [t.root for t in result.trusts] == ["trust.yaml"]
    assert summary(result.findings) == [("schema", 3, 21)]


def test_the_nearest_root_above_wins(run_files) -> None:
    result = run_files({
        "trust.yaml": "format: 1\ntrust: {name: Outer}\ninclude: ['**/*.yaml']\n",
        "inner/trust.yaml": "format: 1\ntrust: {name: Inner}\ninclude: [parts/*.yaml]\n",
        "inner/parts/p.yaml": PORTFOLIOS,
    }, paths=["inner/parts/p.yaml"], select=("schema",))
    assert [t.name for t in result.trusts] == ["Inner"]


def test_a_finding_in_a_part_is_reported_at_the_part(check) -> None:
    findings = check({
        "trust.yaml": ROOT,
        "parts/a.yaml": "documents:\n  - id: mgmt\n    kind: management-agreement\n    title: M\n"
                        "    dated: 2004-11-01\n    fee_schedule: {growth: '0.10%', ghost: '0.10%'}\n",
        "parts/b.yaml": "portfolios:\n  - id: growth\n",
    }, select=("schema",))
    assert [(f.file, f.rule, f.line, f.column) for f in findings] == [("parts/a.yaml", "reference", 6, 37)]


@pytest.mark.parametrize("pattern", ["../outside/x.yaml", "../outside/*.yaml", "parts/../../outside/x.yaml",
                                     "ABSOLUTE"])
def test_include_outside_the_trust_is_refused_and_not_read(run_files, tmp_path: Path, pattern: str) -> None:
    if pattern == "ABSOLUTE":
        pattern = str(tmp_path / "outside" / "x.yaml")
    result = run_files({
        "trust/trust.yaml": f"format: 1\ntrust: {{name: T}}\ninclude:\n  - parts/*.yaml\n  - '{pattern}'\n",
        "trust/parts/p.yaml": "portfolios:\n  - id: growth\n",
        "outside/x.yaml": "portfolios:\n  - {id: SECRET, bad: 1}\n",
    }, paths=["trust"])
    assert [(f.file, f.rule, f.line, f.column) for f in result.findings] == [
        ("trust/trust.yaml", "reference", 5, 5)]
    assert "reaches outside the trust's directory" in result.findings[0].message
    assert "outside/x.yaml" not in result.files
    assert result.trusts[0].files == ["trust/trust.yaml", "trust/parts/p.yaml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_include_through_a_link_outside_is_refused(run_files, tmp_path: Path) -> None:
    write_files(tmp_path, {"outside/x.yaml": "portfolios:\n  - {id: SECRET, bad: 1}\n"})
    (tmp_path / "trust").mkdir()
    try:
        (tmp_path / "trust" / "linked.yaml").symlink_to(tmp_path / "outside" / "x.yaml")
    except OSError:
        pytest.skip("cannot create symlinks here")
    result = run_files({"trust/trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['*.yaml']\n"},
                       paths=["trust"])
    assert [(f.file, f.rule, f.line, f.column) for f in result.findings] == [
        ("trust/trust.yaml", "reference", 3, 11)]
    assert "points outside" in result.findings[0].message


def test_expand_includes_refuses_and_keeps_order(tmp_path: Path) -> None:
    write_files(tmp_path, {"t/trust.yaml": ROOT, "t/parts/b.yaml": "portfolios: []\n",
                           "t/parts/a.yaml": "documents: []\n", "t/parts/sub/c.yaml": "reports: []\n"})
    root = tmp_path / "t" / "trust.yaml"
    parts, refused = expand_includes(root, ["parts/*.yaml", "/etc/passwd", "../x.yaml", "trust.yaml",
                                            "parts/**/*.yaml"])
    assert [p.relative_to(tmp_path / "t").as_posix() for p in parts] == [
        "parts/a.yaml", "parts/b.yaml", "parts/sub/c.yaml"]  # the root itself is not its own part
    assert [index for index, _ in refused] == [1, 2]


def test_a_part_no_root_includes_given_alone(run_files) -> None:
    result = run_files({"trust.yaml": ROOT, "other/stray.yaml": PORTFOLIOS}, paths=["other/stray.yaml"])
    assert [(f.file, f.rule, f.line, f.column) for f in result.findings] == [
        ("other/stray.yaml", "reference", 1, 1)]
    assert "no trust root" in result.findings[0].message
    assert result.trusts == []


def test_a_part_no_root_includes_in_a_searched_directory(run_files) -> None:
    result = run_files({"trust.yaml": ROOT, "parts/p.yaml": "portfolios: []\n",
                        "stray/orphan.yaml": PORTFOLIOS, "stray/config.yaml": "name: not trust data\n"},
                       select=("schema",))
    assert [(f.file, f.rule, f.line, f.column) for f in result.findings] == [
        ("stray/orphan.yaml", "reference", 1, 1)]


def test_a_yaml_file_that_is_not_trust_data_given_alone_is_ignored(run_files) -> None:
    result = run_files({"trust.yaml": ROOT, "ci.yaml": "jobs: {}\n"}, paths=["ci.yaml"])
    assert result.findings == [] and result.trusts == []


def test_two_roots_in_one_tree_are_both_checked(run_files) -> None:
    result = run_files({
        "trust.yaml": "format: 1\ntrust: {name: Outer}\nportfolios:\n  - {id: a, x: 1}\n",
        "sub/trust.yaml": "format: 1\ntrust: {name: Inner}\nportfolios:\n  - {id: b, y: 1}\n",
    }, select=("schema",))
    assert sorted(t.name for t in result.trusts) == ["Inner", "Outer"]
    assert [(f.file, f.line, f.column) for f in result.findings] == [("sub/trust.yaml", 4, 13),
                                                                     ("trust.yaml", 4, 13)]


def test_a_root_matched_by_another_roots_glob_is_not_merged_into_it(run_files) -> None:
    result = run_files({
        "trust.yaml": "format: 1\ntrust: {name: Outer}\ninclude: ['**/*.yaml']\n",
        "sub/trust.yaml": "format: 1\ntrust: {name: Inner}\nportfolios:\n  - {id: b, y: 1}\n",
    }, select=("schema",))
    assert sorted(t.name for t in result.trusts) == ["Inner", "Outer"]
    assert [(f.file, f.line, f.column) for f in result.findings] == [("sub/trust.yaml", 4, 13)]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        find_roots([str(tmp_path / "nope")], _parts_of)


def test_yaml_files_skips_hidden_and_tool_folders(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.yaml": "", "b.yml": "", "c.json": "", "sub/d.yaml": "", ".hidden/e.yaml": "",
                           "node_modules/f.yaml": "", "venv/g.yaml": ""})
    assert [p.relative_to(tmp_path).as_posix() for p in yaml_files(tmp_path)] == ["a.yaml", "b.yml", "sub/d.yaml"]


def test_trace_root_stops_at_the_repository_top(tmp_path: Path) -> None:
    write_files(tmp_path, {"trust.yaml": "format: 1\ntrust: {name: T}\ninclude: ['**/*.yaml']\n",
                           "repo/.git/HEAD.yaml": "", "repo/sub/p.yaml": PORTFOLIOS})
    assert trace_root(tmp_path / "repo" / "sub" / "p.yaml", _parts_of) is None
    write_files(tmp_path, {"other/sub/p.yaml": PORTFOLIOS})
    assert trace_root(tmp_path / "other" / "sub" / "p.yaml", _parts_of) == tmp_path / "trust.yaml"


@pytest.mark.parametrize("jobs", [1, 2])
def test_parts_are_settled_after_the_trusts_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        jobs: int) -> None:
    # Searched directories: the parts each checked trust included are not orphans, whichever
    # process checked it; a part whose root lies above the searched directory brings that root in,
    # sorted among the others; a part no root includes is a finding.
    from mist_check.engine import Options, run

    write_files(tmp_path, {
        "a/trust.yaml": ROOT, "a/parts/portfolios.yaml": PORTFOLIOS,
        "funds/b/trust.yaml": ROOT, "funds/b/parts/portfolios.yaml": PORTFOLIOS,
        "funds/c/trust.yaml": ROOT, "funds/c/parts/portfolios.yaml": PORTFOLIOS,
        "funds/stray/orphan.yaml": PORTFOLIOS,
        "z/trust.yaml": ROOT, "z/parts/portfolios.yaml": PORTFOLIOS,
    })
    monkeypatch.chdir(tmp_path)
    result = run(Options(paths=["funds", "a/parts"], policy="ica-1940", select=("schema", "reference"),
                         entry_points=False, jobs=jobs))
    assert [t.root for t in result.trusts] == ["a/trust.yaml", "funds/b/trust.yaml", "funds/c/trust.yaml"]
    assert [(f.file, f.rule) for f in result.findings if f.rule == "reference"] == [
        ("funds/stray/orphan.yaml", "reference")]
    assert {f.file for f in result.findings if f.rule == "schema"} == {
        "a/parts/portfolios.yaml", "funds/b/parts/portfolios.yaml", "funds/c/parts/portfolios.yaml"}


AUDIT = """
import os, sys
seen = []
def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
        seen.append(os.path.realpath(os.fsdecode(args[0])))
sys.addaudithook(hook)
from mist_check.cli import main
code = main(sys.argv[1:])
print("\\n".join(seen), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
def test_tracing_a_part_to_its_root_reads_no_link_that_leaves_the_directory(tmp_path: Path) -> None:
    # found by `tools/fuzz.py --mode tree`: looking for the root of a named part, every YAML file
    # beside it was opened, links to /proc/self/environ and outside the trust included
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("format: 1\ntrust: {name: SECRET}\n")
    trust = tmp_path / "trust"
    (trust / "parts").mkdir(parents=True)
    (trust / "trust.yaml").write_text('format: 1\ntrust: {name: T}\ninclude: ["parts/*.yaml"]\n')
    (trust / "parts" / "agreement.yaml").write_text("documents: []\n")
    os.symlink(outside / "secret.yaml", trust / "parts" / "secret.yaml")
    os.symlink(outside / "secret.yaml", trust / "root-link.yaml")
    proc = subprocess.run([sys.executable, "-c", AUDIT, "check", "parts/agreement.yaml", "--no-entry-points"],
                          cwd=trust, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr  # the links are reference findings
    opened = proc.stderr.splitlines()
    assert str(outside / "secret.yaml") not in opened
    assert "SECRET" not in proc.stdout


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
def test_a_named_link_is_traced_from_where_it_is_named(tmp_path: Path) -> None:
    # found by the tree fuzz: `check trust.yaml` with trust.yaml -> /dev/zero listed /dev and /; a
    # named part that is a link is looked for in the directories above its name, not above its target
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.yaml").write_text("format: 1\ntrust: {name: SECRET}\ninclude: ['dir/*.yaml']\n")
    (outside / "dir" / "part.yaml").write_text("documents: []\n")
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "trust.yaml").write_text('format: 1\ntrust: {name: T}\ninclude: ["parts/*.yaml"]\n')
    os.symlink(outside / "dir" / "part.yaml", trust / "notes.yaml")
    proc = subprocess.run([sys.executable, "-c", AUDIT, "check", "notes.yaml", "--no-entry-points"],
                          cwd=trust, capture_output=True, text=True, timeout=120)
    seen = proc.stderr.splitlines()
    assert str(outside) not in seen and str(outside / "dir") not in seen, seen
    assert str(outside / "secret.yaml") not in seen
    assert "SECRET" not in proc.stdout


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
@pytest.mark.parametrize("name", ["trust.yaml", "ext"])
def test_a_named_link_that_leads_out_of_the_working_directory_is_refused_unread(tmp_path: Path, name: str) -> None:
    # found by the tree fuzz: `check trust.yaml` with trust.yaml -> ../outside/secret.yaml printed the
    # secret's keys in schema messages
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("format: 1\ntrust: {name: T}\nSECRET_KEY: 1\n")
    trust = tmp_path / "trust"
    trust.mkdir()
    os.symlink(outside / "secret.yaml" if name == "trust.yaml" else outside, trust / name)
    proc = subprocess.run([sys.executable, "-c", AUDIT, "check", name, "--no-entry-points", "--format", "json"],
                          cwd=trust, capture_output=True, text=True, timeout=120)
    seen = proc.stderr.splitlines()
    assert str(outside / "secret.yaml") not in seen and str(outside) not in seen
    assert "SECRET" not in proc.stdout
    found = __import__("json").loads(proc.stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in found] == [(name, "parse-error")]
    assert proc.returncode == 1


def test_a_named_link_inside_the_working_directory_is_followed(tmp_path: Path, monkeypatch) -> None:
    if not hasattr(os, "symlink") or sys.platform == "win32":
        pytest.skip("POSIX links")
    (tmp_path / "funds").mkdir()
    (tmp_path / "funds" / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n")
    os.symlink(tmp_path / "funds" / "trust.yaml", tmp_path / "current.yaml")
    monkeypatch.chdir(tmp_path)
    search = find_roots(["current.yaml"], lambda root: ([], []))
    assert [p.name for p in search.roots] == ["trust.yaml"] and search.orphans == []


@pytest.mark.parametrize(("pattern", "hint"), [
    ("docs/*.yml", "did you mean 'docs/*.yaml'?"),
    ("docs/agreement.yml", "did you mean 'docs/agreement.yaml'?"),
    ("papers/*.yaml", "correct the pattern, or remove it if the trust has no such parts"),
])
def test_an_include_that_matches_no_file_is_an_error_at_the_pattern(run_files, pattern: str, hint: str) -> None:
    # the root checked alone (as pre-commit checks a changed root) must not pass on its own facts
    result = run_files({"trust.yaml": f"format: 1\ntrust: {{name: T}}\ninclude: [{pattern!r}]\n",
                        "docs/agreement.yaml": PORTFOLIOS}, paths=["trust.yaml"])
    found = [(f.rule, f.line, f.message) for f in result.findings]
    assert found == [("reference", 3, f"include {pattern!r} matches no file, so the parts it names were not "
                                      f"checked; {hint}")]


def test_a_named_directory_that_holds_no_trust_is_refused_aloud(tmp_path: Path, monkeypatch, capsys) -> None:
    from mist_check.cli import main

    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"empty/README.md": "no trust here\n", "other/config.yaml": "key: value\n"})
    for name in ("empty", "other"):
        assert main(["check", name, "--no-entry-points"]) == 2
        err = capsys.readouterr().err
        assert err == (f"mist-check: error: directory {name!r} holds no trust (no YAML file with a top-level "
                       "'trust:' key); name the trust's directory or its root file\n")
