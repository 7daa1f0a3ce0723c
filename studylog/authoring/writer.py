r"""Write a post's scanned tokens back as a log's Markdown (markdown-katex's math syntax).

* inline formulas become $`…`$ (on one line);
* display formulas become a ```` ```math ```` fence indented like the list item they sit in (a list
  item holding only the formula keeps its marker on a line of its own); in a blockquote the fence
  keeps the quote marks (`quotes.unquote_math` then makes the quote an HTML one the site reads);
* imported formulas that would need an id on the site (every display formula, and inline formulas
  that state a relation, by the engine's own rule) are marked ``{imported}`` (see `IMPORTED_ATTRS`);
  a ``{`` right after inline math is written ``\{`` so that it is not read as the formula's attributes;
* in a table row, ``|`` inside a formula becomes ``\vert`` and ``\|`` becomes ``\Vert``, which KaTeX
  renders identically and no Markdown table parser mistakes for a cell border;
* text and link destinations go through the caller's `Rewriter` first (Liquid, links, files);
* in text, kramdown's escapes that Python-Markdown does not know are undone (``\$``, ``\:``, ``\"``,
  ``\'``, ``\=``, ``\|`` outside tables; ``\<`` becomes ``&lt;``) and inline attribute lists
  (``{: .class}``, ``{:width="50%"}``) are dropped; a literal ``$`` just before a backtick is written
  ``&#36;`` so that it cannot open inline math; ``<!--more-->`` becomes mkdocs-material's ``<!-- more -->``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from typing import Protocol

from studylog.authoring.katex_compat import in_text_command, katex_compatible
from studylog.authoring.tokens import PREFIX, Destination, Dollar, Math, Newline, Text, Token, Verbatim, undo_escapes
from studylog.engine.scan import Formula

__all__ = ["IMPORTED_ATTRS", "Rewriter", "Written", "formula_latex", "needs_mark", "table_safe", "write_tokens"]

#: the attributes of an imported formula not yet linked to an implementation (the site shows it "not yet checked")
IMPORTED_ATTRS = "{imported}"

_INLINE_IAL = re.compile(r"(?<!\\)\{:(?!:)[^{}\n]*\}")
_TEXT_ESCAPES = {":": ":", '"': '"', "'": "'", "=": "=", "<": "&lt;"}
_MORE = re.compile(r"^<!--\s*more\s*-->$")


class Rewriter(Protocol):
    """What the writer asks about the text around formulas (Liquid, links, local files)."""

    def text(self, text: str, line: int) -> str:
        """Ordinary text of the post's ``line``, as the log has it."""
        ...

    def destination(self, destination: str, line: int) -> str:
        """A link destination ``(url "title")`` of the post's ``line``, as the log has it."""
        ...


@dataclass
class Written:
    """A chunk written as Markdown, the lossy escapes met in its formulas (``(line, escape)``), and how
    many formulas were marked imported."""

    markdown: str
    lossy: list[tuple[int, str]] = field(default_factory=list)
    marked: int = 0
    braced: list[int] = field(default_factory=list)  # lines of formulas whose script commands got braces


def formula_latex(math: Math) -> tuple[str, list[str], bool]:
    r"""The LaTeX of a post's formula as MathJax read it, in a form KaTeX reads the same way.

    Returns:
        The LaTeX, the lossy kramdown escapes undone (`undo_escapes`), and whether a MathJax-only
        spelling was rewritten for KaTeX (`katex_compatible`).
    """
    latex, lost = undo_escapes(math.body, math.delimiter, table_row=math.table_row)
    braced = katex_compatible(latex)
    return braced, lost, braced != latex


def needs_mark(latex: str, *, display: bool) -> bool:
    r"""Whether a formula written into a log needs an id there (so an imported one is marked ``{imported}``).

    Display formulas always do; inline ones when they state a relation that is not a plain value
    (`Formula.is_equation`, the engine's own rule).

    Examples:
        >>> needs_mark(r"\eta", display=False), needs_mark("k = 5", display=False), needs_mark("y = 2x", display=False)
        (False, False, True)
    """
    return display or Formula(latex=latex, path="<import>", line=0, display=False).is_equation


def table_safe(latex: str) -> str:
    r"""``latex`` with ``|`` spelled ``\vert`` and ``\|`` spelled ``\Vert`` (for formulas in table rows).

    In a text command's braces (``\textrm{a|b}``) ``|`` becomes ``\textbar``, which text mode has.

    Examples:
        >>> table_safe(r"P(A|B) + \|x\|_2 + |y|")
        'P(A\\vert B) + \\Vert x\\Vert_2 + \\vert y\\vert'
        >>> table_safe(r"[\textrm{data|process}] | x")
        '[\\textrm{data\\textbar process}] \\vert  x'
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
            word, i = (r"\textbar" if in_text_command(latex, i) else r"\vert"), i + 1
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


def _inline(latex: str, *, imported: bool) -> str:
    """$`…`$ on one line (the converter refuses formulas with a backtick before they get here)."""
    math = "$`" + " ".join(part.strip() for part in latex.split("\n")).strip() + "`$"
    return math + IMPORTED_ATTRS if imported else math


def _display_lines(latex: str) -> list[str]:
    """The lines of a display formula: the opening line's rest, then the others dedented; blank lines gone."""
    first, _, rest = latex.partition("\n")
    lines = [first.strip(), *textwrap.dedent(rest).split("\n")] if rest else [first.strip()]
    return [line.rstrip() for line in lines if line.strip()]


def _display(math: Math, latex: str, *, imported: bool) -> tuple[str, str]:
    """``(opening, fence)``: what replaces the formula's prefix on its line, and the fence lines after it."""
    m = PREFIX.match(math.prefix)
    has_marker = bool(m and m.group("marker"))
    opening = math.prefix.rstrip() + " " if has_marker else ""
    fence_indent = re.sub(r"[^>\t]", " ", math.prefix) if has_marker else math.prefix
    body = [f"{fence_indent}{line}" for line in _display_lines(latex)]
    info = f"math {IMPORTED_ATTRS}" if imported else "math"
    fence = "\n".join([f"{fence_indent}```{info}", *body, f"{fence_indent}```"])
    return opening, fence


class _Identity:
    def text(self, text: str, line: int) -> str:
        return text

    def destination(self, destination: str, line: int) -> str:
        return destination


def _next_char(tokens: list[Token], k: int) -> str:
    """The first character written after token ``k`` (as far as it can be told)."""
    if k + 1 < len(tokens):
        nxt = tokens[k + 1]
        if isinstance(nxt, (Text, Verbatim)) and nxt.text:
            return nxt.text[0]
    return ""


def write_tokens(
    tokens: list[Token],
    *,
    table_rows: frozenset[int],
    first_line: int = 1,
    rewriter: Rewriter | None = None,
    mark_imported: bool = False,
) -> Written:
    r"""Write scanned tokens as Markdown with markdown-katex math.

    Args:
        tokens: the tokens of one chunk (from `scan_math`).
        table_rows: 0-based lines of the chunk that are table rows.
        first_line: the post's line of the chunk's first line (for the rewriter).
        rewriter: rewrites text and link destinations (None: left as they are).
        mark_imported: mark the formulas that need an id ``{imported}`` (see `needs_mark`).

    Returns:
        The Markdown, the lossy escapes met (see `undo_escapes`) and the number of formulas marked.

    Examples:
        >>> from studylog.authoring.kramdown_math import scan_math
        >>> print(write_tokens(scan_math(r"* $x\_1$ costs \$5" "\n" "* $$y$$"), table_rows=frozenset()).markdown)
        * $`x_1`$ costs $5
        *
          ```math
          y
          ```
    """
    rewrite = rewriter or _Identity()
    out: list[str] = []
    lossy: list[tuple[int, str]] = []
    marked = 0
    braced: list[int] = []
    after_inline_math = False
    for k, tok in enumerate(tokens):
        if isinstance(tok, Newline):
            out.append("\n")
        elif isinstance(tok, Text):
            text = _text(rewrite.text(tok.text, first_line + tok.row), table_row=tok.row in table_rows)
            out.append("\\" + text if after_inline_math and text.startswith("{") else text)
        elif isinstance(tok, Destination):
            out.append(rewrite.destination(tok.text, first_line + tok.row))
        elif isinstance(tok, Verbatim):
            out.append("<!-- more -->" if _MORE.match(tok.text) else tok.text)
        elif isinstance(tok, Dollar):
            source = "$" if tok.source == "\\$" else tok.source
            out.append(source[:-1] + "&#36;" if source.endswith("$") and _next_char(tokens, k) == "`" else source)
        elif isinstance(tok, Math):
            latex, lost, changed = formula_latex(tok)
            lossy.extend((tok.line, escape) for escape in lost)
            if changed:
                braced.append(tok.line)
            if tok.table_row:
                latex = table_safe(latex)
            imported = mark_imported and needs_mark(latex, display=tok.fenced)
            marked += imported
            if not tok.fenced:
                out.append(_inline(latex, imported=imported))
                after_inline_math = True
                continue
            written = "".join(out)
            line_start = written.rfind("\n") + 1
            opening, fence = _display(tok, latex, imported=imported)
            out = [written[:line_start]]
            if opening:
                out.append(opening + "\n")
            out.append(fence)
        after_inline_math = False
    return Written("".join(out), lossy, marked, braced)
