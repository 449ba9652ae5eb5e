"""YAML text -> plain values, with every value's line and column kept for findings.

PyYAML composes the node tree (with the C loader where it is built in); this module turns the nodes
into values itself, so that YAML 1.1 guesses cannot change a fact's meaning: dates stay the ISO text
written, ``no``/``yes``/``on`` stay strings, ``1:30`` is not a number, and only plain decimal
integers and ``true``/``false`` are read as numbers and booleans. Positions are not copied into a
map: ``SourceFile.locate`` walks the node tree along a JSON pointer when a finding needs them.

Where rapidyaml is installed (a wheel for the platform), the values come from it instead
(``_native``): it parses in C++ and emits JSON, which ``json.loads`` reads in C, several times
faster than composing. It is used only for text whose every value it reads as PyYAML would (no
tabs, escapes, anchors, tags, merge keys, directives, several documents, non-printable characters or
YAML 1.1 line breaks; every string that could be a number, a boolean or null sent back). A
finding's position then comes from rapidyaml's tree of the text (``_Marks``), or from PyYAML's node
tree, composed when the tree cannot say. Whatever it refuses or doubts is loaded by PyYAML as
before, so that every refusal and message is PyYAML's own.
``tests/test_native.py`` holds the differential test.
"""
from __future__ import annotations

import codecs
import contextlib
import ctypes
import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from .files import Unreadable, read_limited
from .findings import Finding, Severity
from . import syntax
from .paths import display_path

try:  # rapidyaml: a wheel for most platforms; without it PyYAML alone loads every file
    import ryml as _ryml
except ImportError:  # pragma: no cover - a platform without a wheel
    _ryml = None

try:  # the C composer is several times faster; both keep marks (line, column) on every node
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_PLAIN = "tag:mist-check,2026:plain"  # an untagged plain scalar, typed by _Builder.scalar


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader without YAML 1.1's implicit typing: a plain scalar keeps a marker tag and
    ``_Builder`` decides its type (the stock resolver tries a list of regular expressions per
    scalar, in Python, and its guesses are not wanted anyway)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        # The composer calls these two around every node for path-dependent resolvers, which are
        # not used: built-ins that accept the same arguments and do nothing cost less than the
        # Python methods (about 9% of composing the benchmark corpus).
        self.descend_resolver = slice  # (parent, index) -> an unused slice
        self.ascend_resolver = tuple  # () -> ()

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _TAG + "str"
        return _TAG + ("seq" if kind is yaml.SequenceNode else "map")


class _PyLoader(yaml.SafeLoader):
    """PyYAML's own parser, with no nesting limit of its own (it keeps a stack, not C recursion):
    used only to measure the nesting of a file that libyaml refused as too deep, so that the
    refusal is ours (``--max-depth``, at the first node past it) whatever libyaml's limit is."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        return _TAG + "str"


# libyaml 0.2.6 (bundled by PyYAML 6.0.4) refuses nesting past a fixed depth with this problem
_LIBYAML_TOO_DEEP = "maximum nesting depth"

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary", "value")}


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may cost; past them the file is a ``parse-error``, not a hang."""

    max_bytes: int = 20 * 1024 * 1024
    max_depth: int = 64
    max_values: int = 1_000_000


# The deepest nesting --max-depth may allow: the checker walks values recursively (two Python
# frames a level when they are built), and Python's stack holds about a thousand frames.
MAX_DEPTH_ALLOWED = 256


DEFAULT_LIMITS = Limits()


class _Refused(Exception):
    def __init__(self, message: str, node: yaml.Node | None = None) -> None:
        super().__init__(message)
        self.node = node


def escape(segment: str | int) -> str:
    """One JSON pointer segment (RFC 6901)."""
    return str(segment).replace("~", "~0").replace("/", "~1")


def pointer(*segments: str | int) -> str:
    return "".join("/" + escape(s) for s in segments)


def split_pointer(ptr: str) -> list[str]:
    if not ptr:
        return []
    return [s.replace("~1", "/").replace("~0", "~") for s in ptr.split("/")[1:]]


@dataclass
class SourceFile:
    """One loaded YAML file: its values, its node tree for positions, and its load findings."""

    path: str  # as reported: relative to the working directory where possible, '/' separators
    abspath: Path
    data: Any = None
    text: str = ""
    _node: yaml.Node | None = field(default=None, repr=False)
    _lazy: bool = field(default=False, repr=False)  # values read natively: compose on first use
    _marks: Any = field(default=None, repr=False)  # _Marks of a natively read file, made on first use
    findings: list[Finding] = field(default_factory=list)
    pruned_ids: set[str] = field(default_factory=set)  # ids of elements dropped for schema errors
    pruned: list[Any] = field(default_factory=list)  # schema.Pruned: each element dropped, what it held
    _key_index: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict, repr=False)

    @property
    def node(self) -> yaml.Node | None:
        """The composed node tree (positions); composed on first use after a native load."""
        if self._lazy:
            self._lazy = False
            try:
                self._node = yaml.compose(self.text, Loader=_Loader)
            except (yaml.YAMLError, RecursionError):  # (the native reader agreed it is valid YAML)
                self._node = None
        return self._node

    @node.setter
    def node(self, value: yaml.Node | None) -> None:
        self._node, self._lazy = value, False

    @property
    def has_document(self) -> bool:
        """Whether the file held a document whose values were read (not empty, not refused)."""
        return self.data is not None and (self._lazy or self._node is not None)

    def _keys(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping node's first entry for each key, indexed once (many findings in one large
        mapping must not each scan it)."""
        index = self._key_index.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))
            self._key_index[id(node)] = index
        return index

    def locate(self, ptr: str, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``ptr`` (of its key, with ``key=True``).

        A pointer that does not resolve all the way gives the deepest node it reached.
        """
        if self._lazy:  # read natively: rapidyaml's tree gives most positions without composing
            try:
                if self._marks is None:
                    self._marks = _Marks(self.text)
                return self._marks.locate(ptr, key)
            except Exception:  # noqa: BLE001 - _Unplaced, rapidyaml's refusal, no fd 2: PyYAML's marks
                pass
        node = self.node
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for seg in split_pointer(ptr):
            child = key_node = None
            if isinstance(node, yaml.MappingNode):
                key_node, child = self._keys(node).get(seg, (None, None))
            elif isinstance(node, yaml.SequenceNode) and seg.isdigit() and int(seg) < len(node.value):
                child = node.value[int(seg)]
            if child is None:
                break
            mark = key_node.start_mark if key and key_node is not None else child.start_mark
            node = child
        return (mark.line + 1, mark.column + 1)

    def lines(self, ptr: str) -> range:
        """The 1-based lines the value at ``ptr`` (with its key) is written on; nothing when the
        pointer does not resolve."""
        node, first = self.node, None
        for seg in split_pointer(ptr):
            child = key_node = None
            if isinstance(node, yaml.MappingNode):
                key_node, child = self._keys(node).get(seg, (None, None))
            elif isinstance(node, yaml.SequenceNode) and seg.isdigit() and int(seg) < len(node.value):
                child = node.value[int(seg)]
            if child is None:
                return range(0)
            first = (key_node or child).start_mark.line
            node = child
        if node is None or first is None:
            return range(0)
        end = node.end_mark
        return range(first + 1, end.line + (2 if end.column else 1))


def parse_error(path: str, line: int, column: int, message: str) -> Finding:
    return Finding(path, line, column, "parse-error", message, Severity.ERROR)


def load_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Read, decode and compose one YAML file; problems become ``parse-error`` findings.

    Only a regular file within ``limits.max_bytes`` is read (``files.read_limited``): a FIFO, a
    device or a link to ``/dev/zero`` is a finding, never a hang."""
    src = SourceFile(display_path(path), path)
    try:
        raw = read_limited(path, limits.max_bytes)
    except Unreadable as exc:
        why = "is a directory, not a YAML file" if str(exc).startswith("is a directory") else str(exc)
        src.findings.append(parse_error(src.path, 1, 1, why))
        return src
    return load_bytes(src, raw, limits)


def load_text(text: str, path: str = "<string>", limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Load YAML from a string (tests, stdin)."""
    return load_bytes(SourceFile(path, Path(path)), text.encode("utf-8"), limits)


def load_bytes(src: SourceFile, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # a UTF-8 byte order mark is allowed
    encoding = next((name for bom, name in _OTHER_BOMS if body.startswith(bom)), None)
    if encoding is not None:  # (YAML allows UTF-16 and UTF-32; this format is UTF-8 only)
        src.findings.append(parse_error(src.path, 1, 1, f"is {encoding}, not UTF-8 (it starts with a "
                                        f"{encoding} byte order mark); save it as UTF-8"))
        return src
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        # columns count characters, as the YAML marks do; the line up to the bad byte is valid UTF-8
        column = len(body[line_start: exc.start].decode("utf-8", "replace")) + 1
        src.findings.append(parse_error(src.path, line, column,
                                        f"is not UTF-8: byte 0x{body[exc.start]:02x} cannot be decoded"))
        return src
    src.text = text
    if _ryml is not None and NATIVE:
        data = _native(text, body, limits)
        if data is not _DOUBT:
            src.data, src._lazy = data, True
            return src
    try:
        # libyaml's composer recurses in C: a few tens of thousands of nested brackets crash the
        # process (no RecursionError), so the nesting is measured on the flat event stream first.
        # A file that could hold more values than allowed is counted on the event stream too, so
        # that it is refused before its node tree is built.
        scan = _may_be_deep(text, limits.max_depth) or len(text) > limits.max_values
        deep = _too_deep(text, limits.max_depth, limits.max_values) if scan else None
        if deep is not None:
            mark, why = deep
            src.findings.append(parse_error(src.path, mark.line + 1, mark.column + 1, why))
            return src
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_TOO_DEEP in str(exc.problem or ""):
            # libyaml's own depth limit was reached first: the file is measured again by the
            # Python parser so the refusal is the one --max-depth promises, at the same node
            deep = _deep_by_python(text, limits)
            if deep is not None:
                mark, why = deep
                src.findings.append(parse_error(src.path, mark.line + 1, mark.column + 1, why))
                return src
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        try:
            mended = syntax.hint(text, exc, _Loader)
        except Exception:  # noqa: BLE001 - a hint is display only: the parser's own words then
            mended = None
        if mended is not None:  # said where the mistake is, in words that say what to write
            line, column, problem = mended.line, mended.column, mended.message
        src.findings.append(parse_error(src.path, line, column, f"invalid YAML: {problem}"))
        return src
    except yaml.reader.ReaderError as exc:  # a control character: no mark, only its position
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters
        if _SafeLoader is yaml.SafeLoader:
            before = text[: exc.position]
        else:
            before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        src.findings.append(parse_error(src.path, line, column, f"invalid YAML: the character "
                                        f"U+{code:04X} is not allowed ({exc.reason})"))
        return src
    except yaml.YAMLError as exc:
        src.findings.append(parse_error(src.path, 1, 1, f"invalid YAML: {exc}"))
        return src
    except RecursionError:
        src.findings.append(parse_error(src.path, 1, 1, "invalid YAML: nesting is too deep"))
        return src
    src.node = node
    if node is None:  # an empty file holds nothing
        src.data = {}
        return src
    builder = _Builder(src, limits)
    try:
        src.data = builder.value(node, 0)
    except RecursionError:  # (--max-depth is bounded so that this is not reached; a last guard)
        src.findings.append(parse_error(src.path, 1, 1, "nesting is too deep for this checker"))
        src.data = None
    except _Refused as exc:
        at = exc.node.start_mark if exc.node is not None else None
        src.findings.append(parse_error(src.path, at.line + 1 if at else 1, at.column + 1 if at else 1,
                                        str(exc)))
        src.data = None
    src.findings.extend(builder.findings)
    return src


# Whether the native reader is used (MIST_CHECK_NATIVE=0 turns it off: the tests' second opinion)
NATIVE = os.environ.get("MIST_CHECK_NATIVE", "1") != "0"

_DOUBT = object()  # the native reader's answer when PyYAML must read the file

# Characters after which rapidyaml and PyYAML may read the text differently, or PyYAML refuses it:
# controls and tabs, backslash escapes, YAML 1.1's other line breaks (NEL, LS, PS, which YAML 1.2
# reads as text), surrogates, a byte order mark inside the text and the non-characters.
_NOT_NATIVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\\\\\u2028\u2029\ud800-\udfff\ufeff-\uffff]")
# Where a token starts (the text's first character, or after a space, a line break, '[', '{' or ','):
# an anchor, alias, tag, directive, reserved character, complex key or block scalar (the rare ones);
# or a plain scalar or empty key that starts with ':', ',', ']' or '}', which rapidyaml reads and
# PyYAML refuses. Each pattern starts with the character sought, so that the scan is quick.
_RARE = "&*!%@`?|>"
_RARE_TOKEN = re.compile(r"[&*!%@`?|>](?<=[ \n\[{,].)")
_PUNCT_TOKEN = re.compile(r"[:,\]}](?<=[ \n\[{,].)")
# Text after a quoted scalar or a flow collection on its line (rapidyaml reads '- "" -' as two
# entries), and a line that starts with a quote after one that ends in text (in a flow collection
# PyYAML starts a quoted scalar there, rapidyaml goes on with the plain one)
_AFTER_QUOTED = re.compile(r"""["'](?<=[ \[{,:].)(?:(?<=")[^"\n]*"|(?<=')(?:[^'\n]|'')*') +[^ \n#,:\]}]""")
_AFTER_FLOW = re.compile(r"[\]}](?= +[^ \n#,:\]}])")
_QUOTE_LINE = re.compile(r"\n(?<=[^\s,\[{\]}:]\n) *[\"']")
# A comment, to the end of its line (or quoted text from " #" on: then " #" is in a value, below)
_COMMENT = re.compile(r"(?:^|(?<=[ \n]))#[^\n]*")


def _odd_tokens(text: str) -> bool:
    """Whether the text has a token the two parsers may read differently (see above)."""
    if text[:1] in "&*!%@`?|>:,]}":
        return True
    if any(c in text for c in _RARE) and _RARE_TOKEN.search(text) is not None:
        return True
    for match in _PUNCT_TOKEN.finditer(text):
        at = match.start()
        if text[at - 1: at + 1] not in ("[]", "{}"):  # (an empty flow collection is plain YAML)
            return True
    if ":," in text or ":]" in text or ":}" in text:  # "[a:, b]": YAML 1.2 reads a mapping there
        return True
    if ("' " in text or '" ' in text) and _AFTER_QUOTED.search(text) is not None:
        return True
    if ("] " in text or "} " in text) and _AFTER_FLOW.search(text) is not None:
        return True
    return _QUOTE_LINE.search(text) is not None


# A JSON string that PyYAML, reading the scalar unquoted, would take as null, a boolean or a
# number: rapidyaml's JSON cannot say whether it was quoted, so the file is read by PyYAML.
# (Every plain scalar that _plain reads as a number, rapidyaml writes as a JSON number, and plain
# true, false and null as JSON's; it writes inf, nan and .NaN as ".inf" and ".nan".)
_AMBIGUOUS = re.compile(r'"(?:~|Null|NULL|True|TRUE|False|FALSE|[-+]?\.(?:inf|nan))"')


class _Doubt(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # a duplicate key: PyYAML's reading reports it where it is
        raise _Doubt
    return out


def _number(text: str) -> Any:  # a JSON number as _plain reads it from the text written
    return _plain(text)


def _constant(text: str) -> Any:  # NaN or Infinity written plain: text to PyYAML, not a number
    raise _Doubt


def _native(text: str, raw: bytes, limits: Limits) -> Any:
    """The file's values read by rapidyaml, or ``_DOUBT`` when PyYAML must read it."""
    if _NOT_NATIVE.search(text) is not None or "<<" in text:
        return _DOUBT
    if text.startswith(("---", "...", "%")) or "\n---" in text or "\n..." in text or "\n%" in text:
        return _DOUBT
    if _odd_tokens(text) and ("#" not in text or _odd_tokens(_COMMENT.sub("", text))):
        return _DOUBT  # (what a comment says is not YAML: "A & B" in one is text)
    if max(map(len, text.split("\n"))) > _SIMPLE_KEY:  # PyYAML bounds an implicit key's length
        return _DOUBT
    if _nodes_at_most(text) > 2 * limits.max_values + 3:  # (rapidyaml's tree: a few hundred bytes a node)
        return _DOUBT  # PyYAML counts the values on its event stream, without building them
    try:
        with _quiet_stderr():
            tree = _ryml.parse_in_arena(raw)
            if tree.size() + 2 > limits.max_values:  # near the limit: counted exactly by the builder
                return _DOUBT
            # JSON, into a buffer of ours (rapidyaml 0.15.2's emit_json() never frees the one it
            # makes); the emitter refuses nesting past its own depth limit
            out = bytearray(_ryml.compute_json_length(tree))
            emitted = _ryml.emit_json_in_place(tree, out).tobytes().decode("utf-8")
    except Exception:  # noqa: BLE001 - any refusal is PyYAML's to word
        return _DOUBT
    # In a value, " #" is quoted text or a comment, and " - " quoted text or a line of a flow
    # collection that starts with "- ": rapidyaml reads both into a plain scalar, PyYAML refuses them.
    if not emitted or " #" in emitted or " - " in emitted or '"- ' in emitted \
            or _AMBIGUOUS.search(emitted) is not None:
        return _DOUBT
    try:
        data = json.loads(emitted, object_pairs_hook=_pairs, parse_float=_number, parse_int=_number,
                          parse_constant=_constant)
    except (ValueError, _Doubt, RecursionError):
        return _DOUBT
    if limits.max_depth < _EMIT_DEPTH and (data.__class__ is dict or data.__class__ is list) \
            and not _within(data, 1, limits.max_depth):
        return _DOUBT
    return data


# rapidyaml's JSON emitter refuses nesting deeper than this, counted as the builder counts: within
# it, --max-depth of this or more holds without a walk (tests/test_native.py::test_limits_refuse_alike)
_EMIT_DEPTH = 64


def _nodes_at_most(text: str) -> int:
    """An upper bound of the nodes rapidyaml makes of text that ``_native`` accepts: an entry of a
    flow collection ends at ',' or its bracket, one of a block collection starts with '- ' or its
    key's ': ' (nesting deeper than rapidyaml's emitter allows is refused after parsing, which keeps
    its own stack)."""
    return (text.count("[") + text.count("{") + text.count(",") + text.count("]") + text.count("}")
            + text.count(": ") + text.count(":\n") + text.count("- ") + text.count("-\n") + 3)


_SIMPLE_KEY = 1000  # PyYAML: an implicit key is at most 1024 characters on one line


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints its parse and emit errors on the process's stderr (fd 2): kept from it."""
    saved = os.dup(2)
    try:
        os.dup2(_devnull(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@functools.lru_cache(maxsize=1)
def _devnull() -> int:
    return os.open(os.devnull, os.O_WRONLY)


_BLANK = b" \n"


class _Unplaced(Exception):
    """A node whose mark rapidyaml's tree cannot give exactly as PyYAML's: composed instead."""


class _Buffer(ctypes.Structure):  # Py_buffer (the stable ABI's), to learn where a memoryview points
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_Buffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_Buffer)]


def _address(view: memoryview) -> int:
    buffer = _Buffer()
    if _get_buffer(view, ctypes.byref(buffer), 0) != 0:  # pragma: no cover - a memoryview always gives one
        raise _Unplaced
    try:
        return buffer.buf or 0
    finally:
        _release_buffer(ctypes.byref(buffer))


class _Marks:
    """Positions of a natively read file, as PyYAML marks them, from rapidyaml's tree of its text
    parsed again in place: a scalar's text points into the buffer, so its offset is known. A scalar
    starts where its text does (a quoted one at its quote), a block mapping at its first key, a block
    sequence at its first '-', a flow collection at its bracket; what that does not settle (an empty
    scalar or collection, a comment in the way) raises ``_Unplaced`` and PyYAML composes the file.
    ``tests/test_native.py`` compares every position with PyYAML's."""

    def __init__(self, text: str) -> None:
        self.text = text.encode("utf-8")
        self.buffer = bytearray(self.text)  # (parsing in place rewrites quoted and folded scalars)
        with _quiet_stderr():
            self.tree = _ryml.parse_in_place(self.buffer)
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(self.buffer))

    def locate(self, ptr: str, key: bool) -> tuple[int, int]:
        tree = self.tree
        node = tree.root_id()
        offset = self._node(node)
        for seg in split_pointer(ptr):
            if tree.is_map(node):
                child = tree.find_child(node, seg.encode("utf-8"))
            elif tree.is_seq(node) and seg.isdigit() and int(seg) < tree.num_children(node):
                child = tree.child(node, int(seg))
            else:
                break
            if child == _ryml.NONE:
                break
            offset = self._key(child) if key and tree.is_map(node) else self._node(child)
            node = child
        start = self.text.rfind(b"\n", 0, offset) + 1
        return (self.text.count(b"\n", 0, offset) + 1, len(self.text[start:offset].decode("utf-8")) + 1)

    def _scalar(self, view: memoryview | None, quoted: bool) -> int:
        if view is None or len(view) == 0:
            raise _Unplaced
        offset = _address(view) - self.base
        if quoted:
            offset -= 1
            if self.text[offset: offset + 1] not in (b'"', b"'"):
                raise _Unplaced
        elif self.text[offset: offset + 1] != bytes(view[:1]):
            raise _Unplaced
        return offset

    def _key(self, node: int) -> int:
        return self._scalar(self.tree.key(node), self.tree.is_key_quoted(node))

    def _node(self, node: int) -> int:
        tree = self.tree
        if not tree.is_container(node):
            return self._scalar(tree.val(node), tree.is_val_quoted(node))
        first = tree.first_child(node)
        if first == _ryml.NONE:
            raise _Unplaced
        inner = self._key(first) if tree.is_map(node) else self._node(first)
        if tree.is_block(node) and tree.is_map(node):
            return inner
        opener = b"-" if tree.is_block(node) else (b"{" if tree.is_map(node) else b"[")
        at = inner - 1  # the character before the first entry, over spaces and line breaks
        while at >= 0 and self.text[at] in _BLANK:
            at -= 1
        if at < 0 or self.text[at: at + 1] != opener:
            raise _Unplaced
        return at


def _within(value: Any, depth: int, max_depth: int) -> bool:
    """Whether no value below ``value`` (at ``depth``) is nested deeper than ``max_depth``."""
    if depth > max_depth:
        return False
    for item in (value.values() if value.__class__ is dict else value):
        if (item.__class__ is dict or item.__class__ is list) and not _within(item, depth + 1, max_depth):
            return False
    return True


# UTF-32 first: its little-endian mark begins with UTF-16's
_OTHER_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
               (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))

_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NODE = (yaml.ScalarEvent, yaml.AliasEvent)


def _may_be_deep(text: str, max_depth: int) -> bool:
    """Whether a file could nest deep enough to matter before it is composed: libyaml's composer
    recurses in C and crashes the process at some tens of thousands of levels. Flow nesting is at
    most the number of opening brackets; block nesting needs ever longer indentation, and within the
    file-size limit cannot reach such depths. Below ``max(_C_SAFE, max_depth)`` brackets, composing is
    safe and ``_Builder`` refuses what is deeper than ``max_depth`` (counted by C, not by a loop)."""
    return text.count("[") + text.count("{") > max(_C_SAFE, max_depth)


_C_SAFE = 5000


def _deep_by_python(text: str, limits: Limits) -> tuple[yaml.Mark, str] | None:
    """``_too_deep`` over PyYAML's pure-Python parser (after libyaml refused the nesting)."""
    try:
        return _too_deep(text, limits.max_depth, limits.max_values, loader=_PyLoader)
    except yaml.YAMLError:  # a syntax error before the depth limit: libyaml's message stands
        return None


def _too_deep(text: str, max_depth: int, max_values: int | None = None,
              loader: type = _Loader) -> tuple[yaml.Mark, str] | None:
    """The mark of the first node nested deeper than ``max_depth`` (the top node is depth 0), or
    past ``max_values`` nodes, with why.

    The parser keeps its own stack, so this never recurses; depth and values are counted as
    ``_Builder`` counts them, so both refuse the same files (at the same node for depth; past the
    value limit, this names the first node in document order, the builder the first item of the
    container that reaches it).
    """
    open_count = nodes = 0
    keys: list[int] = []  # per open container: -1 for a sequence, else the mapping's entries so far
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _CLOSE):
            open_count -= 1
            keys.pop()
            continue
        if not isinstance(event, (*_OPEN, *_NODE)):
            continue
        if open_count > max_depth:
            return event.start_mark, f"nested more than {max_depth} levels deep"
        is_key = bool(keys) and keys[-1] >= 0 and keys[-1] % 2 == 0
        if keys and keys[-1] >= 0:
            keys[-1] += 1
        if not is_key:  # counted as _Builder counts: values, not mapping keys
            nodes += 1
        if isinstance(event, _OPEN):
            open_count += 1
            keys.append(0 if isinstance(event, yaml.MappingStartEvent) else -1)
        if max_values is not None and nodes > max_values:
            return event.start_mark, (f"more than {max_values} values; refused as a resource bomb "
                                      "(raise the limit with --max-values)")
    return None


_MAX_DIGITS = 100  # far below Python's 4300-digit int() limit; no count or rate is that long
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@functools.lru_cache(maxsize=16384)  # a trust repeats its dates, rates and names: typed once
def _plain(text: str) -> Any:
    """An untagged plain scalar: null, ``true``/``false``, a plain decimal integer or float, else
    the text as written (dates, ``yes``/``no``/``on``, ``1:30``, ``0o17``, ``1_000`` stay text)."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text[0] in "-+.0123456789" and len(text) <= _MAX_DIGITS:  # longer stays text: a schema finding
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    return text


_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"


class _Builder:
    """Turns composed nodes into values; reports duplicate keys; bounds depth and size.

    Every value counts against ``max_values`` (an alias as often as it is used); a container checks
    its items' count and depth once, and only when a limit is reached is each item counted on its
    own, so that the refusal names the first node past it.
    """

    def __init__(self, src: SourceFile, limits: Limits) -> None:
        self.src = src
        self.limits = limits
        self.count = 0
        self.findings: list[Finding] = []

    def value(self, node: yaml.Node, depth: int) -> Any:
        """The value of the top node (``depth`` 0); containers below it count their own items."""
        self._admit(node, depth)
        return self._value(node, depth)

    def _admit(self, node: yaml.Node, depth: int) -> None:
        self.count += 1
        if self.count > self.limits.max_values:
            raise _Refused(f"more than {self.limits.max_values} values (aliases included); "
                           "refused as a resource bomb", node)
        if depth > self.limits.max_depth:
            raise _Refused(f"nested more than {self.limits.max_depth} levels deep", node)

    def _value(self, node: yaml.Node, depth: int) -> Any:
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return _plain(node.value) if node.tag == _PLAIN else self.scalar(node)
        if cls is yaml.SequenceNode:
            if node.tag != _SEQ:
                raise _Refused(f"tag {node.tag!r} is not allowed (only plain YAML data)", node)
            items = node.value
            self._admit_all(items, depth + 1)
            return [_plain(item.value) if item.__class__ is yaml.ScalarNode and item.tag == _PLAIN
                    else self._value(item, depth + 1) for item in items]
        if node.tag != _MAP:
            raise _Refused(f"tag {node.tag!r} is not allowed (only plain YAML data)", node)
        pairs = node.value
        self._admit_all([v for _, v in pairs], depth + 1)
        out: dict[str, Any] = {}
        for key_node, value_node in pairs:
            if key_node.__class__ is not yaml.ScalarNode:
                if key_node.tag == _MERGE:
                    raise _Refused("merge keys ('<<') are not supported: write the keys out", key_node)
                raise _Refused("a mapping key must be a plain string", key_node)
            key = key_node.value
            if key_node.tag == _MERGE or (key == "<<" and key_node.tag == _PLAIN):
                raise _Refused("merge keys ('<<') are not supported: write the keys out", key_node)
            if key in out:
                mark = key_node.start_mark
                self.findings.append(parse_error(self.src.path, mark.line + 1, mark.column + 1,
                                                 f"duplicate key {key!r} (YAML would keep only the last)"))
                continue
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == _PLAIN:
                out[key] = _plain(value_node.value)
            else:
                out[key] = self._value(value_node, depth + 1)
        return out

    def _admit_all(self, items: list[yaml.Node], depth: int) -> None:
        """Count a container's items at ``depth``; past a limit, find the first item that is."""
        if not items:
            return
        if depth > self.limits.max_depth or self.count + len(items) > self.limits.max_values:
            for item in items:
                self._admit(item, depth)  # raises at the first item past the limit
        self.count += len(items)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _PLAIN:
            return _plain(text)
        if tag not in _PLAIN_TAGS:
            raise _Refused(f"tag {tag!r} is not allowed (only plain YAML data)", node)
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            # YAML 1.1 also reads yes/no/on/off as booleans; they stay strings here.
            low = text.lower()
            return low == "true" if low in ("true", "false") else text
        if tag == _TAG + "int":  # an explicit !!int
            return int(text) if _INT.fullmatch(text) and len(text) <= _MAX_DIGITS else text
        if tag == _TAG + "float":
            return float(text) if _FLOAT.fullmatch(text) else text
        return text  # str, timestamp (kept as the ISO text written), binary, value
