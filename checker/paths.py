"""Real paths and the paths findings print, resolved once per directory (an audit reads thousands
of files in a few hundred directories)."""
from __future__ import annotations

import os
from pathlib import Path

_REAL_DIRS: dict[str, str] = {}  # directory -> its real path
_REAL_FILES: dict[str, str] = {}  # file (not a link) -> its real path


def forget() -> None:
    """Drop what is known (a new search: the file system may have changed since the last one)."""
    _REAL_DIRS.clear()
    _REAL_FILES.clear()


def real_path(path: Path | str) -> Path:
    """``path.resolve()``, faster for the many files of one directory: a file that is not itself a
    link is its directory's real path plus its name (the directory is resolved once)."""
    return Path(real_text(path))


def real_text(path: Path | str) -> str:
    """``real_path`` as a string (no ``Path`` object for a file that is only compared)."""
    text = os.path.abspath(path)  # (a relative path is keyed by where it leads from here)
    known = _REAL_FILES.get(text)
    if known is not None:
        return known
    if os.path.islink(text):
        return str(Path(text).resolve())  # (raises RuntimeError on a link loop, as callers expect)
    head, tail = os.path.split(text)
    real = _REAL_FILES[text] = os.path.join(_real_dir(head), tail)
    return real


def _real_dir(directory: str) -> str:
    real = _REAL_DIRS.get(directory)
    if real is None:
        real = _REAL_DIRS[directory] = os.path.realpath(directory)
    return real


def display_path(path: Path | str) -> str:
    """The path as findings print it: relative to the working directory when under it, with '/'."""
    real, cwd = real_text(path), _real_dir(os.getcwd())
    if os.sep != "/":
        real, cwd = real.replace(os.sep, "/"), cwd.replace(os.sep, "/")
    if real == cwd:
        return "."
    prefix = cwd if cwd.endswith("/") else cwd + "/"  # ("/" itself, or a drive's root)
    return real[len(prefix):] if real.startswith(prefix) else real
