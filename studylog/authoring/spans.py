r"""Inline pieces of a kramdown line that are never searched for math: code spans, link destinations, brackets.

Each function takes the chunk of text and a position and says where the piece opened there ends
(None when it is not that piece), so that the scanner can skip it or write it as it is.
"""

from __future__ import annotations

import re

__all__ = ["BLANK_LINE", "backtick_run", "code_span_end", "line_end", "paren_end", "plain_brackets_end"]

BLANK_LINE = re.compile(r"\n[ \t]*\n")


def line_end(s: str, pos: int) -> int:
    """The index of the end of the line holding ``pos`` (its newline, or the end of ``s``)."""
    end = s.find("\n", pos)
    return len(s) if end == -1 else end


def backtick_run(s: str, i: int) -> int:
    """Length of the backtick run starting at ``i``."""
    k = i
    while k < len(s) and s[k] == "`":
        k += 1
    return k - i


def code_span_end(s: str, i: int) -> int | None:
    r"""End of the code span opened by the backtick run at ``i`` (None when it is not closed in its paragraph).

    Examples:
        >>> code_span_end("a `b` c", 2), code_span_end("a ``b ` c`` d", 2), code_span_end("a `b", 2)
        (5, 11, None)
    """
    n = len(s)
    run = backtick_run(s, i)
    ticks = "`" * run
    k = i + run
    blank = BLANK_LINE.search(s, k)
    limit = blank.start() if blank else n
    while True:
        k = s.find(ticks, k, limit)
        if k == -1:
            return None
        after = k + run
        if (after >= n or s[after] != "`") and s[k - 1] != "`":
            return after
        k = after
        while k < n and s[k] == "`":
            k += 1


def paren_end(s: str, i: int) -> int | None:
    r"""End of the link destination ``(…)`` starting at ``i`` on its line (None when unclosed).

    Examples:
        >>> s = "[a](https://x.org/b_(c)) d"
        >>> s[3 : paren_end(s, 3)]
        '(https://x.org/b_(c))'
    """
    depth = 0
    k, end = i, line_end(s, i)
    while k < end:
        c = s[k]
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


def plain_brackets_end(s: str, i: int, line_start: int, references: frozenset[str]) -> int | None:
    r"""The "]" closing the "[" at ``i`` when the pair is plain text (kramdown shows it as is), else None.

    Links ``[a](u)``, references ``[a][r]`` and known ``[r]``, definitions ``[r]: u``, footnotes
    ``[^1]``, task boxes ``[ ]``/``[x]`` and ``[eq:id]`` are not plain: written as they are, they keep
    their meaning; a plain pair is written escaped so that no Markdown extension (e.g. mkdocs-autorefs)
    takes it for a reference.

    Examples:
        >>> plain_brackets_end("[3강] x", 0, 0, frozenset()), plain_brackets_end("[a](u)", 0, 0, frozenset())
        (3, None)
    """
    depth, k, end = 0, i, line_end(s, i)
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
    before = s[line_start:i]
    if after in ("(", "[") or (after == ":" and not before.strip()) or (i > 0 and s[i - 1] in "]!"):
        return None
    if label.strip() in ("", "x", "X") or label.startswith(("^", "eq:")):
        return None
    if " ".join(label.lower().split()) in references:
        return None
    return k
