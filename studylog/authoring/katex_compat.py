r"""MathJax-only LaTeX that KaTeX refuses, rewritten to what both read the same way.

MathJax accepts a command with arguments as a sub- or superscript without braces (``P_\bf N``,
``X^\tilde{C}``, ``a_\frac12``); KaTeX stops with "Got function '\tilde' with no arguments as
superscript". Braces around the command and its arguments mean the same to both:
``P_{\bf N}``, ``X^{\tilde{C}}``. Nothing else is changed.
"""

from __future__ import annotations

import re

__all__ = ["brace_script_commands"]

#: commands taking one argument
_ONE = frozenset(
    "tilde hat bar vec dot ddot check breve acute grave mathbf mathrm mathit mathcal mathbb mathfrak mathsf mathtt "
    "mathscr boldsymbol bm text textrm textbf textit operatorname sqrt overline underline widehat widetilde "
    "overrightarrow overleftarrow underbrace overbrace mathring".split()
)
#: commands taking two arguments
_TWO = frozenset("frac dfrac tfrac cfrac binom dbinom tbinom overset underset stackrel".split())
#: old-style font switches, which apply to what follows: in a script, to the next token
_SWITCH = frozenset("bf it rm cal sf tt mit frak Bbb bold".split())
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _group_end(latex: str, i: int) -> int:
    """The index after the argument starting at ``i`` (a ``{…}`` group, a command, or one character)."""
    while i < len(latex) and latex[i] == " ":
        i += 1
    if i >= len(latex):
        return i
    if latex[i] == "{":
        depth = 0
        for k in range(i, len(latex)):
            if latex[k] == "\\":
                continue
            if latex[k] == "{" and (k == 0 or latex[k - 1] != "\\"):
                depth += 1
            elif latex[k] == "}" and latex[k - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return k + 1
        return len(latex)
    if latex[i] == "\\":
        m = _COMMAND.match(latex, i)
        return m.end() if m else min(i + 2, len(latex))
    return i + 1


def brace_script_commands(latex: str) -> str:
    r"""``latex`` with every command that has arguments, used as a sub- or superscript, put in braces.

    Examples:
        >>> brace_script_commands(r"P_\mathbf X^\tilde{\mathfrak{C}} + P_\bf N + a_\frac12 + x_{\bf y} + \hat{x}_i")
        'P_{\\mathbf X}^{\\tilde{\\mathfrak{C}}} + P_{\\bf N} + a_{\\frac12} + x_{\\bf y} + \\hat{x}_i'
    """
    out: list[str] = []
    i = 0
    while i < len(latex):
        c = latex[i]
        if c == "\\":
            m = _COMMAND.match(latex, i)
            end = m.end() if m else i + 2
            out.append(latex[i:end])
            i = end
            continue
        if c in "_^":
            k = i + 1
            while k < len(latex) and latex[k] == " ":
                k += 1
            m = _COMMAND.match(latex, k)
            name = m.group(1) if m else ""
            arguments = 1 if name in _ONE or name in _SWITCH else 2 if name in _TWO else 0
            if m and arguments:
                end = m.end()
                for _ in range(arguments):
                    end = _group_end(latex, end)
                out.append(c + "{" + latex[k:end] + "}")
                i = end
                continue
        out.append(c)
        i += 1
    return "".join(out)
