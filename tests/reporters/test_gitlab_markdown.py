"""``--format gitlab`` (GitLab Code Quality) and ``--format markdown`` (job summaries, PR comments)."""
from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from mist_check.reporters.markdown import cell

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "gitlab-codequality.json"


def test_gitlab_report_is_valid_and_lists_only_live_findings(cli):
    code, out = cli("violating", "gitlab")
    assert code == 1
    issues = json.loads(out)
    schema = json.loads(SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    assert sorted(e.message for e in Draft202012Validator(schema).iter_errors(issues)) == []
    # three live findings; the suppressed fourth is left out
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("assignment-termination", "info", 9), ("termination-notice", "major", 12), ("fee-cap", "critical", 24)]
    assert issues[2]["location"]["path"] == "tests/reporters/data/violating/trust.yaml"
    assert "[Class B Distribution Plan §1; Rule 12b-1(b)(1)]" in issues[2]["description"]
    assert len({i["fingerprint"] for i in issues}) == 3


def test_gitlab_report_of_the_mist_trust_is_valid(cli):
    issues = json.loads(cli("mist", "gitlab")[1])
    schema = json.loads(SCHEMA.read_text())
    assert list(Draft202012Validator(schema).iter_errors(issues)) == []
    assert len({i["fingerprint"] for i in issues}) == len(issues) > 0


def test_markdown_table_escapes_data():
    assert cell("a|b <script> [x](y) `c`\nd") == r"a\|b \<script\> \[x\](y) \`c\` d"


def test_markdown_budget_truncates_with_a_count(cli):
    full = cli("mist", "markdown")[1].decode()
    rows = [line for line in full.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == 3
    code, small = cli("mist", "markdown", "--budget", "1100")
    text = small.decode()
    assert len(small) <= 1100
    shown = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert len(shown) < 3
    assert f"_{3 - len(shown)} more row" in text and "1,100 bytes" in text


def test_budget_below_1024_is_refused(cli, capsys):
    code, _ = cli("mist", "markdown", "--budget", "10")
    assert code == 2
    assert "--budget must be at least 1024 bytes" in capsys.readouterr().err
