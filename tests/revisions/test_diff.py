"""``mist-check diff`` on real git repositories: the change in substance, not in lines."""
from __future__ import annotations

import json
import shutil

from .conftest import REPO, Git

AGREEMENT = "mist/documents/class-b-distribution.yaml"


def mist_before_and_after_amendment_1(repo: Git) -> None:
    shutil.copytree(REPO / "fixtures/mist", repo.root / "mist")
    full = repo.read(AGREEMENT)
    repo.write(AGREEMENT, full[:full.index("    amendments:\n")])
    repo.commit("the Class B distribution agreement, without Amendment No. 1")
    repo.write(AGREEMENT, full)
    repo.commit("file Amendment No. 1")


def test_diff_prints_what_amendment_1_adds_and_deletes_with_its_date_and_section(repo, run):
    mist_before_and_after_amendment_1(repo)
    code, out, err = run(repo, "diff", "HEAD~1", "HEAD", "mist")
    assert code == 0, err
    assert ("Amendment No. 1 to Second Amended and Restated Distribution Agreement, Class B Shares "
            "(amendment-1, dated 2003-05-01, §1): Schedule A adds lord-abbett-americas-value, "
            "pimco-inflation-protected-bond; deletes jp-morgan-enhanced-index, jp-morgan-international-equity, "
            "lord-abbett-developing-growth") in out
    assert ("provision term added (§3): initial term ends 2003-08-31; each continuance lasts 1 year; continuance "
            "requires \"(trustees or shareholders) and independent trustees\"; in person; at a meeting called for the "
            "purpose") in out
    # the two new portfolios were off Schedule A before: the amendment resolves those findings
    assert out.count("- finding resolved: error schedule-coverage mist/portfolios.yaml") == 2
    code, out, _ = run(repo, "diff", "HEAD~1", "HEAD", "mist", "--format", "json")
    doc = json.loads(out)
    [trust] = doc["trusts"]
    [added] = [c for c in trust["changes"] if c["kind"] == "amendment-added"]
    assert added["to"]["adds"] == ["lord-abbett-americas-value", "pimco-inflation-protected-bond"]
    assert added["to"]["removes"] == ["jp-morgan-enhanced-index", "jp-morgan-international-equity",
                                      "lord-abbett-developing-growth"]
    assert added["to"]["dated"] == "2003-05-01" and added["section"] == "1"
    code, out, _ = run(repo, "diff", "HEAD~1", "HEAD", "mist", "--format", "markdown")
    assert out.startswith("## mist-check diff: 2 changes, 0 findings introduced, 3 resolved\n")
    assert "### Met Investors Series Trust (changed)" in out


def test_diff_against_the_work_tree_by_default(repo, run):
    mist_before_and_after_amendment_1(repo)
    code, out, _ = run(repo, "diff", "HEAD~1")
    assert code == 0 and "Schedule A adds lord-abbett-americas-value" in out
    code, out, _ = run(repo, "diff", "HEAD")
    assert "Met Investors Series Trust: unchanged" in out and "\n0 changes; 0 findings introduced, 0 resolved\n" in out


def test_moving_a_document_to_another_file_and_reformatting_change_nothing(repo, run):
    shutil.copytree(REPO / "fixtures/mist", repo.root / "mist")
    repo.commit("the trust")
    plan = repo.read("mist/documents/class-b-plan.yaml")
    body = plan[plan.index("documents:\n") + len("documents:\n"):]
    repo.write("mist/documents/multi-class-plan.yaml",
               repo.read("mist/documents/multi-class-plan.yaml").rstrip("\n") + "\n\n" + body)
    (repo.root / "mist/documents/class-b-plan.yaml").unlink()
    repo.write("mist/portfolios.yaml", "# reflowed\n\n" + repo.read("mist/portfolios.yaml").replace(
        'classes: {"B": {offered: true}}', 'classes:\n      "B":\n        offered: true'))
    repo.commit("one file for the plans; block style")
    code, out, _ = run(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    [trust] = json.loads(out)["trusts"]
    assert trust == {"trust": "Met Investors Series Trust", "status": "unchanged", "changes": [],
                     "findings_introduced": [], "findings_resolved": []}


def test_fees_provisions_trustees_meetings_and_findings(repo, run):
    text = (REPO / "fixtures/annual-continuance/pass/trust.yaml").read_text()
    repo.write("t/trust.yaml", text)
    repo.commit("the trust")
    changed = (text.replace("notice_days: 60, notice_bound: exactly, written: true, at_any_time: true,\n"
                            "                  without_penalty: true, by: {any_of: [trustees, shareholders]}, "
                            "section: \"9\"}\n      assignment: {terminates_automatically: true, section: \"9\"}\n\n"
                            "  # ended",
                            "notice_days: 90, notice_bound: exactly, written: true, at_any_time: true,\n"
                            "                  without_penalty: true, by: {any_of: [trustees, shareholders]}, "
                            "section: \"9\"}\n      assignment: {terminates_automatically: true, section: \"9\"}\n\n"
                            "  # ended", 1)
               .replace('B: {distribution_fee: "0.50%"}', 'B: {distribution_fee: "0.45%"}')
               .replace("  - {name: Cal Outside, independent: true, from: 2000-01-01}\n",
                        "  - {name: Cal Outside, independent: true, from: 2000-01-01}\n"
                        "  - {name: Dee Outside, independent: true, from: 2005-01-01}\n")
               .replace("shareholder_votes:\n", "  - date: 2005-03-01\n    in_person: true\n    actions: []\n\n"
                                                "shareholder_votes:\n"))
    assert changed.count("notice_days: 90") == 1
    repo.write("t/trust.yaml", changed)
    code, out, _ = run(repo, "diff", "HEAD")
    assert code == 0
    assert "Management Agreement: termination by the fund (§9): notice 60 -> 90 days" in out
    assert "Value Fund: class B distribution fee 0.50% -> 0.45%" in out
    assert "trustee joins: Dee Outside (independent, from 2005-01-01)" in out
    assert "board meeting recorded: 2005-03-01" in out
    assert "+ finding introduced: error termination-notice t/trust.yaml:" in out


def test_diff_errors_are_one_line(repo, run, tmp_path):
    shutil.copytree(REPO / "fixtures/mist", repo.root / "mist")
    repo.commit("the trust")
    code, _, err = run(repo, "diff", "no-such-rev")
    assert code == 2 and err.startswith("mist-check: error: diff no-such-rev: no such commit") and err.count("\n") == 1
    code, _, err = run(repo, "diff", "HEAD", "nowhere")
    assert code == 2 and "nowhere: no such file or directory" in err


def test_a_provision_change_reads_in_words_with_its_section(repo, run):
    """Each changed term of a clause is one line: the clause, its part, its section, the term in words,
    from -> to (issue 15: "notice 60 -> 90 days", not the format's key path)."""
    text = (REPO / "fixtures/termination-notice/pass/trust.yaml").read_text()
    repo.write("t/trust.yaml", text)
    repo.commit("the trust")
    changed = (text.replace("notice_days: 60\n          notice_bound: at-most", "notice_days: 90\n          notice_bound: at-least", 1)
               .replace("termination: {notice_days_max: 60, without_penalty: true,",
                        "termination: {notice_days_max: 90, without_penalty: false,")
               .replace('by: {any_of: [independent_trustees, class_shareholders]}, section: "7(a)"}',
                        'by: {all_of: [independent_trustees, class_shareholders]}, section: "7(a)"}'))
    repo.write("t/trust.yaml", changed)
    code, out, _ = run(repo, "diff", "HEAD")
    assert code == 0  # a diff is a report; the findings it brings are listed after the changes
    assert out.count("+ finding introduced: error termination-notice") == 4
    lines = [line.strip() for line in out.splitlines()]
    for expected in (
            'Class B Distribution Agreement: termination by the fund (§10): notice "not more than" -> "not less than"',
            "Class B Distribution Agreement: termination by the fund (§10): notice 60 -> 90 days",
            "Class B Distribution Plan: related agreements termination (§7(a)): notice at most 60 -> 90 days",
            "Class B Distribution Plan: related agreements termination (§7(a)): without penalty yes -> no",
            'Class B Distribution Plan: related agreements termination (§7(a)): who may act "independent trustees or '
            'class shareholders" -> "independent trustees and class shareholders"'):
        assert expected in lines
    code, out, _ = run(repo, "diff", "HEAD", "--format", "json")
    changes = [c for t in json.loads(out)["trusts"] for c in t["changes"]]
    notice = next(c for c in changes if c["subject"].endswith("termination.by_fund.notice_days"))
    assert (notice["from"], notice["to"], notice["section"]) == (60, 90, "10")
