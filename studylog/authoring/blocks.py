r"""Line-level structure of a Jekyll post's body: code, kramdown-only lines, table rows and text.

Only what the math conversion needs is recognized:

* fenced code (```` ``` ```` or ``~~~``, any indentation; closed by a fence of the same character at
  least as long; a ```` ```math ```` fence is kept and counted as a display formula) and Liquid
  ``{% highlight lang %}`` … ``{% endhighlight %}`` blocks (rewritten as fences) are code: left
  exactly as they are;
* kramdown's ``* TOC`` + ``{:toc}``, block attribute lists on a line of their own (``{: .class}``,
  ``{:.class}``, ``{:#id}``, ``{:name: .class}``), ``{::options … /}`` and Liquid ``{% raw %}`` /
  ``{% endraw %}`` lines (in code too: Jekyll removes them there as well) are dropped (MkDocs renders
  a table of contents itself); the text lines between such a ``{% raw %}`` and its ``{% endraw %}``
  are marked ``raw`` (no Liquid is resolved there);
* ``{::comment}`` … ``{:/comment}`` becomes an HTML comment and ``{::nomarkdown}`` … ``{:/nomarkdown}``
  raw HTML, both left untouched inside;
* a line with a ``|`` in a paragraph that has a table separator line (``|---|:--:|``), or any line
  starting with ``|``, is a table row.

Indented (four-space) code blocks are not recognized: in a post full of nested lists they cannot be
told apart from list content without a full Markdown parser. Use fences for code with ``$`` in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from studylog.authoring.errors import ConversionError

from studylog.markup import fence_end, fence_opening

__all__ = ["Line", "LineKind", "classify_lines"]

_LIQUID_HIGHLIGHT = re.compile(r"^(?P<indent>[ \t]*)\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)[^%]*-?%\}\s*$")
_LIQUID_END = re.compile(r"^[ \t]*\{%-?\s*endhighlight\s*-?%\}\s*$")
_LIQUID_RAW = re.compile(r"^[ \t]*\{%-?\s*(?:raw|endraw)\s*-?%\}\s*$")
_TOC_ITEM = re.compile(r"^[ \t]*(?:[*+-]|1\.)[ \t]+TOC[ \t]*$")
_TOC_IAL = re.compile(r"^[ \t]*\{:[ \t]*\.?toc[ \t]*\}[ \t]*$")
_BLOCK_IAL = re.compile(r"^[ \t]*\{:[^{}]*\}[ \t]*$")
_EXTENSION_OPEN = re.compile(r"^[ \t]*\{::(?P<name>comment|nomarkdown)[^}]*\}[ \t]*$")
_EXTENSION_CLOSE = re.compile(r"^[ \t]*\{:/(?:(?P<name>comment|nomarkdown))?\}[ \t]*$")
_OPTIONS = re.compile(r"^[ \t]*\{::options\b[^}]*/\}[ \t]*$")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*(?=[^\n]*\|)(?=[^\n]*-)[|:+ \t-]+$")


class LineKind(Enum):
    """What a line of the body is, for the converter."""

    TEXT = "text"
    CODE = "code"
    DROP = "drop"


@dataclass(frozen=True)
class Line:
    """One line of the body: its kind, its text as it is to be written, and whether it is a table row.

    The opening line of a ```` ```math ```` fence (math already, for GitHub and for the site) also
    carries the fence's LaTeX in ``math``.
    """

    kind: LineKind
    text: str
    table_row: bool = False
    math: str | None = None
    raw: bool = False


def _code_blocks(lines: list[str], *, path: str, first_line: int) -> list[Line | None]:
    """Mark code lines (fences, Liquid highlight blocks); other lines are left as None."""
    out: list[Line | None] = [None] * len(lines)
    i = 0
    while i < len(lines):
        fence = fence_opening(lines[i])  # the page model's rule, so the site reads the same blocks
        liquid = _LIQUID_HIGHLIGHT.match(lines[i])
        if fence is not None:
            end = fence_end(lines, i, fence.marks)
            if end is None:
                raise ConversionError("the code fence opened here is never closed", path=path, line=first_line + i)
            for j in range(i, end + 1):
                out[j] = Line(LineKind.CODE, lines[j])
            if fence.lang == "math":
                indent = fence.indent
                body = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1 : end]]
                out[i] = Line(LineKind.CODE, lines[i], math="\n".join(body))
            i = end + 1
        elif _EXTENSION_OPEN.match(lines[i]):
            name = _EXTENSION_OPEN.match(lines[i]).group("name")
            end = next((j for j in range(i + 1, len(lines)) if _EXTENSION_CLOSE.match(lines[j])), None)
            if end is None:
                raise ConversionError(
                    f"the {{::{name}}} block opened here has no {{:/{name}}}", path=path, line=first_line + i
                )
            opening, closing = ("<!--", "-->") if name == "comment" else (None, None)
            out[i] = Line(LineKind.CODE, opening) if opening else Line(LineKind.DROP, lines[i])
            for j in range(i + 1, end):
                out[j] = Line(LineKind.CODE, lines[j])
            out[end] = Line(LineKind.CODE, closing) if closing else Line(LineKind.DROP, lines[end])
            i = end + 1
        elif liquid:
            end = next((j for j in range(i + 1, len(lines)) if _LIQUID_END.match(lines[j])), None)
            if end is None:
                raise ConversionError(
                    "the {% highlight %} block opened here has no {% endhighlight %}", path=path, line=first_line + i
                )
            indent = liquid.group("indent")
            out[i] = Line(LineKind.CODE, f"{indent}```{liquid.group('lang')}")
            for j in range(i + 1, end):
                out[j] = Line(LineKind.CODE, lines[j])
            out[end] = Line(LineKind.CODE, f"{indent}```")
            i = end + 1
        else:
            i += 1
    return out


def _dropped(lines: list[str], marked: list[Line | None]) -> None:
    """Mark kramdown-only and Liquid raw lines (in place)."""
    for i, line in enumerate(lines):
        code = marked[i]
        if code is not None:
            if code.kind is LineKind.CODE and code.math is None and _LIQUID_RAW.match(line):
                marked[i] = Line(LineKind.DROP, line)
            continue
        toc_item = _TOC_ITEM.match(line) and i + 1 < len(lines) and _TOC_IAL.match(lines[i + 1])
        if toc_item or _BLOCK_IAL.match(line) or _OPTIONS.match(line) or _LIQUID_RAW.match(line):
            marked[i] = Line(LineKind.DROP, line)


def _table_rows(lines: list[str], marked: list[Line | None]) -> set[int]:
    """Indexes of the text lines that are table rows."""
    rows: set[int] = set()
    i = 0
    while i < len(lines):
        if marked[i] is not None or not lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and marked[j] is None and lines[j].strip():
            j += 1
        has_separator = any(_TABLE_SEPARATOR.match(lines[k]) for k in range(i, j))
        for k in range(i, j):
            if (has_separator and "|" in lines[k]) or lines[k].lstrip().startswith("|"):
                rows.add(k)
        i = j
    return rows


def classify_lines(lines: list[str], *, path: str, first_line: int) -> list[Line]:
    r"""Classify the body's lines for conversion.

    Args:
        lines: the body's lines (without line ends).
        path: the post's name, for messages.
        first_line: the file line of ``lines[0]`` (after the front matter).

    Returns:
        One `Line` per input line, in order.

    Raises:
        ConversionError: if a code fence or a Liquid highlight block is never closed.

    Examples:
        >>> body = ["* TOC", "{:toc}", "| a | $b$ |", "|---|---|", "```", "$x", "```"]
        >>> [(line.kind.value, line.table_row) for line in classify_lines(body, path="p.md", first_line=1)]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('drop', False), ('drop', False), ('text', True), ('text', True),
         ('code', False), ('code', False), ('code', False)]
    """
    marked = _code_blocks(lines, path=path, first_line=first_line)
    _dropped(lines, marked)
    rows = _table_rows(lines, marked)
    out: list[Line] = []
    raw = False
    for i, line in enumerate(lines):
        if marked[i] is not None:
            if marked[i].kind is LineKind.DROP and _LIQUID_RAW.match(line):
                raw = "endraw" not in line
            out.append(marked[i])
        else:
            out.append(Line(LineKind.TEXT, line, i in rows, raw=raw))
    return out
