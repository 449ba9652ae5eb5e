"""Score `mist-check draft` on the project's own test filings: facts right, wrong, left for review.

Each `tests/filings/data/<name>.<ext>` has `<name>.expected.yaml`, the documents a careful person
records from it (in the format). Every leaf value of the draft is compared with the expected one
(ids and `source` are names, not facts, and are not scored; a list of names or a requirement tree
is one fact):
- right: drafted and equal to the expected value;
- wrong: drafted but different, or drafted where nothing is expected;
- review: expected but not drafted (left out, with a `# review:` comment, or not found).

    python tools/score_filings.py            # prints the table
    python tools/score_filings.py --readme   # rewrites the table in README.md between its markers
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "filings" / "data"
NOT_SCORED = {"id", "source"}
MARK_START, MARK_END = "<!-- draft-score -->", "<!-- /draft-score -->"


def flatten(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    out: dict[tuple[Any, ...], Any] = {}
    if isinstance(node, dict) and not (path and path[-1] in ("by", "requires", "continuance_requires")):
        for key, value in node.items():
            if key in NOT_SCORED:
                continue
            out.update(flatten(value, path + (key,)))
    elif isinstance(node, list) and node and all(isinstance(v, dict) for v in node):
        for i, value in enumerate(node):
            out.update(flatten(value, path + (i,)))
    else:
        out[path] = _canon(node)
    return out


def _canon(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_canon(v) for v in value)
    return str(value) if value is not None and not isinstance(value, bool | int) else value


def score_one(filing: Path) -> tuple[int, int, int, list[str]]:
    from mist_check.filings.draft import draft
    from mist_check.manager import collect_extractors, plugin_manager

    expected_file = filing.with_name(filing.name.rsplit(".", 1)[0] + ".expected.yaml")
    expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))["documents"][0]
    extractors = collect_extractors(plugin_manager(entry_points=False))
    text, _ = draft([filing], extractors, filing.parent, 20 * 1024 * 1024)
    drafted = yaml.safe_load(text)["documents"][0]
    want, got = flatten(expected), flatten(drafted)
    right = sum(1 for p, v in got.items() if p in want and want[p] == v)
    wrong_paths = [p for p, v in got.items() if p not in want or want[p] != v]
    review = sum(1 for p in want if p not in got)
    notes = [f"{filing.name}: {'.'.join(map(str, p))} drafted {got[p]!r}, expected {want.get(p)!r}"
             for p in wrong_paths]
    return right, len(wrong_paths), review, notes


def filings() -> list[Path]:
    return sorted(p for p in DATA.iterdir() if not p.name.endswith(".expected.yaml") and p.suffix in (".txt", ".htm"))


def table() -> tuple[str, list[str]]:
    rows = ["| test filing | what it tests | right | wrong | left for review |", "|---|---|---:|---:|---:|"]
    totals = [0, 0, 0]
    notes: list[str] = []
    for filing in filings():
        right, wrong, review, why = score_one(filing)
        notes += why
        for i, n in enumerate((right, wrong, review)):
            totals[i] += n
        about = _about(filing)
        rows.append(f"| `{filing.name}` | {about} | {right} | {wrong} | {review} |")
    rows.append(f"| **total** | | **{totals[0]}** | **{totals[1]}** | **{totals[2]}** |")
    return "\n".join(rows), notes


def _about(filing: Path) -> str:
    expected = filing.with_name(filing.name.rsplit(".", 1)[0] + ".expected.yaml").read_text(encoding="utf-8")
    for line in expected.splitlines():
        if line.startswith("# about: "):
            return line[len("# about: "):]
    return ""


def main(argv: list[str]) -> int:
    text, notes = table()
    for note in notes:
        print(note, file=sys.stderr)
    if "--readme" in argv:
        readme = ROOT / "README.md"
        body = readme.read_text(encoding="utf-8")
        start, end = body.index(MARK_START) + len(MARK_START), body.index(MARK_END)
        readme.write_text(body[:start] + "\n" + text + "\n" + body[end:], encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
