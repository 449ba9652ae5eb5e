"""The JSON Schema (draft 2020-12) of format 1, and its errors as ``schema`` findings.

Each error becomes one finding at the line of the offending value, naming the key, what was
expected and what was found. The elements that fail are then pruned (a whole document, portfolio,
meeting...), so that the rules judge the rest of the trust without tripping over wrong types.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from .findings import Finding, Severity
from .loader import SourceFile, pointer

SCHEMA_FILE = "format-1.schema.json"
_LISTS = ("trustees", "portfolios", "documents", "meetings", "shareholder_votes", "reports")
_TYPE_NAMES = {"string": "a string", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "object": "a mapping", "array": "a list", "null": "null"}


def schema_text() -> str:
    """The schema as shipped in the package."""
    return resources.files("mist_check").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def schema() -> dict[str, Any]:
    return json.loads(schema_text())  # type: ignore[no-any-return]


@cache
def _validator() -> Any:
    """Compiled once per process."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema(), format_checker=FormatChecker(formats=("date",)))


def _is_date(text: Any) -> bool:
    """The ``date`` format as jsonschema checks it: a real calendar day in YYYY-MM-DD."""
    from datetime import date

    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return len(text) == 10


def passes(data: Any) -> bool:
    """Whether ``data`` is valid, by the schema compiled to Python ahead of time (``_fastcheck``,
    many times faster than jsonschema; tests/test_schema_fast.py keeps the two in agreement). Only a
    file that fails is handed to jsonschema, for its messages."""
    try:
        from ._fastcheck import JsonSchemaValueException, validate_https___mist_check_invalid_schema_format_1_json
    except ImportError:  # fastjsonschema missing: jsonschema alone decides, more slowly
        return False
    try:
        validate_https___mist_check_invalid_schema_format_1_json(data, custom_formats=_FORMATS)
    except JsonSchemaValueException:
        return False
    except Exception:  # never trust the fast path over the reference validator
        return False
    return True


_FORMATS = {"date": _is_date}


def _resolve(sub: Any) -> Any:
    while isinstance(sub, dict) and "$ref" in sub:
        sub = schema()["$defs"][sub["$ref"].rsplit("/", 1)[1]]
    return sub


def expected(sub: Any) -> str:
    """A person's words for what a schema accepts."""
    sub = _resolve(sub)
    if not isinstance(sub, dict):
        return "a value"
    if "x-expected" in sub:
        return str(sub["x-expected"])
    if "const" in sub:
        return json.dumps(sub["const"])
    if "enum" in sub:
        return "one of " + ", ".join(str(v) for v in sub["enum"])
    if "anyOf" in sub:
        return " or ".join(dict.fromkeys(expected(s) for s in sub["anyOf"]))
    kind = sub.get("type")
    if isinstance(kind, list):
        return " or ".join(str(_TYPE_NAMES.get(k, k)) for k in kind)
    if isinstance(kind, str):
        return _TYPE_NAMES.get(kind, kind)
    return "a value"


def found(value: Any) -> str:
    """A person's words for the value that was there."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    return "a list" if value else "an empty list"


def _where(path: list[str | int]) -> str:
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out or "the file"


def _branch(error: Any) -> tuple[list[Any], bool]:
    """The errors of the ``anyOf`` branch the value was meant for, and whether it fits its shape.

    The branch whose errors reach deepest into the value wins; then one whose shape fits (no type,
    const or enum mismatch at the value itself); then the one with fewer errors.
    """
    path = list(error.absolute_path)
    by_branch: dict[Any, list[Any]] = {}
    for sub_error in error.context:
        by_branch.setdefault(sub_error.relative_schema_path[0], []).append(sub_error)

    def shaped(errors: list[Any]) -> bool:
        return not any(list(e.absolute_path) == path and e.validator in ("type", "const", "enum")
                       for e in errors)

    def score(errors: list[Any]) -> tuple[int, bool, int]:
        return max(len(e.absolute_path) for e in errors), shaped(errors), -len(errors)

    best = max(by_branch.values(), key=score)
    return best, shaped(best)


def _messages(error: Any) -> Iterator[tuple[list[str | int], bool, str]]:
    """(path, at_key, message) for one jsonschema error, expanded where that helps a person."""
    path = list(error.absolute_path)
    value = error.instance
    sub = error.schema
    kind = error.validator
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = set(sub.get("properties", {}))
        patterns = [re.compile(p) for p in sub.get("patternProperties", {})]
        for key in sorted(k for k in value if k not in allowed and not any(p.search(k) for p in patterns)):
            import difflib  # only a file that fails needs it

            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            where = f" in {_where(path)}" if path else ""
            yield path + [key], True, f"unknown key {key!r}{where}{hint}"
        return
    if kind == "required":
        missing = [k for k in error.validator_value if k not in value]
        for key in missing:
            yield path, bool(path), f"{_where(path)}: the required key {key!r} is missing"
        return
    if _is_key_error(error):
        # propertyNames validates each key as an instance of its own, at the mapping's path
        yield path + [str(value)], True, (f"{_where(path)}: the key {found(value)} is not valid: "
                                          f"expected {expected(sub)}")
        return
    if kind == "anyOf" and error.context:
        branch = _resolve(sub["anyOf"][0]) if sub.get("anyOf") else {}
        nullable = any(_resolve(b).get("type") == "null" for b in sub.get("anyOf", []))
        errors, fits = _branch(error)
        if "x-expected" in sub:
            # A tree such as {all_of: [trustees, bogus]}: name the part that is wrong, not the tree
            if any(len(e.absolute_path) > len(path) for e in errors):
                for sub_error in errors:
                    yield from _messages(sub_error)
                return
        elif not (nullable and isinstance(branch, dict) and "x-expected" in branch) and fits:
            # e.g. a portfolio's class entry (a mapping or null): every error inside the mapping
            for sub_error in errors:
                yield from _messages(sub_error)
            return
    yield path, False, f"{_where(path)}: expected {expected(sub)}{_bound(kind, sub)}, found {found(value)}"


def _bound(kind: str, sub: Any) -> str:
    """The limit a value broke, where the type alone does not say it (an empty title, -1 days)."""
    if isinstance(_resolve(sub), dict) and "x-expected" in _resolve(sub):
        return ""  # the schema's own words say it
    if kind == "minLength":
        return " that is not empty"
    if kind == "minItems":
        return f" with at least {sub['minItems']} item{'' if sub['minItems'] == 1 else 's'}"
    if kind == "minimum":
        return f" of at least {sub['minimum']}"
    return ""


def _is_key_error(error: Any) -> bool:
    """True when the error is about a mapping's key (from ``propertyNames``), not a value."""
    schema_path = list(error.relative_schema_path)
    if "propertyNames" not in schema_path:
        return False
    last = len(schema_path) - 1 - schema_path[::-1].index("propertyNames")
    return not any(seg in ("properties", "items", "additionalProperties") for seg in schema_path[last + 1:])


def validate(src: SourceFile) -> list[Finding]:
    """Validate one loaded file; return its ``schema`` findings and prune the failing elements."""
    if not isinstance(src.data, dict):
        line, column = src.locate("")
        return [Finding(src.path, line, column, "schema",
                        f"the file must be a mapping of keys (format, trust, documents...), "
                        f"found {found(src.data)}", Severity.ERROR, pointer="")]
    if passes(src.data):
        return []
    findings: list[Finding] = []
    prune: set[tuple[str | int, ...]] = set()
    seen: set[tuple[str, str]] = set()
    for error in _validator().iter_errors(src.data):
        for path, at_key, message in _messages(error):
            ptr = pointer(*path)
            if (ptr, message) in seen:  # e.g. `required` yields one error per missing key
                continue
            seen.add((ptr, message))
            line, column = src.locate(ptr, key=at_key)
            findings.append(Finding(src.path, line, column, "schema", message, Severity.ERROR,
                                    pointer=ptr))
            if path:  # an error at the top (a missing `format`) leaves the rest usable
                prune.add(_prune_path(path))
    if prune:
        src.pruned_ids |= _prune(src.data, prune)
    return findings


def _prune_path(path: list[str | int]) -> tuple[str | int, ...]:
    """The element that an error at ``path`` makes unusable: a list item, a class, a key."""
    head = path[0]
    if head in _LISTS or head == "share_classes":
        return tuple(path[:2])
    if head == "trust":
        return tuple(path[:3]) if len(path) > 1 and path[1] == "names" else tuple(path[:2])
    return (head,)


class _Pruned:
    """Stands in a list for an item that failed the schema, so later items keep their pointers."""

    def __repr__(self) -> str:
        return "PRUNED"


PRUNED = _Pruned()


def _prune(data: dict[str, Any], paths: set[tuple[str | int, ...]]) -> set[str]:
    """Remove the failing elements in place; return the ids they held (not to be reported again)."""
    ids: set[str] = set()
    for path in sorted(paths, key=len):
        parent: Any = data
        try:
            for seg in path[:-1]:
                parent = parent[seg]
            last = path[-1]
            removed = parent[last]
        except (KeyError, IndexError, TypeError):
            continue  # already inside an element pruned by a shorter path
        if isinstance(parent, list):
            parent[last] = PRUNED  # type: ignore[index]
        else:
            del parent[last]
        _collect_ids(removed, ids)
    return ids


def _collect_ids(value: Any, ids: set[str]) -> None:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            ids.add(value["id"])
        for item in value.values():
            _collect_ids(item, ids)
    elif isinstance(value, list):
        for item in value:
            _collect_ids(item, ids)
