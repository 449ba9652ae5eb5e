"""The loader: YAML text -> plain values that mean what was written, with positions for findings."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import summary

from mist_check.loader import Limits, SourceFile, load_bytes, load_file, load_text, pointer, split_pointer


def _load(text: str, **kwargs: object) -> SourceFile:
    return load_text(text, "t.yaml", **kwargs)  # type: ignore[arg-type]


def _errors(src: SourceFile) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in src.findings]


# --- YAML 1.1 guesses do not change meaning -------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("2003-05-01", "2003-05-01"),           # a date stays the ISO text written
    ("2005-06-30T00:00:00", "2005-06-30T00:00:00"),
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("No", "No"), ("YES", "YES"), ("Off", "Off"),
    ("1:30", "1:30"),                       # sexagesimal in YAML 1.1
    ("0o17", "0o17"), ("0x1F", "0x1F"), ("017", "017"), ("1_000", "1_000"), ("0b101", "0b101"),
    (".inf", ".inf"), (".nan", ".nan"), ("1e3", "1e3"),
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
    ("12", 12), ("-3", -3), ("+5", 5), ("0", 0),
    ("1.5", 1.5), (".5", 0.5), ("1.0e+3", 1000.0),
    ("~", None), ("null", None), ("Null", None), ("", None),
    ("'12'", "12"), ('"true"', "true"), ("!!str 12", "12"),
])
def test_scalars_keep_their_meaning(text: str, value: object) -> None:
    src = _load(f"key: {text}\n")
    assert src.findings == []
    assert src.data == {"key": value}
    assert type(src.data["key"]) is type(value)


def test_keys_are_strings_even_where_yaml_would_guess() -> None:
    src = _load("no: 1\nY: 2\n2003-05-01: 3\n12: 4\ntrue: 5\n")
    assert src.data == {"no": 1, "Y": 2, "2003-05-01": 3, "12": 4, "true": 5}


def test_unquoted_share_class_names_stay_strings() -> None:
    src = _load("classes: {N: {}, Y: null, no: {}, B: {}}\nlist: [N, Y, no, off]\n")
    assert list(src.data["classes"]) == ["N", "Y", "no", "B"]
    assert src.data["list"] == ["N", "Y", "no", "off"]


def test_empty_file_is_an_empty_mapping() -> None:
    assert _load("").data == {}
    assert _load("# only a comment\n\n").data == {}
    assert _load("").findings == []


# --- duplicate keys, invalid YAML, encodings ------------------------------------------------------

def test_duplicate_key_is_one_parse_error_at_the_second_key() -> None:
    src = _load("a: 1\nnested:\n  b: 2\n  c: 3\n  b: 4\nd: 5\n")
    assert len(src.findings) == 1
    finding = src.findings[0]
    assert (finding.rule, finding.line, finding.column) == ("parse-error", 5, 3)
    assert "duplicate key 'b'" in finding.message
    assert src.data["d"] == 5  # the rest of the file is still read


def test_duplicate_key_in_a_trust_does_not_stop_the_run(check) -> None:
    findings = check({
        "a/trust.yaml": "format: 1\ntrust: {name: A}\nformat: 1\n",
        "b/trust.yaml": "format: 1\ntrust: {name: B}\nportfolios:\n  - {id: p, surprise: 1}\n",
    })
    assert summary(findings) == [("parse-error", 3, 1), ("schema", 4, 13)]
    assert [f.file for f in findings] == ["a/trust.yaml", "b/trust.yaml"]


@pytest.mark.parametrize(("text", "line", "column"), [
    ("a: 1\nb: [1, 2\nc: 3\n", 2, 4),  # at the bracket left open, not where the parser stopped
    ("a: 1\n  b: 2\n", 2, 3),  # at the line indented to no level
    ("a: 'open\n", 1, 4),  # at the quote left open
    ("a: 1\n\tb: 2\n", 2, 1),
    ("--- 1\n--- 2\n", 2, 1),  # one document per file
])
def test_invalid_yaml_is_a_parse_error_at_its_line(text: str, line: int, column: int) -> None:
    src = _load(text)
    assert [(f.rule, f.line, f.column) for f in src.findings] == [("parse-error", line, column)]
    assert src.findings[0].message.startswith("invalid YAML: ")
    assert src.data is None


def test_invalid_yaml_in_a_trust_is_reported_at_its_file(check) -> None:
    findings = check("format: 1\ntrust:\n  name: [T\n")
    assert summary(findings) == [("parse-error", 3, 9)]  # the bracket left open
    assert findings[0].file == "trust.yaml"


def test_non_utf8_bytes_are_a_parse_error_at_the_bad_byte() -> None:
    src = load_bytes(SourceFile("t.yaml", Path("t.yaml")), b"a: 1\nb: 2\nname: Caf\xe9\n")
    assert _errors(src) == [(3, 10, "is not UTF-8: byte 0xe9 cannot be decoded")]
    assert src.data is None


@pytest.mark.parametrize(("raw", "line", "column", "byte"), [
    (b"a: 1\nname: Caf\xc3\xa9 \xe9\n", 2, 12, "0xe9"),       # columns count characters, not bytes
    (b"\xef\xbb\xbfa: 1\nb: \xff\n", 2, 4, "0xff"),           # after a byte order mark
    (b"\xef\xbb\xbfa: \xc3\xa9\xc3\n", 1, 5, "0xc3"),          # a cut-off sequence
    (b"a: \xff\xfea\x00:\x00", 1, 4, "0xff"),                  # UTF-16 bytes after UTF-8
])
def test_non_utf8_positions(raw: bytes, line: int, column: int, byte: str) -> None:
    src = load_bytes(SourceFile("t.yaml", Path("t.yaml")), raw)
    assert _errors(src) == [(line, column, f"is not UTF-8: byte {byte} cannot be decoded")]


@pytest.mark.parametrize(("raw", "encoding"), [
    ("trust: {name: T}\n".encode("utf-16"), "UTF-16"), ("trust: {name: T}\n".encode("utf-32"), "UTF-32"),
    ("trust: {name: T}\n".encode("utf-16-be").join([b"\xfe\xff", b""]), "UTF-16"),
    ("trust: {name: T}\n".encode("utf-32-be").join([b"\x00\x00\xfe\xff", b""]), "UTF-32"),
])
def test_utf16_and_utf32_are_named(raw: bytes, encoding: str) -> None:
    src = load_bytes(SourceFile("t.yaml", Path("t.yaml")), raw)
    assert _errors(src) == [(1, 1, f"is {encoding}, not UTF-8 (it starts with a {encoding} byte order mark); "
                                   "save it as UTF-8")]


@pytest.mark.parametrize(("text", "line", "column", "code"), [
    ("a: 1\nb: x\x00y\n", 2, 5, "U+0000"),
    ("a: 1\n\nb: \x1b[31m\n", 3, 4, "U+001B"),
    ("a: \u00e9\u00e9\u00e9\nb: x\x07\n", 2, 5, "U+0007"),   # libyaml counts bytes; columns are characters
    ("a: \U0001f600\x07\n", 1, 5, "U+0007"),
])
def test_control_characters_are_a_parse_error_at_their_position(text: str, line: int, column: int,
                                                                code: str) -> None:
    src = _load(text)
    assert [(f.rule, f.line, f.column) for f in src.findings] == [("parse-error", line, column)]
    assert src.findings[0].message.startswith(f"invalid YAML: the character {code} is not allowed")


def test_non_utf8_file_is_reported_not_raised(run_files, tmp_path: Path) -> None:
    (tmp_path / "trust.yaml").write_bytes(b"format: 1\ntrust:\n  name: \xff\xfe\n")
    result = run_files({})
    assert summary(result.findings) == [("parse-error", 3, 9)]


def test_bom_and_crlf_load_with_right_positions() -> None:
    raw = "\ufeffa: 1\r\nb:\r\n  c: 2003-05-01\r\n  d: [x, y]\r\n".encode()
    src = load_bytes(SourceFile("t.yaml", Path("t.yaml")), raw)
    assert src.findings == []
    assert src.data == {"a": 1, "b": {"c": "2003-05-01", "d": ["x", "y"]}}
    assert src.locate("/a") == (1, 4)
    assert src.locate("/b/c") == (3, 6)
    assert src.locate("/b/d/1") == (4, 10)


def test_bom_and_crlf_in_a_trust_give_right_findings(run_files, tmp_path: Path) -> None:
    text = "format: 1\r\ntrust: {name: T}\r\nportfolios:\r\n  - id: p\r\n    management_fee: 0.5\r\n"
    (tmp_path / "trust.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert summary(run_files({}).findings) == [("schema", 5, 21)]


# --- no code, no merge keys -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['touch MARKER']\n",
    "a: !!python/object/new:os.system ['touch MARKER']\n",
    "a: !!python/name:os.system\n",
    "a: !foo bar\n",
    "a: !foo {x: 1}\n",
    "a: !!set {x, y}\n",
    "- !foo [1]\n",
])
def test_tags_are_refused_and_nothing_is_executed(text: str, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    src = _load(text.replace("MARKER", str(marker)))
    assert len(src.findings) == 1
    assert src.findings[0].rule == "parse-error"
    assert "is not allowed" in src.findings[0].message
    assert src.findings[0].line == 1
    assert src.data is None
    assert not marker.exists()


def test_a_tag_is_reported_at_the_tagged_value() -> None:
    src = _load("a: 1\nb:\n  c: !foo bar\n")
    assert _errors(src) == [(3, 6, "tag '!foo' is not allowed (only plain YAML data)")]


def test_merge_keys_are_refused_with_a_message() -> None:
    src = _load("base: &b {x: 1}\nthing:\n  <<: *b\n  y: 2\n")
    assert len(src.findings) == 1
    finding = src.findings[0]
    assert (finding.rule, finding.line, finding.column) == ("parse-error", 3, 3)
    assert "merge keys" in finding.message and "write the keys out" in finding.message


def test_plain_aliases_are_read() -> None:
    src = _load("a: &x [1, 2]\nb: *x\n")
    assert src.findings == []
    assert src.data == {"a": [1, 2], "b": [1, 2]}


def test_complex_keys_are_refused() -> None:
    src = _load("? [a, b]\n: 1\n")
    assert [(f.rule, f.line) for f in src.findings] == [("parse-error", 1)]


# --- resource limits ------------------------------------------------------------------------------

def test_depth_limit() -> None:
    assert _load("a: [[[1]]]\n", limits=Limits(max_depth=4)).data == {"a": [[[1]]]}
    src = _load("a: [[[1]]]\n", limits=Limits(max_depth=3))
    assert _errors(src) == [(1, 7, "nested more than 3 levels deep")]
    assert src.data is None


def test_block_nesting_counts_too() -> None:
    src = _load("a:\n  - - - - 1\n", limits=Limits(max_depth=3))
    assert [(f.rule, f.line) for f in src.findings] == [("parse-error", 2)]


@pytest.mark.parametrize("depth", [999, 1_000, 1_001, 4_000, 6_000, 200_000])
def test_very_deep_nesting_is_refused_without_crashing(depth: int) -> None:
    # libyaml composes recursively in C: without a limit checked first this kills the process
    started = time.monotonic()
    src = _load("a: " + "[" * depth + "]" * depth + "\n")
    assert _errors(src) == [(1, 68, "nested more than 64 levels deep")]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("max_depth", [64, 256])
def test_block_nesting_past_libyamls_own_limit_is_our_refusal(max_depth: int) -> None:
    # PyYAML 6.0.4's libyaml stops at 1,000 levels with "exceeded maximum nesting depth"; before
    # that release nothing stops it. Either way the refusal is ours, at the first node too deep.
    text = "".join("  " * i + "a:\n" for i in range(1_100)) + "  " * 1_100 + "x: 1\n"
    src = _load(text, limits=Limits(max_depth=max_depth))
    assert _errors(src) == [(max_depth + 1, 2 * max_depth + 1, f"nested more than {max_depth} levels deep")]


def test_pyyaml_release_does_not_change_a_syntax_error_inside_deep_nesting() -> None:
    # a syntax error before --max-depth is reached is reported as itself, not as too deep
    src = _load("a: " + "[" * 10 + "}" + "]" * 1_200 + "\n")
    assert len(src.findings) == 1 and src.findings[0].message.startswith("invalid YAML")


def test_value_limit() -> None:
    assert _load("a: [1, 2, 3]\n", limits=Limits(max_values=5)).findings == []
    src = _load("a: [1, 2, 3, 4]\n", limits=Limits(max_values=5))
    assert [(f.rule, f.line) for f in src.findings] == [("parse-error", 1)]
    assert "more than 5 values" in src.findings[0].message


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"  # 9**9 strings once expanded
    started = time.monotonic()
    src = _load(text)  # default limits
    assert time.monotonic() - started < 5
    assert [f.rule for f in src.findings] == ["parse-error"]
    assert "refused as a resource bomb" in src.findings[0].message
    assert src.data is None


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n")
    src = load_file(path, Limits(max_bytes=50))
    assert [(f.rule, f.line, f.column) for f in src.findings] == [("parse-error", 1, 1)]
    assert "the limit is 50" in src.findings[0].message
    assert load_file(path, Limits(max_bytes=200)).findings == []


# --- positions ------------------------------------------------------------------------------------

POSITIONS = """\
trust:
  name: T
documents:
  - id: d1
    fee_schedule: {a/b: "0.10%", c~d: "0.20%"}
  - id: d2
    schedule:
      - p1
      - p2
"""


@pytest.mark.parametrize(("ptr", "key", "where"), [
    ("", False, (1, 1)),
    ("/trust", False, (2, 3)),
    ("/trust", True, (1, 1)),
    ("/trust/name", False, (2, 9)),
    ("/trust/name", True, (2, 3)),
    ("/documents/0", False, (4, 5)),
    ("/documents/1/id", False, (6, 9)),
    ("/documents/1/schedule/1", False, (9, 9)),
    ("/documents/0/fee_schedule/a~1b", False, (5, 25)),
    ("/documents/0/fee_schedule/a~1b", True, (5, 20)),
    ("/documents/0/fee_schedule/c~0d", True, (5, 34)),
    ("/documents/0/fee_schedule/c~0d", False, (5, 39)),
    ("/documents/1/missing", False, (6, 5)),  # the deepest node reached
    ("/documents/7", False, (4, 3)),
])
def test_locate(ptr: str, key: bool, where: tuple[int, int]) -> None:
    src = _load(POSITIONS)
    assert src.locate(ptr, key=key) == where


def test_pointer_escapes_round_trip() -> None:
    assert pointer("documents", 0, "a/b", "c~d") == "/documents/0/a~1b/c~0d"
    assert split_pointer("/documents/0/a~1b/c~0d") == ["documents", "0", "a/b", "c~d"]
    assert split_pointer("/~01") == ["~1"]  # ~0 is decoded last
    assert split_pointer("") == []


def test_load_file_reports_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    src = load_file(folder)
    assert [(f.rule, f.line) for f in src.findings] == [("parse-error", 1)]
