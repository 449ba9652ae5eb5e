"""Policy packs: which rules run, their severities, their parameters, each with its legal source.

A pack is YAML data (never code). It may ``extends:`` another pack; the child's settings win key by
key. A parameter is ``{value: X, reference: "ICA §15(a)(3)"}``, or a history of values in force
from given dates, each with its own reference::

    notice_days_max: {value: 60, reference: "Investment Company Act of 1940 §15(a)(3)"}
    asset_based_max:
      history:
        - {from: null,       value: "0.75%", reference: "NASD Rule 2830"}
        - {from: 2016-12-05, value: "0.75%", reference: "FINRA Rule 2341"}
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import UsageError
from .findings import Severity
from .files import Unreadable, read_limited
from .hints import did_you_mean
from .loader import DEFAULT_LIMITS, Limits, load_bytes, SourceFile
from .model import requirement
from .periods import parse_date, parse_period
from .rates import parse_rate

DEFAULT_POLICY = "ica-1940"

# Parameters every rule may read, set once in a pack's top-level ``parameters:``.
SHARED_PARAMS = {
    "board_majority_more_than": "decimal",
    "shareholder_quorum_more_than": "decimal",
    "shareholder_present_at_least": "decimal",
    "shareholder_outstanding_more_than": "decimal",
    "in_person_required": "list",
    "called_for_purpose_required": "list",
    "default_requirements": "requirements",
    "continuance_period": "period",
}
_PACK_KEYS = {"id", "title", "description", "extends", "parameters", "rules"}
_RULE_KEYS = {"enabled", "severity", "severities", "authority", "params"}


@dataclass(frozen=True)
class Param:
    """A parameter's values over time; each value carries the reference it rests on."""

    name: str
    history: tuple[tuple[date | None, Any, str], ...]  # (in force from, value, reference), by date

    def at(self, day: date) -> tuple[Any, str]:
        """The value and reference in force on ``day`` (the earliest one before any dated value)."""
        chosen = self.history[self.index_at(day)]
        return chosen[1], chosen[2]

    def index_at(self, day: date) -> int:
        """Which entry of ``history`` is in force on ``day``."""
        chosen = 0
        for index, entry in enumerate(self.history):
            if entry[0] is None or entry[0] <= day:
                chosen = index
        return chosen


@dataclass(frozen=True)
class RulePolicy:
    enabled: bool = True
    severity: Severity | None = None
    severities: Mapping[str, Severity] = field(default_factory=dict)
    authority: Mapping[str, str] = field(default_factory=dict)  # case -> authority; "default"
    params: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    source: str
    parameters: Mapping[str, Param]
    rules: Mapping[str, RulePolicy]
    chain: tuple[str, ...] = ()  # this pack's id and those it extends, nearest first


def _builtin(name: str) -> str | None:
    try:
        ref = resources.files("mist_check.policies").joinpath(f"{name}.yaml")
        return ref.read_text(encoding="utf-8") if ref.is_file() else None
    except (OSError, ModuleNotFoundError):  # a name no file can have (too long, say) is no pack
        return None


@functools.cache
def _builtin_ids() -> tuple[str, ...]:
    return tuple(sorted(p.name[:-5] for p in resources.files("mist_check.policies").iterdir()
                        if p.name.endswith(".yaml")))


def builtin_policies() -> list[str]:
    return list(_builtin_ids())


def is_builtin(name: str) -> bool:
    """Whether ``name`` names a built-in pack (as ``_read`` resolves it: before any file)."""
    return "/" not in name and not name.endswith((".yaml", ".yml")) and name in _builtin_ids()


def _read(name: str, base: Path | None, limits: Limits = DEFAULT_LIMITS,
          confine: Path | None = None) -> tuple[dict[str, Any], str, Path | None]:
    """Find a pack by built-in id or by path; return its data, its label and its directory.

    With ``confine`` (the directory of the trust that named the pack), a file outside it is refused
    before it is opened. A pack file is read as any input: a regular file within the byte limit."""
    text = _builtin(name) if "/" not in name and not name.endswith((".yaml", ".yml")) else None
    label, where = f"policy {name!r}", None
    raw = text.encode("utf-8") if text is not None else b""
    if text is None:
        path = Path(name) if base is None or Path(name).is_absolute() else base / name
        if confine is not None and not _inside(path, confine):
            raise UsageError(f"policy {name!r} reaches outside the trust's directory; it was not read "
                             "(a trust's pack may extend a built-in pack or a file inside the trust)")
        try:
            exists = path.exists()
        except OSError:  # a name no file can have
            exists = False
        if not exists:
            packs = builtin_policies()
            raise UsageError(f"unknown policy {name!r}: not a built-in pack ({', '.join(packs)}) nor a file"
                             f"{did_you_mean(name, packs)}")
        label, where = f"policy file {path}", path.parent
        try:
            raw = read_limited(path, limits.max_bytes)  # decoded by the loader: bad UTF-8 is a message
        except Unreadable as exc:
            raise UsageError(f"{label} cannot be read: it {exc}") from None
    src = load_bytes(SourceFile(label, Path(label)), raw, limits if where is not None else DEFAULT_LIMITS)
    if src.findings:
        f = src.findings[0]
        raise UsageError(f"{label} cannot be read: line {f.line}: {f.message}")
    if not isinstance(src.data, dict):
        raise UsageError(f"{label} must be a mapping")
    unknown = set(src.data) - _PACK_KEYS
    if unknown:
        raise UsageError(f"{label}: unknown key {sorted(unknown)[0]!r}")
    return src.data, label, where


def _inside(path: Path, directory: Path) -> bool:
    """Whether ``path``, links resolved, lies in ``directory``."""
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


_PARAM_KEYS = {"value", "reference", "description"}
_ENTRY_KEYS = {"from", "value", "reference", "description"}


def _param(label: str, name: str, raw: Any) -> Param:
    if not isinstance(raw, Mapping) or not ({"value", "reference"} <= set(raw) or "history" in raw):
        raise UsageError(f"{label}: parameter {name!r} must be {{value: ..., reference: ...}} "
                         "or {history: [...]}: every legal number carries its source")
    allowed = {"history", "description"} if "history" in raw else _PARAM_KEYS
    unknown = sorted(set(raw) - allowed)
    if unknown:  # a misspelt `from` would silently put a dated value in force from the start
        raise UsageError(f"{label}: parameter {name!r}: unknown key {unknown[0]!r}")
    if "history" in raw and (not isinstance(raw["history"], list) or not raw["history"]):
        raise UsageError(f"{label}: parameter {name!r}: history must be a non-empty list of "
                         "{from: DATE, value: ..., reference: ...}")
    entries = raw["history"] if "history" in raw else [{"from": None, **raw}]
    history = []
    for entry in entries:
        if not isinstance(entry, Mapping) or "value" not in entry or not entry.get("reference"):
            raise UsageError(f"{label}: parameter {name!r}: each value needs a value and a reference")
        unknown = sorted(set(entry) - _ENTRY_KEYS)
        if unknown:
            raise UsageError(f"{label}: parameter {name!r}: unknown key {unknown[0]!r} in its history")
        start = entry.get("from")
        try:
            start = None if start is None else parse_date(start)
        except ValueError as exc:
            raise UsageError(f"{label}: parameter {name!r}: {exc}") from None
        history.append((start, entry["value"], str(entry["reference"])))
    history.sort(key=lambda e: e[0] or date.min)
    return Param(name, tuple(history))


def _severity(label: str, text: Any) -> Severity:
    try:
        return Severity.parse(str(text))
    except ValueError as exc:
        raise UsageError(f"{label}: {exc}") from None


def _rule_policy(label: str, rule_id: str, raw: Any, parent: RulePolicy | None) -> RulePolicy:
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise UsageError(f"{label}: rule {rule_id!r} must be a mapping")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise UsageError(f"{label}: rule {rule_id!r}: unknown key {sorted(unknown)[0]!r}")
    base = parent or RulePolicy()
    authority = dict(base.authority)
    if "authority" in raw:
        given = raw["authority"]
        authority.update(given if isinstance(given, Mapping) else {"default": str(given)})
    severities = dict(base.severities)
    for case, sev in _mapping(label, f"rule {rule_id!r} severities", raw.get("severities")).items():
        severities[str(case)] = _severity(label, sev)
    params = dict(base.params)
    for name, value in _mapping(label, f"rule {rule_id!r} params", raw.get("params")).items():
        params[str(name)] = _param(label, str(name), value)
    enabled = raw.get("enabled", base.enabled)
    if not isinstance(enabled, bool):  # the loader keeps YAML 1.1's `no` a string; bool("no") is True
        raise UsageError(f"{label}: rule {rule_id!r}: enabled must be true or false, not {enabled!r}")
    return RulePolicy(
        enabled=enabled,
        severity=_severity(label, raw["severity"]) if "severity" in raw else base.severity,
        severities=severities, authority=authority, params=params)


def _mapping(label: str, what: str, value: Any) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UsageError(f"{label}: {what} must be a mapping")
    return value


def load_policy(name: str, base: Path | None = None, limits: Limits = DEFAULT_LIMITS,
                confine: Path | None = None) -> Policy:
    """Load a built-in pack by id (``mist``) or a pack file by path, following ``extends``.

    ``confine``: the directory of the trust that named the pack; then the pack and every pack it
    extends must be a built-in pack or a file inside that directory, as an include must. The chain
    is followed in a loop (a chain of a thousand packs is no deeper on the stack than one)."""
    chain: list[tuple[dict[str, Any], str, str]] = []  # (data, label, id), the named pack first
    seen: set[str] = set()
    while True:
        data, label, where = _read(name, base, limits, confine)
        pack_id = str(data.get("id") or name)
        if pack_id in seen:
            raise UsageError(f"{label}: extends itself through {' -> '.join(c[2] for c in chain)}")
        seen.add(pack_id)
        chain.append((data, label, pack_id))
        if data.get("extends") is None:
            break
        if not isinstance(data["extends"], str) or not data["extends"]:
            raise UsageError(f"{label}: extends must name one pack (an id or a file)")
        name, base = data["extends"], where
    parent: Policy | None = None
    for data, label, pack_id in reversed(chain):
        parent = _fold(data, label, pack_id, parent)
    assert parent is not None
    return parent


def _fold(data: dict[str, Any], label: str, pack_id: str, parent: Policy | None) -> Policy:
    """One pack's settings over those of the pack it extends (``parent``)."""
    parameters = dict(parent.parameters) if parent else {}
    for pname, value in _mapping(label, "parameters", data.get("parameters")).items():
        parameters[str(pname)] = _param(label, str(pname), value)
    rules = dict(parent.rules) if parent else {}
    raw_rules = data.get("rules") or {}
    if not isinstance(raw_rules, Mapping):
        raise UsageError(f"{label}: 'rules' must be a mapping of rule ids")
    for rule_id, raw in raw_rules.items():
        rules[str(rule_id)] = _rule_policy(label, str(rule_id), raw, rules.get(str(rule_id)))
    return Policy(pack_id, str(data.get("title") or pack_id), label, parameters, rules,
                  (pack_id, *(parent.chain if parent else ())))


BODIES = ("trustees", "independent_trustees", "shareholders", "class_shareholders")


def _is_tree(value: Any) -> bool:
    """A body, or ``{all_of: [...]}``/``{any_of: [...]}`` of trees (what the schema's requirement is)."""
    if isinstance(value, str):
        return value in BODIES
    if isinstance(value, Mapping) and len(value) == 1:
        op, items = next(iter(value.items()))
        return op in ("all_of", "any_of") and isinstance(items, list) and bool(items) \
            and all(_is_tree(item) for item in items)
    return False


# A pack's number has at most this many digits before or after the point (as the loader reads at
# most 100-digit numbers): "1e999999999" is refused here, not expanded by a rule into a billion
# digits; NaN and Infinity compare with nothing.
_MAX_MAGNITUDE = 100


def _bounded(number: Decimal, written: Any) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"{written!r} is not a finite number")
    if number and not -_MAX_MAGNITUDE <= number.adjusted() <= _MAX_MAGNITUDE \
            or -int(number.as_tuple().exponent) > _MAX_MAGNITUDE:
        raise ValueError(f"{str(written)[:40]!r} is out of range: at most {_MAX_MAGNITUDE} digits "
                         "before or after the decimal point")
    return number


def _ratio(value: Any) -> Fraction:
    """``"3/5"`` or ``"0.6"`` as an exact fraction (each part bounded like a decimal)."""
    top, slash, bottom = str(value).partition("/")
    try:
        ratio = Fraction(_bounded(Decimal(top.strip()), value))
        divisor = Fraction(_bounded(Decimal(bottom.strip()), value)) if slash else Fraction(1)
    except InvalidOperation:
        raise ValueError(f"{str(value)[:40]!r} is not a share such as \"3/5\" or \"0.6\"") from None
    if slash:
        if not divisor:
            raise ValueError(f"{str(value)[:40]!r} divides by zero")
        ratio /= divisor
    return ratio


def convert(kind: str, value: Any, where: str) -> Any:
    """A parameter's value as the rule reads it (rates as ``Rate``, periods as ``Period``...)."""
    try:
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind == "decimal":
            return _bounded(Decimal(str(value)), value)
        if kind == "ratio":  # an exact share: "3/5", "2/3", "0.5"; null where the law sets none (yet)
            return None if value is None else _ratio(value)
        if kind == "rate":
            rate = parse_rate(value)
            _bounded(rate.percent, value)
            return rate
        if kind == "period":
            return parse_period(value)
        if kind == "list" and isinstance(value, list):
            return tuple(value)
        if kind == "string" and isinstance(value, str):
            return value
        if kind == "requirements" and isinstance(value, Mapping):
            out = {}
            for doc_kind, actions in value.items():
                if not isinstance(actions, Mapping):
                    raise ValueError(f"{doc_kind} must map actions to requirement trees")
                for action, tree in actions.items():
                    req = requirement(tree) if _is_tree(tree) else None
                    if req is None:
                        raise ValueError(f"{doc_kind}.{action} is not an all_of/any_of tree of "
                                         f"{', '.join(BODIES)}: {tree!r}")
                    out[(str(doc_kind), str(action))] = req
            return out
        if kind in ("any", "mapping"):
            return value
    except (ValueError, InvalidOperation) as exc:
        raise UsageError(f"{where}: {exc}") from None
    raise UsageError(f"{where}: expected a {kind}, found {value!r}")
