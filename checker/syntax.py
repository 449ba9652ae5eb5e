"""What a YAML syntax error means, said where the mistake is: the hint a ``parse-error`` carries.

PyYAML reports where its parser gave up, in its parser's words ("did not find expected '-'
indicator"), often a line after the mistake. Once it has failed, the lines up to that point are
read again for the three mistakes a hand-edited file makes: a line indented to no level of its
block (as yamllint says it, "wrong indentation: expected 4 but found 3"), a flow collection
whose bracket is never closed (reported at the bracket), and a quoted string that runs on past its
line (reported at its opening quote). A tab in the indentation is said once, in words. A hint is
given only where mending that one line lets the parser read further (the file is parsed again with
the line mended); otherwise PyYAML's own words stand.
This is display only: the file is a ``parse-error`` either way and is not judged.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_KEY = re.compile(r"""(?:[^\s#'"\[\]{},:-][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s|$)""")
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$|^\s*-\s+[|>][-+0-9]*\s*(?:#.*)?$")


@dataclass(frozen=True)
class Hint:
    line: int    # 1-based
    column: int  # 1-based
    message: str


def hint(text: str, exc: Any, loader: Any) -> Hint | None:
    """A located message for the ``yaml.MarkedYAMLError`` ``exc`` raised on ``text`` by ``loader``, or None."""
    problem = str(getattr(exc, "problem", "") or "")
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    lines = text.split("\n")
    last = min(mark.line, len(lines) - 1)
    if "tab character" in problem or "\t" in lines[last][: len(lines[last]) - len(lines[last].lstrip())]:
        # PyYAML may mark the end of the text, past its last line: the hint stays inside the text
        column = mark.column if mark.line == last else max(lines[last].find("\t"), 0)
        return Hint(last + 1, min(column, len(lines[last])) + 1,
                    "a tab indents this line; YAML indents with spaces only (replace the tab with spaces)")
    context = str(getattr(exc, "context", "") or "")
    context_mark = getattr(exc, "context_mark", None)
    start = context_mark.line if context_mark is not None else 0
    quote = _open_quote(lines, start, last)
    if quote is not None and quote[0] < mark.line and any(
            _further(lines, quote[0], mended, mark.line, loader) for mended in _closed(lines[quote[0]], quote[2])):
        line, column, char = quote
        return Hint(line + 1, column + 1,
                    f"the string quoted here with {char} is not closed on its line; close it with {char} "
                    f"(the parser stopped at line {mark.line + 1})")
    if context.startswith("while parsing a flow") and context_mark is not None:
        opener = _char_at(lines, context_mark)
        closer = {"{": "}", "[": "]"}.get(opener)
        if closer:
            return Hint(context_mark.line + 1, context_mark.column + 1,
                        f"the {opener!r} opened here is not closed; add {closer!r} at the end of its entries "
                        f"(the parser stopped at line {mark.line + 1})")
    indent = _wrong_indent(lines, last)
    if indent is not None and _further(lines, indent[0], " " * indent[1] + lines[indent[0]].lstrip(" "),
                                       mark.line, loader):
        line, expected, found, since = indent
        where = f" (line {since + 1} set that level)" if since is not None and since != line else ""
        return Hint(line + 1, found + 1, f"wrong indentation: expected {expected} but found {found}{where}")
    return None


def _closed(line: str, quote: str) -> Iterator[str]:
    """The line with its string closed: at its end, or before the brackets and comma that end it."""
    code = _strip_comment(line)
    yield code + quote + line[len(code):]
    body = code.rstrip("]},")
    if body != code:
        yield body + quote + line[len(body):]


def _further(lines: list[str], number: int, mended: str, stopped: int, loader: Any) -> bool:
    """Whether the parser, given line ``number`` as ``mended``, reads past line ``stopped``."""
    import yaml

    text = "\n".join([*lines[:number], mended, *lines[number + 1:]])
    try:
        for _ in yaml.parse(text, Loader=loader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line > stopped
    except yaml.YAMLError:
        return False
    return True


def _char_at(lines: list[str], mark: Any) -> str:
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _open_quote(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """The first line in ``first..last`` whose quoted string does not close on it: (line, column, quote)."""
    for number in range(first, last + 1):
        line = lines[number]
        i, n = 0, len(line)
        while i < n:
            char = line[i]
            if char == "#" and (i == 0 or line[i - 1] in " \t"):
                break  # a comment: the rest of the line says nothing
            if char in "\"'" and (i == 0 or line[i - 1] in " \t:[{,-"):
                end = _close(line, i)
                if end is None:
                    return number, i, char
                i = end
            i += 1
    return None


def _close(line: str, start: int) -> int | None:
    """The index of the quote that closes the string opened at ``start``, or None."""
    quote, i = line[start], start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and i + 1 < len(line) and line[i + 1] == "'":
                i += 2  # '' is a quote inside a single-quoted string
                continue
            return i
        i += 1
    return None


def _wrong_indent(lines: list[str], last: int) -> tuple[int, int, int, int | None] | None:
    """The first line up to ``last`` indented to no level its block allows: (line, expected, found,
    the line that set the expected level).

    The levels are those of the block lines above it; a line after a key with no value (``key:``)
    or after a list dash may open a deeper level. Lines that could be something else (inside a
    block scalar, a flow collection, a continued plain scalar) are passed over."""
    levels = [0]
    set_by: dict[int, int] = {}  # level -> the line that opened it
    opens = True  # the document's first line may start anywhere
    scalar_at: int | None = None  # the indentation a block scalar's lines must exceed
    depth = 0  # open flow brackets
    for number in range(0, last + 1):
        raw = lines[number]
        body = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        if not body or body.startswith("#") or body.startswith("---") or body.startswith("..."):
            continue
        if scalar_at is not None:
            if indent > scalar_at:
                continue
            scalar_at = None
        if depth:
            depth = max(0, depth + _flow_balance(body))
            continue
        content = body
        if opens and indent > levels[-1]:
            levels.append(indent)
            set_by[indent] = number
        elif indent in levels:
            del levels[levels.index(indent) + 1:]
        elif not (_KEY.match(content) or content.startswith("- ") or content == "-"):
            continue  # a plain scalar's next line may sit at any depth below its key
        else:
            deeper = [level for level in levels if level >= indent]
            expected = deeper[0] if deeper else levels[-1]
            blamed = _odd_level(levels, set_by, _steps(lines), indent)
            if blamed is not None:  # the line that opened the block is off; this one is where it belongs
                return blamed
            return number, expected, indent, set_by.get(expected)
        # a dash opens the level of what follows it: "- id: x" puts id at indent + 2
        inner, rest = indent, content
        while rest.startswith("- ") or rest == "-":
            stripped = rest[1:].lstrip(" ")
            inner += len(rest) - len(stripped)
            rest = stripped
            if rest and inner not in levels:
                levels.append(inner)
                set_by[inner] = number
        text = _strip_comment(rest)
        opens = rest == "" or text.endswith(":") or bool(re.search(r":\s+[&!][^\s]*$", text))
        if _BLOCK_SCALAR.search(text) or text in ("|", ">"):
            scalar_at, opens = inner if rest else indent, False
        depth = max(0, _flow_balance(text))
    return None


def _steps(lines: list[str]) -> dict[int, int]:
    """How far each nested block sits from its key, over the whole file (its habit): a key line
    ending in ``:`` and the deeper line after it."""
    steps: dict[int, int] = {}
    previous: tuple[int, str] | None = None
    for raw in lines:
        body = _strip_comment(raw.strip())
        if not body or body.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if previous is not None and previous[1].endswith(":") and indent > previous[0]:
            steps[indent - previous[0]] = steps.get(indent - previous[0], 0) + 1
        previous = indent, body
    return steps


def _odd_level(levels: list[int], set_by: dict[int, int], steps: dict[int, int],
               found: int) -> tuple[int, int, int, None] | None:
    """When a block's first line is indented unlike the file (3 where every other block steps by
    2) and the line now refused sits where that block would be at the habitual step, the first line
    is the mistake: (that line, the level it should have, the level it has, None)."""
    if not steps:
        return None
    # two spaces, the common style, has one vote of its own and wins a tie: a file of one nested
    # block shows no habit of its own
    votes = {**steps, 2: steps.get(2, 0) + 1}
    usual = max(sorted(votes), key=lambda step: (votes[step], step == 2))
    for position in range(1, len(levels)):
        level, parent = levels[position], levels[position - 1]
        if level - parent == usual or level not in set_by or parent >= found:
            continue
        shift = parent + usual - level  # where the block belongs, against where it is
        if any(other + shift == found for other in levels[position:]):
            return set_by[level], level + shift, level, None
    return None


def _strip_comment(text: str) -> str:
    match = re.search(r"\s#", text)
    return (text[: match.start()] if match else text).rstrip()


def _flow_balance(text: str) -> int:
    """Open brackets minus closed ones on a line, quoted strings and comments left out."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'', "", _strip_comment(text))
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")
