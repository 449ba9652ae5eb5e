"""Output formats. Each is a module with ``report(result, stream, color)``, imported only when asked."""
from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import IO, Any

BUILTIN_FORMATS = {
    "text": "mist_check.reporters.text",
    "json": "mist_check.reporters.json_",
    "sarif": "mist_check.reporters.sarif",
    "junit": "mist_check.reporters.junit",
    "github": "mist_check.reporters.github",
    "markdown": "mist_check.reporters.markdown",
    "gitlab": "mist_check.reporters.gitlab",
    "html": "mist_check.report_html",
}

Reporter = Callable[..., None]


def count(n: int, word: str) -> str:
    """``1 trust``, ``2 trusts``: a number and its noun, as every summary line writes them."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def get_reporter(name: str, extra: dict[str, Any] | None = None) -> Reporter:
    """The report function of a format: built-in (imported lazily) or from a plugin."""
    if name in BUILTIN_FORMATS:
        return importlib.import_module(BUILTIN_FORMATS[name]).report  # type: ignore[no-any-return]
    if extra and name in extra:
        return extra[name]  # type: ignore[no-any-return]
    raise KeyError(name)


def write(name: str, result: Any, stream: IO[str], **kwargs: Any) -> None:
    get_reporter(name)(result, stream, **kwargs)


# What a terminal or a log viewer would act on rather than show: C0 and C1 controls (ESC and CSI
# U+009B start terminal commands; LF, VT, FF, CR and NEL U+0085 end a line), the line and paragraph
# separators U+2028/U+2029, the bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9, which
# reorder the text shown around them) and lone surrogates (never valid UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# The same, tab and line feed aside: for a page whose blocks keep their lines (the HTML report)
_UNSAFE_IN_BLOCKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                               "\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a file name's byte that is not UTF-8 (PEP 383): the byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, lines: bool = False) -> str:
    """``text`` from the data, safe to show a person: each character of ``_UNSAFE`` is written as
    its escape (``\\x1b``, ``\\x9b``, ``\\u2028``, ``\\u202e``), so that a hostile value can neither
    forge another line nor move or recolour the text shown around it. Reporters apply it to data
    only, before adding their own colour codes. With ``lines``, tabs and line feeds are kept."""
    unsafe = _UNSAFE_IN_BLOCKS if lines else _UNSAFE
    return unsafe.sub(_escaped, text) if unsafe.search(text) else text

