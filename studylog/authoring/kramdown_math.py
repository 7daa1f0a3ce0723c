r"""Find the formulas of a Jekyll (kramdown + MathJax) post, and the escapes to undo in them.

A Jekyll post with ``use_math: true`` has two kinds of math:

* ``$…$`` is **not** math to kramdown: it is ordinary text, which kramdown renders (undoing its
  backslash escapes, ``\_`` → ``_``) before MathJax, in the browser, finds the dollars. Authors
  therefore write ``\_``, ``\*`` and ``\|`` inside ``$…$`` to stop kramdown making emphasis or a table.
* ``$$…$$`` is kramdown's math: its content is passed to MathJax verbatim. It is display math when
  it stands alone on its line(s) (after any indentation, ``>`` or list marker), inline otherwise.

Rules for a single ``$`` (MathJax's pairing, with pandoc's currency guard):

* ``\$`` is a literal dollar; so is a ``$`` after a digit (``100$``), before a space or the end of
  the line, or in a pair that looks like prices: the opening ``$`` is followed by a digit and the
  closing one follows a space or is followed by a digit (``$5 and $10``, ``$5-$10``);
* a formula closes on its own line; in a table row it cannot cross a ``|`` that does not follow a
  backslash (kramdown splits the cells first) and it cannot contain a code span; spaces inside are
  allowed (``$ \eta $``), as in MathJax;
* a ``$`` that opens a formula (followed by a letter, ``\``, ``{``, ``^`` or ``_``) with no closing
  ``$`` on its line is an error, reported at that line.

Code spans, HTML comments and link destinations ``](…)`` are never searched for math. A backtick that
opens no code span is written escaped (``\```), so that it cannot pair with the backticks of the
log's inline math, and so is a plain ``[text]`` that is no link (kramdown shows it as is; escaped,
no extension such as mkdocs-autorefs takes it for a cross-reference).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from studylog.authoring.errors import ConversionError, UnbalancedMathError

__all__ = [
    "KRAMDOWN_ESCAPABLE",
    "Dollar",
    "Math",
    "Newline",
    "Text",
    "Token",
    "Verbatim",
    "scan_math",
    "undo_escapes",
]

#: characters kramdown (and its GFM parser: ``~``) un-escapes after a backslash in text
KRAMDOWN_ESCAPABLE = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
#: escapes authors write inside math only to keep kramdown away from it: undone without a warning
_MARKDOWN_ONLY = frozenset("_*|")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: what may precede a display formula on its line: indentation, blockquote marks, one list marker
PREFIX = re.compile(r"^(?P<quote>[ \t]*(?:>[ \t]?)*)(?P<marker>(?:[*+-]|\d{1,9}[.)])[ \t]+)?$")
_OPENS_FORMULA = re.compile(r"[A-Za-z\\{^_]")


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
    """A code span, an HTML comment or a link destination: written exactly as it is."""

    text: str


@dataclass(frozen=True)
class Dollar:
    r"""A literal dollar sign (``\$`` or a ``$`` that opens no formula)."""

    source: str  # "$" or "\\$"


@dataclass(frozen=True)
class Math:
    """One formula of the post."""

    body: str  # as in the source, between the delimiters
    delimiter: str  # "$" or "$$"
    display: bool
    line: int  # 1-based file line of the opening delimiter
    row: int  # 0-based chunk line of the opening delimiter
    table_row: bool
    prefix: str  # for display formulas: what precedes the opening "$$" on its line

    @property
    def fenced(self) -> bool:
        """Whether the log writes it as a math fence (display math, but not in a blockquote)."""
        return self.display and ">" not in self.prefix


Token = Text | Newline | Verbatim | Dollar | Math


def undo_escapes(body: str, delimiter: str, *, table_row: bool) -> tuple[str, list[str]]:
    r"""The LaTeX of a formula as MathJax was meant to see it, and the lossy escapes undone on the way.

    Inside ``$…$`` every kramdown escape is undone, as kramdown did before MathJax saw the page:
    ``\_`` → ``_``, ``\*`` → ``*``, ``\|`` → ``|`` and ``\\{`` → ``\{`` (the usual ones), but also
    ``\{`` → ``{`` and a bare ``\\`` → ``\``, which the original page showed that way too; those are
    returned so the caller can warn. ``\$`` stays ``\$`` (a dollar in LaTeX). Inside ``$$…$$``
    kramdown passes the text through, so only ``\_`` and ``\*`` are undone (written out of habit; a
    literal underscore or ``\*`` in math is never meant) and ``\|``, ``\{``, ``\}``, ``\\`` keep their
    LaTeX meaning. In a table row, first of all, every ``\|`` becomes ``|``, as kramdown's table
    parser does before it splits the cells (so ``\\|`` gives LaTeX's ``\|`` in ``$$…$$``).

    Args:
        body: the formula's source text between its delimiters.
        delimiter: ``"$"`` or ``"$$"``.
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
        if delimiter == "$" and nxt in KRAMDOWN_ESCAPABLE and nxt != "$":
            out.append(nxt)
            # "\\{" is how a kramdown author writes LaTeX's "\{": only a bare "\\" (a LaTeX line break) is lost
            after = body[i + 2 : i + 3]
            meant_for_kramdown = nxt in _MARKDOWN_ONLY or (nxt == "\\" and after.strip() != "")
            if not meant_for_kramdown and "\\" + nxt not in lossy:
                lossy.append("\\" + nxt)
        elif delimiter == "$$" and nxt in "_*":
            out.append(nxt)
        else:
            out.append(body[i : i + 2])
        i += 2
    return "".join(out), lossy


class _Scanner:
    """One pass over a chunk of text lines (no code blocks in it)."""

    def __init__(
        self, chunk: str, *, table_rows: frozenset[int], first_line: int, path: str, references: frozenset[str]
    ) -> None:
        self.s = chunk
        self.n = len(chunk)
        self.table_rows = table_rows
        self.first_line = first_line
        self.path = path
        self.starts = [0] + [i + 1 for i, c in enumerate(chunk) if c == "\n"]
        self.tokens: list[Token] = []
        self.buf: list[str] = []
        self.references = references
        self.escape_at: set[int] = set()  # positions of "]" that close plain (escaped) brackets

    # ---------------------------------------------------------------- positions
    def row(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def line(self, pos: int) -> int:
        return self.first_line + self.row(pos)

    def line_end(self, pos: int) -> int:
        end = self.s.find("\n", pos)
        return self.n if end == -1 else end

    # ---------------------------------------------------------------- output
    def flush(self, pos: int) -> None:
        if self.buf:
            self.tokens.append(Text("".join(self.buf), self.row(pos - 1)))
            self.buf = []

    def emit(self, token: Token, pos: int) -> None:
        self.flush(pos)
        self.tokens.append(token)

    # ---------------------------------------------------------------- pieces
    def _run(self, i: int) -> int:
        """Length of the backtick run starting at ``i``."""
        k = i
        while k < self.n and self.s[k] == "`":
            k += 1
        return k - i

    def code_span_end(self, i: int) -> int | None:
        """End of the code span opened by the backtick run at ``i`` (None when it is not closed)."""
        run = self._run(i)
        ticks = "`" * run
        k = i + run
        blank = _BLANK_LINE.search(self.s, k)
        limit = blank.start() if blank else self.n
        while True:
            k = self.s.find(ticks, k, limit)
            if k == -1:
                return None
            after = k + run
            if (after >= self.n or self.s[after] != "`") and self.s[k - 1] != "`":
                return after
            k = after
            while k < self.n and self.s[k] == "`":
                k += 1

    def paren_end(self, i: int) -> int | None:
        """End of the link destination ``(…)`` starting at ``i`` on its line (None when unclosed)."""
        depth = 0
        k, end = i, self.line_end(i)
        while k < end:
            c = self.s[k]
            k += 1
            if c == "\\":
                k += 1
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return k
        return None

    def plain_brackets_end(self, i: int) -> int | None:
        """The "]" closing the "[" at ``i`` when the pair is plain text (kramdown shows it as is), else None.

        Links ``[a](u)``, references ``[a][r]`` and known ``[r]``, definitions ``[r]: u``, footnotes
        ``[^1]``, task boxes ``[ ]``/``[x]`` and ``[eq:id]`` are not plain: written as they are, they
        keep their meaning; a plain pair is written escaped so that no Markdown extension (e.g.
        mkdocs-autorefs) takes it for a reference.
        """
        s, depth, k, end = self.s, 0, i, self.line_end(i)
        while k < end:
            c = s[k]
            if c == "\\":
                k += 2
                continue
            depth += {"[": 1, "]": -1}.get(c, 0)
            if depth == 0:
                break
            k += 1
        else:
            return None
        label = s[i + 1 : k]
        after = s[k + 1 : k + 2]
        before = s[self.starts[self.row(i)] : i]
        if after in ("(", "[") or (after == ":" and not before.strip()) or (i > 0 and s[i - 1] in "]!"):
            return None
        if label.strip() in ("", "x", "X") or label.startswith(("^", "eq:")):
            return None
        if " ".join(label.lower().split()) in self.references:
            return None
        return k

    def display_prefix(self, i: int) -> str | None:
        """What precedes position ``i`` on its line, if a display formula may start there."""
        start = self.starts[self.row(i)]
        prefix = self.s[start:i]
        return prefix if PREFIX.match(prefix) else None

    def double(self, i: int) -> Math:
        """The ``$$…$$`` formula opened at ``i``."""
        prefix = self.display_prefix(i)
        j = self.s.find("$$", i + 2)
        if j != -1 and prefix is None and _BLANK_LINE.search(self.s, i + 2, j):
            j = -1  # inline math does not cross a paragraph break
        if j == -1:
            raise UnbalancedMathError(
                "unbalanced '$$': this formula is never closed", path=self.path, line=self.line(i)
            )
        body = self.s[i + 2 : j]
        if not body.strip():
            raise ConversionError("empty formula '$$$$'", path=self.path, line=self.line(i))
        end = j + 2
        rest = self.s[end : self.line_end(end)]
        display = prefix is not None and not rest.strip()
        row = self.row(i)
        return Math(body, "$$", display, self.line(i), row, row in self.table_rows, prefix if display else "")

    def single(self, i: int) -> Math | None:
        """The ``$…$`` formula opened at ``i``, or None when this ``$`` is a literal dollar."""
        s, n = self.s, self.n
        prev = s[i - 1] if i > 0 else ""
        nxt = s[i + 1] if i + 1 < n else ""
        if prev.isdigit() or nxt in ("", "\n"):
            return None
        row = self.row(i)
        in_table = row in self.table_rows
        k = i + 1
        while k < n and s[k] != "\n":
            c = s[k]
            if c == "\\":
                k += 1 if k + 1 < n and s[k + 1] == "\n" else 2
                continue
            if (
                (c == "|" and in_table and s[k - 1] != "\\")
                or (c == "`" and self.code_span_end(k) is not None)
                or s.startswith("$$", k)
            ):
                break
            if c == "$":
                after = s[k + 1] if k + 1 < n else ""
                if nxt.isdigit() and (s[k - 1].isspace() or after.isdigit()):
                    return None  # prices: $5 and $10, $5-$10
                body = s[i + 1 : k]
                if not body.strip():
                    return None
                return Math(body, "$", False, self.line(i), row, in_table, "")
            k += 1
        if _OPENS_FORMULA.match(nxt):
            raise UnbalancedMathError(
                "unbalanced '$': no closing '$' on this line (write \\$ for a dollar sign)",
                path=self.path,
                line=self.line(i),
            )
        return None

    # ---------------------------------------------------------------- driver
    def run(self) -> list[Token]:
        s, n = self.s, self.n
        i = 0
        while i < n:
            c = s[i]
            if c == "\n":
                self.emit(Newline(), i)
                i += 1
            elif c == "\\" and i + 1 < n and s[i + 1] != "\n":
                if s[i + 1] == "$":
                    self.emit(Dollar("\\$"), i)
                else:
                    self.buf.append(s[i : i + 2])
                i += 2
            elif c == "`":
                end = self.code_span_end(i)
                if end is None:  # a literal backtick: escaped, so that no backtick of the log's math can pair with it
                    run = self._run(i)
                    self.buf.append("\\`" * run)
                    i += run
                else:
                    self.emit(Verbatim(s[i:end]), i)
                    i = end
            elif s.startswith("<!--", i) and (close := s.find("-->", i + 4)) != -1:
                self.emit(Verbatim(s[i : close + 3]), i)
                i = close + 3
            elif c == "[" and (close := self.plain_brackets_end(i)) is not None:
                self.buf.append("\\[")
                self.escape_at.add(close)
                i += 1
            elif c == "]" and i in self.escape_at:
                self.buf.append("\\]")
                i += 1
            elif s.startswith("](", i) and (end := self.paren_end(i + 1)) is not None:
                self.buf.append("]")
                self.emit(Verbatim(s[i + 1 : end]), i + 1)
                i = end
            elif s.startswith("$$", i):
                math = self.double(i)
                self.emit(math, i)
                i = s.find("$$", i + 2) + 2
                if math.display:
                    i = self.line_end(i)  # drop trailing spaces after a display formula
            elif c == "$":
                math = self.single(i)
                if math is None:
                    self.emit(Dollar("$"), i)
                    i += 1
                else:
                    self.emit(math, i)
                    i += len(math.body) + 2
            else:
                self.buf.append(c)
                i += 1
        self.flush(n)
        return self.tokens


def scan_math(
    chunk: str,
    *,
    table_rows: frozenset[int] = frozenset(),
    first_line: int = 1,
    path: str = "<post>",
    references: frozenset[str] = frozenset(),
) -> list[Token]:
    r"""Split a chunk of a post's text lines (no code blocks) into text, verbatim pieces, dollars and formulas.

    Args:
        chunk: consecutive text lines joined with ``\n``.
        table_rows: 0-based lines of the chunk that are table rows.
        first_line: the file line of the chunk's first line (for messages and `line`).
        path: the post's name, for messages.
        references: the post's reference-link labels (lower case, single spaces): ``[label]`` stays a link.

    Returns:
        The tokens, in order.

    Raises:
        UnbalancedMathError: if a ``$`` or ``$$`` opens a formula that is not closed.
        ConversionError: for an empty ``$$$$``.

    Examples:
        >>> [t.body for t in scan_math(r"$\eta$ costs $5 and $10; `$x$` is code") if isinstance(t, Math)]
        ['\\eta']
        >>> [(t.body, t.display) for t in scan_math("* $$x^2$$\n* text $$y$$ more") if isinstance(t, Math)]
        [('x^2', True), ('y', False)]
    """
    return _Scanner(chunk, table_rows=table_rows, first_line=first_line, path=path, references=references).run()
