"""Fuzz everything around the YAML: hostile trees, packs, baselines, configs, plugins, output streams.

    .venv/bin/python tools/fuzz.py --mode tree --seconds 600        # the long run
    .venv/bin/python tools/fuzz.py --mode tree --examples 50 --seed 3

Each input is a scenario drawn from a seeded ``random.Random`` and written to a fresh temporary
directory: ``work/trust/`` (the trust: a root and parts), ``work/outside/`` (files that must never be
read, each holding a canary string) and, beside them, what the user's side controls (a
``pyproject.toml``, a baseline, a plugin module). The trust gets some of: links to files and
directories outside it (relative, absolute, to ``/etc`` and ``/proc/self/environ``), links to
``/dev/zero``, character devices (where ``mknod`` is allowed), FIFOs, link loops, folders hundreds of
levels deep, names of invalid UTF-8, control characters, bidirectional marks and 255 bytes, a
sparse file past ``--max-file-bytes``, a directory named like a YAML file, UTF-16 and empty files,
hostile ``include:`` globs; a trust-local pack whose ``extends`` leaves the trust or forms a long
chain, with values such as ``"1e999999999"`` and ``NaN``; a baseline of the wrong shape, deeply
nested, a FIFO or a device; a ``[tool.mist-check]`` table of the wrong shape; a plugin whose rule
raises ``SystemExit``/``GeneratorExit``/``BaseException``, yields malformed findings, loops forever
(with ``--rule-timeout``), writes control characters, or kills its ``--jobs`` worker; and an output
stream that is a file, a pipe, ``/dev/full`` or closed.

The checker runs in a forked child (its own process group, an address-space limit, stdin from
``/dev/null``) with an audit hook (``sys.addaudithook``) on ``open``, ``os.listdir`` and
``os.scandir``: every path the child or its ``--jobs`` workers open or list is checked against the
places it may read (the trust and the user's files in ``work/``, the Python installation, this
repository). A failure is any of: a path outside them opened or listed (listing the directories
above the trust is allowed: a part named alone is traced upwards to its root), a canary in any output, a
traceback or ``Exception ignored`` on stderr, a stderr line that is not a one-line ``mist-check:``
message, an exit code other than 0, 1 or 2 (130 for a plugin's ``KeyboardInterrupt``), stdout that
is not UTF-8, a raw control or bidirectional character in the text or github format, or no exit
within ``--timeout`` seconds (a hang). Each failure is saved once (by kind) as
``<corpus>/tree-<n>.json``: the seed that rebuilds the scenario, its recipe and what went wrong.
"""
from __future__ import annotations

import io
import json
import os
import random
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CANARY = "MIST-CHECK-FUZZ-CANARY"
AS_OF = "2005-06-30"
# Characters the human formats must never show raw (tests/test_security_output.py has the reasons).
RAW = ("\x1b", "\x9b", "\x85", "\u2028", "\u2029", "\u202e", "\u200f", "\u2066")

ROOT = """\
format: 1
trust: {{name: Fuzz Trust {n}}}
include: {include}
{policy}trustees:
  - {{name: Trustee One, independent: false, from: 2000-01-01}}
  - {{name: Trustee Two, independent: true, from: 2000-01-01}}
"""
PART = """\
documents:
  - id: ma-{n}
    kind: management-agreement
    title: "{title}"
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {{notice_days: 90, at_any_time: true, without_penalty: true, section: "9"}}
"""
INCLUDES = ["parts/*.yaml", "parts/**/*.yaml", "**/*.yaml", "*.yaml", "ext/*", "etc/*", "deep/**/*.yaml", ".",
            "./", "..", "../*", "../outside/*.yaml", "/etc/*", "/etc/passwd", "/proc/self/environ", "**",
            "parts/[", "parts/{a,b}.yaml", "~/.ssh/*", "loop/**/*.yaml", "parts/" + "*/" * 40 + "*.yaml",
            "x" * 5000, "\\\\server\\share\\*.yaml", "C:/Windows/*", "parts/../../outside/secret.yaml"]
ODD_NAMES = [b"caf\xff.yaml", b"\xc3\x28.yaml", b"new\nline.yaml", b"esc\x1b[31m.yaml", b"rtl\xe2\x80\xaeyaml.lmth.yaml",
             b"sep\xe2\x80\xa8.yaml", b"c1\xc2\x9b.yaml", b"-x.yaml", b"--plugin.yaml", b" space .yaml",
             b"back\\slash.yaml", b"%SRCROOT%.yaml", b"a" * 250 + b".yaml", b"dup.YAML", b"\xf0\x9f\x98\x80.yaml"]
PACK_EXTENDS = ["ica-1940", "mist", "../outside/secret.yaml", "/etc/passwd", "/proc/self/environ", "chain",
                "pipe", "link-out", "self", "nope.yaml", "/dev/zero"]
PACK_VALUES = ['"1e999999999"', '"NaN"', '"Infinity"', '"-Infinity"', '"-0"', "1" * 5000, '"0.50%"', "60",
               "null", "[1, 2]", '{value: "1e-999999999"}', '"9' * 3 + '"']
BEHAVIOURS = ["raise-system-exit", "raise-generator-exit", "raise-base", "raise-keyboard", "string-severity",
              "other-id", "text-line", "yield-none", "loop-forever", "loop-stubborn", "controls", "many",
              "recursion", "kill-worker", "reserved-id", "bad-severity", "import-exit", "fine"]
FORMATS = ["text", "json", "sarif", "junit", "github"]
# What a scenario may attack, each by the Builder step that makes it (None: a choice made elsewhere).
SURFACES = {"links": "links_out", "devices": "devices", "fifos": "fifo", "loops": "loops", "deep": "deep",
            "names": "odd_names", "files": "odd_files", "includes": "odd_includes", "packs": "pack",
            "titles": "hostile_title", "roots": None, "baselines": None, "config": None, "plugins": None,
            "streams": None}


@dataclass
class Scenario:
    """One input: the recipe (what was made, in order) and the command line."""

    seed: int
    recipe: list[str] = field(default_factory=list)
    argv: list[str] = field(default_factory=list)
    stdout: str = "file"  # file | pipe | full | closed
    interrupt: bool = False  # the plugin raises KeyboardInterrupt: exit 130 is right
    named: list[str] = field(default_factory=list)  # files the user names (may be read wherever they are)


class Builder:
    """Makes one scenario's files under ``base`` from ``rng``; every step is noted in the recipe."""

    def __init__(self, base: Path, rng: random.Random, scenario: Scenario,
                 surfaces: tuple[str, ...] = ()) -> None:
        self.base, self.rng, self.s = base, rng, scenario
        self.surfaces = set(surfaces or SURFACES)
        self.work = base / "work"
        self.trust = self.work / "trust"
        self.outside = self.work / "outside"
        self.includes: list[str] = []
        self.policy = ""

    def note(self, text: str) -> None:
        self.s.recipe.append(text)

    def write(self, rel: bytes | str, text: str | bytes) -> None:
        path = os.path.join(os.fsencode(self.trust), os.fsencode(rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)

    def link(self, rel: str, target: str) -> None:
        path = self.trust / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(path):
            os.symlink(target, path)
            self.note(f"link {rel} -> {target}")

    def build(self) -> None:
        for d in (self.trust, self.outside):
            d.mkdir(parents=True)
        (self.outside / "secret.yaml").write_text(f"format: 1\ntrust: {{name: {CANARY}}}\n{CANARY}: 1\n")
        (self.outside / "part.yaml").write_text(f"documents:\n  - {{id: {CANARY}, kind: x, title: {CANARY}}}\n")
        (self.outside / "dir").mkdir()
        (self.outside / "dir" / f"{CANARY}.yaml").write_text(f"{CANARY}: 1\n")
        rng = self.rng
        self.write("parts/agreement.yaml", PART.format(n=0, title="Management Agreement"))
        self.includes = ["parts/*.yaml"]
        steps = [getattr(self, SURFACES[name]) for name in sorted(self.surfaces) if SURFACES[name]]
        for step in rng.sample(steps, min(len(steps), rng.randint(1, 4))):
            step()
        n = rng.randint(0, 9)
        self.write("trust.yaml", ROOT.format(n=n, include=json.dumps(self.includes), policy=self.policy))
        if rng.random() < 0.15 and "roots" in self.surfaces:  # the root itself is hostile
            self.hostile_root()
        self.command_line()

    # --- the trust ---------------------------------------------------------------------------------
    def links_out(self) -> None:
        rng = self.rng
        choices = [("parts/out.yaml", "../../outside/secret.yaml"), ("parts/out2.yaml", str(self.outside / "part.yaml")),
                   ("ext", "../outside"), ("ext", str(self.outside / "dir")), ("etc", "/etc"),
                   ("parts/passwd.yaml", "/etc/passwd"), ("parts/environ.yaml", "/proc/self/environ"),
                   ("parts/sub", "../../outside/dir"), ("parts/dangling.yaml", "../nowhere.yaml")]
        for rel, target in rng.sample(choices, rng.randint(1, 4)):
            self.link(rel, target)
        self.includes += rng.sample(["ext/*", "etc/*", "parts/**/*.yaml", "ext/**"], rng.randint(0, 2))

    def devices(self) -> None:
        rel = self.rng.choice(["parts/zero.yaml", "parts/null.yaml", "parts/urandom.yaml"])
        device = {"zero": (1, 5), "null": (1, 3), "urandom": (1, 9)}[rel.split("/")[1].split(".")[0]]
        path = self.trust / rel
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(*device))
            self.note(f"character device {rel} {device}")
        except (OSError, AttributeError):  # not allowed here: a link to the device instead
            self.link(rel, f"/dev/{rel.split('/')[1].split('.')[0]}")

    def fifo(self) -> None:
        if not hasattr(os, "mkfifo"):
            return
        rel = self.rng.choice(["parts/pipe.yaml", "pipe.yaml", "parts/sub/pipe.yaml"])
        (self.trust / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(self.trust / rel)
        self.note(f"fifo {rel}")
        self.includes.append(self.rng.choice(["parts/**/*.yaml", "*.yaml", "**/*.yaml"]))

    def loops(self) -> None:
        self.link("loop/self", ".")
        self.link("loop/up", "..")
        self.link("loop/a.yaml", "b.yaml")
        self.link("loop/b.yaml", "a.yaml")
        self.includes.append(self.rng.choice(["loop/**/*.yaml", "**/*.yaml", "loop/*"]))

    def deep(self) -> None:
        depth = self.rng.choice([30, 120, 400, 1100])
        fd = os.open(self.trust, os.O_RDONLY)
        try:  # one level at a time, relative to the last (os.makedirs recurses, and paths grow long)
            for name in ("deep", *["d"] * depth):
                with _quiet():
                    os.mkdir(name, dir_fd=fd)
                inner = os.open(name, os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = inner
            out = os.open("x.yaml", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd)
            os.write(out, PART.format(n=1, title="Deep").encode())
            os.close(out)
        finally:
            os.close(fd)
        self.note(f"folders {depth} deep")
        self.includes.append(self.rng.choice(["deep/**/*.yaml", "**/*.yaml", "deep/**"]))

    def odd_names(self) -> None:
        for name in self.rng.sample(ODD_NAMES, self.rng.randint(1, 4)):
            try:
                self.write(b"parts/" + name, PART.format(n=2, title="Odd").replace("ma-2", f"ma-{len(name)}"))
                self.note(f"part named {name!r}")
            except OSError:
                pass

    def odd_files(self) -> None:
        rng = self.rng
        for kind in rng.sample(["sparse", "dir", "utf16", "empty", "bom", "binary", "huge-line"], rng.randint(1, 3)):
            if kind == "sparse":
                with open(self.trust / "parts" / "sparse.yaml", "wb") as out:
                    out.truncate(25 * 1024 * 1024)
            elif kind == "dir":
                (self.trust / "parts" / "folder.yaml").mkdir(exist_ok=True)
            elif kind == "utf16":
                self.write("parts/utf16.yaml", PART.format(n=3, title="U").encode("utf-16"))
            elif kind == "empty":
                self.write("parts/empty.yaml", "")
            elif kind == "bom":
                self.write("parts/bom.yaml", "\ufeff" + PART.format(n=4, title="B"))
            elif kind == "binary":
                self.write("parts/binary.yaml", bytes(rng.randrange(256) for _ in range(512)))
            else:
                self.write("parts/line.yaml", "x_long: " + "a" * 2_000_000 + "\n")
            self.note(f"part: {kind}")

    def odd_includes(self) -> None:
        picked = self.rng.sample(INCLUDES, self.rng.randint(1, 4))
        self.includes += picked
        self.note(f"includes {picked!r}")

    def hostile_title(self) -> None:
        title = "".join(self.rng.choice(RAW + ("x", " ", "\n", "\x00", "\x7f")) for _ in range(12))
        escaped = "".join(f"\\u{ord(c):04x}" for c in title)
        self.write("parts/title.yaml", PART.format(n=5, title=escaped))
        self.note("a title of controls and bidi marks")

    def pack(self) -> None:
        rng = self.rng
        extends = rng.choice(PACK_EXTENDS)
        value = rng.choice(PACK_VALUES)
        body = ("id: fuzz\ntitle: Fuzz pack\nextends: {ext}\nrules:\n  termination-notice:\n    params:\n"
                "      notice_days_max: {{value: {value}, reference: fuzz}}\n")
        if extends == "chain":
            length = rng.choice([3, 50, 1000])
            for i in range(length):
                nxt = f"pack{i + 1}.yaml" if i + 1 < length else "ica-1940"
                self.write(f"pack{i}.yaml", f"id: p{i}\ntitle: P{i}\nextends: {nxt}\n")
            extends = "pack0.yaml"
            self.note(f"a chain of {length} packs")
        elif extends == "pipe" and hasattr(os, "mkfifo"):
            os.mkfifo(self.trust / "pipe-pack.yaml")
            extends = "pipe-pack.yaml"
        elif extends == "link-out":
            self.link("out-pack.yaml", "../outside/secret.yaml")
            extends = "out-pack.yaml"
        elif extends == "self":
            extends = "pack.yaml"
        self.write("pack.yaml", body.format(ext=extends, value=value))
        self.policy = "policy: pack.yaml\n"
        self.note(f"pack extends {extends}, notice_days_max {value[:20]}")

    def hostile_root(self) -> None:
        kind = self.rng.choice(["zero", "utf16", "syntax", "link-out", "fifo"])
        root = self.trust / "trust.yaml"
        text = root.read_text()
        root.unlink()
        if kind == "zero":
            os.symlink("/dev/zero", root)
        elif kind == "utf16":
            root.write_bytes(text.encode("utf-16"))
        elif kind == "syntax":
            root.write_text("{format: 1, trust: {name: T}, x: [}\n")
        elif kind == "link-out":
            os.symlink("../outside/secret.yaml", root)
        elif hasattr(os, "mkfifo"):
            os.mkfifo(root)
        self.note(f"root: {kind}")

    # --- what the user controls --------------------------------------------------------------------
    def baseline(self) -> str:
        rng = self.rng
        path = self.work / "baseline.json"
        kind = rng.choice(["shape", "deep", "list-file", "fifo", "device", "valid", "binary", "huge-int"])
        if kind == "shape":
            path.write_text('{"mist-check-baseline": 1, "findings": {"a": 5}}')
        elif kind == "deep":
            path.write_text('{"mist-check-baseline": 1, "findings": ' + "[" * 200_000 + "]" * 200_000 + "}")
        elif kind == "list-file":
            path.write_text('{"mist-check-baseline": 1, "findings": {"x": {"file": ["a"], "rule": 5}}}')
        elif kind == "fifo" and hasattr(os, "mkfifo"):
            os.mkfifo(path)
        elif kind == "device":
            os.symlink("/dev/zero", path)
        elif kind == "binary":
            path.write_bytes(bytes(rng.randrange(256) for _ in range(300)))
        elif kind == "huge-int":
            path.write_text('{"mist-check-baseline": ' + "9" * 50_000 + "}")
        else:
            path.write_text('{"mist-check-baseline": 1, "findings": {}}')
        self.note(f"baseline: {kind}")
        return str(path)

    def pyproject(self) -> None:
        kind = self.rng.choice(["scalar", "array", "nested", "unknown", "fifo-baseline", "paths", "types"])
        text = {
            "scalar": "tool.mist-check = 5\n",
            "array": "[[tool.mist-check]]\npolicy = 'mist'\n",
            "nested": "[tool.mist-check]\nselect = " + "[" * 3000 + "]" * 3000 + "\n",
            "unknown": "[tool.mist-check]\nplugins = ['os']\n",
            "fifo-baseline": "[tool.mist-check]\nbaseline = 'cfg-pipe'\n",
            "paths": "[tool.mist-check]\npaths = ['trust', '../../etc']\n",
            "types": "[tool.mist-check]\nselect = 'fee-cap'\nfail-on = 3\n",
        }[kind]
        if kind == "fifo-baseline" and hasattr(os, "mkfifo"):
            os.mkfifo(self.work / "cfg-pipe")
        (self.work / "pyproject.toml").write_text(text)
        self.note(f"pyproject: {kind}")

    def plugin(self) -> str:
        behaviour = self.rng.choice(BEHAVIOURS)
        name = f"fuzz_plugin_{self.s.seed}"
        rule_id, severity, body = "fuzz-rule", "error", "    return []\n"
        top = ""
        if behaviour.startswith("raise-"):
            exc = {"raise-system-exit": "SystemExit(7)", "raise-generator-exit": "GeneratorExit()",
                   "raise-base": "BaseException('fuzz')", "raise-keyboard": "KeyboardInterrupt()"}[behaviour]
            body = f"    raise {exc}\n"
            self.s.interrupt = behaviour == "raise-keyboard"
        elif behaviour in ("string-severity", "other-id", "text-line"):
            change = {"string-severity": "severity='error'", "other-id": "rule='parse-error'",
                      "text-line": "line='7'"}[behaviour]
            body = ("    f = ctx.finding(Location(trust.root.path, 1, 1, '/trust'), 'x')\n"
                    f"    yield dataclasses.replace(f, {change})\n")
        elif behaviour == "yield-none":
            body = "    yield None\n"
        elif behaviour == "loop-forever":
            body = "    while True:\n        pass\n"
        elif behaviour == "loop-stubborn":
            body = "    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n" \
                   "    while True:\n        pass\n"
        elif behaviour == "controls":
            body = ("    yield ctx.finding(Location(trust.root.path, 1, 1, '/trust'), "
                    f"{''.join(RAW)!r} * 3 + 'forged\\nline')\n")
        elif behaviour == "many":
            body = ("    for i in range(20000):\n"
                    "        yield ctx.finding(Location(trust.root.path, 1, 1, '/trust'), f'n{i}')\n")
        elif behaviour == "recursion":
            body = "    return check(trust, ctx)\n"
        elif behaviour == "kill-worker":
            top = "PARENT = os.getpid()\n"
            body = "    if os.getpid() != PARENT:\n        os.kill(os.getpid(), signal.SIGKILL)\n    return []\n"
        elif behaviour == "reserved-id":
            rule_id = self.rng.choice(["parse-error", "schema", "reference", "plugin-error", "unused-suppression"])
        elif behaviour == "bad-severity":
            severity = "fatal"
        elif behaviour == "import-exit":
            top = "raise SystemExit(3)\n"
        source = ("import dataclasses, os, signal\nfrom mist_check import Rule, hookimpl\n"
                  "from mist_check.findings import Location\n" + top +
                  "def check(trust, ctx):\n" + body + "    yield from ()\n\n@hookimpl\ndef mist_check_rules():\n"
                  f"    return [Rule({rule_id!r}, check, severity={severity!r}, doc='Fuzz.')]\n")
        (self.work / f"{name}.py").write_text(source)
        self.note(f"plugin: {behaviour}")
        return name

    def command_line(self) -> None:
        rng, s = self.rng, self.s
        argv = ["check", rng.choice([".", ".", "trust.yaml", "parts", "parts/agreement.yaml", "parts/odd.yaml"])]
        argv += ["--format", rng.choice(FORMATS), "--as-of", AS_OF, "--no-entry-points", "--rule-timeout", "1"]
        if rng.random() < 0.3:
            argv += ["--jobs", "2"]
        if rng.random() < 0.3 and "plugins" in self.surfaces:
            argv += ["--plugin", self.plugin()]
        if rng.random() < 0.25 and "baselines" in self.surfaces:
            argv += ["--baseline", self.baseline()]
        elif rng.random() < 0.1:
            argv += ["--write-baseline", str(self.work / "written-baseline.json")]
        if rng.random() < 0.2 and "config" in self.surfaces:
            self.pyproject()
        if rng.random() < 0.2:
            flag = rng.choice(["--max-file-bytes", "--max-depth", "--max-values"])
            argv += [flag, str(rng.choice([1, 2, 10, 100, 2000, 10**9]))]
        if rng.random() < 0.1:
            argv += ["--output", str(self.work / "report.out")]
        s.stdout = rng.choices(["file", "pipe", "full", "closed"], [80, 8, 6, 6])[0] if "streams" in self.surfaces \
            else "file"
        if s.stdout == "full" and not os.path.exists("/dev/full"):
            s.stdout = "file"
        s.argv = argv
        self.note(f"argv {argv!r}, stdout {s.stdout}")


# --- running one input ---------------------------------------------------------------------------

def _allowed_roots(work: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(places the child may open or list, places inside them it may not)."""
    import sysconfig

    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, REPO, work,
                                           sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"])}
    roots |= {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}  # (site dirs, .pth entries)
    roots |= {"/dev/null", "/dev/full", "/dev/urandom", "/proc/self/fd", os.path.realpath("/dev/shm")}
    return tuple(sorted(roots)), (os.path.realpath(work / "outside"),)


_REAL_DIRS: dict[str, str] = {}


def _real(path: str) -> str:
    """``os.path.realpath``, with each directory's real path remembered: the hook sees every file of
    trees a thousand levels deep, and resolving each from the root again costs the square of it."""
    path = os.path.abspath(path)
    head, tail = os.path.split(path)
    missing = []
    directory = head
    while directory not in _REAL_DIRS and directory != os.path.dirname(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    base = _REAL_DIRS.get(directory, directory)
    for d in reversed(missing):
        candidate = os.path.join(base, os.path.basename(d))
        base = _REAL_DIRS[d] = os.path.realpath(candidate) if os.path.islink(candidate) else candidate
    full = os.path.join(_REAL_DIRS.get(head, base), tail) if tail else _REAL_DIRS.get(head, base)
    return os.path.realpath(full) if os.path.islink(full) else full


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _child(work: Path, s: Scenario, out_path: Path, err_path: Path, audit_fd: int) -> None:  # pragma: no cover
    """In the forked child: the streams, the limits, the audit hook, then the command line."""
    os.setpgid(0, 0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(err, 2)
    if s.stdout == "file":
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    elif s.stdout == "full":
        out = os.open("/dev/full", os.O_WRONLY)
    elif s.stdout == "pipe":  # a reader that has gone: every write is EPIPE
        read, out = os.pipe()
        os.close(read)
    else:
        out = -1
    if out >= 0:
        os.dup2(out, 1)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=False)
    else:
        os.close(1)
        sys.stdout = None  # as the interpreter starts with no file descriptor 1
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace")
    try:
        import resource

        limit = 3 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    roots, forbidden = _allowed_roots(work)
    named = tuple(os.path.realpath(p) for p in s.named)
    trust = os.path.realpath(work / "trust")
    ancestors = {os.path.dirname(trust)}
    while os.path.dirname(min(ancestors, key=len)) not in ancestors:
        ancestors.add(os.path.dirname(min(ancestors, key=len)))

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or not args:
            return
        target = args[0]
        if target is None or isinstance(target, int):
            return
        try:
            real = _real(os.fsdecode(target))
        except (TypeError, ValueError, OSError):
            return
        if (_under(real, roots) and not _under(real, forbidden)) or real in named:
            return
        if event != "open" and real in ancestors:  # tracing a part to its root looks upwards
            return
        os.write(audit_fd, (json.dumps([event, real]) + "\n").encode("utf-8", "backslashreplace"))

    os.chdir(work / "trust")  # (the trust's directory, as a fund repository's hook runs)
    sys.path.insert(0, str(work))
    sys.argv = ["mist-check", *s.argv]
    from mist_check.cli import main

    sys.addaudithook(hook)
    code = 3
    try:
        code = main(s.argv)
    except BaseException as exc:  # noqa: B036 - reported through stderr, as the interpreter would
        import traceback

        sys.stderr.write("Traceback (from the fuzz child)\n" + "".join(traceback.format_exception(exc)))
        code = 99
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BaseException:  # noqa: B036 - the CLI must have reported it; a failed final flush is its bug
        sys.stderr.write("Exception ignored: the final flush of stdout failed\n")
        code = 98
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 97)


@dataclass
class Outcome:
    code: int | None
    seconds: float
    problems: list[str]


def run_one(s: Scenario, base: Path, timeout: float) -> Outcome:
    """Run one built scenario in a forked child; what went wrong, if anything."""
    work = base / "work"
    out_path, err_path, audit_path = base / "stdout", base / "stderr", base / "audit"
    audit_fd = os.open(audit_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            _child(work, s, out_path, err_path, audit_fd)
        finally:
            os._exit(96)
    os.close(audit_fd)
    problems: list[str] = []
    code: int | None = None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - started > timeout:
            problems.append(f"hang: no exit after {timeout} s")
            with _quiet():
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    seconds = time.monotonic() - started
    with _quiet():  # workers left in the child's process group
        os.killpg(pid, signal.SIGKILL)
    out = out_path.read_bytes() if out_path.exists() else b""
    err = err_path.read_bytes().decode("utf-8", "replace") if err_path.exists() else ""
    for line in audit_path.read_text(encoding="utf-8").splitlines() if audit_path.exists() else ():
        problems.append(f"read outside the trust: {line}")
    if code is not None:
        allowed = {0, 1, 2} | ({130} if s.interrupt else set())
        if code not in allowed:
            problems.append(f"exit code {code}")
    if "Traceback" in err or "Exception ignored" in err:
        problems.append("traceback: " + err[-2000:])
    elif code is not None:
        stray = [line for line in err.splitlines() if not line.startswith("mist-check: ")]
        if stray:
            problems.append(f"stderr line that is not a one-line message: {stray[0][:300]!r}")
    extra = [out]
    for name in ("report.out", "written-baseline.json"):
        with _quiet():
            extra.append((work / name).read_bytes()[:50_000_000])
    for blob in extra:
        if CANARY.encode() in blob:
            problems.append("a canary from outside the trust was printed")
    if CANARY in err:
        problems.append("a canary from outside the trust was printed on stderr")
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"stdout is not UTF-8: {exc}")
        text = ""
    if "--format" in s.argv and s.argv[s.argv.index("--format") + 1] in ("text", "github"):
        raw = sorted({repr(c) for c in RAW if c in text})
        if raw:
            problems.append(f"raw characters in a human format: {', '.join(raw)}")
    return Outcome(code, seconds, problems)


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is not None and issubclass(exc[0], (OSError, ProcessLookupError))  # type: ignore[arg-type]


def scenario(seed: int, base: Path, surfaces: tuple[str, ...] = ()) -> Scenario:
    s = Scenario(seed)
    Builder(base, random.Random(seed), s, surfaces).build()
    if "--baseline" in s.argv:
        s.named.append(s.argv[s.argv.index("--baseline") + 1])
    return s


def _kind(problem: str) -> str:
    """A failure's kind, to save each once: its first words, without paths or numbers."""
    head = problem.split(":", 1)[0]
    if head == "traceback":
        lines = [line for line in problem.splitlines() if line.strip()]
        return "traceback: " + (lines[-1].split(":", 1)[0] if lines else "")
    return head


def _rmtree(path: Path) -> None:
    """Remove a scenario (``rm -rf``: ``shutil.rmtree`` recurses once per level of a deep tree)."""
    import shutil
    import subprocess

    rm = shutil.which("rm")
    if rm:
        subprocess.run([rm, "-rf", "--", str(path)], check=False)
    if path.exists():
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            sys.setrecursionlimit(limit)


def fuzz_trees(examples: int | None, seconds: float | None, seed: int | None, corpus: Path,
               timeout: float = 30.0, log: Callable[[str], None] = print,
               surfaces: tuple[str, ...] = ()) -> tuple[int, list[dict[str, Any]]]:
    """Run scenarios until ``examples`` or ``seconds``; (inputs run, the failures, one per kind).
    ``surfaces`` limits what the scenarios attack (names from ``SURFACES``; all by default)."""
    first = seed if seed is not None else random.SystemRandom().randrange(2**32)
    started = time.monotonic()
    seen: set[str] = set()
    failures: list[dict[str, Any]] = []
    count = 0
    while True:
        if examples is not None and count >= examples:
            break
        if seconds is not None and time.monotonic() - started >= seconds:
            break
        n = first + count
        base = Path(tempfile.mkdtemp(prefix="mist-fuzz-tree-"))
        try:
            s = scenario(n, base, surfaces)
            outcome = run_one(s, base, timeout)
        finally:
            _rmtree(base)
        count += 1
        for problem in outcome.problems:
            kind = _kind(problem)
            if kind in seen:
                continue
            seen.add(kind)
            record = {"seed": n, "problem": problem[:4000], "exit": outcome.code, "recipe": s.recipe,
                      "replay": f"tools/fuzz.py --mode tree --examples 1 --seed {n}"}
            failures.append(record)
            corpus.mkdir(parents=True, exist_ok=True)
            index = 1 + max((int(p.stem.split("-")[1]) for p in corpus.glob("tree-*.json")
                             if p.stem.split("-")[1].isdigit()), default=0)
            (corpus / f"tree-{index}.json").write_text(json.dumps(record, indent=2, ensure_ascii=True) + "\n")
            log(f"seed {n}: {problem[:300]}")
        if count % 100 == 0:
            log(f"{count} inputs, {len(failures)} failure kinds, {time.monotonic() - started:.0f} s")
    return count, failures
