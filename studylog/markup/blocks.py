r"""The one fence loop: every fenced block of a log, with its kind, options, body and exact lines.

A fence opens with three or more backticks or tildes (indented as a list item's may be) and closes
with a line of only the same character, at least as long. Four kinds matter to studylog:

* ``math`` — a display formula (markdown-katex's syntax): ```` ```math {#id} ````;
* ``example`` — Python run at build time (markdown-exec's syntax): ```` ```python exec="on" ````;
* ``expect`` — the output an example must print: ```` ```text expect ````;
* ``code`` — anything else, left to the Markdown host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from studylog.errors import MarkupError
from studylog.markup.attrs import NO_ATTRS, FormulaAttrs, parse_formula_attrs, parse_options

_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[^\s`{]*)[ \t]*(?P<rest>.*)$")
_TRUE = {"1", "on", "true", "yes"}


@dataclass(frozen=True)
class FenceOpening:
    """An opening fence line: its indentation, its run of backticks or tildes, language and the rest."""

    indent: str
    marks: str
    lang: str
    info: str  # what follows the language, stripped


def fence_opening(line: str) -> FenceOpening | None:
    """The opening fence on ``line``, or None. The package's one rule for where a fenced block starts.

    A backtick fence's info string holds no backtick (CommonMark), so a line of inline code such as
    ```` ```x``` ```` opens nothing.

    >>> fence_opening("  ```math {#a}")
    FenceOpening(indent='  ', marks='```', lang='math', info='{#a}')
    >>> fence_opening("```x``` is code") is None
    True
    """
    m = _FENCE_RE.match(line)
    if m is None:
        return None
    indent, marks, lang, rest = m.group("indent", "fence", "lang", "rest")
    if marks[0] == "`" and "`" in lang + rest:
        return None
    return FenceOpening(indent, marks, lang, rest.strip())


def closes(line: str, marks: str) -> bool:
    """Whether ``line`` closes a fence opened with ``marks``: only that character, at least as many."""
    stripped = line.strip()
    return stripped.startswith(marks) and set(stripped) == {marks[0]}


def fence_end(lines: list[str], start: int, marks: str) -> int | None:
    """The index of the line closing the fence opened at ``lines[start]`` (None: never closed)."""
    return next((j for j in range(start + 1, len(lines)) if closes(lines[j], marks)), None)


def code_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced block (its fences included; an unclosed fence runs to the end)."""
    mask = [False] * len(lines)
    i = 0
    while i < len(lines):
        opening = fence_opening(lines[i])
        if opening is None:
            i += 1
            continue
        end = fence_end(lines, i, opening.marks)
        stop = len(lines) - 1 if end is None else end
        for j in range(i, stop + 1):
            mask[j] = True
        i = stop + 1
    return mask


class BlockKind(Enum):
    """What a fenced block is to studylog."""

    MATH = "math"
    EXAMPLE = "example"
    EXPECT = "expect"
    CODE = "code"


def fence_kind(lang: str, options: dict[str, str]) -> BlockKind:
    """The kind of a fence from its language and options.

    >>> fence_kind("python", {"exec": "on"}), fence_kind("text", {"expect": ""}), fence_kind("py", {})
    (<BlockKind.EXAMPLE: 'example'>, <BlockKind.EXPECT: 'expect'>, <BlockKind.CODE: 'code'>)
    """
    if lang == "math":
        return BlockKind.MATH
    if lang in ("python", "py") and options.get("exec", "").lower() in _TRUE:
        return BlockKind.EXAMPLE
    if lang == "text" and "expect" in options:
        return BlockKind.EXPECT
    return BlockKind.CODE


@dataclass(frozen=True)
class Fence:
    """One fenced block. Lines are 1-based lines of the file (front matter counted)."""

    kind: BlockKind
    lang: str
    info: str  # what follows the language on the opening line
    body: str  # the lines between the fences, the opening fence's indentation removed
    line: int  # the opening fence
    end_line: int  # the closing fence
    indent: str = ""
    attrs: FormulaAttrs = NO_ATTRS  # math fences: {#id exempt="…" imported}
    options: dict[str, str] = field(default_factory=dict)  # other fences: exec="on" result="text" …

    @property
    def content_line(self) -> int:
        """The line on which the body starts."""
        return self.line + 1


def fences(lines: list[str], *, path: str, first: int = 0, problems: list[MarkupError] | None = None) -> Iterator[Fence]:
    """Every fenced block of ``lines`` from index ``first`` on (``lines[0]`` is line 1 of the file).

    An unclosed fence, or a math fence whose braces cannot be read, is a `MarkupError`: appended to
    ``problems`` when given (the fence is skipped, or kept without attributes), raised otherwise.
    """
    i = first
    while i < len(lines):
        opening = fence_opening(lines[i])
        if opening is None:
            i += 1
            continue
        indent, marks, lang, rest = opening.indent, opening.marks, opening.lang, opening.info
        end = fence_end(lines, i, marks)
        if end is None:
            error = MarkupError(f"the {lang or 'code'} fence opened here is never closed", path=path, line=i + 1)
            if problems is None:
                raise error
            problems.append(error)
            return
        options = {} if lang == "math" else parse_options(rest)
        kind = fence_kind(lang, options)
        attrs = NO_ATTRS
        if kind is BlockKind.MATH:
            try:
                attrs = parse_formula_attrs(rest, path=path, line=i + 1)
            except MarkupError as exc:
                if problems is None:
                    raise
                problems.append(exc)
        body = "\n".join(ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1 : end])
        yield Fence(kind, lang, rest, body, i + 1, end + 1, indent, attrs, options)
        i = end + 1
