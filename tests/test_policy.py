"""Policy packs: ``extends``, parameters with their legal source, dated history; rule code holds no
legal number."""
from __future__ import annotations

import ast
import tokenize
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from helpers import REPO, write_files

from mist_check.cli import main
from mist_check.errors import UsageError
from mist_check.periods import parse_period
from mist_check.policy import builtin_policies, convert, load_policy
from mist_check.rates import Rate, parse_rate


def _pack(tmp_path: Path, files: dict[str, str]) -> Path:
    write_files(tmp_path, files)
    return tmp_path


# --- the shipped packs ----------------------------------------------------------------------------

def test_builtin_packs() -> None:
    assert builtin_policies() == ["ica-1940", "mist"]


def test_mist_extends_ica_1940() -> None:
    ica, mist = load_policy("ica-1940"), load_policy("mist")
    assert mist.chain == ("mist", "ica-1940")
    assert ica.chain == ("ica-1940",)
    # inherits the law's parameters, with their references
    assert mist.parameters.keys() == ica.parameters.keys()
    day = date(2005, 6, 30)
    assert mist.parameters["shareholder_present_at_least"].at(day) == \
        ica.parameters["shareholder_present_at_least"].at(day)
    notice = mist.rules["termination-notice"].params["notice_days_max"].at(day)
    assert notice[0] == 60 and "§15(a)(3)" in notice[1]
    assert mist.rules["fee-cap"].params["asset_based_sales_charge_max"].at(day)[0] == "0.75%"
    # and turns on what the Trust's documents add
    assert ica.rules["name-cessation"].enabled is False
    assert mist.rules["name-cessation"].enabled is True
    period = mist.rules["name-cessation"].params["period"].at(day)
    assert period[0] == "30 days" and "Management Agreement §6" in period[1]
    # the child's rule settings merge key by key with the parent's
    assert mist.rules["termination-notice"] == ica.rules["termination-notice"]


def test_name_cessation_runs_under_mist_only(run_files) -> None:
    trust = "format: 1\ntrust: {name: T}\n"
    assert "name-cessation" in run_files(trust, policy="mist").trusts[0].rules
    assert "name-cessation" not in run_files(trust, policy="ica-1940").trusts[0].rules


def test_every_shipped_parameter_has_a_reference() -> None:
    for name in builtin_policies():
        pack = load_policy(name)
        params = list(pack.parameters.values())
        params += [p for rule in pack.rules.values() for p in rule.params.values()]
        assert params
        for param in params:
            for _, _, reference in param.history:
                assert reference.strip(), (name, param.name)


# --- extends and overrides ------------------------------------------------------------------------

def test_a_pack_file_extends_a_builtin_and_overrides(tmp_path: Path) -> None:
    _pack(tmp_path, {"house.yaml": """\
id: house
extends: mist
rules:
  termination-notice:
    severity: warning
    params:
      notice_days_max: {value: 45, reference: "House rule 7"}
  annual-continuance:
    enabled: false
"""})
    pack = load_policy(str(tmp_path / "house.yaml"))
    day = date(2005, 6, 30)
    assert pack.chain == ("house", "mist", "ica-1940")
    rule = pack.rules["termination-notice"]
    assert rule.params["notice_days_max"].at(day) == (45, "House rule 7")
    assert rule.params["advisory_terminators"].at(day)[0] == ["trustees", "shareholders"]  # inherited
    assert rule.severity is not None and rule.severity.value == "warning"
    assert rule.severities["at-least"].value == "warning"  # inherited
    assert pack.rules["annual-continuance"].enabled is False
    assert pack.rules["name-cessation"].enabled is True  # from mist


def test_extends_is_relative_to_the_pack(tmp_path: Path) -> None:
    _pack(tmp_path, {"packs/base.yaml": "id: base\nextends: ica-1940\n",
                     "packs/child.yaml": "id: child\nextends: base.yaml\n"})
    assert load_policy(str(tmp_path / "packs" / "child.yaml")).chain == ("child", "base", "ica-1940")


@pytest.mark.parametrize("files", [
    {"a.yaml": "id: a\nextends: b.yaml\n", "b.yaml": "id: b\nextends: a.yaml\n"},
    {"a.yaml": "id: a\nextends: a.yaml\n"},
    {"a.yaml": "id: a\nextends: b.yaml\n", "b.yaml": "id: b\nextends: c.yaml\n", "c.yaml": "id: c\nextends: a.yaml\n"},
])
def test_an_extends_cycle_is_an_error(tmp_path: Path, files: dict[str, str]) -> None:
    _pack(tmp_path, files)
    with pytest.raises(UsageError, match="extends itself"):
        load_policy(str(tmp_path / "a.yaml"))


# --- parameters -----------------------------------------------------------------------------------

@pytest.mark.parametrize("param", [
    "{value: 45}",
    "{value: 45, reference: ''}",
    "{value: 45, reference: null}",
    "45",
    "{history: [{from: null, value: 45}]}",
    "{history: []}",
    "{history: 45}",
])
def test_a_parameter_without_a_reference_is_rejected(tmp_path: Path, param: str) -> None:
    _pack(tmp_path, {"p.yaml": f"id: p\nextends: ica-1940\nrules:\n  termination-notice:\n"
                               f"    params:\n      notice_days_max: {param}\n"})
    with pytest.raises(UsageError, match="notice_days_max"):
        load_policy(str(tmp_path / "p.yaml"))


def test_a_shared_parameter_without_a_reference_is_rejected(tmp_path: Path) -> None:
    _pack(tmp_path, {"p.yaml": "id: p\nparameters:\n  board_majority_more_than: {value: '0.5'}\n"})
    with pytest.raises(UsageError, match="every legal number carries its source"):
        load_policy(str(tmp_path / "p.yaml"))


HISTORY = """\
id: dated
extends: ica-1940
rules:
  fee-cap:
    params:
      asset_based_sales_charge_max:
        history:
          - {from: 2016-12-05, value: "0.70%", reference: "FINRA Rule 2341"}
          - {from: null, value: "0.75%", reference: "NASD Rule 2830"}
          - {from: 2020-01-01, value: "0.65%", reference: "a later amendment"}
"""


@pytest.mark.parametrize(("day", "value", "reference"), [
    (date(2005, 6, 30), "0.75%", "NASD Rule 2830"),
    (date(2016, 12, 4), "0.75%", "NASD Rule 2830"),
    (date(2016, 12, 5), "0.70%", "FINRA Rule 2341"),
    (date(2019, 12, 31), "0.70%", "FINRA Rule 2341"),
    (date(2020, 1, 1), "0.65%", "a later amendment"),
])
def test_history_picks_the_value_in_force(tmp_path: Path, day: date, value: str, reference: str) -> None:
    _pack(tmp_path, {"dated.yaml": HISTORY})
    param = load_policy(str(tmp_path / "dated.yaml")).rules["fee-cap"].params["asset_based_sales_charge_max"]
    assert param.at(day) == (value, reference)


def test_history_reaches_the_rule_at_as_of(tmp_path: Path) -> None:
    from mist_check.engine import Checker, Options
    from mist_check.loader import load_text
    from mist_check.model import build_trust

    _pack(tmp_path, {"dated.yaml": HISTORY})
    name = str(tmp_path / "dated.yaml")
    checker = Checker(Options(policy=name, entry_points=False))
    pack, rule = checker.policy(name), checker.rules["fee-cap"]
    trust = build_trust(load_text("format: 1\ntrust: {name: T}\n", "t.yaml"), [])
    early = checker.context(pack, rule, trust, date(2010, 1, 1))
    late = checker.context(pack, rule, trust, date(2021, 1, 1))
    assert early.params["asset_based_sales_charge_max"] == parse_rate("0.75%")
    assert early.reference("asset_based_sales_charge_max") == "NASD Rule 2830"
    assert late.params["asset_based_sales_charge_max"] == parse_rate("0.65%")
    assert late.reference("asset_based_sales_charge_max") == "a later amendment"


def test_a_misspelt_from_in_a_history_is_rejected(tmp_path: Path) -> None:
    _pack(tmp_path, {"p.yaml": HISTORY.replace("{from: 2020-01-01", "{form: 2020-01-01")})
    with pytest.raises(UsageError, match="unknown key 'form'"):
        load_policy(str(tmp_path / "p.yaml"))


def test_a_bad_history_date_is_rejected(tmp_path: Path) -> None:
    _pack(tmp_path, {"p.yaml": HISTORY.replace("2020-01-01", "2020-02-30")})
    with pytest.raises(UsageError, match="'2020-02-30' is not a valid date"):
        load_policy(str(tmp_path / "p.yaml"))


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("rate", "0.75%", Rate(Decimal("0.75"))),
    ("rate", "25bp", Rate(Decimal("0.25"))),
    ("period", "30 days", parse_period("30 days")),
    ("decimal", "0.67", Decimal("0.67")),
    ("int", 60, 60),
    ("list", ["a"], ("a",)),
])
def test_convert(kind: str, value: object, expected: object) -> None:
    assert convert(kind, value, "here") == expected


@pytest.mark.parametrize(("kind", "value"), [
    ("rate", 0.75), ("rate", "0.75"), ("period", "30"), ("int", "60"), ("int", True), ("decimal", "x"),
    ("list", "a"), ("requirements", {"distribution-plan": {"initial": {"all_of": ["nobody"]}}}),
    ("requirements", {"distribution-plan": {"initial": {"all_of": []}}}),
    ("requirements", {"distribution-plan": {"initial": {"all_of": ["trustees", 5]}}}),
    ("requirements", {"distribution-plan": ["trustees"]}),
])
def test_convert_rejects(kind: str, value: object) -> None:
    with pytest.raises(UsageError, match="here"):
        convert(kind, value, "here")


# --- packs that fail to load: exit 2 --------------------------------------------------------------

@pytest.mark.parametrize(("pack", "words"), [
    ("id: p\nextends: ica-1940\nrules:\n  no-such-rule: {enabled: true}\n", "'no-such-rule'"),
    ("id: p\nextends: ica-1940\nrules:\n  termination-notice:\n    params:\n"
     "      notice_days_maximum: {value: 45, reference: x}\n", "'notice_days_maximum'"),
    ("id: p\nparameters:\n  nobody_reads_this: {value: 1, reference: x}\n", "'nobody_reads_this'"),
    ("id: p\nextends: no-such-pack\n", "unknown policy 'no-such-pack'"),
    ("id: p\nextnds: ica-1940\n", "unknown key 'extnds'"),
    ("id: p\nextends: ica-1940\nrules:\n  fee-cap: {enabled: no}\n", "enabled must be true or false"),
    ("id: p\nextends: ica-1940\nrules:\n  fee-cap: {severity: fatal}\n", "unknown severity 'fatal'"),
    ("id: p\nextends: ica-1940\nrules:\n  fee-cap: {severities: [warning]}\n", "must be a mapping"),
    ("id: p\nextends: ica-1940\nrules:\n  fee-cap: {params: [x]}\n", "must be a mapping"),
    ("id: p\nextends: ica-1940\nrules:\n  fee-cap: {colour: red}\n", "unknown key 'colour'"),
    ("id: p\nextends: ica-1940\nrules: [fee-cap]\n", "must be a mapping"),
    ("id: p\nparameters: [x]\n", "must be a mapping"),
    ("id: p\nextends: [ica-1940, mist]\n", "extends must name one pack"),
    ("- not a mapping\n", "must be a mapping"),
    ("id: p\nrules: {fee-cap: {enabled: true}\n", "cannot be read: line 2: invalid YAML: the '{' opened here"),
    ("id: p\nextends: ica-1940\nrules:\n  termination-notice:\n    params:\n"
     "      notice_days_max: {value: sixty, reference: x}\n", "notice_days_max"),
])
def test_a_bad_pack_exits_2(tmp_path: Path, monkeypatch, capsys, pack: str, words: str) -> None:
    monkeypatch.chdir(tmp_path)
    _pack(tmp_path, {"pack.yaml": pack, "trust.yaml": "format: 1\ntrust: {name: T}\n"})
    assert main(["check", ".", "--policy", "pack.yaml", "--no-entry-points"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mist-check: error: ")
    assert words in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_a_pack_that_is_not_utf8_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack.yaml").write_bytes(b"id: p\ntitle: Caf\xe9\n")
    (tmp_path / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n")
    assert main(["check", ".", "--policy", "pack.yaml", "--no-entry-points"]) == 2
    assert "is not UTF-8" in capsys.readouterr().err


def test_the_trust_file_names_its_pack(run_files) -> None:
    result = run_files("format: 1\npolicy: mist\ntrust: {name: T}\n", policy=None)
    assert result.trusts[0].policy == "mist"
    result = run_files("format: 1\ntrust: {name: T}\n", policy=None)
    assert result.trusts[0].policy == "ica-1940"


# --- no legal number in rule code -----------------------------------------------------------------

LEGAL_NUMBERS = {Decimal(n) for n in ("60", "90", "30", "0.75", "0.25", "0.67", "365")}
PLUGIN_FILES = sorted((REPO / "plugins").glob("*.py"))


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace("_", "").rstrip("jJ").lower()) if text[:2].lower() not in ("0x", "0o", "0b") \
            else Decimal(int(text.replace("_", ""), 0))
    except (InvalidOperation, ValueError):
        return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _as_legal_value(text: str) -> Decimal | None:
    """The number a string literal such as "0.75%", "60 days" or "0.67" stands for."""
    for parse in (lambda t: parse_rate(t).percent, lambda t: Decimal(parse_period(t).count),
                  lambda t: Decimal(t.strip())):
        try:
            return parse(text)
        except (ValueError, InvalidOperation):
            continue
    return None


def test_there_are_rule_modules() -> None:
    assert len(PLUGIN_FILES) >= 7  # __init__ and the six rules


def _legal_numbers(path: Path) -> list[str]:
    """Where the module's code (not its docstrings or comments) writes a legal number."""
    offending = []
    with path.open("rb") as stream:
        for token in tokenize.tokenize(stream.readline):
            if token.type == tokenize.NUMBER and _number(token.string) in LEGAL_NUMBERS:
                offending.append(f"{path.name}:{token.start[0]}: {token.line.strip()}")
    # Python 3.11 tokenizes an f-string as one STRING token: look inside them with ast, and at
    # strings that spell a legal number ("0.75%", "60 days"), docstrings apart.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and Decimal(str(value)) in LEGAL_NUMBERS:
                offending.append(f"{path.name}:{node.lineno}: the number {value}")
            elif isinstance(value, str) and _as_legal_value(value) in LEGAL_NUMBERS:
                offending.append(f"{path.name}:{node.lineno}: the string {value!r}")
    return sorted(set(offending))


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda p: p.name)
def test_no_rule_module_holds_a_bare_legal_number(path: Path) -> None:
    """The numbers of the law live in the policy packs, with their sources; never in rule code."""
    assert _legal_numbers(path) == []


def test_the_scan_finds_a_planted_number(tmp_path: Path) -> None:
    """The scan itself works: a rule with 60 in its code, or "0.75%" in a string, is caught."""
    source = '"""Doc with 60 days and 0.75% is fine."""\nLIMIT = 60\nCAP = "0.75%"\nMSG = f"{x > 90}"\n'
    path = tmp_path / "planted.py"
    path.write_text(source)
    assert _legal_numbers(path) == [
        "planted.py:2: LIMIT = 60",
        "planted.py:2: the number 60",
        "planted.py:3: the string '0.75%'",
        "planted.py:4: the number 90",
    ]


@pytest.mark.parametrize(("written", "share"), [("3/5", "3/5"), ("2/3", "2/3"), ("0.5", "1/2"), (" 1 / 2 ", "1/2")])
def test_a_ratio_parameter_is_an_exact_share(written: str, share: str) -> None:
    from fractions import Fraction

    from mist_check.policy import convert
    assert convert("ratio", written, "p") == Fraction(share)
    assert convert("ratio", None, "p") is None  # no requirement (yet): a dated parameter's first entry


@pytest.mark.parametrize(("written", "message"), [
    ("1e999999999", "out of range"), ("NaN", "not a finite number"), ("1/0", "divides by zero"),
    ("abc", 'not a share such as "3/5" or "0.6"'),
])
def test_a_bad_ratio_parameter_is_a_one_line_error(written: str, message: str) -> None:
    from mist_check.errors import UsageError
    from mist_check.policy import convert
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        convert("ratio", written, "p")
