r"""Read the formulas of a converted log, compare formula lists, and list a log's equations.

The converted log is read back with the engine's own scanner (`scan_text`),
the code the site and ``studylog verify`` use, not with anything of the converter; so a formula the
writer drops or mangles shows up as a difference between what was found in the post and what the
site will see.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from studylog.engine.latex import has_relation
from studylog.engine.scan import scan_text

__all__ = ["Equation", "canonical_latex", "list_equations", "log_formulas", "missing_formulas"]

_TOKEN = re.compile(r"\\[A-Za-z]+|\\[^A-Za-z]|\S", re.DOTALL)
_VERT = re.compile(r"\\(?:vert|textbar)(?![A-Za-z])")
_BIG_VERT = re.compile(r"\\Vert(?![A-Za-z])")
_CONTROL_SPACE = re.compile(r"\\\s+")  # "\" + a line break is LaTeX's control space, like "\ "


class Equation(NamedTuple):
    r"""A formula of a log that states a relation (``=``, ``:=``, ``\leftarrow``, ``\approx``)."""

    line: int
    latex: str


def canonical_latex(latex: str) -> str:
    r"""``latex`` with its layout made canonical, to compare formulas as written by different hands.

    Whitespace is dropped except between a control word and a letter (``\eta g``) and in a control
    space (``\`` and a line break is ``\ ``), and ``\vert`` (or ``\textbar``) / ``\Vert`` are spelled
    ``|`` / ``\|`` (how the converter writes them in table rows).

    Examples:
        >>> canonical_latex(r"W_{t+1} \leftarrow  W_t - \eta g_t") == canonical_latex(r"W_{t+1}\leftarrow W_t-\eta g_t")
        True
        >>> canonical_latex(r"P(A\vert B)")
        'P(A|B)'
    """
    latex = _BIG_VERT.sub(r"\\|", _VERT.sub("|", latex))
    latex = _CONTROL_SPACE.sub(r"\\ ", latex)
    out: list[str] = []
    previous = ""
    for token in _TOKEN.findall(latex):
        if re.fullmatch(r"\\[A-Za-z]+", previous) and token[0].isalpha():
            out.append(" ")
        out.append(token)
        previous = token
    return "".join(out)


def log_formulas(markdown: str, *, path: str = "<log>") -> list[tuple[int, str]]:
    r"""``(line, latex)`` of every formula of a log in markdown-katex syntax, as the engine reads them.

    Examples:
        >>> log_formulas("a $`x`${imported} b\n\n```math {imported}\ny = 1\n```\n")
        [(1, 'x'), (3, 'y = 1')]
    """
    return [(f.line, f.latex) for f in scan_text(markdown, path).formulas]


def missing_formulas(found: list[str], written: list[str]) -> tuple[list[str], list[str]]:
    r"""Formulas of ``found`` not in ``written`` and the reverse, compared as multisets of `canonical_latex`.

    Returns:
        ``(lost, extra)``: each in the order of its own list.

    Examples:
        >>> missing_formulas(["a", "b", "b"], ["b", "a ", "c"])
        (['b'], ['c'])
    """
    lost_count = Counter(map(canonical_latex, found)) - Counter(map(canonical_latex, written))
    extra_count = Counter(map(canonical_latex, written)) - Counter(map(canonical_latex, found))

    def pick(items: list[str], counts: Counter[str]) -> list[str]:
        picked: list[str] = []
        for item in items:
            key = canonical_latex(item)
            if counts[key] > 0:
                counts[key] -= 1
                picked.append(item)
        return picked

    return pick(found, lost_count), pick(written, extra_count)


def list_equations(markdown_text: str) -> list[Equation]:
    r"""The display and inline formulas of a converted log that contain a relation, with their lines.

    A relation is one of the engine's (`RELATIONS`: ``=``, ``:=``,
    ``\leftarrow`` or ``\gets``, ``\approx``) at the top level of the formula, as decided by
    `has_relation`. A display formula's line is that of its opening fence.

    Args:
        markdown_text: a log in markdown-katex syntax (front matter allowed).

    Returns:
        ``(line, latex)`` pairs in the order of the log.

    Examples:
        >>> list_equations("Step $`\\eta`$:\n\n* $`W_{t+1} \\leftarrow W_t - \\eta g_t`$\n")
        [Equation(line=3, latex='W_{t+1} \\leftarrow W_t - \\eta g_t')]
    """
    return [Equation(line, latex) for line, latex in log_formulas(markdown_text) if has_relation(latex)]
