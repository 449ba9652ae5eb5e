#!/usr/bin/env python3
"""Benchmark mist-check: "fast at both ends" (a 1,000-trust audit and a one-trust pre-commit run).

    python benchmarks/run.py                      # sizes 1,100,1000; --jobs 1 and 2
    python benchmarks/run.py --sizes 1,100 --repeat 3

Generates the corpus with ``benchmarks/generate.py`` where it is missing (``--corpus``, default
``benchmarks/corpus/``, one directory per size), then prints Markdown: the machine, one table row
per size and ``--jobs`` value, and the targets of the issue with what was measured. Progress goes
to stderr, so ``python benchmarks/run.py > results.md`` keeps only the report. Only the standard
library is needed to run this script; the floor is measured with the venv's Python and PyYAML.
See benchmarks/README.md for what each column means.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py, standard library only)

# Targets of the issues "Fast at both ends" and "Faster than parsing".
TARGET_FLOOR_RATIO = 1.0  # full check of 1,000 trusts on one core <= 1x the floor (it was 2x)
TARGET_SPEEDUP = 1.7  # --jobs 2 >= 1.7x faster than --jobs 1 at 1,000 trusts, byte-identical output
TARGET_GROWTH = 11.0  # 1,000 trusts <= 11x the time of 100
TARGET_RSS_MB = 150.0  # peak RSS at 1,000 trusts
TARGET_PRECOMMIT = 0.2  # one trust as pre-commit runs it <= 0.2x check-jsonschema's time (it was 0.3x)
TARGET_BIG_RSS = 1.0  # peak RSS of a check of the big file <= that of PyYAML composing it alone
BIG_ITEMS = 300_000  # list items in the big file
TARGET_VERSION_MS = 60.0  # mist-check --version
INVALID_RULES = {"parse-error", "schema", "reference", "plugin-error"}

# Runs one command and reports its wall time and the peak RSS of its process tree. A fresh wrapper
# per measurement: RUSAGE_CHILDREN's ru_maxrss is the largest RSS of any process the wrapper has
# waited for (on Linux, grandchildren such as pool workers included), so it is this run's peak only.
WRAPPER = r"""
import json, os, resource, subprocess, sys, time
cmd, cwd = json.loads(sys.argv[1]), sys.argv[2]
with open(os.devnull, "wb") as null:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=null, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rc": proc.returncode, "maxrss_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stderr": proc.stderr.decode("utf-8", "replace")[-2000:]}))
"""

# The floor: read every YAML file of the corpus and compose it with libyaml, in one process.
FLOOR = r"""
import json, sys, time
from pathlib import Path
import yaml
root, repeat = Path(sys.argv[1]), int(sys.argv[2])
files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
times = []
for _ in range(repeat):
    start = time.perf_counter()
    for path in files:
        with open(path, encoding="utf-8") as fh:
            yaml.compose(fh.read(), Loader=yaml.CSafeLoader)
    times.append(time.perf_counter() - start)
native = []  # rapidyaml's own parse of the same files (the native reader's limit), where installed
try:
    import ryml
except ImportError:
    ryml = None
for _ in range(repeat if ryml else 0):
    start = time.perf_counter()
    for path in files:
        ryml.parse_in_arena(path.read_bytes())
    native.append(time.perf_counter() - start)
print(json.dumps({"files": len(files), "bytes": sum(p.stat().st_size for p in files), "seconds": min(times),
                  "native": min(native) if native else None}))
"""

# PyYAML composing one file alone, in a fresh process: the big file's memory floor
COMPOSE_ONE = r"""
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as fh:
    yaml.compose(fh.read(), Loader=yaml.CSafeLoader)
"""


def child_env(cache: Path) -> dict[str, str]:
    """The environment of every measured command: bytecode cached as in an installed package, in a
    private directory (``PYTHONPYCACHEPREFIX``) so that nothing is written into the source tree.
    Without it, a ``PYTHONDONTWRITEBYTECODE=1`` environment recompiles every module on every run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


ENV: dict[str, str] | None = None  # set in main()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ints(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of integers") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive integers")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=ints, default=[1, 100, 1000], help="trust counts (default 1,100,1000)")
    parser.add_argument("--jobs", type=ints, default=[1, 2], help="--jobs values to run (default 1,2)")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus",
                        help="corpus directory, one subdirectory per size (default benchmarks/corpus)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed runs per size and --jobs value; the median is reported (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--venv", type=Path, default=REPO / ".venv",
                        help="the virtual environment mist-check is installed in (default .venv)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------
def ensure_corpus(directory: Path, size: int, seed: int) -> dict[str, Any]:
    """The manifest of a ``size``-trust corpus made with ``seed`` and the default knobs; generated
    (or regenerated, when it was made with other settings) where needed."""
    manifest_path = directory / "MANIFEST.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (manifest.get("generator_sha256"), manifest.get("seed"), manifest.get("trusts"),
                manifest.get("knobs")) == (generate.source_digest(), seed, size, generate.DEFAULTS):
            return manifest
    log(f"generating {size} trusts (seed {seed}) in {directory} ...")
    start = time.perf_counter()
    manifest = generate.generate(directory, seed, size, dict(generate.DEFAULTS), quiet=True)
    log(f"  done in {time.perf_counter() - start:.1f} s: {manifest['files']} files, "
        f"{manifest['bytes'] / 1e6:.1f} MB")
    return manifest


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------
def ensure_big(directory: Path, seed: int) -> Path:
    """The big-file case: trust #0 of the corpus whose ``reports.yaml`` holds ``BIG_ITEMS`` reports
    of one plan (its id shortened to ``a`` in every file, so that the file stays within the default
    20 MB), the quarters of the 10-year corpus repeated. Returns the trust's directory."""
    ensure_corpus(directory, 1, seed)
    trust = directory / generate.trust_dir_name(0)
    reports = trust / "reports.yaml"
    text = reports.read_text(encoding="utf-8")
    if text.count("\n  - ") >= BIG_ITEMS:
        return trust
    plan = re.search(r"plan: ([\w-]+),", text).group(1)
    for path in trust.rglob("*.yaml"):
        body = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\b{re.escape(plan)}\b", "a", body), encoding="utf-8")
    lines = reports.read_text(encoding="utf-8").split("\n")
    items = [line for line in lines if line.startswith("  - {plan: a,")]
    head = [line for line in lines if line and not line.startswith("  - ")]
    body = [items[i % len(items)] for i in range(BIG_ITEMS)]
    reports.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return trust


def measure(cmd: list[str], cwd: Path) -> dict[str, Any]:
    """One run of ``cmd`` (stdout to /dev/null) in a fresh wrapper: wall time and peak RSS."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(cmd), str(cwd)],
                         capture_output=True, text=True, check=True, env=ENV)
    return json.loads(out.stdout)


def verify(cmd: list[str], cwd: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """An untimed run that keeps stdout (also the warm-up): its sha256, and whether the corpus is
    valid (no parse-error, schema, reference or plugin-error finding) and each trust reports
    exactly the rules of its seeded violations."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, env=ENV)
    result: dict[str, Any] = {"rc": proc.returncode, "sha256": hashlib.sha256(proc.stdout).hexdigest(),
                              "stderr": proc.stderr.decode("utf-8", "replace")[-2000:]}
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        result["error"] = "the output is not JSON"
        return result
    rules: Counter[str] = Counter(f["rule"] for f in data["findings"])
    by_trust: dict[str, set[str]] = {}
    for f in data["findings"]:
        match = re.search(r"(trust-\d+)/", f["file"])
        if match:
            by_trust.setdefault(match.group(1), set()).add(f["rule"])
    differ = [e["dir"] for e in manifest["entries"]
              if {v["rule"] for v in e["violations"]} != by_trust.get(e["dir"], set())]
    result.update({"summary": data.get("summary"), "rules": dict(rules),
                   "invalid": {r: n for r, n in rules.items() if r in INVALID_RULES},
                   "seeded_mismatch": differ})
    return result


def floor(python: Path, directory: Path, repeat: int) -> dict[str, Any]:
    out = subprocess.run([str(python), "-c", FLOOR, str(directory), str(repeat)],
                         capture_output=True, text=True, check=True, env=ENV)
    return json.loads(out.stdout)


def wall_median(cmd: list[str], cwd: Path, runs: int) -> tuple[float, list[float], int]:
    times, rc = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, rc


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------
def machine(python: Path, tool: Path) -> list[str]:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    info = subprocess.run([str(python), "-c", "import platform, yaml; print(platform.python_version(), "
                           "yaml.__version__, yaml.__with_libyaml__)"], capture_output=True, text=True, env=ENV)
    venv_python, pyyaml, libyaml = (info.stdout.split() + ["?", "?", "?"])[:3]
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, env=ENV).stdout.strip()
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "checker", "plugins",
                            "policies", "pyproject.toml"], capture_output=True, text=True).stdout.split("\n")
    dirty = [line for line in dirty if line.strip()]
    return [
        "## Machine",
        "",
        f"- Platform: {platform.platform()}",
        f"- CPU: {model}; {os.cpu_count()} logical cores ({usable} usable)",
        f"- Python: {venv_python} (venv {python}); PyYAML {pyyaml}, libyaml {'yes' if libyaml == 'True' else 'no'}",
        f"- Runner: Python {platform.python_version()} ({sys.executable})",
        f"- Tool: {version}, commit {head}"
        + (f" with {len(dirty)} uncommitted change(s) in checker/, plugins/, policies/" if dirty else ""),
        f"- Bytecode: cached in {ENV['PYTHONPYCACHEPREFIX'] if ENV else '?'} (PYTHONPYCACHEPREFIX; the "
        f"calling environment {'sets' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'does not set'} "
        "PYTHONDONTWRITEBYTECODE)",
        "",
    ]


def timed(cmd: list[str], label: str, repeat: int) -> dict[str, Any]:
    """``repeat`` timed runs of ``cmd``: the median wall and CPU time, the largest RSS, the worst exit."""
    runs = []
    for r in range(repeat):
        log(f"{label}: timed run {r + 1}/{repeat} ...")
        runs.append(measure(cmd, REPO))
    return {"wall": statistics.median(run["wall"] for run in runs),
            "cpu": statistics.median(run["cpu"] for run in runs),
            "rss_mb": max(run["maxrss_kb"] for run in runs) / 1024,
            "rc": max(run["rc"] for run in runs), "runs": runs}


def beside_check(measured: dict[str, Any], entry: dict[str, Any]) -> str:
    """CPU time against the `--jobs 1` check of the same corpus."""
    one_job = entry["jobs"].get(1)
    return fmt(measured["cpu"] / one_job["cpu"], ".2f", "×") if one_job and one_job["cpu"] else "—"


def fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bindir = args.venv / "bin"
    python, tool = bindir / "python", bindir / "mist-check"
    if not tool.exists():
        raise SystemExit(f"{tool} not found: install the checker (python -m venv .venv && "
                         ".venv/bin/pip install -e .) or pass --venv")
    global ENV
    args.corpus.mkdir(parents=True, exist_ok=True)
    ENV = child_env((args.corpus / ".pycache").resolve())
    load_before = os.getloadavg()
    report = machine(python, tool)
    results: dict[str, Any] = {"sizes": {}, "args": {k: str(v) for k, v in vars(args).items()}}
    rows = []
    base_jobs = args.jobs[0]
    notes = []
    for size in args.sizes:
        directory = (args.corpus / str(size)).resolve()
        manifest = ensure_corpus(directory, size, args.seed)
        log(f"[{size} trusts] floor ...")
        fl = floor(python, directory, max(args.repeat, 3))
        entry: dict[str, Any] = {"files": fl["files"], "bytes": fl["bytes"], "floor": fl["seconds"],
                                 "native": fl.get("native"), "jobs": {}}
        results["sizes"][size] = entry
        for jobs in args.jobs:
            cmd = [str(tool), "check", str(directory), "--format", "json", "--jobs", str(jobs)]
            log(f"[{size} trusts] --jobs {jobs}: verification run ...")
            check = verify(cmd, REPO, manifest)
            runs = []
            for r in range(args.repeat):
                log(f"[{size} trusts] --jobs {jobs}: timed run {r + 1}/{args.repeat} ...")
                runs.append(measure(cmd, REPO))
            wall = statistics.median(run["wall"] for run in runs)
            cpu = statistics.median(run["cpu"] for run in runs)
            rss = max(run["maxrss_kb"] for run in runs) / 1024
            entry["jobs"][jobs] = {"wall": wall, "cpu": cpu, "rss_mb": rss, "runs": runs, "verify": check}
            if check["rc"] == 2 or any(run["rc"] == 2 for run in runs):
                notes.append(f"- {size} trusts, --jobs {jobs}: mist-check failed (exit 2): "
                             f"{(check['stderr'] or runs[-1]['stderr']).strip()[:300]}")
            if check.get("invalid"):
                notes.append(f"- {size} trusts, --jobs {jobs}: INVALID CORPUS, findings {check['invalid']}")
            if check.get("seeded_mismatch"):
                notes.append(f"- {size} trusts, --jobs {jobs}: {len(check['seeded_mismatch'])} trusts do not "
                             f"report exactly their seeded rules (first: {check['seeded_mismatch'][:3]})")
        # the compliance calendar of the same corpus, beside check (one process: it has no --jobs)
        entry["calendar"] = timed([str(tool), "calendar", str(directory), "--format", "json"],
                                  f"[{size} trusts] calendar", args.repeat)
        # the HTML audit report of the same corpus, beside check: its time and its size
        html_out = directory.parent / f"report-{size}.html"
        entry["html"] = timed([str(tool), "check", str(directory), "--format", "html", "--output", str(html_out),
                               "--jobs", "1"], f"[{size} trusts] html report", args.repeat)
        entry["html"]["bytes"] = html_out.stat().st_size if html_out.exists() else 0
        html_out.unlink(missing_ok=True)
        base = entry["jobs"][base_jobs]
        for jobs in args.jobs:
            run = entry["jobs"][jobs]
            run["speedup"] = base["wall"] / run["wall"] if run["wall"] else None
            run["identical"] = run["verify"]["sha256"] == base["verify"]["sha256"]
            per_trust = run["wall"] / size * 1000
            ratio = run["wall"] / entry["floor"] if entry["floor"] else None
            native_ratio = run["wall"] / entry["native"] if entry["native"] else None
            same = "—" if jobs == base_jobs else ("yes" if run["identical"] else "**no**")
            speed = "—" if jobs == base_jobs else fmt(run["speedup"], ".2f", "×")
            rows.append(f"| {size:,} | {entry['files']:,} | {jobs} | {run['wall']:.2f} | {run['cpu']:.2f} | "
                        f"{per_trust:.1f} | "
                        f"{run['rss_mb']:.0f} | {entry['floor']:.3f} | {fmt(ratio, '.2f', '×')} | "
                        f"{fmt(entry['native'], '.3f')} | {fmt(native_ratio, '.0f', '×')} | {speed} | {same} |")

    report += ["## Full check (`mist-check check DIR --format json --jobs N`)", "",
               "| trusts | files | jobs | wall (s) | CPU (s) | per trust (ms) | peak RSS (MB) | floor (s) | × floor "
               "| native (s) | × native | speed-up | identical |",
               "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|", *rows, ""]
    cal_rows = []
    for size, entry in results["sizes"].items():
        cal = entry["calendar"]
        cal_rows.append(f"| {size:,} | {cal['wall']:.2f} | {cal['cpu']:.2f} | {cal['wall'] / size * 1000:.1f} | "
                        f"{cal['rss_mb']:.0f} | {beside_check(cal, entry)} | {cal['rc']} |")
    report += ["## Calendar (`mist-check calendar DIR --format json`, beside check at --jobs 1)", "",
               "| trusts | wall (s) | CPU (s) | per trust (ms) | peak RSS (MB) | CPU × check | exit |",
               "|---:|---:|---:|---:|---:|---:|---:|", *cal_rows, ""]
    html_rows = []
    for size, entry in results["sizes"].items():
        page = entry["html"]
        html_rows.append(f"| {size:,} | {page['wall']:.2f} | {page['cpu']:.2f} | {page['bytes'] / 1e6:.1f} | "
                         f"{page['bytes'] / size / 1000:.1f} | {page['rss_mb']:.0f} | {beside_check(page, entry)} | "
                         f"{page['rc']} |")
    report += ["## HTML report (`mist-check check DIR --format html --output FILE --jobs 1`, beside check)", "",
               "| trusts | wall (s) | CPU (s) | size (MB) | per trust (KB) | peak RSS (MB) | CPU × check | exit |",
               "|---:|---:|---:|---:|---:|---:|---:|---:|", *html_rows, ""]
    checks = [r["verify"] for e in results["sizes"].values() for r in e["jobs"].values()]
    if all(not c.get("invalid") and c["rc"] != 2 for c in checks):
        report.append("Every corpus loaded without parse-error, schema, reference or plugin-error findings"
                      + ("; every trust reports exactly the rules of its seeded violations."
                         if all(not c.get("seeded_mismatch") for c in checks) else "."))
    report += notes + [""]

    # the big file: peak memory of a check against PyYAML's compose of the file alone
    big_trust = ensure_big((args.corpus / "big").resolve(), args.seed)
    big_file = big_trust / "reports.yaml"
    values = 4 * BIG_ITEMS + 1000  # each report is a mapping of 3 values: above the default --max-values
    log(f"big file ({big_file.stat().st_size / 1e6:.1f} MB, {BIG_ITEMS:,} items) ...")
    compose_one = timed([str(python), "-c", COMPOSE_ONE, str(big_file)], "big file: PyYAML compose", args.repeat)
    big_cmd = [str(tool), "check", str(big_trust), "--format", "json", "--no-progress"]
    big_check = timed([*big_cmd, "--max-values", str(values)], "big file: check", args.repeat)
    big_pyyaml = timed(["env", "MIST_CHECK_NATIVE=0", *big_cmd, "--max-values", str(values)],
                       "big file: check, PyYAML alone", args.repeat)
    big_refused = timed(big_cmd, "big file: check at the default --max-values", args.repeat)
    results["big"] = {"bytes": big_file.stat().st_size, "items": BIG_ITEMS, "compose": compose_one,
                      "check": big_check, "check_pyyaml": big_pyyaml, "refused": big_refused}
    big_ratio = big_check["rss_mb"] / compose_one["rss_mb"] if compose_one["rss_mb"] else None
    report += [f"## Big file ({big_file.stat().st_size / 1e6:.1f} MB `reports.yaml`, {BIG_ITEMS:,} list items, "
               "in trust #0)", "",
               "| run | wall (s) | CPU (s) | peak RSS (MB) | × compose | exit |", "|---|---:|---:|---:|---:|---:|"]
    for label, run in (("PyYAML's compose of the file alone", compose_one),
                       (f"`mist-check check` (`--max-values {values:,}`)", big_check),
                       (f"the same, PyYAML alone (`MIST_CHECK_NATIVE=0`)", big_pyyaml),
                       ("`mist-check check` at the default `--max-values` (refused)", big_refused)):
        report.append(f"| {label} | {run['wall']:.2f} | {run['cpu']:.2f} | {run['rss_mb']:.0f} | "
                      f"{fmt(run['rss_mb'] / compose_one['rss_mb'], '.2f', '×')} | {run['rc']} |")
    report.append("")

    # growth between consecutive sizes
    sizes = args.sizes
    growth_lines = []
    growth_target = None
    for a, b in zip(sizes, sizes[1:]):
        for jobs in args.jobs:
            ta, tb = results["sizes"][a]["jobs"][jobs]["wall"], results["sizes"][b]["jobs"][jobs]["wall"]
            g = tb / ta if ta else None
            growth_lines.append(f"- time({b:,}) / time({a:,}) at --jobs {jobs}: {fmt(g, '.2f', '×')} "
                                f"(linear would be {b / a:.0f}×)")
            if (a, b) == (100, 1000) and jobs == 1:
                growth_target = g
    if growth_lines:
        report += ["## Growth", "", *growth_lines, ""]

    # mist-check --version
    log("mist-check --version x10 ...")
    subprocess.run([str(tool), "--version"], stdout=subprocess.DEVNULL, env=ENV)  # warm the bytecode cache
    version_s, version_all, _ = wall_median([str(tool), "--version"], REPO, 10)
    results["version"] = {"median": version_s, "runs": version_all}

    # one trust as pre-commit runs it, against check-jsonschema on the same files
    trust_dir = (args.corpus / str(min(sizes))).resolve() / generate.trust_dir_name(0)
    files = sorted(p.relative_to(trust_dir).as_posix() for p in trust_dir.rglob("*.yaml"))
    hook_cmd = [str(tool), "check", *files]  # the hook's entry (`mist-check check`) + the staged files
    log(f"pre-commit: one trust ({len(files)} files) x10 ...")
    wall_median(hook_cmd, trust_dir, 1)
    hook_s, hook_all, hook_rc = wall_median(hook_cmd, trust_dir, 10)
    results["precommit"] = {"files": files, "median": hook_s, "runs": hook_all, "rc": hook_rc}
    cjs = bindir / "check-jsonschema"
    cjs_path = str(cjs) if cjs.exists() else shutil.which("check-jsonschema")
    cjs_s = None
    precommit_lines = [f"- `mist-check check <{len(files)} files>` (the hook's entry, files passed explicitly, "
                       f"one trust): {hook_s * 1000:.0f} ms (median of 10, exit {hook_rc})"]
    if cjs_path:
        with tempfile.TemporaryDirectory() as tmp:
            schema = Path(tmp) / "schema.json"
            schema.write_bytes(subprocess.run([str(tool), "schema"], capture_output=True, check=True,
                                              env=ENV).stdout)
            cjs_cmd = [cjs_path, "--schemafile", str(schema), *files]
            log("check-jsonschema x10 ...")
            wall_median(cjs_cmd, trust_dir, 1)
            cjs_s, cjs_all, cjs_rc = wall_median(cjs_cmd, trust_dir, 10)
        cjs_version = subprocess.run([cjs_path, "--version"], capture_output=True, text=True,
                                     env=ENV).stdout.strip()
        results["check_jsonschema"] = {"median": cjs_s, "runs": cjs_all, "rc": cjs_rc, "version": cjs_version}
        precommit_lines.append(f"- `check-jsonschema --schemafile <schema> <same files>` ({cjs_version}): "
                               f"{cjs_s * 1000:.0f} ms (median of 10, exit {cjs_rc})")
        precommit_lines.append(f"- ratio: {hook_s / cjs_s:.2f}× check-jsonschema's time")
    else:
        precommit_lines.append("- check-jsonschema is not installed (`.venv/bin/pip install check-jsonschema`): "
                               "no comparison")
    report += ["## Both ends", "",
               f"- `mist-check --version`: {version_s * 1000:.1f} ms (median of 10; "
               f"min {min(version_all) * 1000:.1f}, max {max(version_all) * 1000:.1f})",
               *precommit_lines, ""]

    # targets
    big = results["sizes"].get(1000, {})
    one = big.get("jobs", {}).get(1)
    two = big.get("jobs", {}).get(2)
    floor_ratio = one["wall"] / big["floor"] if one else None
    targets = [
        ("full check of 1,000 trusts, --jobs 1", f"≤ {TARGET_FLOOR_RATIO:g}× floor",
         fmt(floor_ratio, ".2f", "× floor"), None if floor_ratio is None else floor_ratio <= TARGET_FLOOR_RATIO),
        ("--jobs 2 vs --jobs 1 at 1,000 trusts", f"≥ {TARGET_SPEEDUP:g}×, byte-identical",
         "—" if not (one and two) else f"{two['speedup']:.2f}×, {'identical' if two['identical'] else 'DIFFERENT'}",
         None if not (one and two) else two["speedup"] >= TARGET_SPEEDUP and two["identical"]),
        ("time(1,000) / time(100), --jobs 1", f"≤ {TARGET_GROWTH:g}×", fmt(growth_target, ".2f", "×"),
         None if growth_target is None else growth_target <= TARGET_GROWTH),
        ("peak RSS at 1,000 trusts, --jobs 1", f"≤ {TARGET_RSS_MB:g} MB", fmt(one and one["rss_mb"], ".0f", " MB"),
         None if not one else one["rss_mb"] <= TARGET_RSS_MB),
        ("one trust as pre-commit runs it", f"≤ {TARGET_PRECOMMIT:g}× check-jsonschema",
         fmt(cjs_s and hook_s / cjs_s, ".2f", "×"), None if not cjs_s else hook_s / cjs_s <= TARGET_PRECOMMIT),
        ("`mist-check --version`", f"< {TARGET_VERSION_MS:g} ms", f"{version_s * 1000:.1f} ms",
         version_s * 1000 < TARGET_VERSION_MS),
        ("peak RSS, big file", f"≤ {TARGET_BIG_RSS:g}× PyYAML's compose of it", fmt(big_ratio, ".2f", "×"),
         None if big_ratio is None else big_ratio <= TARGET_BIG_RSS),
    ]
    load_after = os.getloadavg()
    cores = os.cpu_count() or 1
    # Others' work: a load before the run, or a one-process run whose wall time exceeds its CPU time
    # (the load average after the run counts this script's own workers, so it is not used).
    serial = [run for e in results["sizes"].values() for r in e["jobs"].values() for run in r["runs"]
              if r is e["jobs"].get(1) and run["wall"] > 0.5]
    busy = load_before[0] > 0.5 * cores or any(run["wall"] > 1.1 * run["cpu"] for run in serial)
    at = next(i for i, line in enumerate(report) if line.startswith("- Tool:")) + 1
    report[at:at] = [
        f"- Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; after: "
        f"{', '.join(f'{x:.2f}' for x in load_after)}"
        + (" — **other processes were busy: wall times are inflated; compare CPU times**"
           if busy else "")]
    results["load"] = {"before": load_before, "after": load_after}
    report += ["## Targets", "", "| target | goal | measured | |", "|---|---|---|---|"]
    report += [f"| {name} | {goal} | {measured} | {verdict(ok)} |" for name, goal, measured, ok in targets]
    print("\n".join(report))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
