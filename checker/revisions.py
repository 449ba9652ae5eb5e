"""Read a trust as it was at a git revision, without touching the work tree, and keep only the
findings a change brings (``check --new-from-rev REV``, ``--new-from-merge-base REF``, ``diff``).

The revision's tree is written by ``git archive`` into a temporary directory (removed afterwards)
and checked there with the same options, from the same place relative to the repository's top, so
that its findings name the same files. Findings are matched by their baseline fingerprints (rule,
file, subject, pointer), after the base's file names are carried to their new names by git's rename
detection (``git diff -M --name-status REV``). What git cannot give (no repository, a revision this
clone lacks, one that is not an ancestor) is a ``UsageError`` that says what to fetch.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import UsageError
from .findings import INCOMPLETE, Finding, Suppression

GIT_TIMEOUT = 300  # seconds one git command may take


def git(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed (needed to read another revision)") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} took more than {GIT_TIMEOUT} seconds") from None
    if check and done.returncode:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args[:2])}: {why[-1] if why else 'failed'}")
    return done


@dataclasses.dataclass(frozen=True)
class Repo:
    top: Path  # the work tree's top directory
    prefix: str  # the working directory relative to it ('' or 'funds/')

    @property
    def shallow(self) -> bool:
        return git("rev-parse", "--is-shallow-repository", cwd=self.top).stdout.strip() == b"true"


def repo(flag: str) -> Repo:
    done = git("rev-parse", "--show-toplevel", "--show-prefix", check=False)
    if done.returncode:
        raise UsageError(f"{flag} needs a git repository; {os.getcwd()} is not in one")
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    return Repo(Path(lines[0]), lines[1] if len(lines) > 1 else "")


def _fetch_hint(r: Repo, rev: str) -> str:
    if r.shallow:
        return (f"this is a shallow clone; fetch the history it needs (`git fetch --depth=100 origin {rev}`, "
                "or `git fetch --unshallow`; in GitHub Actions `fetch-depth: 0`, in GitLab CI `GIT_DEPTH: 0`)")
    return f"fetch it (`git fetch origin {rev}`)"


def resolve(r: Repo, rev: str, flag: str = "--new-from-rev") -> str:
    """The commit ``rev`` names, which must be an ancestor of HEAD (the base of the change)."""
    if rev.startswith("-"):
        raise UsageError(f"{flag} {rev!r} is not a revision")
    done = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", cwd=r.top, check=False)
    if done.returncode:
        raise UsageError(f"{flag} {rev}: no such commit in this clone; {_fetch_hint(r, rev)}")
    commit = done.stdout.decode().strip()
    head = git("rev-parse", "--verify", "--quiet", "HEAD", cwd=r.top, check=False)
    if head.returncode:
        raise UsageError(f"{flag} {rev}: the repository has no commit checked out (HEAD)")
    if git("merge-base", "--is-ancestor", commit, "HEAD", cwd=r.top, check=False).returncode:
        hint = _fetch_hint(r, rev) if r.shallow else "compare with --new-from-merge-base REF instead"
        raise UsageError(f"{flag} {rev} is not an ancestor of HEAD; {hint}")
    return commit


def merge_base(r: Repo, ref: str) -> str:
    """The commit where HEAD's branch left ``ref`` (``--new-from-merge-base origin/main``)."""
    if ref.startswith("-"):
        raise UsageError(f"--new-from-merge-base {ref!r} is not a revision")
    if git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", cwd=r.top,
           check=False).returncode:
        raise UsageError(f"--new-from-merge-base {ref}: no such ref in this clone; {_fetch_hint(r, ref)}")
    done = git("merge-base", "--end-of-options", ref, "HEAD", cwd=r.top, check=False)
    if done.returncode:
        raise UsageError(f"--new-from-merge-base {ref}: HEAD and {ref} have no common commit in this clone; "
                         f"{_fetch_hint(r, ref)}")
    return done.stdout.decode().strip()


@contextlib.contextmanager
def checkout(r: Repo, commit: str, only: tuple[str, ...] = ()) -> Iterator[Path]:
    """The tree of ``commit`` in a temporary directory; yields the working directory's counterpart.
    With ``only`` (directories relative to the top, each present at ``commit``), just those.

    ``git archive`` is unpacked by the system's ``tar`` where there is one (five times faster than
    ``tarfile`` on a thousand files), else by ``tarfile`` with its "data" filter."""
    with tempfile.TemporaryDirectory(prefix="mist-check-rev-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        tar = shutil.which("tar")
        if tar is not None:
            _unpack_with_tar(r, commit, tree, tar, only)
        else:
            _unpack_with_tarfile(r, commit, tree, only)
        yield tree / r.prefix


def _unpack_with_tar(r: Repo, commit: str, tree: Path, tar: str, only: tuple[str, ...] = ()) -> None:
    try:
        archive = subprocess.Popen(["git", "archive", "--format=tar", commit, "--", *only], cwd=r.top,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert archive.stdout is not None
        unpack = subprocess.run([tar, "-x", "-f", "-", "-C", str(tree)], stdin=archive.stdout,
                                capture_output=True, timeout=GIT_TIMEOUT, check=False)
        archive.stdout.close()
        err = archive.stderr.read() if archive.stderr else b""
        archive.wait(timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UsageError(f"reading {commit[:12]} took more than {GIT_TIMEOUT} seconds") from None
    if archive.returncode:
        raise UsageError(f"git archive {commit[:12]}: {err.decode('utf-8', 'replace').strip()}")
    if unpack.returncode:
        raise UsageError(f"tar could not unpack {commit[:12]}: {unpack.stderr.decode('utf-8', 'replace').strip()}")


def _unpack_with_tarfile(r: Repo, commit: str, tree: Path, only: tuple[str, ...] = ()) -> None:
    archive = tree.parent / "tree.tar"
    with archive.open("wb") as out:
        try:
            done = subprocess.run(["git", "archive", "--format=tar", commit, "--", *only], cwd=r.top, stdout=out,
                                  stderr=subprocess.PIPE, timeout=GIT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise UsageError(f"git archive took more than {GIT_TIMEOUT} seconds") from None
    if done.returncode:
        raise UsageError(f"git archive {commit[:12]}: {done.stderr.decode('utf-8', 'replace').strip()}")
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(tree, filter="data")
        else:
            tar.extractall(tree)  # noqa: S202 - git's own archive of a commit
    archive.unlink()


def resolve_any(r: Repo, rev: str, flag: str = "diff") -> str:
    """The commit ``rev`` names (any commit of this clone)."""
    if rev.startswith("-"):
        raise UsageError(f"{flag}: {rev!r} is not a revision")
    done = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", cwd=r.top, check=False)
    if done.returncode:
        raise UsageError(f"{flag} {rev}: no such commit in this clone; {_fetch_hint(r, rev)}")
    return done.stdout.decode().strip()


def is_commit(rev: str) -> bool:
    """Whether ``rev`` names a commit of the repository around the working directory."""
    if rev.startswith("-"):
        return False
    done = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
    return done.returncode == 0


def renames(r: Repo, commit: str, commit2: str | None = None) -> dict[str, str]:
    """Base display name -> current display name, for each file git sees renamed since ``commit``
    (to ``commit2``, else to the work tree)."""
    done = git("diff", "-M", "--name-status", "-z", commit, *([commit2] if commit2 else []), "--", cwd=r.top)
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    out: dict[str, str] = {}
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            if status.startswith("R"):
                out[_shown(r, old)] = _shown(r, new)
            i += 3
        else:
            i += 2
    return out


def _shown(r: Repo, top_relative: str) -> str:
    from .paths import display_path

    return display_path(r.top / top_relative)


@contextlib.contextmanager
def _inside(directory: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(saved)


def run_at(r: Repo, commit: str, options: Any, keep: Any = None, only: tuple[str, ...] = ()) -> Any:
    """The run of ``options`` on the tree of ``commit`` (None when none of the paths existed then),
    with file names as the current run prints them; ``keep(result)``, if given, is called while
    the tree still exists and its value returned beside the run. ``only``: the directories (relative
    to the top) to take from the revision, when no other file can change the findings."""
    from .engine import run

    with checkout(r, commit, only) as here:
        if not here.is_dir():
            return None, None
        with _inside(here):
            paths = [p for p in (_relative(p) for p in options.paths) if os.path.lexists(p)]
            if not paths:
                return None, None
            result = run(dataclasses.replace(options, paths=paths))
            return result, keep(result) if keep is not None else None


def _relative(path: str) -> str:
    if not os.path.isabs(path):
        return path
    raise UsageError(f"--new-from-rev: give paths relative to the working directory, not {path}")


Key = tuple[str, str, str, int]


class Identities:
    """A finding's place by the ids of what it is about, not by file: ``/documents/3/provisions/fee_cap``
    of a file becomes ``/documents[class-b-plan]/provisions/fee_cap``, so that a document moved to
    another part file keeps its findings. None for a finding whose place no id names."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._data: dict[str, Any] = {}

    def _load(self, file: str) -> Any:
        if file not in self._data:
            import yaml

            from .files import read_limited

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                text = read_limited(Path(file), self.max_bytes).decode("utf-8")
                self._data[file] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
            except Exception:  # noqa: BLE001 - what cannot be read is matched by fingerprint alone
                self._data[file] = None
        return self._data[file]

    def key(self, f: Finding) -> Key | None:
        if not f.pointer.startswith("/"):
            return None
        node = self._load(f.file)
        out, named = [], False
        for raw in f.pointer[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                item = node[int(part)]
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str) and ident:
                    out[-1:] = [f"{out[-1] if out else ''}[{ident}]"]
                    named = True
                else:
                    out.append(part)
                node = item
            else:
                out.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        if not named:
            return None
        return (f.rule, f.subject or "", "/" + "/".join(out), f.occurrence)


def _changed(r: Repo, commit: str, within: list[str]) -> set[Path]:
    """The files (absolute) that differ between ``commit`` and the work tree: changed, added,
    deleted, renamed (both names); and every file git does not track in the directories
    ``within`` (relative to the top), ignored ones too: the check reads them, the revision has none."""
    diff = git("diff", "--name-only", "--no-renames", "-z", commit, "--", cwd=r.top).stdout
    new = git("ls-files", "--others", "-z", "--", *within, cwd=r.top).stdout if within else b""
    names = (diff + b"\0" + new).decode("utf-8", "surrogateescape").split("\0")
    return {r.top / name for name in names if name}


def _unchanged_trusts(r: Repo, commit: str, result: Any, options: Any) -> tuple[list[Any], tuple[str, ...]] | None:
    """The trusts whose findings at ``commit`` are their findings now, and the directories
    (relative to the top) that must be checked at ``commit`` for the rest; None when the whole
    revision must be checked.

    A trust reads only files inside its root's directory (includes, its pack, its filings are
    confined there), and the installed rules and packs are the same in both runs; so a trust none
    of whose directory's files changed judges the same at ``commit``. The revision is checked in full
    when any changed file lies outside every trust's directory (a ``pyproject.toml``, a pack given
    with ``--policy FILE``), when a path given is a file, or when a finding belongs to no trust."""
    if any(not os.path.isdir(p) for p in options.paths):
        return None
    trusts = [t for t in result.trusts if not t.error]
    if len(trusts) != len(result.trusts):
        return None
    of_trusts = {id(f) for t in trusts for f in t.findings}
    if any(id(f) not in of_trusts for f in result.findings):
        return None
    dirs = [(t, Path(os.path.realpath(t.root)).parent) for t in trusts]
    homes = {d for _, d in dirs}
    searched = [Path(os.path.realpath(p)) for p in options.paths]
    top = Path(os.path.realpath(r.top))
    if any(not d.is_relative_to(top) for d in homes):
        return None
    within = sorted(str(d.relative_to(top)) or "." for d in homes)
    changed = {Path(os.path.realpath(p)) for p in _changed(r, commit, within)}
    dirty: set[Path] = set()
    for path in changed:
        holders = [d for d in homes if path.is_relative_to(d)]
        if not holders:
            return None  # a change no trust holds: it may change any of them
        dirty.update(holders)
    # a change may also add or remove a trust: it is checked at the revision with its directory
    if any(not any(d.is_relative_to(s) for s in searched) for d in dirty):
        return None
    clean = [t for t, d in dirs if not any(d.is_relative_to(x) for x in dirty)]
    present = tuple(sorted(str(d.relative_to(top)) or "." for d in dirty
                           if _exists_at(r, commit, str(d.relative_to(top)))))
    return clean, present


def _exists_at(r: Repo, commit: str, top_relative: str) -> bool:
    spec = f"{commit}:{'' if top_relative == '.' else top_relative}"
    return git("cat-file", "-e", spec, cwd=r.top, check=False).returncode == 0


# Off only in tests, which compare the two ways (tests/revisions/test_reuse.py).
REUSE_UNCHANGED = True


def base_findings(r: Repo, commit: str, options: Any, known: set[str] = frozenset(),  # type: ignore[assignment]
                  current: Any = None) -> list[tuple[Finding, Key | None]]:
    """The live findings at ``commit``, renamed files under their new names, each with its key by
    ids (worked out only for those whose fingerprint is not in ``known``: a file is parsed again
    only where a finding did not match). With ``current`` (the run now), a trust whose directory has
    no change since ``commit`` is not checked again: its findings now are its findings then."""
    split = _unchanged_trusts(r, commit, current, options) if current is not None and REUSE_UNCHANGED else None
    if split is not None:
        clean, only = split
        # as the revision's own run would give them: live there, unless a comment suppresses them
        # (a baseline's marks, line 0, are this run's, not the revision's)
        reused = [(f, None) for t in clean for f in t.findings if f.suppressed is None or f.suppressed.line == 0]
        if not only:
            return reused
        cwd = Path(os.path.realpath(os.getcwd()))
        paths = [os.path.relpath(r.top / d, cwd) for d in only]
        if not any(p.startswith("..") for p in paths):  # (above the working directory: in full)
            return reused + _base_run(r, commit, dataclasses.replace(options, paths=paths), known, only)
    return _base_run(r, commit, options, known, ())


def _base_run(r: Repo, commit: str, options: Any, known: set[str], only: tuple[str, ...]
              ) -> list[tuple[Finding, Key | None]]:
    moved = renames(r, commit)

    def keyed(result: Any) -> list[tuple[Finding, Key | None]]:
        ids = Identities(options.limits.max_bytes)
        out = []
        for f in result.findings:
            if f.suppressed is None:
                carried = dataclasses.replace(f, file=moved.get(f.file, f.file))
                out.append((carried, None if carried.fingerprint in known else ids.key(f)))
        return out

    base, found = run_at(r, commit, options, keyed, only)
    return [] if base is None else found


def new_since(result: Any, options: Any, rev: str, label: str | None = None, merge: bool = False) -> Any:
    """``result`` with the findings already present at ``rev`` marked suppressed, and those of
    ``rev`` that are gone listed as resolved. A finding is old when its fingerprint (rule, file,
    subject, pointer; the file followed through renames) or its place by ids (a document moved to
    another file) was found at ``rev``."""
    flag = "--new-from-merge-base" if merge else "--new-from-rev"
    r = repo(flag)
    commit = merge_base(r, rev) if merge else resolve(r, rev, flag)
    old = base_findings(r, commit, options, {f.fingerprint for f in result.findings}, result)
    # the same finding is the same fingerprint at the same severity: a warning at a value that an
    # edit turns into an error there (a fee below its schedule raised above it) is new
    by_print = {(f.fingerprint, f.severity): i for i, (f, _) in enumerate(old)}
    by_key = {(k, f.severity): i for i, (f, k) in enumerate(old) if k is not None}
    ids = Identities(options.limits.max_bytes)
    matched: set[int] = set()
    name = label or rev
    reason = f"already at {name}"

    def match(f: Finding) -> int | None:
        if f.suppressed is not None or f.rule in INCOMPLETE:
            return None  # (an incomplete check fails the gate whether or not the base had it)
        if (f.fingerprint, f.severity) in by_print:
            return by_print[(f.fingerprint, f.severity)]
        k = ids.key(f)
        return by_key.get((k, f.severity)) if k is not None else None

    old_of = {id(f): match(f) for f in result.findings}
    matched = {i for i in old_of.values() if i is not None}
    olds = {(f.fingerprint, f.severity) for f in result.findings if old_of[id(f)] is not None}

    def mark(findings: list[Finding]) -> list[Finding]:
        return [dataclasses.replace(f, suppressed=Suppression(reason, 0))
                if f.suppressed is None and (f.fingerprint, f.severity) in olds else f for f in findings]

    resolved = [{"rule": f.rule, "file": f.file, "subject": f.subject, "pointer": f.pointer,
                 "message": f.message} for i, (f, _) in sorted(enumerate(old), key=lambda kv: kv[1][0].sort_key())
                if i not in matched]
    trusts = [dataclasses.replace(t, findings=mark(t.findings)) for t in result.trusts]
    return dataclasses.replace(result, trusts=trusts, findings=mark(result.findings),
                               base=f"{name} ({commit[:12]})", resolved=resolved)
