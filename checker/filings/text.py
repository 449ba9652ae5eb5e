"""A filing as numbered lines: plain text, EDGAR full-submission wrappers, and HTML exhibits.

Plain text keeps the file's own line numbers (the SGML tags of a full submission file, such as
``<DOCUMENT>``, ``<TYPE>`` and ``<TEXT>``, are blanked, not removed, so that the numbers stay those
of the file). HTML (an ``.htm`` exhibit, or the ``<TEXT>`` of a submission that holds HTML) is
rendered to text by inscriptis, which keeps paragraphs as lines and tables as aligned rows; its line
numbers are those of the rendered text, which ``mist-check draft --text FILE`` prints.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..files import Unreadable, read_limited

# EDGAR's SGML wrapper lines (full submission files, .nc/.txt): tags alone on their line, or a tag
# with its value (<TYPE>EX-99.M).
_SGML_LINE = re.compile(
    r"^\s*</?(SEC-DOCUMENT|SEC-HEADER|IMS-HEADER|DOCUMENT|TYPE|SEQUENCE|FILENAME|DESCRIPTION|TEXT|PDF)>.*$",
    re.IGNORECASE)
# Layout tags of EDGAR's plain text (<PAGE>, <TABLE>, <S> and <C> column marks...): replaced by
# spaces of their width, so that the columns of a table stay where they are.
_SGML_TAG = re.compile(r"</?(PAGE|TABLE|CAPTION|S|C|FN|F\d+|R\d+)>", re.IGNORECASE)
_HEADER_START = re.compile(r"^\s*<(SEC-HEADER|IMS-HEADER)>", re.IGNORECASE)
_HEADER_END = re.compile(r"^\s*</(SEC-HEADER|IMS-HEADER)>", re.IGNORECASE)
_HTML_HINT = re.compile(r"<(html|body|p|div|br|font|td)\b[^>]*>", re.IGNORECASE)
_SPACES = str.maketrans({"\xa0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\x0c": " ",
                         "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00ad": ""})


@dataclass(frozen=True)
class Filing:
    """The filed text: ``lines[n - 1]`` is line ``n`` as cited; ``name`` is the file as reported."""

    name: str
    lines: tuple[str, ...]
    digest: str
    html: bool = False
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


class FilingError(UsageError):
    """A filing that cannot be read (missing, not a regular file, too large, not text)."""


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, read as every other input is
    (``files.read_limited``: never a FIFO or device, no hang, checked again on what was opened)."""
    try:
        return read_limited(path, max_bytes)
    except Unreadable as exc:
        why = str(exc)
        if why.startswith("cannot be read: "):
            why = f"cannot be read ({why.removeprefix('cannot be read: ')})"
        elif why.startswith("is a directory"):
            why = "is a directory, not a regular file; it was not read"
        raise FilingError(f"{path}: {why}") from None


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, as EDGAR's older exhibits are."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise FilingError("binary data (NUL bytes): not a text or HTML filing")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_filing(path: Path, name: str | None = None, max_bytes: int = 20 * 1024 * 1024) -> Filing:
    """Read a filing from disk (see ``parse_filing``)."""
    data = read_bytes(path, max_bytes)
    try:
        return parse_filing(decode(data), name or str(path), digest=hashlib.sha256(data).hexdigest(),
                            html=True if path.suffix.lower() in (".htm", ".html", ".xhtml") else None)
    except FilingError as exc:
        raise FilingError(f"{name or path}: {exc}") from None


def parse_filing(text: str, name: str, digest: str | None = None, html: bool | None = None) -> Filing:
    """Numbered lines of a filing's text; HTML is rendered first (``html=None``: decide by content)."""
    digest = digest or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if html is None:
        html = bool(_HTML_HINT.search(text[:20000])) and "<DOCUMENT>" not in text[:20000].upper()
    if html:
        return Filing(name, tuple(_clean(line) for line in render_html(text).split("\n")), digest, True)
    lines = text.split("\n")
    if any("<DOCUMENT>" in line.upper() for line in lines[:2000]) or any(
            _HEADER_START.match(line) for line in lines[:50]):
        lines = _unwrap(lines)
        if lines and any(_HTML_HINT.search(line) for line in lines):
            # A submission whose documents are HTML: rendered, as an .htm exhibit would be.
            return Filing(name, tuple(_clean(line) for line in render_html("\n".join(lines)).split("\n")),
                          digest, True)
    return Filing(name, tuple(_clean(_SGML_TAG.sub(lambda m: " " * len(m.group()), line)) for line in lines),
                  digest, False)


def _unwrap(lines: list[str]) -> list[str]:
    """Blank the SEC header and the wrapper tags of a full submission file, keeping line numbers."""
    out, header = [], False
    for line in lines:
        if _HEADER_START.match(line):
            header = True
        if header:
            out.append("")
            header = not _HEADER_END.match(line)
            continue
        out.append("" if _SGML_LINE.match(line) else line)
    return out


def _clean(line: str) -> str:
    return line.translate(_SPACES).rstrip()


def render_html(text: str) -> str:
    """HTML to text with inscriptis: block elements on lines of their own, tables as rows."""
    try:
        from inscriptis import get_text
        from inscriptis.css_profiles import CSS_PROFILES
        from inscriptis.model.config import ParserConfig
    except ImportError:  # pragma: no cover - a dependency of the package
        raise FilingError("reading HTML needs inscriptis (pip install inscriptis)") from None
    try:
        return get_text(text, ParserConfig(css=CSS_PROFILES["strict"], display_links=False))
    except Exception as exc:  # lxml refuses some inputs (e.g. only a comment): not a traceback
        raise FilingError(f"the HTML cannot be read ({type(exc).__name__}: {exc})") from None
