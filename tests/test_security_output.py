"""Hostile input meets the output streams: names that are not UTF-8, standard output that is full,
closed or gone, and text that would forge lines or reorder what a terminal shows.

Each test fails on the checker before these protections (a traceback, a wrong exit code, or the
raw character on the screen).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_files
from mist_check.cli import main

ENTRY = "--no-entry-points"
AS_OF = ("--as-of", "2005-06-30")
POSIX_NAMES = sys.platform != "win32" and sys.getfilesystemencoding() == "utf-8"

TRUST = 'format: 1\ntrust: {name: T}\ninclude: ["parts/*.yaml"]\n'
BAD_PART = "documents:\n  - {id: x, kind: bogus}\n"  # two schema findings in the part
RAW_NAME = b"parts/caf\xff\\x.yaml"  # a byte that is not UTF-8, and a backslash
SHOWN = "parts/caf\\xff\\\\x.yaml"  # how every format names it


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def odd_names(here: Path) -> Path:
    if not POSIX_NAMES:
        pytest.skip("file names of arbitrary bytes are a POSIX thing")
    (here / "trust.yaml").write_text(TRUST)
    os.makedirs(here / "parts")
    with open(os.path.join(os.fsencode(here), RAW_NAME), "w", encoding="utf-8") as stream:
        stream.write(BAD_PART)
    return here


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, ENTRY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# --- names that are not UTF-8 ------------------------------------------------------------------------

def test_the_name_escape_is_reversible() -> None:
    from mist_check.paths import escape_name, name_bytes

    if os.sep != "/":
        pytest.skip("POSIX names")
    for raw in (b"plain.yaml", b"caf\xc3\xa9.yaml", b"a\xff\xfe.yaml", b"back\\slash\\x41.yaml", b"\\\\\xff"):
        name = os.fsdecode(raw)
        shown = escape_name(name)
        shown.encode("utf-8")  # always valid UTF-8
        assert name_bytes(shown) == raw
    assert escape_name(os.fsdecode(b"caf\xff")) == "caf\\xff"
    assert escape_name("a\\x41") == "a\\\\x41"  # a real backslash is doubled: the two never mix


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_a_part_named_with_bytes_that_are_not_utf8_is_reported_in_every_format(odd_names: Path, capsys,
                                                                                fmt: str) -> None:
    code, out, _ = cli(capsys, "check", ".", "--format", fmt, *AS_OF)
    assert code == 1
    if fmt == "json":
        found = json.loads(out)["findings"]
        assert {f["file"] for f in found} == {SHOWN}
        assert len(found) == 2
    elif fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]}
        assert uris == {"parts/caf%FF%5Cx.yaml"}  # RFC 3986: the name's own bytes
    elif fmt == "junit":
        assert SHOWN in out
    else:
        assert sum(SHOWN in line for line in out.splitlines()) == 2


def test_output_and_baseline_files_take_such_names(odd_names: Path, capsys) -> None:
    code, _, _ = cli(capsys, "check", ".", "--format", "json", "--output", "report.json", *AS_OF)
    assert code == 1
    report = json.loads((odd_names / "report.json").read_bytes().decode("utf-8"))
    assert {f["file"] for f in report["findings"]} == {SHOWN}
    # the part's schema findings are never baselined (the check is incomplete); a rule's are
    code, _, _ = cli(capsys, "check", ".", "--write-baseline", "baseline.json", *AS_OF)
    entries = json.loads((odd_names / "baseline.json").read_bytes().decode("utf-8"))["findings"]
    assert entries == {}
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "termination-notice" / "fail" / "trust.yaml"
    head, documents = fixture.read_text(encoding="utf-8").split("\ndocuments:\n", 1)
    (odd_names / "trust.yaml").write_text(head + '\ninclude: ["parts/*.yaml"]\n', encoding="utf-8")
    with open(os.path.join(os.fsencode(odd_names), RAW_NAME), "w", encoding="utf-8") as stream:
        stream.write("documents:\n" + documents)
    code, _, _ = cli(capsys, "check", ".", "--write-baseline", "baseline.json", *AS_OF)
    assert code == 1
    entries = json.loads((odd_names / "baseline.json").read_bytes().decode("utf-8"))["findings"]
    assert entries and {e["file"] for e in entries.values()} == {SHOWN}
    code, out, err = cli(capsys, "check", ".", "--baseline", "baseline.json", *AS_OF)
    assert code == 0, err
    assert "0 errors" in out and f"{len(entries)} suppressed" in out


def test_a_message_that_cannot_be_encoded_is_written_escaped(here: Path, capsys, monkeypatch) -> None:
    # a message naming a file by its raw (surrogate-escaped) name: written as the escape, not a crash
    from mist_check import engine

    real = engine.check_references

    def naming(trust, gaps=None):  # type: ignore[no-untyped-def]
        yield from real(trust, gaps)
        from mist_check.findings import Finding, Severity
        yield Finding(trust.root.path, 1, 1, "reference", "see caf\udcff.yaml", Severity.ERROR)

    monkeypatch.setattr(engine, "check_references", naming)
    (here / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n")
    for fmt in ("json", "sarif", "text"):
        code, out, _ = cli(capsys, "check", ".", "--format", fmt, *AS_OF)
        assert code == 1
        assert "caf\\udcff.yaml" in out or "caf\\xff.yaml" in out
    code, _, _ = cli(capsys, "check", ".", "--format", "json", "--output", "r.json", *AS_OF)
    assert json.loads((here / "r.json").read_text(encoding="utf-8"))["findings"][0]["message"] == "see caf\udcff.yaml"


# --- standard output full, closed, gone --------------------------------------------------------------

def _run(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    entry = [ENTRY] if args[0] != "schema" else []
    return subprocess.run([sys.executable, "-m", "mist_check", *args, *entry], cwd=cwd, timeout=120,
                          stderr=subprocess.PIPE, **kwargs)


def _one_line_error(proc: subprocess.CompletedProcess[bytes], words: str) -> None:
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.count("\n") == 1 and words in err, err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["check", "."], ["check", ".", "--format", "json"], ["rules"],
                                     ["schema"], ["explain", "fee-cap"]])
def test_stdout_on_a_full_device_is_a_one_line_error(here: Path, command: list[str]) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\n"})
    with open("/dev/full", "wb") as full:
        proc = _run(command, here, stdout=full)
    _one_line_error(proc, "cannot write to standard output: No space left on device")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")
@pytest.mark.parametrize("command", [["check", "."], ["rules"], ["schema"]])
def test_a_closed_stdout_is_a_one_line_error(here: Path, command: list[str]) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\n"})
    # as `mist-check check . >&-` starts it: no file descriptor 1 at all (sys.stdout is None)
    proc = _run(command, here, preexec_fn=lambda: os.close(1))  # noqa: PLW1509 - the test needs it
    _one_line_error(proc, "standard output is closed")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_a_reader_that_goes_away_is_a_one_line_error(here: Path) -> None:
    # `mist-check check . | head -1`: the reader leaves before the report is written
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\n"})
    proc = subprocess.Popen([sys.executable, "-m", "mist_check", "check", ".", "--format", "json", ENTRY],
                            cwd=here, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    _one_line_error(subprocess.CompletedProcess(proc.args, proc.returncode, None, err), "Broken pipe")


def test_an_output_file_that_cannot_be_written_is_a_one_line_error(here: Path, capsys) -> None:
    write_files(here, {"trust.yaml": "format: 1\ntrust: {name: T}\n"})
    code, out, err = cli(capsys, "check", ".", "--output", str(here))  # a directory
    assert code == 2 and out == ""
    assert err.startswith("mist-check: error: --output ") and err.count("\n") == 1
    if os.path.exists("/dev/full"):
        code, _, err = cli(capsys, "check", ".", "--output", "/dev/full")
        assert code == 2 and "No space left on device" in err


# --- text that would forge lines or reorder the screen -------------------------------------------

# Each would act on a terminal or a log viewer: CSI (C1), NEL, LINE SEPARATOR, RIGHT-TO-LEFT
# OVERRIDE, RIGHT-TO-LEFT MARK, FIRST STRONG ISOLATE, ARABIC LETTER MARK, ESC, a line feed.
HOSTILE = ["\x9b", "\x85", "\u2028", "\u2029", "\u202e", "\u200f", "\u2068", "\u061c", "\x1b", "\n", "\x7f"]
TITLED = """\
format: 1
trust: {{name: T}}
trustees:
  - {{name: Trustee One, independent: false, from: 2000-01-01}}
documents:
  - id: ma
    kind: management-agreement
    title: "{title}"
    dated: 2004-11-01
    provisions:
      termination:
        by_fund: {{notice_days: 90, at_any_time: true, without_penalty: true, section: "9"}}
"""


def _yaml_escape(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if not c.isalnum() and c != " " else c for c in text)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_controls_separators_and_bidi_marks_from_the_data_are_shown_escaped(here: Path, capsys, fmt: str) -> None:
    title = "Evil" + "".join(f"{c}x" for c in HOSTILE) + "end"
    (here / "trust.yaml").write_text(TITLED.format(title=_yaml_escape(title)))
    code, out, _ = cli(capsys, "check", ".", "--format", fmt, "--select", "termination-notice", *AS_OF)
    assert code == 1
    for char in HOSTILE:
        assert char not in out.replace("\n", "") or char == "\n", repr(char)
    # one finding, then (text) what the trust was judged by and the summary: nothing forged a line
    assert out.count("\n") == (3 if fmt == "text" else 2)
    line = out.splitlines()[0]
    for shown in ("\\x9b", "\\x85", "\\u2028", "\\u2029", "\\u202e", "\\u200f", "\\u2068", "\\u061c", "\\x1b",
                  "\\x0a", "\\x7f"):
        assert shown in line
    assert len(out.splitlines()) == out.count("\n") and not any(c in out for c in "\x85\u2028\u2029")


def test_printable_keeps_ordinary_text() -> None:
    from mist_check.reporters import printable

    for text in ("Management Agreement §9", "José Núñez", "李四", "0.50% of net assets", "a\tb"[:1],
                 "emoji \U0001f600 and ZWJ \u200d"):
        assert printable(text) == text
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("caf\udcff") == "caf\\xff"


def test_stderr_lines_show_data_escaped(capsys) -> None:
    from mist_check.cli import say

    say("mist-check: error: t\u202eyaml\x9b: boom\nforged")
    err = capsys.readouterr().err
    assert err == "mist-check: error: t\\u202eyaml\\x9b: boom\\x0aforged\n"
