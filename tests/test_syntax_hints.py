"""A YAML syntax error is reported where the mistake is, with what to write (checker/syntax.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mist_check import syntax
from mist_check.loader import _Loader, load_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures").rglob("*.yaml"))

TRUST = """\
format: 1
trust:
  name: Hint Trust
  type: open-end
portfolios:
  - id: value-fund
    name: Value Fund
    classes:
      B: {distribution_fee: "0.25%"}
  - id: bond-fund
    name: Bond Fund
    management_fee: "0.10%"
"""


def parse_error(text: str) -> tuple[int, int, str]:
    src = load_text(text, "trust.yaml")
    assert [f.rule for f in src.findings] == ["parse-error"], src.findings
    finding = src.findings[0]
    return finding.line, finding.column, finding.message


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def test_the_fixture_text_is_valid_yaml() -> None:
    assert load_text(TRUST, "trust.yaml").findings == []


def test_a_line_indented_to_no_level_says_which_level() -> None:
    text = replace_line(TRUST, 11, "   name: Bond Fund")
    assert parse_error(text) == (11, 4, "invalid YAML: wrong indentation: expected 4 but found 3 "
                                        "(line 10 set that level)")


def test_a_block_whose_first_line_is_off_is_blamed_there_not_at_its_siblings() -> None:
    # trust's first key at 3 spaces, its second at 2 as everywhere else in the file: line 3 is the mistake
    text = replace_line(TRUST, 3, "   name: Hint Trust")
    assert parse_error(text) == (3, 4, "invalid YAML: wrong indentation: expected 2 but found 3")


def test_an_unclosed_brace_is_reported_at_the_brace() -> None:
    text = replace_line(TRUST, 9, '      B: {distribution_fee: "0.25%"')
    line, column, message = parse_error(text)
    assert (line, column) == (9, 10)
    assert message == ("invalid YAML: the '{' opened here is not closed; add '}' at the end of its entries "
                       "(the parser stopped at line 10)")


def test_an_unclosed_quote_is_reported_at_the_quote() -> None:
    text = replace_line(TRUST, 12, '    management_fee: "0.10%')
    text = replace_line(text, 7, '    name: "Value Fund')
    line, column, message = parse_error(text)
    assert (line, column) == (7, 11)
    assert message.startswith('invalid YAML: the string quoted here with " is not closed on its line; close it with "')


def test_an_unclosed_quote_inside_braces_is_the_quote_not_the_brace() -> None:
    text = replace_line(TRUST, 9, '      B: {distribution_fee: "0.25%}')
    line, column, _ = parse_error(text)
    assert (line, column) == (9, 29)


def test_a_tab_in_the_indentation_is_said_once_in_words() -> None:
    text = replace_line(TRUST, 11, "\tname: Bond Fund")
    line, _, message = parse_error(text)
    assert line == 11
    assert message == ("invalid YAML: a tab indents this line; YAML indents with spaces only "
                       "(replace the tab with spaces)")


def test_without_a_certain_hint_the_parsers_words_stand() -> None:
    _, _, message = parse_error("a: b: c\n")
    assert message.startswith("invalid YAML: mapping values are not allowed")


def _mutations(text: str):
    """(line, kind, mutated text): every content line indented one space off, each way; its last
    closing brace or bracket dropped; its last closing quote dropped."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        for delta in (-1, 1):
            if indent + delta >= 0:
                yield i + 1, "indent", "\n".join([*lines[:i], " " * (indent + delta) + body, *lines[i + 1:]])
        code = line.split(" #")[0]
        for char in "}]\"":
            k = code.rfind(char)
            if k >= 0 and (char != '"' or code.count('"') % 2 == 0):
                yield i + 1, char, "\n".join([*lines[:i], line[:k] + line[k + 1:], *lines[i + 1:]])


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT / "fixtures")))
def test_every_hint_points_at_the_line_broken(path: Path) -> None:
    """Each line of each fixture broken in turn: a hint, when given, is at that line, or (a bracket
    of several lines left open) at the bracket that is still open, which is never below it."""
    text = path.read_text(encoding="utf-8")
    hinted = broken = 0
    for number, kind, mutated in _mutations(text):
        try:
            yaml.compose(mutated, Loader=_Loader)
            continue  # still YAML (a deeper plain-scalar line, say): nothing to hint
        except yaml.MarkedYAMLError as exc:
            found = syntax.hint(mutated, exc, _Loader)
        broken += 1
        if found is None:
            continue
        hinted += 1
        if kind in "}]" and "opened here is not closed" in found.message:
            opener = mutated.split("\n")[found.line - 1][found.column - 1]
            assert found.line <= number and opener == {"}": "{", "]": "["}[kind], (kind, number, found)
        else:
            assert found.line == number, (kind, number, found)
    assert broken == 0 or hinted / broken > 0.6


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t-:{}[]\"'#|>\nab1,", max_size=200))
@example("{\n\t")  # PyYAML marks the tab past the text's last line (found by this test)
def test_a_hint_never_fails_and_stays_inside_the_text(text: str) -> None:
    try:
        yaml.compose(text, Loader=_Loader)
        return
    except yaml.MarkedYAMLError as exc:
        found = syntax.hint(text, exc, _Loader)
    except yaml.YAMLError:
        return
    if found is not None:
        assert 1 <= found.line <= text.count("\n") + 1
        assert found.column >= 1
        assert found.message
