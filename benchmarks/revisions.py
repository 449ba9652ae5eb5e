#!/usr/bin/env python3
"""Benchmark the amendment gate: ``check --new-from-rev`` and ``diff`` against a plain ``check``.

    python benchmarks/revisions.py                  # 100 trusts, median of 3 runs, --jobs 1
    python benchmarks/revisions.py --trusts 20 --repeat 5

Commits a corpus of ``benchmarks/generate.py`` to a fresh git repository in a temporary directory,
then commits an amendment to one trust (a portfolio added to its portfolios file), and times, side
by side in one run: ``check`` of the work tree, ``check --new-from-rev HEAD~1`` (the work tree and
the base revision, read with ``git archive``), ``diff HEAD~1`` and ``git archive`` alone. The target
(issue 15): checking the base revision costs no more than a second ``check``, i.e. the
``--new-from-rev`` run takes at most twice the plain one. Prints Markdown; progress on stderr.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py, standard library only)

TARGET_RATIO = 2.0  # --new-from-rev <= 2x a plain check (the base costs at most one more check)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, list[float], int]:
    times, rc = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, rc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trusts", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--venv", type=Path, default=REPO / ".venv")
    args = parser.parse_args(argv)
    tool = str(args.venv / "bin" / "mist-check")
    with tempfile.TemporaryDirectory(prefix="mist-check-bench-rev-") as tmp:
        root = Path(tmp) / "funds"
        print(f"generating {args.trusts} trusts ...", file=sys.stderr)
        manifest = generate.generate(root / "corpus", args.seed, args.trusts, dict(generate.DEFAULTS), quiet=True)
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.email", "bench@example.invalid")
        git(root, "config", "user.name", "bench")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "corpus")
        first = sorted((root / "corpus").glob("trust-*/portfolios.yaml"))[0]
        first.write_text(first.read_text() + "  - id: bench-new-portfolio\n    name: Bench New Portfolio\n"
                         "    management_fee: \"0.50%\"\n", encoding="utf-8")
        git(root, "commit", "-q", "-am", "amendment")
        base = [tool, "check", "corpus", "--format", "json", "--jobs", "1", "--fail-on", "never"]
        rows = []
        for label, cmd in (("check", base),
                           ("check --new-from-rev HEAD~1", [*base, "--new-from-rev", "HEAD~1"]),
                           ("diff HEAD~1 --format json", [tool, "diff", "HEAD~1", "corpus", "--format", "json"]),
                           ("git archive HEAD~1 (alone)", ["sh", "-c", "git archive HEAD~1 > /dev/null"])):
            print(f"  {label} ...", file=sys.stderr)
            subprocess.run(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
            median, times, rc = timed(cmd, root, args.repeat)
            rows.append((label, median, times, rc))
        new = json.loads(subprocess.run([*base, "--new-from-rev", "HEAD~1"], cwd=root, capture_output=True,
                                        check=False).stdout)
        live = [f["rule"] for f in new["findings"] if f["suppressed"] is None]
    plain = rows[0][1]
    print(f"{args.trusts} trusts ({manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB), --jobs 1, "
          f"median of {args.repeat}:\n")
    print("| command | median s | runs s | x check |")
    print("|---|---:|---|---:|")
    for label, median, times, _ in rows:
        print(f"| `{label}` | {median:.2f} | {', '.join(f'{t:.2f}' for t in times)} | {median / plain:.2f} |")
    ratio = rows[1][1] / plain
    extra = rows[1][1] - plain
    print(f"\nTarget: `--new-from-rev` <= {TARGET_RATIO:.0f}x `check` (the base revision costs no more than a "
          f"second check): {ratio:.2f}x, {'met' if ratio <= TARGET_RATIO else 'NOT met'}; the base revision "
          f"adds {extra:.2f} s = {extra / plain:.2f}x a `check` (whose {plain:.2f} s include the interpreter's "
          f"start). New findings after the amendment: {live}.")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
