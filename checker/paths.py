"""Real paths and the paths findings print, resolved once per directory (an audit reads thousands
of files in a few hundred directories)."""
from __future__ import annotations

import os
from pathlib import Path

_REAL_DIRS: dict[str, str] = {}  # directory -> its real path
_REAL_FILES: dict[str, str] = {}  # file (not a link) -> its real path


def forget() -> None:
    """Drop what is known (a new search: the file system may have changed since the last one)."""
    _REAL_DIRS.clear()
    _REAL_FILES.clear()


def real_path(path: Path | str) -> Path:
    """``path.resolve()``, faster for the many files of one directory: a file that is not itself a
    link is its directory's real path plus its name (the directory is resolved once)."""
    return Path(real_text(path))


def real_text(path: Path | str) -> str:
    """``real_path`` as a string (no ``Path`` object for a file that is only compared)."""
    text = os.path.abspath(path)  # (a relative path is keyed by where it leads from here)
    known = _REAL_FILES.get(text)
    if known is not None:
        return known
    if os.path.islink(text):
        return str(Path(text).resolve())  # (raises RuntimeError on a link loop, as callers expect)
    head, tail = os.path.split(text)
    real = _REAL_FILES[text] = os.path.join(_real_dir(head), tail)
    return real


def _real_dir(directory: str) -> str:
    real = _REAL_DIRS.get(directory)
    if real is None:
        real = _REAL_DIRS[directory] = os.path.realpath(directory)
    return real


def display_path(path: Path | str) -> str:
    """The path as findings print it: relative to the working directory when under it, with '/'."""
    real, cwd = real_text(path), _real_dir(os.getcwd())
    if os.sep != "/":
        real, cwd = real.replace(os.sep, "/"), cwd.replace(os.sep, "/")
    if real == cwd:
        return "."
    prefix = cwd if cwd.endswith("/") else cwd + "/"  # ("/" itself, or a drive's root)
    shown = real[len(prefix):] if real.startswith(prefix) else real
    return shown if shown.isascii() and "\\" not in shown else escape_name(shown)


def escape_name(text: str) -> str:
    """A file name as every output writes it: valid UTF-8 always. A byte of the name that is not
    UTF-8 (read by Python as a lone surrogate, PEP 383) is written ``\\xNN``, and a backslash of the
    name ``\\\\``, so that the escaped text stands for exactly one name (``name_bytes`` undoes it)."""
    if "\\" not in text and not _has_surrogates(text):
        return text
    out = []
    for char in text:
        if char == "\\" and os.sep == "/":
            out.append("\\\\")
        elif "\udc80" <= char <= "\udcff":
            out.append(f"\\x{ord(char) - 0xdc00:02x}")
        elif "\ud800" <= char <= "\udfff":  # (not from a file name; never written as such)
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def name_bytes(shown: str) -> bytes:
    """The bytes of the name ``escape_name`` wrote (for a file URI: ``%FF`` for the byte 0xFF)."""
    if "\\" not in shown or os.sep != "/":
        return shown.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(shown):
        char = shown[i]
        if char == "\\" and shown[i + 1:i + 2] == "\\":
            out += b"\\"
            i += 2
        elif char == "\\" and shown[i + 1:i + 2] == "x" and len(shown) >= i + 4:
            out.append(int(shown[i + 2:i + 4], 16))
            i += 4
        else:
            out += char.encode("utf-8", "surrogatepass")
            i += 1
    return bytes(out)
