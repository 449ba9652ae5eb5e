"""`--help` says each option's default and precedence and the exit codes; `rules --format json`;
"did you mean" for rule ids and packs; a value the format spells otherwise is rewritten."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mist_check.cli import build_parser, main
from mist_check.loader import load_text
from mist_check.schema import schema, validate

ROOT = Path(__file__).resolve().parent.parent


def help_of(capsys, *argv: str) -> str:
    assert main([*argv, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal's width


@pytest.mark.parametrize("argv", [(), ("check",)])
def test_help_lists_the_exit_codes(capsys, argv: tuple[str, ...]) -> None:
    text = help_of(capsys, *argv)
    assert "exit codes: 0 nothing at or above --fail-on" in text
    assert "1 a finding at or above --fail-on" in text
    assert "2 the run could not be done" in text


def test_calendar_and_diff_help_list_their_exit_codes(capsys) -> None:
    assert "1 a trust has parse, schema or reference errors" in help_of(capsys, "calendar")
    assert "0 the diff was made" in help_of(capsys, "diff")


def test_check_help_gives_defaults_and_precedence(capsys) -> None:
    text = help_of(capsys, "check")
    assert ("precedence: this option, then the trust root's `policy:`, then [tool.mist-check] policy, "
            "then ica-1940") in text
    assert "precedence: this option, then the trust root's `as_of:`, then today" in text
    assert "(default: [tool.mist-check] fail-on, then error)" in text
    assert "default: [tool.mist-check] select, then every rule" in text
    assert "the report's format (default: text)" in text


def test_every_option_has_help_text() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.dest in ("help", "no_entry_points"):
                continue
            assert action.help, f"{name} {action.option_strings or action.dest} has no help text"


def test_rules_json_lists_every_rule_with_its_citations(capsys) -> None:
    assert main(["rules", "--format", "json", "--no-entry-points"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 1 and document["policy"] == "ica-1940"
    rules = {rule["id"]: rule for rule in document["rules"]}
    assert list(rules) == sorted(rules)
    assert {"parse-error", "schema", "reference", "fee-cap", "termination-notice"} <= set(rules)
    assert rules["schema"]["core"] is True
    notice = rules["termination-notice"]
    assert notice["severity"] == "error" and notice["plugin"] == "mist_check.plugins.termination_notice"
    days = next(p for p in notice["parameters"] if p["name"] == "notice_days_max")
    assert [(h["from"], h["value"]) for h in days["history"]] == [(None, 60)]
    assert days["history"][0]["reference"].startswith("Investment Company Act of 1940 §15(a)(3)")


def test_rules_json_shows_the_pack_asked_for_and_is_deterministic(capsys) -> None:
    main(["rules", "--format", "json", "--policy", "mist", "--no-entry-points"])
    first = capsys.readouterr().out
    main(["rules", "--format", "json", "--policy", "mist", "--no-entry-points"])
    assert capsys.readouterr().out == first
    assert json.loads(first)["policy"] == "mist"


def test_rules_policy_without_json_is_refused(capsys) -> None:
    assert main(["rules", "--policy", "mist", "--no-entry-points"]) == 2
    assert capsys.readouterr().err.strip() == "mist-check: error: --policy applies to `rules --format json` only"


@pytest.mark.parametrize(("argv", "words"), [
    (["check", ".", "--select", "fee-cpa"], "unknown rule id 'fee-cpa'; did you mean 'fee-cap'?"),
    (["check", ".", "--ignore", "termination-notise"],
     "unknown rule id 'termination-notise'; did you mean 'termination-notice'?"),
    (["explain", "annual-continuanc"], "unknown rule id 'annual-continuanc'; did you mean 'annual-continuance'?"),
    (["check", ".", "--policy", "ica-1904"], "nor a file; did you mean 'ica-1940'?"),
])
def test_an_unknown_name_suggests_the_nearest(tmp_path: Path, monkeypatch, capsys, argv, words) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n")
    assert main([*argv, "--no-entry-points"]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.splitlines()) == 1


def test_a_suppression_of_a_misspelt_rule_suggests_the_rule(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trust.yaml").write_text("format: 1\ntrust: {name: T}  # mist-check: ignore[fee-cpa] -- known\n")
    main(["check", ".", "--no-entry-points"])
    assert ("trust.yaml:2:19: warning unused-suppression suppression names unknown rule 'fee-cpa'; "
            "did you mean 'fee-cap'?") in capsys.readouterr().out


def _schema_messages(text: str) -> list[str]:
    src = load_text(text, "trust.yaml")
    return [f.message for f in validate(src)]


@pytest.mark.parametrize(("value", "message"), [
    ('"0,12%"', 'portfolios[0].management_fee: "0,12%" has a decimal comma (a rate\'s point is "."); '
                'write "0.12%"'),
    ('"12,5bp"', 'portfolios[0].management_fee: "12,5bp" has a decimal comma (a rate\'s point is "."); '
                 'write "12.5bp"'),
    ("0.12", "portfolios[0].management_fee: expected a rate written as a string: a percent (\"0.50%\") or "
             "basis points (\"50bp\"); a bare number is ambiguous, found the number 0.12"),
    ('"1,000,5%"', None),  # not one decimal comma: nothing is certain
])
def test_a_decimal_comma_is_said_and_rewritten(value: str, message: str | None) -> None:
    text = f"format: 1\ntrust: {{name: T}}\nportfolios:\n  - {{id: p, name: P, management_fee: {value}}}\n"
    messages = _schema_messages(text)
    assert len(messages) == 1
    if message is None:
        assert "write" not in messages[0]
    else:
        assert messages[0] == message


@pytest.mark.parametrize(("value", "meant"), [
    ("2020/04/01", "2020-04-01"),
    ("2020.4.1", "2020-04-01"),
    ('"April 1, 2020"', "2020-04-01"),
    ('"Sept. 30, 2005"', "2005-09-30"),
    ("2020/02/30", None),   # no such day
    ("04/01/2020", None),   # month or day first: not certain
])
def test_a_date_written_otherwise_is_rewritten_when_certain(value: str, meant: str | None) -> None:
    messages = _schema_messages(f"format: 1\ntrust: {{name: T}}\nas_of: {value}\n")
    assert len(messages) == 1
    if meant is None:
        assert "write \"" not in messages[0].split(";")[0]
    else:
        assert messages[0].startswith(f"as_of: {json.dumps(value.strip(chr(34)))} is not written as an ISO date "
                                      f"(YYYY-MM-DD); write \"{meant}\"")


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
