"""One schema error is one finding: breaking any field of a fixture adds only schema findings there.

For every field of ``fixtures/mist`` and of each rule fixture (``fixtures/<rule>/{pass,fail}``), the
test breaks it in each way the schema refuses: a misspelt key, a value of the wrong type, a value
no enumeration, pattern or format accepts (``renewal``, ``yes``, a bad rate), a date written
``2020/04/01``. It checks the broken trust and asserts that every finding it did not have before is
a ``schema`` or ``parse-error`` finding at the element broken: the element is known to exist, and no
rule judges what depends on it (a lapse the broken meeting might have prevented, a schedule the
broken agreement might list, a majority counted over a broken roster). A finding may disappear (it
is not judged); none may appear.

Bound: the fixtures have about 2,300 fields and 5,900 (field, way) pairs, and a trust with a schema
error costs about 14 ms to check (most of it jsonschema writing the messages). The suite breaks
every field once, in one of the ways that apply to it, taken in turn (field k gets way k mod n, so
each way is tried on many fields of each kind): about 30 s of CPU. ``MIST_CHECK_BREAK_ALL=1`` breaks
every field in every way (about 80 s).
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mist_check.engine import Checker, Options
from mist_check.findings import Finding

from helpers import REPO

FIXTURES = sorted({p.parent for p in (REPO / "fixtures").rglob("trust.yaml")})
EVERY_WAY = os.environ.get("MIST_CHECK_BREAK_ALL") == "1"
# A root's `as_of` and `policy` choose the day and the pack for the whole trust: that they cannot be
# used is a finding of its own (issue 11 section 2), not a gap in the facts. A root whose `trust:`
# key is misspelt is no longer a trust root (discovery's matter); its other keys are broken here.
ROOT_SETTINGS = {"as_of", "policy"}
NOT_MISSPELT = {"trust"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LISTS = ("trustees", "portfolios", "documents", "meetings", "shareholder_votes", "reports")


@dataclass(frozen=True)
class Mutation:
    file: str  # relative to the fixture directory
    path: tuple[str | int, ...]  # of the field broken
    how: str
    text: str  # the whole file, broken

    @property
    def element(self) -> str:
        """The pointer of the element the field belongs to (a document, a meeting, `trust`...); a key
        at the top of the file belongs to the file."""
        if len(self.path) == 1:
            return ""
        head = self.path[:2] if self.path and self.path[0] in LISTS else self.path[:1]
        return "".join(f"/{seg}" for seg in head)

    def __str__(self) -> str:
        return f"{self.file} {'/'.join(map(str, self.path))}: {self.how}"


def _replace(text: str, node: yaml.Node, new: str) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    indent = text[end - node.end_mark.column:end]
    tail = "\n" + indent if end > start and not indent.strip() and text[start:end].count("\n") else ""
    return text[:start] + new + tail + text[end:]


def mutations(file: str, text: str) -> Iterator[Mutation]:
    """Every field of the file broken in every way that applies to it, in document order."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> Iterator[Mutation]:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = (*path, key.value)
                if not path and key.value in ROOT_SETTINGS:
                    continue
                if len(key.value) > 1 and (path or key.value not in NOT_MISSPELT):
                    yield Mutation(file, here, "misspelt key", _replace(text, key, key.value[:-1]))
                yield from field(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                yield from field(item, (*path, index))

    def field(value: yaml.Node, here: tuple[str | int, ...]) -> Iterator[Mutation]:
        if isinstance(value, yaml.ScalarNode):
            yield Mutation(file, here, "wrong type", _replace(text, value, "[1]"))
            yield Mutation(file, here, "bad value", _replace(text, value, "zz-bogus"))
            if DATE.match(value.value):
                yield Mutation(file, here, "bad date", _replace(text, value, "2020/04/01"))
        else:
            yield Mutation(file, here, "wrong type", _replace(text, value, "7"))
            yield from walk(value, here)

    yield from walk(root, ())


def chosen(found: Iterator[Mutation]) -> Iterator[Mutation]:
    """Every mutation with ``EVERY_WAY``; else one per field, the ways taken in turn."""
    if EVERY_WAY:
        yield from found
        return
    by_field: dict[tuple[str | int, ...], list[Mutation]] = {}
    for mutation in found:
        by_field.setdefault(mutation.path, []).append(mutation)
    for number, ways in enumerate(by_field.values()):
        yield ways[number % len(ways)]


def _key(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.file, f.pointer, f.message, f.severity, f.suppressed is not None)


def _fixture_id(path: Path) -> str:
    return str(path.relative_to(REPO / "fixtures"))


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Options(entry_points=False))


def _copy(fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[str]]:
    """The fixture copied to break freely, the working directory there: (copy, root, its YAML files)."""
    work = tmp_path / "trust"
    shutil.copytree(fixture, work)
    monkeypatch.chdir(work)
    return work, Path("trust.yaml"), sorted(str(p.relative_to(work)) for p in work.rglob("*.yaml"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=_fixture_id)
def test_breaking_any_field_adds_only_schema_findings_at_it(fixture: Path, tmp_path: Path, checker: Checker,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    work, root, files = _copy(fixture, tmp_path, monkeypatch)
    base = {_key(f) for f in checker.check_root(root).findings}
    checked = refused = 0
    failures: list[str] = []
    for file in files:
        original = (work / file).read_text(encoding="utf-8")
        for mutation in chosen(mutations(file, original)):
            (work / file).write_text(mutation.text, encoding="utf-8")
            result = checker.check_root(root)
            checked += 1
            assert result.error is None, f"{mutation}: {result.error}"
            found = [f for f in result.findings if _key(f) not in base]
            errors = [f for f in found if f.rule in ("schema", "parse-error")]
            if not errors:
                continue  # the schema accepts it (a free-text title, an id...): not a case for this test
            refused += 1
            wrong = [f for f in found if f.rule not in ("schema", "parse-error")
                     or f.file != file or not (f.pointer == mutation.element
                                               or f.pointer.startswith(mutation.element + "/")
                                               or f.rule == "parse-error")]
            if wrong:
                failures.append(f"{mutation}: " + "; ".join(f"{f.rule} {f.pointer} {f.message}" for f in wrong))
        (work / file).write_text(original, encoding="utf-8")
    assert refused > 0 and checked > 0
    assert not failures, f"{len(failures)} of {refused} refused mutations add other findings:\n" + "\n".join(failures[:40])


# --- the cases of the issue, one by one ---------------------------------------------------------------

def _fixture(name: str) -> str:
    return (REPO / "fixtures" / name / "trust.yaml").read_text(encoding="utf-8")


def _rules(result: object) -> list[tuple[str, str]]:
    return sorted((f.rule, f.pointer) for f in result.findings)  # type: ignore[attr-defined]


@pytest.mark.parametrize("old, new", [
    ("term: {initial_until: 2006-10-31", "term: {initial_unti: 2006-10-31"),  # a misspelt key
    ("dated: 2004-11-01\n    fee_schedule", "dated: 2004/11/01\n    fee_schedule"),  # a bad date
])
def test_a_broken_management_agreement_is_no_schedule_coverage_error(run_files, old: str, new: str) -> None:
    text = _fixture("fee-cap/pass")
    assert old in text
    result = run_files(text.replace(old, new))
    assert {f.rule for f in result.findings} == {"schema"}


@pytest.mark.parametrize("old, new", [
    ("\nmeetings:\n", "\nmeeting:\n"),  # a misspelt list: which facts it held is unknown
    ("action: continuance", "action: renewal"),  # a bad value: the meeting may have continued it
])
def test_a_broken_meeting_is_no_lapse(run_files, old: str, new: str) -> None:
    text = _fixture("annual-continuance/pass")
    assert old in text
    result = run_files(text.replace(old, new))
    assert {f.rule for f in result.findings} == {"schema"}, _rules(result)


def test_a_broken_trustee_is_not_missing_from_the_roster(run_files) -> None:
    text = _fixture("required-approvals/pass")
    old = "{name: Bob Outside, independent: true"
    assert old in text
    result = run_files(text.replace(old, "{name: Bob Outside, independent: yes"))
    assert {f.rule for f in result.findings} == {"schema"}, _rules(result)


def test_a_broken_meeting_does_not_silence_the_agreements_own_clauses(run_files) -> None:
    # no false pass: the 90 days' notice rests on the agreement alone, and is still reported
    text = _fixture("termination-notice/fail").replace("action: continuance", "action: renewal")
    base = run_files(_fixture("termination-notice/fail"))
    broken = run_files(text)
    notice = lambda r: sorted((f.pointer, f.message) for f in r.findings  # noqa: E731
                              if f.rule == "termination-notice")
    assert notice(base) and notice(broken) == notice(base)


def test_a_broken_document_leaves_the_other_documents_judged(run_files) -> None:
    text = _fixture("termination-notice/fail")
    base = {(f.rule, f.pointer) for f in run_files(text).findings}
    assert "dated: 2004-11-01" in text
    broken = run_files(text.replace("dated: 2004-11-01", "dated: 2004/11/01", 1))
    found = {(f.rule, f.pointer) for f in broken.findings}
    schema = {p for rule, p in found if rule == "schema"}
    assert len(schema) == 1
    element = "/".join(next(iter(schema)).split("/")[:3])  # /documents/N
    kept = {(r, p) for r, p in base if not p.startswith(element + "/")}
    assert kept and kept <= found  # every finding about the other documents is still there


# --- a third-party rule gets it too -----------------------------------------------------------------

PLUGIN = '''
from mist_check import Rule, hookimpl

def coarse(trust, ctx):
    # no judgement blocks: each finding rests on everything the rule has read so far
    for doc in trust.documents:
        if not trust.actions_by_target.get(doc.id):
            yield ctx.finding(doc.src.at("id"), f"{doc.title} was never approved", subject=doc.id)

def precise(trust, ctx):
    for doc in trust.documents:
        with ctx.judging():
            if not trust.actions_by_target.get(doc.id):
                yield ctx.finding(doc.src.at("id"), f"{doc.title} was never approved", subject=doc.id)

def asks(trust, ctx):
    for doc in trust.documents:
        if not ctx.complete("approvals", doc.id):
            continue  # asked first: the rule does not judge it, and does not read it
        if not trust.actions_by_target.get(doc.id):
            yield ctx.finding(doc.src.at("id"), f"{doc.title} was never approved", subject=doc.id)

@hookimpl
def mist_check_rules():
    return [Rule("never-approved", coarse), Rule("never-approved-precise", precise),
            Rule("never-approved-asks", asks)]
'''

THIRD_PARTY = """\
format: 1
trust: {name: T}
trustees: [{name: Ann, independent: true, from: 2000-01-01}]
documents:
  - {id: a, kind: fee-waiver, title: Waiver A, dated: 2004-01-01}
  - {id: b, kind: fee-waiver, title: Waiver B, dated: 2004-01-01}
meetings:
  - {date: 2004-02-01, in_person: true, actions: [{approves: a, action: renewal, for: [Ann]}]}
"""


def test_a_third_party_rule_does_not_judge_what_rests_on_an_unreadable_meeting(run_files, tmp_path,
                                                                               monkeypatch) -> None:
    (tmp_path / "acme_rules.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    select = ("never-approved", "never-approved-precise", "never-approved-asks", "schema")
    result = run_files(THIRD_PARTY, plugins=("acme_rules",), select=select)
    found = sorted((f.rule, f.subject) for f in result.findings if f.rule != "schema")
    # Waiver A's approval is unreadable: not judged by any; Waiver B's rests only on its own
    # approvals, which are readable, in a judgement block or when the rule asks first; the coarse
    # rule read every document's approvals before its second finding, so it withholds it too
    assert found == [("never-approved-asks", "b"), ("never-approved-precise", "b")]
    fixed = run_files(THIRD_PARTY.replace("renewal", "initial"), plugins=("acme_rules",), select=select)
    assert sorted((f.rule, f.subject) for f in fixed.findings) == [
        ("never-approved", "b"), ("never-approved-asks", "b"), ("never-approved-precise", "b")]


def test_an_unreadable_element_is_known_with_what_is_readable(tmp_path) -> None:
    from mist_check.loader import load_text
    from mist_check.model import build_trust
    from mist_check.schema import validate

    src = load_text(THIRD_PARTY, "trust.yaml")
    assert [f.pointer for f in validate(src)] == ["/meetings/0/actions/0/action"]
    trust = build_trust(src, [])
    [meeting] = trust.unreadable
    assert (meeting.kind, meeting.key, meeting.src.pointer) == ("meetings", None, "/meetings/0")
    assert meeting.get("date") == "2004-02-01" and meeting.known["actions"][0] == {"approves": "a", "for": ["Ann"]}
    assert trust.gaps == {"meetings": {None}, "approvals": {"a"}}
    assert not trust.complete("approvals", "a") and trust.complete("approvals", "b")
    assert not trust.complete("meetings") and trust.complete("documents")


# --- a reference that points nowhere is reported once (issue 11 section 3) ---------------------------

OWN_KEYS = {"id", "name", "title", "kind"}  # its own id, name or kind, not a reference to another


def misspelt_references(file: str, text: str, ids: set[str]) -> Iterator[tuple[Mutation, str]]:
    """Every scalar that names a known id (a document, an amendment, a portfolio, a trustee) from
    another element, misspelt; and the id."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> Iterator[Mutation]:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value not in OWN_KEYS:
                    yield from walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                yield from walk(item, (*path, index))
        elif isinstance(node, yaml.ScalarNode) and node.value in ids and path and path[0] in LISTS + ("share_classes",):
            yield Mutation(file, path, "misspelt reference", _replace(text, node, node.value + "-x")), node.value

    yield from walk(root, ())


def _place(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.file, f.pointer, f.severity, f.suppressed is not None)


def _known_ids(work: Path) -> set[str]:
    ids: set[str] = set()
    for path in work.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind, key in (("documents", "id"), ("portfolios", "id"), ("trustees", "name")):
            for item in data.get(kind) or ():
                ids.add(str(item.get(key)))
                ids.update(str(a.get("id")) for a in item.get("amendments") or ())
    return ids


@pytest.mark.parametrize("fixture", FIXTURES, ids=_fixture_id)
def test_a_misspelt_reference_adds_only_its_reference_finding(fixture: Path, tmp_path: Path, checker: Checker,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    work, root, files = _copy(fixture, tmp_path, monkeypatch)
    places = {_place(f) for f in checker.check_root(root).findings}
    ids = _known_ids(work)
    failures: list[str] = []
    for file in files:
        original = (work / file).read_text(encoding="utf-8")
        for mutation, value in misspelt_references(file, original, ids):
            (work / file).write_text(mutation.text, encoding="utf-8")
            # a finding of the same rule at the same place is the one it was (it may quote the id)
            found = [f for f in checker.check_root(root).findings if _place(f) not in places]
            if not any(f.rule == "reference" for f in found):
                failures.append(f"{mutation}: no reference finding")
            wrong = [f for f in found if f.rule != "reference" or f.file != file
                     or not f.pointer.startswith(mutation.element)]
            if wrong:
                failures.append(f"{mutation}: " + "; ".join(f"{f.rule} {f.pointer} {f.message}" for f in wrong))
        (work / file).write_text(original, encoding="utf-8")
    assert not failures, f"{len(failures)} misspelt references do more than a reference finding:\n" + "\n".join(failures[:40])
