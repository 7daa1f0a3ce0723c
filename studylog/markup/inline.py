r"""Inline spans of one line of prose: math ($`…`$ with optional braces) and formula references.

Ordinary code spans are skipped (their text is code, not math), and so is anything escaped with a
backslash. A $` that is never closed on its line is an error at that line: it would otherwise show
as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from studylog.errors import MarkupError
from studylog.markup.attrs import ID_RE, INLINE_ATTRS, NO_ATTRS, FormulaAttrs, parse_formula_attrs

REF_RE = re.compile(r"\[eq:(?P<id>" + ID_RE + r")\]")


@dataclass(frozen=True)
class InlineMath:
    """$`latex`$ (and its braces) on one line: ``start``/``end`` are columns of the whole span."""

    latex: str
    line: int
    start: int
    end: int
    attrs: FormulaAttrs = NO_ATTRS


@dataclass(frozen=True)
class Ref:
    """``[eq:ID]`` in prose."""

    id: str
    line: int
    start: int
    end: int


def inline_tokens(text: str, *, line: int, path: str) -> Iterator[InlineMath | Ref]:
    """The math spans and references of one line, left to right.

    Raises:
        MarkupError: for an unclosed $` or unreadable braces after a span.

    >>> [(t.latex, t.attrs.id) for t in inline_tokens("a $`x=1`${#one} and `$`not`$`", line=1, path="p")]
    [('x=1', 'one')]
    """
    i, n = 0, len(text)
    while i < n:
        if text.startswith("$`", i):
            end = text.find("`$", i + 2)
            if end == -1:
                raise MarkupError("inline math opened with $` is never closed with `$ on this line", path=path, line=line)
            stop = end + 2
            attrs = NO_ATTRS
            am = INLINE_ATTRS.match(text, stop)
            if am:
                attrs = parse_formula_attrs(am.group(0), path=path, line=line)
                stop = am.end()
            yield InlineMath(text[i + 2 : end], line, i, stop, attrs)
            i = stop
        elif text[i] == "`":
            run = len(text) - i - len(text[i:].lstrip("`"))
            close = text.find(text[i : i + run], i + run)
            i = i + run if close == -1 else close + run  # an unmatched run is literal text
        elif text[i] == "\\":
            i += 2
        elif text.startswith("[eq:", i):
            m = REF_RE.match(text, i)
            if m:
                yield Ref(m.group("id"), line, i, m.end())
                i = m.end()
            else:
                i += 1
        else:
            i += 1
