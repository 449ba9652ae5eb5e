"""``[tool.mist-check]`` in ``pyproject.toml``, found from the working directory upwards."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .files import Unreadable, read_limited
from .loader import DEFAULT_LIMITS, Limits

KEYS = {"policy": str, "select": list, "ignore": list, "fail-on": str, "baseline": str, "paths": list}


@dataclass
class Config:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def directory(self) -> Path | None:
        return self.path.parent if self.path else None

    def get(self, key: str) -> Any:
        return self.values.get(key)


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Config:
    """The settings of the nearest ``pyproject.toml`` that has a ``[tool.mist-check]`` table.

    The file is read as any other (a regular file within ``--max-file-bytes``); a table of the
    wrong shape, or nesting the TOML parser cannot follow, is an exit-2 message naming the file."""
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    try:
        text = read_limited(path, limits.max_bytes).decode("utf-8")
    except Unreadable as exc:
        raise UsageError(f"{path} cannot be read: it {exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} cannot be read: {exc}") from None
    if "mist-check" not in text:
        return Config()  # no table of ours: spare the TOML parser's import and work
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} cannot be read: {exc}") from None
    except RecursionError:  # thousands of nested arrays: the parser recurses
        raise UsageError(f"{path} cannot be read: it nests too deeply") from None
    tool = data.get("tool")
    table = tool.get("mist-check") if isinstance(tool, dict) else None
    if table is None:
        return Config()
    if not isinstance(table, dict):  # `tool.mist-check = 5`, `[[tool.mist-check]]`
        raise UsageError(f"{path}: [tool.mist-check] must be a table of settings, not "
                         f"{'an array of tables' if isinstance(table, list) else 'a ' + type(table).__name__}")
    for key, value in table.items():
        if key not in KEYS:
            raise UsageError(f"{path}: [tool.mist-check] has an unknown key {key!r} "
                             f"(known: {', '.join(sorted(KEYS))})")
        if not isinstance(value, KEYS[key]):
            raise UsageError(f"{path}: [tool.mist-check] {key} must be a {KEYS[key].__name__}")
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise UsageError(f"{path}: [tool.mist-check] {key} must be a list of strings")
    values = dict(table)
    base = path.parent
    for key in ("paths",):
        if key in values:
            values[key] = [str(base / p) for p in values[key]]
    if "baseline" in values:
        values["baseline"] = str(base / values["baseline"])
    return Config(path, values)


def tool_schema(tool_name: str = "mist-check") -> dict[str, Any]:
    """The JSON Schema of ``[tool.mist-check]``, for validate-pyproject (entry point
    ``validate_pyproject.tool_schema``)."""
    strings = {"type": "array", "items": {"type": "string"}}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://mist-check.invalid/schema/pyproject-tool.json",
        "title": "[tool.mist-check]",
        "description": "Settings of mist-check; the command line wins.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "policy": {"type": "string", "description": "policy pack id (ica-1940, mist) or file"},
            "select": {**strings, "description": "run only these rule ids"},
            "ignore": {**strings, "description": "do not run these rule ids"},
            "fail-on": {"enum": ["error", "warning", "never"], "description": "exit 1 at this severity"},
            "baseline": {"type": "string", "description": "baseline file, relative to pyproject.toml"},
            "paths": {**strings, "description": "paths to check when none are given"},
        },
    }
