"""The fast validator (`_fastcheck`, generated) and jsonschema agree on every file: the fast one only
ever saves time, never a finding."""
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


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=_fuzz().trusts().flatmap(lambda trust: _fuzz().mutated(trust)))
def test_generated_and_mutated_trusts_are_judged_alike(data: object) -> None:
    data = json.loads(json.dumps(data, default=str))  # the loader's value types: no dates, tuples
    if isinstance(data, dict):
        assert passes(data) == _reference(data)
