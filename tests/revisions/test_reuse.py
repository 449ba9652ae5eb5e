"""`--new-from-rev` checks at the revision only the trusts whose directory changed; the others'
findings now are their findings then. Every case is run both ways (the revision checked in full,
and narrowed) and must print the same bytes; the narrowing itself is asserted where it applies."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mist_check import revisions

from .conftest import REPO, Git, Run

TRUSTS = {"alpha": "fee-cap/fail", "beta": "annual-continuance/fail", "gamma": "termination-notice/fail"}


@pytest.fixture
def three(repo: Git) -> Git:
    """Three trusts with findings of their own, one directory each, committed."""
    for name, fixture in TRUSTS.items():
        shutil.copytree(REPO / "fixtures" / fixture, repo.root / "funds" / name)
    repo.commit("three trusts")
    return repo


@pytest.fixture
def narrowed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The directories each base run took from the revision (() for the whole tree)."""
    seen: list[tuple[str, ...]] = []
    real = revisions.run_at

    def spy(r, commit, options, keep=None, only=()):  # type: ignore[no-untyped-def]
        seen.append(only)
        return real(r, commit, options, keep, only)

    monkeypatch.setattr(revisions, "run_at", spy)
    return seen


def both_ways(run: Run, repo: Git, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(revisions, "REUSE_UNCHANGED", False)
    full = run(repo, *argv)
    monkeypatch.setattr(revisions, "REUSE_UNCHANGED", True)
    fast = run(repo, *argv)
    assert fast == full
    return fast


def _raise_fee(repo: Git, trust: str) -> None:
    path = f"funds/{trust}/trust.yaml"
    repo.write(path, repo.read(path).replace('management_fee: "0.05%"', 'management_fee: "0.99%"', 1))


def test_an_edit_in_one_trust_checks_only_that_trust_at_the_revision(three, run, monkeypatch, narrowed) -> None:
    _raise_fee(three, "alpha")
    three.commit("alpha: a fee raised")
    code, out, _ = both_ways(run, three, monkeypatch, "check", "funds", "--new-from-rev", "HEAD~1")
    assert code == 1
    assert "management fee of 0.99%" in out
    assert narrowed[-1] == ("funds/alpha",)
    live = [line for line in out.splitlines() if (": error " in line or ": warning " in line)
            and "(suppressed:" not in line]
    assert len(live) == 1 and "Bond Fund is charged a management fee of 0.99%" in live[0]


def test_an_uncommitted_edit_counts_as_a_change(three, run, monkeypatch, narrowed) -> None:
    three.write("funds/beta/notes.yaml", "# a note beside the trust, not yet committed\n")
    both_ways(run, three, monkeypatch, "check", "funds", "--new-from-rev", "HEAD")
    assert narrowed[-1] == ("funds/beta",)


def test_no_change_checks_nothing_at_the_revision(three, run, monkeypatch, narrowed) -> None:
    code, out, err = both_ways(run, three, monkeypatch, "check", "funds", "--new-from-rev", "HEAD")
    assert code == 0 and "0 errors" in out and "0 resolved" in err
    assert narrowed == [()]  # the full run of the comparison; the narrowed one ran nothing


def test_a_change_outside_every_trust_checks_the_whole_revision(three, run, monkeypatch, narrowed) -> None:
    three.write("pack.yaml", "id: local\nextends: ica-1940\n")
    three.commit("a pack beside the trusts")
    three.write("pack.yaml", "id: local\nextends: ica-1940\nrules:\n  fee-cap: {enabled: false}\n")
    both_ways(run, three, monkeypatch, "check", "funds", "--policy", "pack.yaml", "--new-from-rev", "HEAD")
    assert narrowed == [(), ()]


def test_a_new_trust_is_wholly_new_and_a_removed_one_resolved(three, run, monkeypatch) -> None:
    shutil.copytree(REPO / "fixtures" / "name-cessation" / "fail", three.root / "funds" / "delta")
    shutil.rmtree(three.root / "funds" / "gamma")
    code, out, err = both_ways(run, three, monkeypatch, "check", "funds", "--new-from-rev", "HEAD")
    assert code == 1 and "funds/delta/trust.yaml" in out and "funds/gamma" not in out
    assert "termination-notice" in err  # gamma's findings are resolved


def test_a_file_named_on_the_command_line_checks_the_whole_revision(three, run, monkeypatch, narrowed) -> None:
    _raise_fee(three, "alpha")
    both_ways(run, three, monkeypatch, "check", "funds/alpha/trust.yaml", "--new-from-rev", "HEAD")
    assert narrowed == [(), ()]


def test_nested_trusts_are_checked_together(repo, run, monkeypatch, narrowed) -> None:
    shutil.copytree(REPO / "fixtures" / "fee-cap" / "fail", repo.root / "funds")
    shutil.copytree(REPO / "fixtures" / "annual-continuance" / "fail", repo.root / "funds" / "inner")
    repo.commit("a trust inside another's directory")
    repo.write("funds/inner/notes.yaml", "# a change inside the inner trust\n")
    both_ways(run, repo, monkeypatch, "check", "funds", "--new-from-rev", "HEAD")
    assert narrowed[-1] in (("funds",), ("funds", "funds/inner"))


def test_an_ignored_file_in_a_trust_counts_as_a_change(three, run, monkeypatch, narrowed) -> None:
    """git ignores it, so the revision never had it; the check reads it now."""
    three.write(".gitignore", "*.local.yaml\n")
    three.commit("ignore local files")
    three.write("funds/gamma/notes.local.yaml", "# kept out of git\n")
    both_ways(run, three, monkeypatch, "check", "funds", "--new-from-rev", "HEAD")
    assert narrowed[-1] == ("funds/gamma",)


def test_the_html_report_lists_what_the_change_resolved(three, run, monkeypatch, tmp_path) -> None:
    import html5lib

    shutil.rmtree(three.root / "funds" / "gamma")
    out = tmp_path / "r.html"
    run(three, "check", "funds", "--new-from-rev", "HEAD", "--format", "html", "--output", str(out))
    tree = html5lib.parse(out.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    section = next(e for e in tree.iter("section") if e.get("aria-labelledby") == "resolved-h")
    items = [" ".join("".join(li.itertext()).split()) for li in section.iter("li")]
    assert items and all("funds/gamma/trust.yaml" in item for item in items)
    assert any(item.startswith("termination-notice") for item in items)


def test_diff_reports_a_warning_that_became_an_error_at_the_same_value(three, run) -> None:
    _raise_fee(three, "alpha")  # Bond Fund: below its schedule (a warning), now above it (an error)
    code, out, _ = run(three, "diff", "HEAD", "funds", "--format", "json")
    import json

    alpha = next(t for t in json.loads(out)["trusts"] if t["trust"] == "Fee Cap Fail Trust")
    assert [f["message"] for f in alpha["findings_introduced"]] == [
        "Bond Fund is charged a management fee of 0.99%; Management Agreement Schedule A sets 0.15%"]
    assert [f["message"].split(",")[0] for f in alpha["findings_resolved"]] == [
        "Bond Fund is charged a management fee of 0.05%"]
