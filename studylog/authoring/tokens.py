r"""The pieces a post's text is split into (`kramdown_math.scan_math`), and the kramdown escapes of formulas.

A Jekyll post's math reaches MathJax in two ways:

* as **text**: ``$…$``, ``\\(…\\)`` and ``\\[…\\]`` are not math to kramdown but ordinary text, which
  kramdown renders (undoing its backslash escapes: ``\_`` → ``_``, ``\\(`` → ``\(``) before MathJax, in
  the browser, finds the delimiters. Authors therefore write ``\_``, ``\*`` and ``\|`` inside them to
  stop kramdown making emphasis or a table;
* as **kramdown's math**: ``$$…$$``, whose content is passed to MathJax verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "KRAMDOWN_ESCAPABLE",
    "LINE_BREAK_KEPT",
    "PREFIX",
    "Delimiter",
    "Destination",
    "Dollar",
    "Math",
    "Newline",
    "Text",
    "Token",
    "Verbatim",
    "undo_escapes",
]

#: characters kramdown (and its GFM parser: ``~``) un-escapes after a backslash in text
KRAMDOWN_ESCAPABLE = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
#: what `undo_escapes` returns for a "\\\\" before a digit, kept as LaTeX's line break
LINE_BREAK_KEPT = "\\\\ before a digit"
#: escapes authors write inside math only to keep kramdown away from it: undone without a warning
_MARKDOWN_ONLY = frozenset("_*|")
#: what may precede a display formula on its line: indentation, blockquote marks, one list marker
PREFIX = re.compile(r"^(?P<quote>[ \t]*(?:>[ \t]?)*)(?P<marker>(?:[*+-]|\d{1,9}[.)])[ \t]+)?$")


class Delimiter(StrEnum):
    r"""How a formula is delimited in the post (the value is the opening delimiter as written)."""

    DOLLAR = "$"  #: MathJax's inline ``$…$`` (text to kramdown)
    DOUBLE = "$$"  #: kramdown's math: inline in a sentence, display on a line of its own
    PAREN = "\\\\("  #: MathJax's inline ``\(…\)``, written ``\\(…\\)`` in kramdown text
    BRACKET = "\\\\["  #: MathJax's display ``\[…\]``, written ``\\[…\\]`` in kramdown text

    @property
    def closing(self) -> str:
        """The closing delimiter as written in the post."""
        return {"$": "$", "$$": "$$", "\\\\(": "\\\\)", "\\\\[": "\\\\]"}[self.value]

    @property
    def verbatim(self) -> bool:
        """Whether kramdown passes the content through untouched (its own math) rather than as text."""
        return self is Delimiter.DOUBLE


@dataclass(frozen=True)
class Text:
    """Ordinary text on one line (kramdown escapes still in it)."""

    text: str
    row: int  # 0-based line of the chunk


@dataclass(frozen=True)
class Newline:
    """The end of a line."""


@dataclass(frozen=True)
class Verbatim:
    """A code span or an HTML comment: written exactly as it is."""

    text: str


@dataclass(frozen=True)
class Destination:
    """A link destination with its parentheses, ``(url "title")``: written as it is or with its URL rewritten."""

    text: str
    row: int


@dataclass(frozen=True)
class Dollar:
    r"""A literal dollar sign, or delimiters kept as text (``\$``, a ``$`` or ``$$`` that opens no formula)."""

    source: str  # "$", "\\$", "$$", "\\\\(" ...


@dataclass(frozen=True)
class Math:
    """One formula of the post."""

    body: str  # as in the source, between the delimiters
    delimiter: Delimiter
    display: bool
    line: int  # 1-based file line of the opening delimiter
    row: int  # 0-based chunk line of the opening delimiter
    table_row: bool
    prefix: str  # for display formulas: what precedes the opening delimiter on its line

    @property
    def fenced(self) -> bool:
        """Whether the log writes it as a math fence (every display formula, in a blockquote too)."""
        return self.display

    @property
    def quoted(self) -> bool:
        """Whether the formula sits in a blockquote."""
        return ">" in self.prefix


Token = Text | Newline | Verbatim | Destination | Dollar | Math


def undo_escapes(body: str, delimiter: str, *, table_row: bool) -> tuple[str, list[str]]:
    r"""The LaTeX of a formula as MathJax was meant to see it, and the lossy escapes undone on the way.

    Inside text math (``$…$``, ``\\(…\\)``, ``\\[…\\]``) every kramdown escape is undone, as kramdown
    did before MathJax saw the page: ``\_`` → ``_``, ``\*`` → ``*``, ``\|`` → ``|`` and ``\\{`` → ``\{``
    (the usual ones), but also ``\{`` → ``{`` and a bare ``\\`` → ``\``, which the original page showed
    that way too; those are returned so the caller can warn. ``\$`` stays ``\$`` (a dollar in LaTeX).
    Inside ``$$…$$`` kramdown passes the text through, so only ``\_`` and ``\*`` are undone (written out
    of habit; a literal underscore or ``\*`` in math is never meant) and ``\|``, ``\{``, ``\}``, ``\\``
    keep their LaTeX meaning. In a table row, first of all, every ``\|`` becomes ``|``, as kramdown's
    table parser does before it splits the cells (so ``\\|`` gives LaTeX's ``\|`` in ``$$…$$``).

    Args:
        body: the formula's source text between its delimiters.
        delimiter: a `Delimiter` (or its value: ``"$"``, ``"$$"``, ...).
        table_row: whether the formula sits in a table row.

    Returns:
        The LaTeX, and the escapes (e.g. ``"\{"``) whose undoing changes what LaTeX would render.

    Examples:
        >>> undo_escapes(r"x\_i \* y \| z", "$", table_row=False)
        ('x_i * y | z', [])
        >>> undo_escapes(r"\{a\} \\{b\\}", "$", table_row=False)
        ('{a} \\{b\\}', ['\\{', '\\}'])
        >>> undo_escapes(r"\|x\|_2 + a\_1", "$$", table_row=False)
        ('\\|x\\|_2 + a_1', [])
    """
    verbatim = Delimiter(delimiter).verbatim
    if table_row:
        body = body.replace("\\|", "|")  # kramdown's table parser does this before anything else sees the cell
    out: list[str] = []
    lossy: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if not verbatim and nxt == "\\" and body[i + 2 : i + 3].isdigit():
            # kramdown made "\\3" "\3", which no TeX reads: the author meant LaTeX's line break before "3"
            out.append("\\\\")
            if LINE_BREAK_KEPT not in lossy:
                lossy.append(LINE_BREAK_KEPT)
        elif not verbatim and nxt in KRAMDOWN_ESCAPABLE and nxt != "$":
            out.append(nxt)
            # "\\{" is how a kramdown author writes LaTeX's "\{": only a bare "\\" (a LaTeX line break) is lost
            after = body[i + 2 : i + 3]
            meant_for_kramdown = nxt in _MARKDOWN_ONLY or (nxt == "\\" and after.strip() != "")
            if not meant_for_kramdown and "\\" + nxt not in lossy:
                lossy.append("\\" + nxt)
        elif verbatim and nxt in "_*":
            out.append(nxt)
        else:
            out.append(body[i : i + 2])
        i += 2
    return "".join(out), lossy
