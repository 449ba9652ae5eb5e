"""Real paths and the paths findings print: resolved once per directory, keyed by where they lead."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from mist_check.paths import display_path, forget, real_path


@pytest.fixture(autouse=True)
def _fresh() -> None:
    forget()


def test_display_path_is_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "funds").mkdir()
    monkeypatch.chdir(tmp_path / "funds")
    assert display_path("trust.yaml") == "trust.yaml"
    assert display_path(tmp_path / "funds" / "a" / "b.yaml") == "a/b.yaml"
    assert display_path(tmp_path / "other.yaml") == (tmp_path / "other.yaml").resolve().as_posix()
    assert display_path(".") == "."


def test_a_relative_path_is_keyed_by_where_it_leads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same text in two working directories names two files (a cache keyed by the text mixed them up)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "trust.yaml").write_text("")
    monkeypatch.chdir(tmp_path / "a")
    first = real_path("trust.yaml")
    monkeypatch.chdir(tmp_path / "b")
    assert real_path("trust.yaml") != first
    assert real_path("trust.yaml") == (tmp_path / "b" / "trust.yaml").resolve()


def test_links_are_resolved(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "t.yaml").write_text("")
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "alias.yaml").symlink_to(tmp_path / "real" / "t.yaml")
    assert real_path(tmp_path / "linked" / "t.yaml") == (tmp_path / "real" / "t.yaml").resolve()
    assert real_path(tmp_path / "real" / "alias.yaml") == (tmp_path / "real" / "t.yaml").resolve()


def test_forget_drops_what_was_resolved(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "dir").symlink_to(tmp_path / "one", target_is_directory=True)
    assert real_path(tmp_path / "dir" / "x.yaml").parent == (tmp_path / "one").resolve()
    os.remove(tmp_path / "dir")
    (tmp_path / "dir").symlink_to(tmp_path / "two", target_is_directory=True)
    assert real_path(tmp_path / "dir" / "x.yaml").parent == (tmp_path / "one").resolve()  # remembered
    forget()
    assert real_path(tmp_path / "dir" / "x.yaml").parent == (tmp_path / "two").resolve()


def test_display_path_from_the_file_system_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    assert display_path("/") == "."
    assert display_path(tmp_path / "x.yaml") == (tmp_path.resolve() / "x.yaml").as_posix().lstrip("/")
