"""The fast validator (jsonschema-rs) and jsonschema agree on every file: the fast one only ever
saves time, never a finding."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from helpers import REPO
from mist_check.loader import load_text
from mist_check.schema import _validator, passes


def _reference(data: object) -> bool:
    return not any(True for _ in _validator().iter_errors(data))


def _fuzz():  # type: ignore[no-untyped-def]
    name = "mist_check_fuzz"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


FILES = sorted(p for p in (*REPO.glob("fixtures/**/*.yaml"), *REPO.glob("tests/**/*.yaml"))
               if "fuzz_corpus" not in p.parts)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_sample_file_is_judged_alike(path: Path) -> None:
    data = load_text(path.read_text(encoding="utf-8", errors="replace"), str(path)).data
    if isinstance(data, dict):
        assert passes(data) == _reference(data)


@pytest.mark.parametrize("value", ["0000-01-01", "2003-02-30", "2004-02-29", "2005-13-01", "20050101",
                                   "2005-1-01", " 2005-01-01", "9999-12-31"])
def test_dates_are_judged_alike(value: str) -> None:
    data = {"meetings": [{"date": value, "actions": []}]}
    assert passes(data) == _reference(data)


@pytest.mark.parametrize("value", ["30 days", " 30  days ", "30\tdays\n", "\ufeff30 days", "30\u00a0days",
                                   "30 days\u2003", "\x1c30 days", "30 days\x85", "\ud80030 days", "quarter"])
def test_periods_are_judged_alike(value: str) -> None:
    # `\s` would differ: ECMA-262 counts U+FEFF as a space and Python does not, and the reverse
    # for U+001C and U+0085; the patterns name their spaces
    data = {"documents": [{"id": "p", "kind": "distribution-plan", "title": "P",
                           "provisions": {"reporting": {"every": value}}}]}
    assert passes(data) == _reference(data)


@pytest.mark.parametrize("value", ["0.25%", " 25 bp ", "\ufeff0.25%", "0.25\u00a0%", "0.25%\x85", "\ud800",
                                   float("inf"), float("nan"), 10**40, True])
def test_rates_and_odd_values_are_judged_alike(value: object) -> None:
    data = {"portfolios": [{"id": "g", "management_fee": value}]}
    assert passes(data) == _reference(data)


@pytest.mark.parametrize("data", [{"portfolios": [{"id": "g", "name": "\ud800"}]},
                                  {"portfolios": [{"id": "\ud800"}]},
                                  {"meetings": [{"date": "\udfff", "actions": []}]}])
def test_a_lone_surrogate_is_judged_alike(data: object) -> None:
    # not UTF-8: jsonschema-rs may refuse to read it (an exception), and then jsonschema decides
    assert passes(data) == _reference(data)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=_fuzz().trusts().flatmap(lambda trust: _fuzz().mutated(trust)))
def test_generated_and_mutated_trusts_are_judged_alike(data: object) -> None:
    data = json.loads(json.dumps(data, default=str))  # the loader's value types: no dates, tuples
    if isinstance(data, dict):
        assert passes(data) == _reference(data)
