"""The docs that ship: every rule's explain page, the generated catalogue, hook docstrings, README."""
from __future__ import annotations

import inspect
import re
import subprocess

import pytest

from helpers import REPO
from mist_check import hookspecs
from mist_check.engine import Checker, Options, run
from mist_check.explain import catalogue

RULES = Checker(Options(entry_points=False)).rules
HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Parameters", "## References")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_doc_has_ruff_style_sections_and_names_every_parameter(rule_id):
    rule = RULES[rule_id]
    doc = inspect.cleandoc(rule.doc)
    positions = [doc.find(h) for h in HEADINGS]
    assert all(p > 0 for p in positions), f"{rule_id}: missing one of {HEADINGS}"
    assert positions == sorted(positions), f"{rule_id}: headings out of order"
    params = doc.split("## Parameters", 1)[1].split("## References", 1)[0]
    documented = set(re.findall(r"^- `([a-z_]+)`", params, re.MULTILINE))
    assert documented == set(rule.params), f"{rule_id}: documents {documented}, declares {set(rule.params)}"
    assert rule.summary and not rule.summary.endswith(" ")


def test_rule_catalogue_is_in_sync():
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == catalogue(), "regenerate: mist-check rules --format markdown > docs/rules.md"


@pytest.mark.parametrize("name", ["mist_check_rules", "mist_check_reporters"])
def test_hookspecs_are_documented(name):
    doc = inspect.getdoc(getattr(hookspecs, name))
    assert doc and ":return:" in doc and "Called" in doc


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(block) == 2
    assert "mist-check check fixtures/mist" in block[0]
    assert "pytest" in block[1] and ".[test]" in block[1]
    ci = subprocess.run(["awk", '/^```sh$/{inblock=1; next} /^```$/{if (inblock) exit} inblock{print}',
                         str(REPO / "README.md")], capture_output=True, text=True, check=True).stdout
    assert ci.splitlines()[1] == block[1]
    assert "sed -n 2p" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("as_of, expected", [
    ("2008-06-30", [("note", "on 2006-08-01, before the 90 days window of Rule 15a-2 (from 2006-10-03 to 2006-12-31)"),
                    ("error", "lapsed from 2007-08-01 to 2008-02-12")]),
    ("2009-01-15", [("warning", "must be continued by 2009-02-12"),
                    ("note", "outside the rule's safe harbour"),
                    ("error", "lapsed from 2007-08-01 to 2008-02-12")]),
    ("2009-03-01", [("error", "continuance was due by 2009-02-12"),
                    ("note", "outside the rule's safe harbour"),
                    ("error", "lapsed from 2007-08-01 to 2008-02-12")]),
])
def test_readme_timing_example(as_of, expected):
    from datetime import date

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- timing-example -->", 1)[1].split("<!-- /timing-example -->", 1)[0]
    for _, words in expected:
        for day in re.findall(r"\d{4}-\d{2}-\d{2}", words):
            assert day in table
    result = run(Options(paths=[str(REPO / "tests" / "data" / "timing-example.yaml")], entry_points=False,
                         as_of=date.fromisoformat(as_of), select=("annual-continuance",)))
    got = [(f.severity.value, f.message) for f in result.findings]
    assert len(got) == len(expected)
    for (severity, message), (want_severity, words) in zip(got, expected):
        assert severity == want_severity and words in message
