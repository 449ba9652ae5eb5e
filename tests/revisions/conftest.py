"""Real git repositories in temporary folders, and the command line run inside them."""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from mist_check.cli import main

REPO = Path(__file__).resolve().parents[2]


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def commit(self, message: str) -> str:
        self("add", "-A")
        self("commit", "-q", "-m", message)
        return self("rev-parse", "HEAD")

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    root = tmp_path / "funds"
    root.mkdir()
    git = Git(root)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "officer@example.invalid")
    git("config", "user.name", "Compliance Officer")
    git("config", "commit.gpgsign", "false")
    return git


@pytest.fixture
def mist_repo(repo: Git) -> Git:
    """The bundled MIST trust, committed as ``mist/`` on main."""
    shutil.copytree(REPO / "fixtures" / "mist", repo.root / "mist")
    repo.commit("the MIST trust")
    return repo


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(git_or_dir, "check", ...) -> (exit code, stdout, stderr)`` with the directory as cwd."""
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def _run(where: Git | Path, *argv: str) -> tuple[int, str, str]:
        monkeypatch.chdir(where.root if isinstance(where, Git) else where)
        capsys.readouterr()
        code = main([*argv, "--no-entry-points"])
        out, err = capsys.readouterr()
        return code, out, err

    return _run
