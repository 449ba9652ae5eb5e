"""Paths -> trust roots: directories are searched for roots, a part file is traced to its root."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import UsageError
from .findings import Finding, Severity
from .loader import display_path

SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
_ROOT_KEY = re.compile(rb"^(?:trust|\"trust\"|'trust')[ \t]*:", re.MULTILINE)
_PART_KEY = re.compile(rb"^(?:portfolios|documents|meetings|shareholder_votes|reports|trustees)[ \t]*:",
                       re.MULTILINE)


def is_root(path: Path) -> bool:
    """A root file has the top-level key ``trust`` (a cheap test: no YAML is parsed)."""
    try:
        with path.open("rb") as fh:
            return _ROOT_KEY.search(fh.read()) is not None
    except OSError:
        return False


def _looks_like_part(path: Path) -> bool:
    try:
        return _PART_KEY.search(path.read_bytes()) is not None
    except OSError:
        return False


def yaml_files(directory: Path) -> list[Path]:
    """YAML files under ``directory``, skipping VCS and virtual-environment folders; sorted."""
    found: list[Path] = []
    stack = [directory]
    seen: set[Path] = set()
    while stack:
        current = stack.pop()
        try:
            real = current.resolve()
            if real in seen:  # a symlink loop
                continue
            seen.add(real)
            entries = list(current.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                    stack.append(entry)
            elif entry.suffix in SUFFIXES and entry.is_file():
                found.append(entry)
    return sorted(found, key=lambda p: p.as_posix())


def include_patterns(root_data: object) -> list[str]:
    if isinstance(root_data, dict) and isinstance(root_data.get("include"), list):
        return [p for p in root_data["include"] if isinstance(p, str)]
    return []


def expand_includes(root: Path, patterns: list[str]) -> tuple[list[Path], list[tuple[int, str]]]:
    """The part files of a root, and the patterns (by index) that may not be followed, with why.

    A pattern may not leave the root's directory: no absolute paths, no ``..``, no symlink that
    resolves outside it.
    """
    base = root.parent
    real_base = base.resolve()
    parts: dict[Path, None] = {}
    refused: list[tuple[int, str]] = []
    for index, pattern in enumerate(patterns):
        if Path(pattern).is_absolute() or pattern.startswith(("/", "\\")) or ".." in Path(pattern).parts:
            refused.append((index, f"include {pattern!r} reaches outside the trust's directory; "
                                   "it was not read"))
            continue
        try:
            matches = sorted(base.glob(pattern), key=lambda p: p.as_posix())
        except (ValueError, OSError) as exc:
            refused.append((index, f"include {pattern!r} is not a valid pattern: {exc}"))
            continue
        for match in matches:
            try:
                real = match.resolve()
                real.relative_to(real_base)
            except (ValueError, OSError, RuntimeError):
                refused.append((index, f"include {pattern!r} matches {match.name}, a link that points "
                                       "outside the trust's directory; it was not read"))
                continue
            if real == root.resolve() or match.is_dir():
                continue
            parts.setdefault(match, None)
    return list(parts), refused


def find_roots(paths: list[str], read_includes: object) -> tuple[list[Path], list[Finding]]:
    """The roots to check for the given paths, and findings for part files no root includes.

    ``read_includes(root) -> list[str]`` gives a root's include patterns (the engine loads it).
    Roots are kept by their real path, so a trust named twice (by its root and by one of its parts,
    as pre-commit passes them) is checked once.
    """
    roots: dict[Path, None] = {}
    loose: dict[Path, Path] = {}  # part-like files found in directories: real path -> as given
    orphans: list[Finding] = []
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise UsageError(f"path {text!r} does not exist")
        if path.is_dir():
            real_dir = path.resolve()
            for file in yaml_files(path):
                if is_root(file):
                    roots.setdefault(file.resolve(), None)
                elif _looks_like_part(file) and file.resolve().is_relative_to(real_dir):
                    loose.setdefault(file.resolve(), file)  # (a link out is the include's finding)
            continue
        if is_root(path):
            roots.setdefault(path.resolve(), None)
            continue
        root = trace_root(path, read_includes)
        if root is not None:
            roots.setdefault(root.resolve(), None)
        elif path.suffix in SUFFIXES and _looks_like_part(path):
            orphans.append(_orphan(path))
    if loose:
        # A part in a searched directory that no root includes would silently go unchecked.
        included: set[Path] = set()
        for root in roots:
            parts, _ = expand_includes(root, read_includes(root))  # type: ignore[operator]
            included.update(part.resolve() for part in parts)
        for real, file in loose.items():
            if real in included:
                continue
            root = trace_root(file, read_includes)
            if root is not None:
                roots.setdefault(root.resolve(), None)
            else:
                orphans.append(_orphan(file))
    ordered = sorted(roots, key=lambda p: display_path(p))
    return ordered, orphans


def _orphan(path: Path) -> Finding:
    return Finding(display_path(path), 1, 1, "reference",
                   "this file holds trust data, but no trust root in this directory or above "
                   "includes it", Severity.ERROR)


def trace_root(path: Path, read_includes: object) -> Path | None:
    """The root whose ``include`` matches ``path``, in the nearest directory above that has one."""
    target = path.resolve()
    for directory in target.parents:
        candidates = [f for f in sorted(directory.iterdir()) if f.suffix in SUFFIXES and f.is_file()
                      and is_root(f)] if directory.is_dir() else []
        for candidate in candidates:
            parts, _ = expand_includes(candidate, read_includes(candidate))  # type: ignore[operator]
            if any(p.resolve() == target for p in parts):
                return candidate
        if (directory / ".git").exists():
            break
    return None
