r"""Write a post's scanned tokens back as a log's Markdown (markdown-katex's math syntax).

* inline formulas become $`…`$ (on one line);
* display formulas become a ```` ```math ```` fence indented like the list item they sit in (a list
  item holding only the formula keeps its marker on a line of its own); in a blockquote, where the
  site reads no fence, they are written as inline math (and the converter says so);
* in a table row, ``|`` inside a formula becomes ``\vert`` and ``\|`` becomes ``\Vert``, which KaTeX
  renders identically and no Markdown table parser mistakes for a cell border;
* in text, kramdown's escapes that Python-Markdown does not know are undone (``\$``, ``\:``, ``\"``,
  ``\'``, ``\=``, ``\|`` outside tables; ``\<`` becomes ``&lt;``) and inline attribute lists
  (``{: .class}``, ``{:width="50%"}``) are dropped; a literal ``$`` just before a backtick is written
  ``&#36;`` so that it cannot open inline math; ``<!--more-->`` becomes mkdocs-material's ``<!-- more -->``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from studylog.authoring.kramdown_math import PREFIX, Dollar, Math, Newline, Text, Token, Verbatim, undo_escapes

__all__ = ["Written", "table_safe", "write_tokens"]

_INLINE_IAL = re.compile(r"(?<!\\)\{:(?!:)[^{}\n]*\}")
_TEXT_ESCAPES = {":": ":", '"': '"', "'": "'", "=": "=", "<": "&lt;"}
_MORE = re.compile(r"^<!--\s*more\s*-->$")


@dataclass
class Written:
    """A chunk written as Markdown, the lossy escapes met in its formulas (``(line, escape)``), and
    the lines of display formulas in a blockquote, written inline (the site reads no fence in a quote)."""

    markdown: str
    lossy: list[tuple[int, str]] = field(default_factory=list)
    quoted_display: list[int] = field(default_factory=list)


def table_safe(latex: str) -> str:
    r"""``latex`` with ``|`` spelled ``\vert`` and ``\|`` spelled ``\Vert`` (for formulas in table rows).

    Examples:
        >>> table_safe(r"P(A|B) + \|x\|_2 + |y|")
        'P(A\\vert B) + \\Vert x\\Vert_2 + \\vert y\\vert'
    """
    out: list[str] = []
    i = 0
    while i < len(latex):
        if latex.startswith("\\|", i):
            word, i = r"\Vert", i + 2
        elif latex[i] == "\\":
            out.append(latex[i : i + 2])
            i += 2
            continue
        elif latex[i] == "|":
            word, i = r"\vert", i + 1
        else:
            out.append(latex[i])
            i += 1
            continue
        out.append(word + (" " if i < len(latex) and latex[i].isalpha() else ""))
    return "".join(out)


def _text(text: str, *, table_row: bool) -> str:
    """Ordinary text: kramdown-only escapes undone, inline attribute lists dropped."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _TEXT_ESCAPES:
                out.append(_TEXT_ESCAPES[nxt])
            elif nxt == "|" and not table_row:
                out.append("|")
            else:
                out.append(text[i : i + 2])
            i += 2
            continue
        out.append(ch)
        i += 1
    return _INLINE_IAL.sub("", "".join(out))


def _inline(latex: str) -> str:
    """$`…`$ on one line (the converter refuses formulas with a backtick before they get here)."""
    return "$`" + " ".join(part.strip() for part in latex.split("\n")).strip() + "`$"


def _display_lines(latex: str) -> list[str]:
    """The lines of a display formula: the opening line's rest, then the others dedented; blank lines gone."""
    first, _, rest = latex.partition("\n")
    lines = [first.strip(), *textwrap.dedent(rest).split("\n")] if rest else [first.strip()]
    return [line.rstrip() for line in lines if line.strip()]


def _display(math: Math, latex: str) -> tuple[str, str]:
    """``(opening, fence)``: what replaces the formula's prefix on its line, and the fence lines after it."""
    m = PREFIX.match(math.prefix)
    has_marker = bool(m and m.group("marker"))
    opening = math.prefix.rstrip() + " " if has_marker else ""
    fence_indent = re.sub(r"[^>\t]", " ", math.prefix) if has_marker else math.prefix
    body = [f"{fence_indent}{line}" for line in _display_lines(latex)]
    fence = "\n".join([f"{fence_indent}```math", *body, f"{fence_indent}```"])
    return opening, fence


def _next_char(tokens: list[Token], k: int) -> str:
    """The first character written after token ``k`` (as far as it can be told)."""
    if k + 1 < len(tokens):
        nxt = tokens[k + 1]
        if isinstance(nxt, (Text, Verbatim)) and nxt.text:
            return nxt.text[0]
    return ""


def write_tokens(tokens: list[Token], *, table_rows: frozenset[int]) -> Written:
    r"""Write scanned tokens as Markdown with markdown-katex math.

    Args:
        tokens: the tokens of one chunk (from `scan_math`).
        table_rows: 0-based lines of the chunk that are table rows.

    Returns:
        The Markdown, and the lossy escapes met (see `undo_escapes`).

    Examples:
        >>> from studylog.authoring.kramdown_math import scan_math
        >>> print(write_tokens(scan_math(r"* $x\_1$ costs \$5" "\n" "* $$y$$"), table_rows=frozenset()).markdown)
        * $`x_1`$ costs $5
        *
          ```math
          y
          ```
    """
    out: list[str] = []
    lossy: list[tuple[int, str]] = []
    quoted_display: list[int] = []
    for k, tok in enumerate(tokens):
        if isinstance(tok, Newline):
            out.append("\n")
        elif isinstance(tok, Text):
            out.append(_text(tok.text, table_row=tok.row in table_rows))
        elif isinstance(tok, Verbatim):
            out.append("<!-- more -->" if _MORE.match(tok.text) else tok.text)
        elif isinstance(tok, Dollar):
            out.append("&#36;" if _next_char(tokens, k) == "`" else "$")
        elif isinstance(tok, Math):
            latex, lost = undo_escapes(tok.body, tok.delimiter, table_row=tok.table_row)
            lossy.extend((tok.line, escape) for escape in lost)
            if tok.table_row:
                latex = table_safe(latex)
            if tok.display and not tok.fenced:
                quoted_display.append(tok.line)
            if not tok.fenced:
                out.append(_inline(latex))
                continue
            written = "".join(out)
            line_start = written.rfind("\n") + 1
            opening, fence = _display(tok, latex)
            out = [written[:line_start]]
            if opening:
                out.append(opening + "\n")
            out.append(fence)
    return Written("".join(out), lossy, quoted_display)
