"""Output formats. Each is a module with ``report(result, stream, color)``, imported only when asked."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import IO, Any

BUILTIN_FORMATS = {
    "text": "mist_check.reporters.text",
    "json": "mist_check.reporters.json_",
    "sarif": "mist_check.reporters.sarif",
    "junit": "mist_check.reporters.junit",
    "github": "mist_check.reporters.github",
}

Reporter = Callable[..., None]


def get_reporter(name: str, extra: dict[str, Any] | None = None) -> Reporter:
    """The report function of a format: built-in (imported lazily) or from a plugin."""
    if name in BUILTIN_FORMATS:
        return importlib.import_module(BUILTIN_FORMATS[name]).report  # type: ignore[no-any-return]
    if extra and name in extra:
        return extra[name]  # type: ignore[no-any-return]
    raise KeyError(name)


def write(name: str, result: Any, stream: IO[str], **kwargs: Any) -> None:
    get_reporter(name)(result, stream, **kwargs)
