"""The pre-commit hook, for real: pre-commit runs mist-check on a fund repository's commits."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from helpers import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TRUST = """\
format: 1
as_of: 2005-06-30
include: [documents/*.yaml]
trust: {name: Example Trust, type: open-end}
"""
AGREEMENT = """\
documents:
  - id: management-agreement
    kind: management-agreement
    title: Management Agreement
    dated: 2004-11-01
    provisions:
      term: {initial_until: 2005-12-31, then: "1 year", section: "9"}
      termination:
        by_fund: {notice_days: NOTICE, notice_bound: exactly, at_any_time: true, without_penalty: true,
                  written: true, by: {any_of: [trustees, shareholders]}, section: "9"}
      assignment: {terminates_automatically: true, section: "9"}
"""


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t.invalid", "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check)


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in hooks if h["id"] == "mist-check")


def test_hook_definition_loads_whole_trusts() -> None:
    hook = _hook()
    assert hook["require_serial"] is True  # batches would split a trust's files
    assert hook["types"] == ["yaml"]
    assert hook["entry"] == "mist-check check"
    assert hook["language"] == "python"


@pytest.fixture
def fund_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "funds"
    (repo / "trust" / "documents").mkdir(parents=True)
    (repo / "trust" / "trust.yaml").write_text(TRUST)
    (repo / "trust" / "documents" / "agreement.yaml").write_text(AGREEMENT.replace("NOTICE", "60"))
    _git(repo, "init", "-q")
    # The hook as .pre-commit-hooks.yaml declares it, run with this interpreter's mist-check.
    hook = {**_hook(), "language": "system", "entry": f"{sys.executable} -m mist_check check"}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return repo


def test_commits_pass_and_fail_through_the_hook(fund_repo: Path, tmp_path: Path) -> None:
    os.environ["PRE_COMMIT_HOME"] = str(tmp_path / "cache")
    _git(fund_repo, "add", "-A")
    ok = _git(fund_repo, "commit", "-m", "compliant trust", check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "mist-check" in ok.stdout + ok.stderr and "Passed" in ok.stdout + ok.stderr

    # Only the included part changes: the hook traces it to its root and checks the whole trust.
    part = fund_repo / "trust" / "documents" / "agreement.yaml"
    part.write_text(AGREEMENT.replace("NOTICE", "90"))
    _git(fund_repo, "add", "-A")
    bad = _git(fund_repo, "commit", "-m", "notice too long", check=False)
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    assert "Failed" in out
    assert "trust/documents/agreement.yaml:9:" in out  # reported in the part, where the fact is written
    assert "termination-notice" in out and "90 days' notice" in out
    assert _git(fund_repo, "log", "--oneline").stdout.count("\n") == 1


@pytest.mark.skipif(os.environ.get("MIST_CHECK_SKIP_NETWORK") == "1", reason="try-repo installs from PyPI")
def test_try_repo_installs_this_checkout(fund_repo: Path, tmp_path: Path) -> None:
    """`pre-commit try-repo` builds the hook from this checkout's .pre-commit-hooks.yaml."""
    part = fund_repo / "trust" / "documents" / "agreement.yaml"
    part.write_text(AGREEMENT.replace("NOTICE", "90"))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    run = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "mist-check",
                          "--files", "trust/documents/agreement.yaml"],
                         cwd=fund_repo, env=env, capture_output=True, text=True, timeout=600)
    out = run.stdout + run.stderr
    if "Could not" in out and "pypi" in out.lower():
        pytest.skip("no package index reachable: " + textwrap.shorten(out, 200))
    assert run.returncode == 1, out
    assert "termination-notice" in out and "agreement.yaml:9:" in out
