r"""Find the formulas of a Jekyll (kramdown + MathJax) post: every delimiter MathJax renders on such a blog.

* ``$$…$$`` is kramdown's math: display math when it stands alone on its line(s) (after any
  indentation, ``>`` or list marker), inline otherwise; its content goes to MathJax verbatim.
* ``\\(…\\)`` (MathJax's ``\(…\)`` written through kramdown) is inline math and ``\\[…\\]`` display
  math; both are text to kramdown, like ``$…$`` (see `tokens` for the escapes undone in them). They
  may run over several lines of one paragraph.
* ``$…$`` is MathJax's inline math. Themes switch it on in their MathJax set-up (an include, not
  ``_config.yml``), and nearly all do: it is on by default (``single_dollar=False`` turns it off).

Rules for a single ``$`` (MathJax's pairing, with pandoc's currency guard):

* ``\$`` is a literal dollar; so is a ``$`` after a digit (``100$``), one that ends its paragraph,
  or in a pair that looks like prices: the opening ``$`` is followed by a digit and the closing one
  is followed by a digit (``$5 and $10``, ``$5-$10``), or follows a space and opens a formula itself
  (``$5 while $x$``); ``$1 = 1(1+1)/2 $`` is a formula, as MathJax reads it;
* a formula closes on its own line or on a continuation line of the same paragraph (not a new list
  item, heading, quote, table row or fence); in a table row it cannot cross a ``|`` that does not
  follow a backslash (kramdown splits the cells first) and it cannot contain a code span; spaces inside
  are allowed (``$ \eta $``), as in MathJax.

A delimiter that opens no formula (an unclosed ``$`` before a letter, as in a stray ``$PATH``, an
unclosed ``$$``, ``\\(`` or ``\\[``, or an empty ``$$ $$``) is kept as text and reported as a warning
with its line: the page showed it as text too.

Code spans, HTML comments and link destinations ``](…)`` are never searched for math. A backtick that
opens no code span is written escaped (``\```), so that it cannot pair with the backticks of the
log's inline math, and so is a plain ``[text]`` that is no link (kramdown shows it as is; escaped,
no extension such as mkdocs-autorefs takes it for a cross-reference).
"""

from __future__ import annotations

import bisect
import re

from studylog.authoring.notes import Note, NoteKind
from studylog.authoring.spans import BLANK_LINE, backtick_run, code_span_end, line_end, paren_end, plain_brackets_end
from studylog.authoring.tokens import (
    KRAMDOWN_ESCAPABLE,
    PREFIX,
    Delimiter,
    Destination,
    Dollar,
    Math,
    Newline,
    Text,
    Token,
    Verbatim,
    undo_escapes,
)

__all__ = [
    "KRAMDOWN_ESCAPABLE",
    "PREFIX",
    "Delimiter",
    "Destination",
    "Dollar",
    "Math",
    "Newline",
    "Text",
    "Token",
    "Verbatim",
    "scan_math",
    "undo_escapes",
]

_OPENS_FORMULA = re.compile(r"[A-Za-z\\{^_]")
#: a line that starts a new block: a formula does not run on into it
_BLOCK_START = re.compile(r"^[ \t]*(?:[*+-][ \t]|\d{1,9}[.)][ \t]|#|\||```|~~~|$)")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)*")


class _Scanner:
    """One pass over a chunk of text lines (no code blocks in it)."""

    def __init__(
        self,
        chunk: str,
        *,
        table_rows: frozenset[int],
        first_line: int,
        path: str,
        references: frozenset[str],
        single_dollar: bool,
    ) -> None:
        self.s = chunk
        self.n = len(chunk)
        self.table_rows = table_rows
        self.first_line = first_line
        self.path = path
        self.single_dollar = single_dollar
        self.starts = [0] + [i + 1 for i, c in enumerate(chunk) if c == "\n"]
        self.tokens: list[Token] = []
        self.notes: list[Note] = []
        self.buf: list[str] = []
        self.references = references
        self.escape_at: set[int] = set()  # positions of "]" that close plain (escaped) brackets
        self.single_end = 0  # the index after the last $…$ formula found

    # ---------------------------------------------------------------- positions and output
    def row(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def line(self, pos: int) -> int:
        return self.first_line + self.row(pos)

    def warn(self, pos: int, kind: NoteKind, message: str) -> None:
        self.notes.append(Note(self.path, self.line(pos), message, kind))

    def flush(self, pos: int) -> None:
        if self.buf:
            self.tokens.append(Text("".join(self.buf), self.row(pos - 1)))
            self.buf = []

    def emit(self, token: Token, pos: int) -> None:
        self.flush(pos)
        self.tokens.append(token)

    def display_prefix(self, i: int) -> str | None:
        """What precedes position ``i`` on its line, if a display formula may start there."""
        prefix = self.s[self.starts[self.row(i)] : i]
        return prefix if PREFIX.match(prefix) else None

    def continues(self, newline: int) -> bool:
        """Whether the line after the newline at ``newline`` continues the same paragraph (a formula may run on)."""
        start = newline + 1
        if start >= self.n or self.row(start) in self.table_rows:
            return False
        current = self.s[self.starts[self.row(newline)] : newline]
        nxt = self.s[start : line_end(self.s, start)]
        quote = _QUOTE.match(nxt).end()
        if quote and not _QUOTE.match(current).end():
            return False  # a blockquote starts
        return not _BLOCK_START.match(nxt[quote:])

    # ---------------------------------------------------------------- formulas
    def unquote(self, i: int, body: str) -> str:
        """``body`` of a formula opened at ``i`` without the quote marks its continuation lines start with."""
        depth = self.s[self.starts[self.row(i)] : i].count(">")
        if not depth or "\n" not in body:
            return body
        marks = re.compile(rf"^[ \t]*(?:>[ \t]?){{1,{depth}}}", re.MULTILINE)
        first, _, rest = body.partition("\n")
        return first + "\n" + marks.sub("", rest)

    def _math(self, i: int, body: str, delimiter: Delimiter, end: int) -> Math:
        """The formula opened at ``i`` whose closing delimiter ends at ``end``: display when alone on its line(s)."""
        body = self.unquote(i, body)
        prefix = self.display_prefix(i)
        display = prefix is not None and not self.s[end : line_end(self.s, end)].strip()
        row = self.row(i)
        return Math(body, delimiter, display, self.line(i), row, row in self.table_rows, prefix if display else "")

    def double(self, i: int) -> tuple[Math | None, int]:
        """The ``$$…$$`` formula opened at ``i`` and the index after it; None when it is kept as text."""
        j = self.s.find("$$", i + 2)
        if j != -1 and self.display_prefix(i) is None and BLANK_LINE.search(self.s, i + 2, j):
            j = -1  # inline math does not cross a paragraph break
        if j == -1:
            self.warn(i, NoteKind.UNBALANCED, "'$$' opens no formula (it is never closed): kept as text")
            return None, i + 2
        body = self.s[i + 2 : j]
        if not body.strip():
            self.warn(i, NoteKind.EMPTY_FORMULA, "empty formula '$$$$': kept as text")
            return None, j + 2
        return self._math(i, body, Delimiter.DOUBLE, j + 2), j + 2

    def backslashed(self, i: int, delimiter: Delimiter) -> tuple[Math | None, int]:
        r"""The ``\\(…\\)`` or ``\\[…\\]`` formula opened at ``i`` and the index after it (None: kept as text)."""
        s, n, closing = self.s, self.n, delimiter.closing
        in_table = self.row(i) in self.table_rows
        k = i + 3
        while k < n:
            if s.startswith(closing, k):
                body = s[i + 3 : k]
                if not body.strip():
                    self.warn(i, NoteKind.EMPTY_FORMULA, f"empty formula '{delimiter}{closing}': kept as text")
                    return None, k + 3
                math = self._math(i, body, delimiter, k + 3)
                if delimiter is Delimiter.BRACKET and not math.display:
                    self.warn(
                        i,
                        NoteKind.INLINE_DISPLAY,
                        "display math '\\\\[...\\\\]' inside a sentence is written as inline math",
                    )
                return math, k + 3
            c = s[k]
            if c == "\n" and not self.continues(k):
                break
            if c == "|" and in_table:
                break
            k += 2 if c == "\\" else 1
        self.warn(i, NoteKind.UNBALANCED, f"'{delimiter}' opens no formula (no '{closing}' closes it): kept as text")
        return None, i + 3

    def single(self, i: int) -> Math | None:
        """The ``$…$`` formula opened at ``i``, or None when this ``$`` is a literal dollar."""
        s, n = self.s, self.n
        prev = s[i - 1] if i > 0 else ""
        nxt = s[i + 1] if i + 1 < n else ""
        if prev.isdigit() or nxt == "":
            return None
        opener = nxt  # the formula's first character (on the next line when the "$" ends its line)
        if nxt == "\n":
            opener = s[i + 2 : line_end(s, i + 2)].lstrip()[:1] if self.continues(i + 1) else ""
            if not _OPENS_FORMULA.match(opener):
                return None
        row = self.row(i)
        in_table = row in self.table_rows
        crossed = False  # whether the search went on to a continuation line
        k = i + 1
        while k < n:
            c = s[k]
            if c == "\n":
                if in_table or not _OPENS_FORMULA.match(opener) or not self.continues(k):
                    break
                crossed = True
            elif crossed and s.startswith("](", k) and (end := paren_end(s, k + 1)) is not None:
                k = end  # a link destination is no text MathJax sees
                continue
            elif c == "\\":
                k += 1 if k + 1 < n and s[k + 1] == "\n" else 2
                continue
            elif (
                (c == "|" and self.row(k) in self.table_rows and s[k - 1] != "\\")
                or (c == "`" and code_span_end(s, k) is not None)
                or s.startswith("$$", k)
            ):
                break
            elif c == "$":
                after = s[k + 1] if k + 1 < n else ""
                if nxt.isdigit() and (after.isdigit() or s[k - 1].isspace() and (after.isalpha() or after == "\\")):
                    return None  # prices: $5 and $10, $5-$10, $5 while $x$
                body = s[i + 1 : k]
                if not body.strip():
                    return None
                self.single_end = k + 1
                return Math(self.unquote(i, body), Delimiter.DOLLAR, False, self.line(i), row, in_table, "")
            k += 1
        if _OPENS_FORMULA.match(opener):
            self.warn(
                i,
                NoteKind.UNBALANCED,
                f"'$' before '{s[i + 1 : i + 12].split(chr(10))[0]}' opens no formula (no closing '$' in its "
                "paragraph): kept as text",
            )
        return None

    # ---------------------------------------------------------------- driver
    def step(self, i: int) -> int:
        """Scan what starts at ``i``; the index after it."""
        s = self.s
        c = s[i]
        if c == "\n":
            self.emit(Newline(), i)
            return i + 1
        for delimiter in (Delimiter.PAREN, Delimiter.BRACKET):
            if s.startswith(delimiter.value, i):
                math, end = self.backslashed(i, delimiter)
                self.emit(math or Dollar(s[i:end]), i)
                return end
        if c == "\\" and i + 1 < self.n and s[i + 1] != "\n":
            if s[i + 1] == "$":
                self.emit(Dollar("\\$"), i)
            else:
                self.buf.append(s[i : i + 2])
            return i + 2
        if c == "`":
            end = code_span_end(s, i)
            if end is None:  # a literal backtick: escaped, so that no backtick of the log's math can pair with it
                run = backtick_run(s, i)
                self.buf.append("\\`" * run)
                return i + run
            self.emit(Verbatim(s[i:end]), i)
            return end
        if s.startswith("<!--", i) and (close := s.find("-->", i + 4)) != -1:
            self.emit(Verbatim(s[i : close + 3]), i)
            return close + 3
        if c == "[" and (close := plain_brackets_end(s, i, self.starts[self.row(i)], self.references)) is not None:
            self.buf.append("\\[")
            self.escape_at.add(close)
            return i + 1
        if c == "]" and i in self.escape_at:
            self.buf.append("\\]")
            return i + 1
        if s.startswith("](", i) and (end := paren_end(s, i + 1)) is not None:
            self.buf.append("]")
            self.emit(Destination(s[i + 1 : end], self.row(i + 1)), i + 1)
            return end
        if s.startswith("$$", i):
            math, end = self.double(i)
            self.emit(math or Dollar(s[i:end]), i)
            if math is not None and math.display:
                end = line_end(s, end)  # drop trailing spaces after a display formula
            return end
        if c == "$":
            math = self.single(i) if self.single_dollar else None
            self.emit(math or Dollar("$"), i)
            return i + 1 if math is None else self.single_end
        self.buf.append(c)
        return i + 1

    def run(self) -> list[Token]:
        i = 0
        while i < self.n:
            i = self.step(i)
        self.flush(self.n)
        return self.tokens


def scan_math(
    chunk: str,
    *,
    table_rows: frozenset[int] = frozenset(),
    first_line: int = 1,
    path: str = "<post>",
    references: frozenset[str] = frozenset(),
    single_dollar: bool = True,
    notes: list[Note] | None = None,
) -> list[Token]:
    r"""Split a chunk of a post's text lines (no code blocks) into text, verbatim pieces, dollars and formulas.

    Args:
        chunk: consecutive text lines joined with ``\n``.
        table_rows: 0-based lines of the chunk that are table rows.
        first_line: the file line of the chunk's first line (for messages and `line`).
        path: the post's name, for messages.
        references: the post's reference-link labels (lower case, single spaces): ``[label]`` stays a link.
        single_dollar: whether ``$…$`` is math (MathJax's ``inlineMath`` holds ``['$','$']``).
        notes: where to append the warnings (delimiters kept as text); None drops them.

    Returns:
        The tokens, in order.

    Examples:
        >>> [t.body for t in scan_math(r"$\eta$ costs $5 and $10; `$x$` is code") if isinstance(t, Math)]
        ['\\eta']
        >>> [(t.body, t.display) for t in scan_math("* $$x^2$$\n* text $$y$$ more") if isinstance(t, Math)]
        [('x^2', True), ('y', False)]
        >>> [(t.body, t.display) for t in scan_math("a \\\\(x_1\\\\) b\n\\\\[\ny\n\\\\]") if isinstance(t, Math)]
        [('x_1', False), ('\ny\n', True)]
    """
    scanner = _Scanner(
        chunk,
        table_rows=table_rows,
        first_line=first_line,
        path=path,
        references=references,
        single_dollar=single_dollar,
    )
    tokens = scanner.run()
    if notes is not None:
        notes.extend(scanner.notes)
    return tokens
