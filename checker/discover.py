"""Paths -> trust roots: directories are searched for roots, a part file is traced to its root."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .findings import Finding, Severity
from .paths import display_path, forget, real_path

SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
_ROOT_KEY = re.compile(rb"^(?:trust|\"trust\"|'trust')[ \t]*:", re.MULTILINE)
_PART_KEY = re.compile(rb"^(?:portfolios|documents|meetings|shareholder_votes|reports|trustees)[ \t]*:",
                       re.MULTILINE)


def is_root(path: Path) -> bool | None:
    """Whether a file is a trust root (has the top-level key ``trust``); ``None`` if it cannot be
    read (then the caller decides: a file named on the command line is reported, not skipped).

    A line-start ``trust:`` decides at once; a file with the top-level keys of a part is not a root;
    anything else (a flow mapping, an indented or escaped key, CR line endings...) is loaded and
    asked.
    """
    kind = classify(path)
    return None if kind is None else kind == "root"


def classify(path: Path | str) -> str | None:
    """``"root"``, ``"part"`` (top-level keys of a part) or ``"other"``, from one read of the file;
    ``None`` if it cannot be read. See ``is_root``."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    # (the regular expressions scan the whole file: a plain substring test rules most files out first)
    if (raw.startswith((b"trust", b"\xef\xbb\xbftrust", b'"trust', b"'trust")) or b"\ntrust" in raw
            or b"\n\"trust" in raw or b"\n'trust" in raw) \
            and _ROOT_KEY.search(raw.removeprefix(b"\xef\xbb\xbf")) is not None:
        return "root"
    if _PART_KEY.search(raw) is not None:
        return "part"
    from .loader import load_bytes, SourceFile

    data = load_bytes(SourceFile(os.path.basename(path), Path(path)), raw).data
    return "root" if isinstance(data, dict) and "trust" in data else "other"


def yaml_files(directory: Path) -> list[Path]:
    """YAML files under ``directory``, skipping VCS and virtual-environment folders; sorted."""
    return [Path(f) for f, _ in _yaml_files(directory)]


def _yaml_files(directory: Path) -> list[tuple[str, str]]:
    """``yaml_files`` as strings, each with its real path (known from the walk: a search of
    thousands of files makes no ``Path`` and no extra system call for each)."""
    found: list[tuple[str, str]] = []
    top = os.path.realpath(directory)
    inside = top.rstrip(os.sep) + os.sep
    stack = [(os.fspath(directory), top)]  # (as found, real path)
    seen: set[str] = set()
    while stack:
        current, real = stack.pop()
        if real in seen:  # a symlink loop
            continue
        seen.add(real)
        try:
            with os.scandir(current) as listing:  # one call per directory gives each entry's type
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            link = entry.is_symlink()
            if link:
                try:
                    target = str(Path(entry.path).resolve())
                except (OSError, RuntimeError):  # a link loop: not followed
                    continue
                if target != top and not target.startswith(inside):
                    continue  # a link out of the searched directory is not followed
            else:
                target = os.path.join(real, entry.name)
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError:  # a link loop: neither (as pathlib would say)
                is_dir = is_file = False
            if is_dir:
                if entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                    stack.append((entry.path, target))
            elif os.path.splitext(entry.name)[1] in SUFFIXES and (is_file or not os.path.exists(entry.path)):
                found.append((entry.path, target))  # (a file that cannot be read is reported, not skipped)
    return sorted(found)  # (all share the prefix given: sorting the text sorts the paths)


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
    real_root = real_path(root)
    parts: dict[Path, None] = {}
    reals: set[Path] = set()
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
                real = real_path(match)
                real.relative_to(real_base)
            except (ValueError, OSError, RuntimeError):
                refused.append((index, f"include {pattern!r} matches {match.name}, a link that points "
                                       "outside the trust's directory; it was not read"))
                continue
            if real == real_root or match.is_dir() or real in reals:
                continue  # the root itself, a directory, or a file already reached through a link
            reals.add(real)
            parts.setdefault(match, None)
    return list(parts), refused


PartsOf = Callable[[Path], "tuple[list[Path], list[tuple[int, str]]]"]


@dataclass
class Search:
    """What a search of the given paths found: the roots to check (sorted as reported), the part
    files met in searched directories (real path -> as given), and parts no root can include."""

    roots: list[Path]
    loose: dict[str, str] = field(default_factory=dict)
    orphans: list[Finding] = field(default_factory=list)


def find_roots(paths: list[str], parts_of: PartsOf) -> Search:
    """The roots to check for the given paths.

    Roots are kept by their real path, so a trust named twice (by its root and by one of its parts,
    as pre-commit passes them) is checked once. A part named on the command line is traced to its
    root now (``parts_of(root)`` gives a root's part files as ``expand_includes`` does); the parts
    met in searched directories are settled after the roots are checked (``settle``): checking a
    trust reads its includes anyway, in the worker that checks it.
    """
    forget()  # the file system may have changed since the last search
    roots: dict[Path, None] = {}
    search = Search([])
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise UsageError(f"path {text!r} does not exist")
        if path.is_dir():
            inside = os.path.join(os.path.realpath(path), "")
            for file, real in _yaml_files(path):
                kind = classify(file)
                if kind == "other":
                    continue
                if kind == "root":
                    roots.setdefault(Path(real), None)
                elif kind is None or real.startswith(inside):
                    search.loose.setdefault(real, file)  # (a link out is the include's finding)
            continue
        if is_root(path) is not False:  # a root, or unreadable: loading it says why
            roots.setdefault(path.resolve(), None)
            continue
        root = trace_root(path, parts_of)
        if root is not None:
            roots.setdefault(root.resolve(), None)
        elif path.suffix in SUFFIXES and classify(path) == "part":
            search.orphans.append(_orphan(path))
    search.roots = sorted(roots, key=lambda p: display_path(p))
    return search


def settle(search: Search, included: set[str], parts_of: PartsOf) -> tuple[list[Path], list[Finding]]:
    """The parts met in searched directories that no checked trust ``included`` (real paths): a
    part would otherwise silently go unchecked. Returns the further roots to check (a part's root
    above the searched directory) and a finding for each part no root includes."""
    checked = set(search.roots)
    more: dict[Path, None] = {}
    orphans: list[Finding] = []
    for real_file, given in search.loose.items():
        if real_file in included:
            continue  # an unreadable part is reported by its trust
        real, file = Path(real_file), Path(given)
        root = trace_root(file, parts_of)
        if root is not None:
            if root.resolve() not in checked:
                more.setdefault(root.resolve(), None)
        elif is_root(file) is None:
            more.setdefault(real, None)  # unreadable and no trust's part: report it as its own
        else:
            orphans.append(_orphan(file))
    return sorted(more, key=lambda p: display_path(p)), orphans


def _orphan(path: Path) -> Finding:
    return Finding(display_path(path), 1, 1, "reference",
                   "this file holds trust data, but no trust root in this directory or above "
                   "includes it", Severity.ERROR)


def trace_root(path: Path, parts_of: PartsOf) -> Path | None:
    """The root whose ``include`` matches ``path``, in the nearest directory above that has one."""
    target = path.resolve()
    for directory in target.parents:
        candidates = [f for f in sorted(directory.iterdir()) if f.suffix in SUFFIXES and f.is_file()
                      and is_root(f) is True] if directory.is_dir() else []
        for candidate in candidates:
            parts, _ = parts_of(candidate)
            if any(p.resolve() == target for p in parts):
                return candidate
        if (directory / ".git").exists():
            break
    return None
