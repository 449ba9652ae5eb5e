"""The native reader (rapidyaml) against PyYAML: the same values or the same refusal, never a
silent difference.

``loader.load_text`` reads a file natively where rapidyaml is installed and it has no doubt, else
with PyYAML; ``MIST_CHECK_NATIVE=0`` (here: ``loader.NATIVE = False``) makes PyYAML read every file.
Each case is loaded both ways and must give values of the same types and equal, and the same
findings at the same places. Cases: trusts generated from the format and dumped in every style,
the same broken at random, random text from YAML's own punctuation, the fuzz corpus, every YAML
file in the repository, and the cases the issue names (duplicate keys, tags, merge keys, anchors,
YAML 1.1 scalars, the limits).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import REPO
from mist_check import loader
from test_fuzz import fuzz

native = pytest.mark.skipif(loader._ryml is None, reason="rapidyaml has no wheel for this platform")
EXAMPLES = int(os.environ.get("MIST_CHECK_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it (``1 == 1.0 == True`` must not pass)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, float) and value != value:
        return ("nan",)
    return (type(value).__name__, value)


def both(text: str | bytes, limits: loader.Limits = loader.DEFAULT_LIMITS) -> tuple[Any, Any, bool]:
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    old = loader.NATIVE
    try:
        loader.NATIVE = True
        fast = loader.load_bytes(loader.SourceFile("t.yaml", Path("t.yaml")), raw, limits)
        loader.NATIVE = False
        slow = loader.load_bytes(loader.SourceFile("t.yaml", Path("t.yaml")), raw, limits)
    finally:
        loader.NATIVE = old
    used = fast._lazy
    got = (typed(fast.data), [(f.line, f.column, f.message) for f in fast.findings])
    want = (typed(slow.data), [(f.line, f.column, f.message) for f in slow.findings])
    if used:  # read natively: every position rapidyaml's tree gives is PyYAML's
        placed = same_places(fast.text, slow)
        with loader._quiet_stderr():  # the memory bound before parsing holds
            assert loader._nodes_at_most(fast.text) >= loader._ryml.parse_in_arena(fast.text.encode()).size()
        assert fast.node is not None and slow.node is not None  # and PyYAML composes the text
        assert placed >= 0
    return got, want, used


def pointers(value: Any, prefix: str = "") -> list[str]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += pointers(v, prefix + loader.pointer(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += pointers(v, prefix + loader.pointer(i))
    return out


def same_places(text: str, slow: loader.SourceFile) -> int:
    """How many positions ``_Marks`` gives for the file's values and keys (and pointers one step past
    them), each asserted equal to PyYAML's; those it cannot settle are composed, so not compared."""
    marks, placed = loader._Marks(text), 0
    for ptr in pointers(slow.data):
        for at, key in ((ptr, False), (ptr, True), (ptr + "/nowhere", False), (ptr + "/0", True)):
            try:
                got = marks.locate(at, key)
            except loader._Unplaced:
                continue
            assert got == slow.locate(at, key), (text, at, key)
            placed += 1
    return placed


def agree(text: str | bytes, limits: loader.Limits = loader.DEFAULT_LIMITS) -> bool:
    got, want, used = both(text, limits)
    assert got == want, text
    return used


# Fragments of YAML's own punctuation, scalars it reads in more than one way, and line breaks inside
# flow collections: joined at random they make valid and broken text where the two parsers differ
FRAGMENTS = ["a", "b", "k", "1", "0.5", "x y", "-", "- ", ": ", ":", " ", "  ", "\n", "\n  ", "\n    ",
             "\n- ", "[", "]", "{", "}", ", ", ",", "'", '"', "''", '""', "# c", " #", "#", "~", "null",
             "true", "True", "no", "2020-01-01", "1:30", "0o17", "1e3", ".inf", "nan", "+1", "017", "é",
             "[a,\n b]", "{k: a,\n  j: b}", "[\n", "{\n", "\n]", "\n}", "k: v", "- k: v", "&x ", "*x",
             "!!str ", "<<: ", "|\n  ", ">-\n  ", "? ", "---\n", "\t", "\r\n", "\\", "\x85", "%"]


@native
@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=16).map("".join))
@example("a: [++00:, x]\n")  # YAML 1.2 reads a mapping in the sequence; PyYAML refuses it
@example("a: {k:  . #}\n")  # a comment in a flow mapping
@example('-  "" -\n')  # text after a quoted scalar
@example("{no'':k\n- k: vx y#'no- 1}\n")  # a line of a flow collection that starts with "- "
@example("[\n\n  2020-01-01a b\"\"\n   ' \n é- k: v]\n")  # a quote that starts a line in a flow
@example("a: inf\nb: .NaN\n")  # rapidyaml's JSON writes them as ".inf" and ".nan"
def test_punctuation_reads_alike(text: str) -> None:
    agree(text + "\n")


@native
@SETTINGS
@given(fuzz.trusts(), fuzz.dump_styles())
def test_generated_trusts_read_alike(data: dict[str, Any], style: dict[str, Any]) -> None:
    agree(fuzz.dump(data, style))


@native
@SETTINGS
@given(st.data())
def test_broken_trusts_read_alike(draw: st.DataObject) -> None:
    text = fuzz.dump(draw.draw(fuzz.trusts()), draw.draw(fuzz.dump_styles()))
    agree(fuzz.mutate_text(text, fuzz.DrawChooser(draw.draw)))


def _repository_yaml() -> list[Path]:
    roots = ["fixtures", "policies", "tests", "benchmarks/corpus/1", ".pre-commit-hooks.yaml"]
    out: list[Path] = []
    for name in roots:
        path = REPO / name
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return out


@native
def test_every_yaml_file_in_the_repository_reads_alike() -> None:
    files = _repository_yaml() + sorted((REPO / "tests" / "fuzz_corpus").glob("*"))
    used = sum(agree(path.read_bytes()) for path in files)
    placed = sum(same_places(src.text, src) for src in map(loader.load_file, files) if src._lazy)
    assert placed > 10_000  # positions compared, not vacuous
    assert len(files) > 100
    assert used > len(files) // 2  # most are read natively: the comparison is not vacuous


@native
@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # a duplicate key: PyYAML's reading reports it at the second
    "a: 1\n'a': 2\n",
    "{a: 1, a: 2}\n",
    "x: {k: 1, k: 1}\n",
    "a: !!str 1\nb: !!int 2\n",  # standard tags
    "a: !custom 1\n",  # a tag that is refused
    "<<: {a: 1}\n",  # a merge key
    "base: &b {a: 1}\nother:\n  <<: *b\n",
    "a: &x 1\nb: *x\n",  # an anchor and an alias
    "a: no\nb: yes\nc: on\nd: 1:30\ne: 0o17\nf: 017\ng: 1e3\nh: 2003-02-30\ni: ~\nj: Null\nk: TRUE\nl: .inf\n",
    "a: '1'\nb: \"true\"\nc: 'no'\nd: '~'\n",  # quoted: text
    "a: " + "9" * 150 + "\n",  # a number longer than _plain reads
    "a: -0\nb: .5\nc: 1.\nd: +1\ne: -.5e3\n",
    "a: NaN\nb: Infinity\nc: -Infinity\n",
    "---\na: 1\n---\nb: 2\n",  # several documents
    "%YAML 1.1\n---\na: 1\n",
    "",  # empty
    "# only a comment\n",
    "just text\n",
    "- 1\n- 2\n",
    "a: 'it''s'\nb: \"x\\ty\"\n",
    "a: |\n  line\n  two\nb: >-\n  folded\n  text\n",
    "a: \"\x85\"\nb: x\u2028y\n",  # YAML 1.1 line breaks
    "a: 1\r\nb: 2\r\n",
    "a:\tb\n",
    "a: [1, 2,\n    3]\nb: {k: v,\n    j: w}\n",
    "key with spaces: value with: colon\nurl: http://example.com/a#b\n",
    "a: b # comment\nc: 'q' # comment\n",
    "? complex\n: value\n",
    "[a]: 1\n",
    "a: " + "x" * 1500 + "\n",
    "k" * 1100 + ": 1\n",  # an implicit key longer than PyYAML allows
    "a: [\n",  # syntax errors: PyYAML's message, at PyYAML's place
    "a: b: c\n",
    "a: 'unterminated\n",
    "a: \x01\n",
    b"a: \xff\n",
    "\ufeffa: 1\n",
])
def test_named_cases_read_alike(text: str | bytes) -> None:
    agree(text)


@native
@pytest.mark.parametrize("limits,text", [
    (loader.Limits(max_values=5), "- 1\n- 2\n- 3\n- 4\n- 5\n- 6\n"),
    (loader.Limits(max_values=5), "a: 1\nb: 2\nc: 3\nd: 4\n"),
    (loader.Limits(max_values=5), "a: 1\nb: 2\nc: [3]\n"),
    (loader.Limits(max_depth=2), "a:\n  b:\n    c: 1\n"),
    (loader.Limits(max_depth=2), "a:\n  b: [1]\n"),
    (loader.Limits(max_depth=3), "a:\n  b: [1]\n"),
    (loader.Limits(max_depth=64), "a: " + "[" * 70 + "]" * 70 + "\n"),
    (loader.Limits(max_depth=64), "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "x: 1\n"),
    (loader.Limits(max_depth=64), "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x: 1\n"),
])
def test_limits_refuse_alike(limits: loader.Limits, text: str) -> None:
    agree(text, limits)


@native
def test_the_native_reader_reads_the_format_as_written() -> None:
    """Not vacuous: the bundled trust's files are read natively (the speed this buys is measured in
    benchmarks/run.py), and a finding's position comes from rapidyaml's tree, without composing;
    one that the tree cannot settle (an empty collection) from PyYAML, composed then."""
    src = loader.load_text("trust: {name: T}\nempty: []\n")
    assert src._lazy and src.data["trust"]
    assert src.locate("/trust/name") == (1, 15) and src.locate("/trust/name", key=True) == (1, 9)
    assert src._lazy  # not composed
    assert src.locate("/empty") == (2, 8)
    assert not src._lazy  # composed for the empty collection


@native
def test_a_file_rapidyaml_refuses_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    """rapidyaml writes its parse errors on the process's standard error; the loader keeps them
    from it, and the finding is PyYAML's."""
    src = loader.load_text("a: [\n")
    assert [f.rule for f in src.findings] == ["parse-error"]
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_without_rapidyaml_pyyaml_reads_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform without a rapidyaml wheel: PyYAML alone, with the same values and findings."""
    monkeypatch.setattr(loader, "_ryml", None)
    src = loader.load_file(REPO / "fixtures" / "mist" / "trust.yaml")
    assert not src._lazy and src.data["trust"] and src.node is not None
    assert [f.message for f in loader.load_text("a: 1\na: 2\n").findings] == [
        "duplicate key 'a' (YAML would keep only the last)"]


def test_a_closed_stderr_costs_nothing_but_speed() -> None:
    """With file descriptor 2 closed (``2>&-``), the native reader cannot hide rapidyaml's messages:
    PyYAML reads the file and gives the positions, with the same values."""
    import subprocess
    import sys

    code = ("import os; os.close(2)\n"
            "from mist_check import loader\n"
            "src = loader.load_text('a: [1, 2]\\nb: x\\n')\n"
            "print(src.data, src.locate('/b'), src._lazy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, "{'a': [1, 2], 'b': 'x'} (2, 4) False\n")


@native
def test_reading_natively_keeps_no_memory() -> None:
    """rapidyaml's own emit_json() keeps the buffer it returns (82 MB after 5,000 reads of a 17 KB
    file); the loader emits into a buffer of its own, and a finding's tree is freed with its file."""
    import resource

    text = "portfolios:\n" + "".join(f"  - {{id: p{i}, name: Portfolio {i}, management_fee: \"0.5%\"}}\n"
                                     for i in range(2000))
    assert loader.load_text(text)._lazy

    def peak() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    before = peak()
    for _ in range(300):  # 300 x 130 KB of JSON would keep 39 MB
        src = loader.load_text(text)
        src.locate("/portfolios/1999/name")
    assert peak() - before < 15_000
