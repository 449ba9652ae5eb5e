"""Paths -> trust roots: directories are searched for roots, a part file is traced to its root."""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from .errors import UsageError
from .files import Unreadable, read_limited
from .findings import Finding, Severity
from .loader import DEFAULT_LIMITS, Limits
from .paths import display_path, forget, real_path

SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
_ROOT_KEY = re.compile(rb"^(?:trust|\"trust\"|'trust')[ \t]*:", re.MULTILINE)
_PART_KEY = re.compile(rb"^(?:portfolios|documents|meetings|shareholder_votes|reports|trustees)[ \t]*:",
                       re.MULTILINE)


def is_root(path: Path, limits: Limits = DEFAULT_LIMITS) -> bool | None:
    """Whether a file is a trust root (has the top-level key ``trust``); ``None`` if it cannot be
    read or parsed (then it may be a root: the caller reports it rather than skip it).

    A line-start ``trust:`` decides at once; a file with the top-level keys of a part is not a root;
    anything else (a flow mapping, an indented or escaped key, CR line endings...) is loaded and
    asked.
    """
    kind = classify(path, limits)
    return None if kind is None else kind == "root"


def classify(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """``"root"``, ``"part"`` (top-level keys of a part) or ``"other"``, from one read of the file;
    ``None`` if it cannot be read (not a regular file, over ``--max-file-bytes``, unreadable) or
    cannot be parsed as YAML, so that a syntax error or another encoding cannot hide a root's
    ``trust:`` key. A file that parses and has no ``trust`` key is ``"other"`` whatever it holds
    (custom tags included: it is composed, not built). See ``is_root``."""
    try:
        raw = read_limited(path, limits.max_bytes)
    except Unreadable:
        return None
    # (the regular expressions scan the whole file: a plain substring test rules most files out first)
    if (raw.startswith((b"trust", b"\xef\xbb\xbftrust", b'"trust', b"'trust")) or b"\ntrust" in raw
            or b"\n\"trust" in raw or b"\n'trust" in raw) \
            and _ROOT_KEY.search(raw.removeprefix(b"\xef\xbb\xbf")) is not None:
        return "root"
    if _PART_KEY.search(raw) is not None:
        return "part"
    from .loader import SourceFile, load_bytes

    src = load_bytes(SourceFile(os.path.basename(path), Path(path)), raw, limits)
    if isinstance(src.data, dict) and "trust" in src.data:
        return "root"
    if src.node is None:
        if src.data == {}:
            return "other"  # empty
        several = any("expected a single document" in f.message for f in src.findings)
        return _documents(src.text) if several else None
    return "root" if _has_trust_key(src.node) else "other"


def _has_trust_key(node: object) -> bool:
    import yaml

    return isinstance(node, yaml.MappingNode) and any(
        isinstance(key, yaml.ScalarNode) and key.value == "trust" for key, _ in node.value)


def _documents(text: str) -> str | None:
    """A stream of several YAML documents (the loader decoded it, and found it within the depth
    and value limits before composing): ``"other"`` if none of them has a ``trust`` key (a
    Kubernetes manifest), else ``None`` (a root must be one document: loading it says so)."""
    import yaml

    from .loader import _SafeLoader

    try:
        nodes = list(yaml.compose_all(text, Loader=_SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    return None if any(_has_trust_key(n) for n in nodes) else "other"


def yaml_files(directory: Path) -> list[Path]:
    """YAML files under ``directory``, skipping VCS and virtual-environment folders; sorted."""
    return [Path(f) for f, _ in _yaml_files(directory)]


def _yaml_files(directory: Path, unreadable: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """``yaml_files`` as strings, each with its real path (known from the walk: a search of
    thousands of files makes no ``Path`` and no extra system call for each). Every entry named like
    a YAML file that is not a directory is listed (a FIFO or a device too: reading it says why it is
    not read); the directories that cannot be listed are added to ``unreadable`` with why."""
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
        except OSError as exc:
            if unreadable is not None and not isinstance(exc, FileNotFoundError):
                unreadable.append((current, exc.strerror or str(exc)))
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
                is_dir = entry.is_dir()
            except OSError:  # a link loop: not a directory (as pathlib would say)
                is_dir = False
            if is_dir:
                if entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                    stack.append((entry.path, target))
            elif os.path.splitext(entry.name)[1] in SUFFIXES:
                found.append((entry.path, target))  # (a file that cannot be read is reported, not skipped)
    return sorted(found)  # (all share the prefix given: sorting the text sorts the paths)


def include_patterns(root_data: object) -> list[str]:
    if isinstance(root_data, dict) and isinstance(root_data.get("include"), list):
        return [p for p in root_data["include"] if isinstance(p, str)]
    return []


_MAGIC = re.compile(r"[*?[]")


def expand_includes(root: Path, patterns: list[str]) -> tuple[list[Path], list[tuple[int, str]]]:
    """The part files of a root, and the patterns (by index) that may not be followed, with why.

    A pattern may not leave the root's directory: no absolute paths, no ``..``; a symlink that
    resolves outside it is one finding, and what lies behind it is neither read nor listed. A
    directory under the pattern that cannot be listed is a finding too (its files would otherwise
    go unchecked, silently).
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
        matches, problems = _glob(base, str(real_base), pattern)
        refused.extend((index, problem) for problem in problems)
        if not matches and not problems:
            refused.append((index, _matches_nothing(base, str(real_base), pattern)))
        for match in matches:
            try:
                real = real_path(match)
                real.relative_to(real_base)
            except (ValueError, OSError, RuntimeError):
                refused.append((index, f"include {pattern!r} matches {_shown(base, match)}, a link that "
                                       "points outside the trust's directory; it was not read"))
                continue
            if real == real_root or real in reals:
                continue  # the root itself, or a file already reached through a link
            reals.add(real)
            parts.setdefault(match, None)
    return list(parts), refused


def _matches_nothing(base: Path, real_base: str, pattern: str) -> str:
    """Why an include that matches no file is an error, with the pattern that would have matched.

    Checked alone (as pre-commit checks a changed root), a trust whose parts a pattern misses would
    otherwise pass on the root's facts only.
    """
    message = f"include {pattern!r} matches no file, so the parts it names were not checked"
    stem, dot, suffix = pattern.rpartition(".")
    other = {"yml": "yaml", "yaml": "yml"}.get(suffix.lower()) if dot else None
    if other and _glob(base, real_base, f"{stem}.{other}")[0]:
        return f"{message}; did you mean {stem + '.' + other!r}?"
    return f"{message}; correct the pattern, or remove it if the trust has no such parts"


def _shown(base: Path, path: Path | str) -> str:
    """A path under the root's directory as a pattern would write it."""
    return Path(os.path.relpath(path, base)).as_posix()


def _glob(base: Path, real_base: str, pattern: str) -> tuple[list[Path], list[str]]:
    """What ``pattern`` matches under ``base`` (files and other non-directories; sorted), and what
    could not be followed, with why.

    pathlib's glob raises on ``"."`` and ``"./"`` (Python 3.11), recurses once a directory level
    for ``**`` and lists what lies behind a link out of the tree; this walk keeps its own stack,
    stops at such a link (one problem for it) and reports the directories it cannot list. As with
    pathlib, ``*`` matches names that start with a dot, and ``**`` does not descend into links.
    """
    parts = [p for p in PurePath(pattern).parts if p != "."]
    inside = os.path.join(real_base, "")
    found: dict[str, None] = {}
    problems: dict[str, None] = {}
    stack: list[tuple[str, str, int]] = [(os.fspath(base), real_base, 0)]  # (as found, real, next part)
    seen: set[tuple[str, int]] = set()
    while stack:
        current, real, index = stack.pop()
        if (real, index) in seen or index >= len(parts):
            continue  # visited through a link, or the pattern names a directory (not a part)
        seen.add((real, index))
        part = parts[index]
        if part == "**":
            stack.append((current, real, index + 1))  # zero directories
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            if not isinstance(exc, FileNotFoundError):
                problems.setdefault(f"include {pattern!r}: the directory {_shown(base, current)} cannot be "
                                    f"read ({exc.strerror or exc}); its files were not checked", None)
            continue
        last = index == len(parts) - 1
        for entry in entries:
            if part == "**":
                if _is_dir(entry) and not entry.is_symlink():
                    stack.append((entry.path, os.path.join(real, entry.name), index))
                continue
            if not (fnmatch.fnmatch(entry.name, part) if _MAGIC.search(part) else entry.name == part):
                continue
            target = os.path.join(real, entry.name)
            if entry.is_symlink():
                try:
                    target = str(Path(entry.path).resolve())
                except (OSError, RuntimeError):  # a link loop: nothing behind it
                    continue
                if target != real_base and not target.startswith(inside):
                    problems.setdefault(f"include {pattern!r} matches {_shown(base, entry.path)}, a link "
                                        "that points outside the trust's directory; it was not read", None)
                    continue
            if _is_dir(entry):
                if not last:
                    stack.append((entry.path, target, index + 1))
            elif last:
                found.setdefault(entry.path, None)
    return sorted((Path(f) for f in found), key=lambda p: p.as_posix()), list(problems)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop
        return False


PartsOf = Callable[[Path], "tuple[list[Path], list[tuple[int, str]]]"]


@dataclass
class Search:
    """What a search of the given paths found: the roots to check (sorted as reported), the part
    files met in searched directories (real path -> as given), and the findings of the search
    itself (parts no root can include, directories that cannot be listed)."""

    roots: list[Path]
    loose: dict[str, str] = field(default_factory=dict)
    orphans: list[Finding] = field(default_factory=list)


def find_roots(paths: list[str], parts_of: PartsOf, limits: Limits = DEFAULT_LIMITS) -> Search:
    """The roots to check for the given paths.

    Roots are kept by their real path, so a trust named twice (by its root and by one of its parts,
    as pre-commit passes them) is checked once. A part named on the command line is traced to its
    root now (``parts_of(root)`` gives a root's part files as ``expand_includes`` does); the parts
    met in searched directories are settled after the roots are checked (``settle``): checking a
    trust reads its includes anyway, in the worker that checks it.

    A file named on the command line is always judged or refused aloud: one that cannot be read or
    parsed (a syntax error, UTF-16, a FIFO...) and that no root includes is checked as a root, so
    that its ``parse-error`` is reported; only a file that parses and holds no trust data is
    skipped (pre-commit passes every YAML file of a repository). A directory under a searched one
    that cannot be listed is a ``parse-error`` on it.
    """
    forget()  # the file system may have changed since the last search
    roots: dict[Path, None] = {}
    search = Search([])
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise UsageError(f"path {text!r} does not exist")
        if _leads_out(path):
            search.orphans.append(Finding(text.replace(os.sep, "/"), 1, 1, "parse-error",
                                          "this path is a link that leads out of its directory and the working "
                                          "directory; it was not read", Severity.ERROR))
            continue
        if path.is_dir():
            inside = os.path.join(os.path.realpath(path), "")
            unreadable: list[tuple[str, str]] = []
            found = False
            for file, real in _yaml_files(path, unreadable):
                kind = classify(file, limits)
                if kind == "other":
                    continue
                found = True
                if kind == "root":
                    roots.setdefault(Path(real), None)
                elif kind is None or real.startswith(inside):
                    search.loose.setdefault(real, file)  # (a link out is the include's finding)
            search.orphans += [Finding(display_path(d), 1, 1, "parse-error", f"this directory cannot be "
                                       f"searched ({why}); the trusts in it were not checked", Severity.ERROR)
                               for d, why in unreadable]
            if not found and not unreadable:  # (judged or refused aloud: never a silent "0 trusts")
                raise UsageError(f"directory {text!r} holds no trust (no YAML file with a top-level 'trust:' "
                                 "key); name the trust's directory or its root file")
            continue
        kind = classify(path, limits)
        if kind == "root":
            roots.setdefault(path.resolve(), None)
            continue
        root = trace_root(path, parts_of, limits)
        if root is not None:
            roots.setdefault(root.resolve(), None)
        elif kind is None:  # unreadable or unparsable, and no root's part: loading it says why
            roots.setdefault(path.resolve(), None)
        elif path.suffix in SUFFIXES and kind == "part":
            search.orphans.append(_orphan(path))
    search.roots = sorted(roots, key=lambda p: display_path(p))
    return search


def _leads_out(path: Path) -> bool:
    """Whether a named path is a link whose target lies outside both the directory it is named in and
    the working directory: in a CI gate the repository is the working directory, and a link that
    leaves it (``trust.yaml -> /etc/passwd``) would have the checker print what lies behind it."""
    if not os.path.islink(path):
        return False
    real = os.path.realpath(path)
    bounds = (os.path.realpath(os.path.dirname(os.path.abspath(path))), os.path.realpath(os.getcwd()))
    return not any(real == b or real.startswith(os.path.join(b, "")) for b in bounds)


def settle(search: Search, included: set[str], parts_of: PartsOf,
           limits: Limits = DEFAULT_LIMITS) -> tuple[list[Path], list[Finding]]:
    """The parts met in searched directories that no checked trust ``included`` (real paths): a
    part would otherwise silently go unchecked. Returns the further roots to check (a part's root
    above the searched directory, or a file that cannot be read or parsed, judged as its own root)
    and a finding for each part no root includes."""
    checked = set(search.roots)
    more: dict[Path, None] = {}
    orphans: list[Finding] = []
    for real_file, given in search.loose.items():
        if real_file in included:
            continue  # an unreadable part is reported by its trust
        real, file = Path(real_file), Path(given)
        root = trace_root(file, parts_of, limits)
        if root is not None:
            if root.resolve() not in checked:
                more.setdefault(root.resolve(), None)
        elif is_root(file, limits) is None:
            more.setdefault(real, None)  # unreadable and no trust's part: report it as its own
        else:
            orphans.append(_orphan(file))
    return sorted(more, key=lambda p: display_path(p)), orphans


def _orphan(path: Path) -> Finding:
    return Finding(display_path(path), 1, 1, "reference",
                   "this file holds trust data, but no trust root in this directory or above "
                   "includes it", Severity.ERROR)


def trace_root(path: Path, parts_of: PartsOf, limits: Limits = DEFAULT_LIMITS) -> Path | None:
    """The root whose ``include`` matches ``path``, in the nearest directory above that has one."""
    target = path.resolve()
    for directory in Path(os.path.abspath(path)).parents:  # (where it is named, not where a link leads)
        try:
            listing = sorted(directory.iterdir()) if directory.is_dir() else []
        except OSError:  # a directory above that cannot be listed holds no root we can use
            listing = []
        # (a link in it that leads out of the directory is not a root there, and is not read)
        real_dir = directory.resolve()
        candidates = [f for f in listing if f.suffix in SUFFIXES and f.is_file()
                      and f.resolve().parent == real_dir and is_root(f, limits) is True]
        for candidate in candidates:
            parts, _ = parts_of(candidate)
            if any(p.resolve() == target for p in parts):
                return candidate
        if (directory / ".git").exists():
            break
    return None
