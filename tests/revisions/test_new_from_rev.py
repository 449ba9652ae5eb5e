"""``check --new-from-rev`` and ``--new-from-merge-base`` on real git repositories."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .conftest import REPO, Git

NEW_PORTFOLIO = """  - id: new-fund
    name: New Fund
    classes: {"B": {offered: true}}
"""


def live(out: str) -> list[tuple[str, str]]:
    doc = json.loads(out)
    return [(f["rule"], f["file"]) for f in doc["findings"] if f["suppressed"] is None]


def test_an_amendment_adding_a_portfolio_off_schedule_a_fails_with_only_that_finding(mist_repo, run):
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json")
    assert code == 1 and len(live(out)) == 3  # the trust's older findings
    mist_repo("switch", "-q", "-c", "amendment")
    mist_repo.write("mist/portfolios.yaml", mist_repo.read("mist/portfolios.yaml") + NEW_PORTFOLIO)
    mist_repo.commit("add New Fund")
    code, out, err = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "main")
    assert code == 1
    assert live(out) == [("schedule-coverage", "mist/portfolios.yaml")]
    doc = json.loads(out)
    old = [f for f in doc["findings"] if f["suppressed"] and f["suppressed"]["reason"] == "already at main"]
    assert len(old) == 3
    assert doc["new_from"]["revision"].startswith("main (") and doc["new_from"]["resolved"] == []
    assert "only findings new since main" in err
    # the same through the merge base of the branch, and nothing new on main itself
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-merge-base", "main")
    assert code == 1 and live(out) == [("schedule-coverage", "mist/portfolios.yaml")]
    mist_repo("switch", "-q", "main")
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD")
    assert code == 0 and live(out) == []


def test_the_work_tree_is_judged_and_never_touched(mist_repo, run):
    mist_repo.write("mist/portfolios.yaml", mist_repo.read("mist/portfolios.yaml") + NEW_PORTFOLIO)
    before = mist_repo("status", "--porcelain")
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD")
    assert code == 1 and live(out) == [("schedule-coverage", "mist/portfolios.yaml")]
    assert mist_repo("status", "--porcelain") == before
    assert mist_repo("worktree", "list").count("\n") == 0


def test_a_fix_is_listed_as_resolved(mist_repo, run):
    text = mist_repo.read("mist/documents/class-b-plan.yaml")
    assert "adopted: null" in text
    mist_repo.write("mist/documents/class-b-plan.yaml", text.replace("adopted: null", "adopted: 2000-05-01", 1))
    mist_repo.commit("record the adoption date")
    code, out, err = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD~1")
    doc = json.loads(out)
    # (a date recorded lets the timing rules judge the plan: what they find is new)
    assert ("document-dates", "mist/documents/class-b-plan.yaml") not in live(out)
    assert [(e["rule"], e["file"]) for e in doc["new_from"]["resolved"]] == [
        ("document-dates", "mist/documents/class-b-plan.yaml")]
    assert "1 resolved: document-dates" in err


def test_a_renamed_file_keeps_its_findings(mist_repo, run):
    mist_repo("mv", "mist/documents/class-b-plan.yaml", "mist/documents/plan-class-b.yaml")
    mist_repo.commit("rename")
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD~1")
    assert code == 0 and live(out) == []
    assert json.loads(out)["new_from"]["resolved"] == []


def test_a_document_moved_to_another_file_brings_no_new_finding(mist_repo, run):
    plan = mist_repo.read("mist/documents/class-b-plan.yaml")
    body = plan[plan.index("documents:\n") + len("documents:\n"):]
    mist_repo.write("mist/documents/multi-class-plan.yaml", mist_repo.read("mist/documents/multi-class-plan.yaml")
                    .rstrip("\n") + "\n\n" + body)
    (mist_repo.root / "mist/documents/class-b-plan.yaml").unlink()
    mist_repo.commit("one file for the plans")
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json")
    assert ("document-dates", "mist/documents/multi-class-plan.yaml") in live(out)  # it moved
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD~1")
    assert code == 0 and live(out) == []
    assert json.loads(out)["new_from"]["resolved"] == []


def test_an_edit_in_one_file_that_lapses_an_agreement_in_another_is_new(repo, run):
    text = (REPO / "fixtures/annual-continuance/pass/trust.yaml").read_text()
    head, meetings = text.split("\nmeetings:\n", 1)
    meetings, rest = meetings.split("\nshareholder_votes:\n", 1)
    repo.write("trust/trust.yaml", head.replace("trust:\n  name:", "include: [meetings.yaml]\n\ntrust:\n  name:", 1)
               + "\nshareholder_votes:\n" + rest)
    repo.write("trust/meetings.yaml", "meetings:\n" + meetings)
    repo.commit("the trust")
    code, out, _ = run(repo, "check", "trust", "--format", "json")
    assert code == 0 and live(out) == []
    # remove the continuance vote of 2004-12-15 from meetings.yaml: the plan in trust.yaml lapses
    kept = meetings[:meetings.index("  - date: 2004-12-15")]
    repo.write("trust/meetings.yaml", "meetings:\n" + kept)
    repo.commit("drop a meeting")
    code, out, _ = run(repo, "check", "trust", "--format", "json", "--new-from-rev", "HEAD~1")
    assert code == 1
    assert ("annual-continuance", "trust/trust.yaml") in live(out)


def test_a_trust_absent_at_the_revision_is_wholly_new(mist_repo, run):
    shutil.copytree(REPO / "fixtures/fee-cap/fail", mist_repo.root / "second")
    mist_repo.commit("a second trust")
    code, out, _ = run(mist_repo, "check", "second", "--format", "json", "--new-from-rev", "HEAD~1")
    full = run(mist_repo, "check", "second", "--format", "json")[1]
    assert code == 1 and live(out) == live(full) != []


def test_a_shallow_clone_without_the_revision_says_what_to_fetch(mist_repo, run, tmp_path):
    first = mist_repo("rev-parse", "HEAD")
    mist_repo.write("mist/portfolios.yaml", mist_repo.read("mist/portfolios.yaml") + NEW_PORTFOLIO)
    mist_repo.commit("add New Fund")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{mist_repo.root}", str(clone)], check=True)
    code, out, err = run(clone, "check", "mist", "--new-from-rev", first)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "shallow clone" in err and "git fetch --depth=" in err and "fetch-depth: 0" in err
    code, _, err = run(clone, "check", "mist", "--new-from-merge-base", "origin/nope")
    assert code == 2 and "no such ref" in err and "fetch-depth: 0" in err
    # once fetched, it works
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True)
    code, out, _ = run(clone, "check", "mist", "--format", "json", "--new-from-rev", first)
    assert code == 1 and live(out) == [("schedule-coverage", "mist/portfolios.yaml")]


def test_a_revision_that_is_not_an_ancestor_is_refused(mist_repo, run):
    mist_repo("switch", "-q", "-c", "other")
    mist_repo.write("note.txt", "x\n")
    other = mist_repo.commit("elsewhere")
    mist_repo("switch", "-q", "main")
    code, _, err = run(mist_repo, "check", "mist", "--new-from-rev", other)
    assert code == 2 and "is not an ancestor of HEAD" in err and "--new-from-merge-base" in err
    code, _, err = run(mist_repo, "check", "mist", "--new-from-rev=--upload-pack=x")
    assert code == 2 and "not a revision" in err


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, run):
    shutil.copytree(REPO / "fixtures/mist", tmp_path / "mist")
    code, _, err = run(tmp_path, "check", "mist", "--new-from-rev", "HEAD")
    assert code == 2 and "needs a git repository" in err


def test_without_tar_the_revision_is_unpacked_by_tarfile(mist_repo, run, monkeypatch):
    import mist_check.revisions as revisions

    monkeypatch.setattr(revisions.shutil, "which", lambda name: None)
    mist_repo.write("mist/portfolios.yaml", mist_repo.read("mist/portfolios.yaml") + NEW_PORTFOLIO)
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD")
    assert code == 1 and live(out) == [("schedule-coverage", "mist/portfolios.yaml")]


def test_a_schema_finding_fails_the_gate_even_when_the_base_had_it(mist_repo, run):
    # the check of such a trust is incomplete at both revisions: nothing new is not "nothing wrong"
    mist_repo.write("mist/portfolios.yaml", mist_repo.read("mist/portfolios.yaml") + "  - {id: 7}\n")
    mist_repo.commit("a portfolio the schema refuses")
    code, out, _ = run(mist_repo, "check", "mist", "--format", "json", "--new-from-rev", "HEAD")
    assert code == 1
    assert {rule for rule, _ in live(out)} == {"schema"}
