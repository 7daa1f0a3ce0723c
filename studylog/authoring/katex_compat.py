r"""MathJax-only LaTeX that KaTeX refuses, rewritten to what both read the same way (`katex_compatible`).

* MathJax accepts a command with arguments as a sub- or superscript without braces (``P_\bf N``,
  ``X^\tilde{C}``, ``a_\frac12``); KaTeX stops with "Got function '\tilde' with no arguments as
  superscript". Braces around the command and its arguments mean the same to both:
  ``P_{\bf N}``, ``X^{\tilde{C}}`` (`brace_script_commands`).
* Plain TeX's ``\pmatrix{…}``, ``\matrix{…}`` and ``\cases{…}`` (MathJax has them) become the
  environments KaTeX has: ``\begin{pmatrix}…\end{pmatrix}``.
* ``\vert`` inside a text command (``\textrm{data\vert process}``) becomes ``\textbar``: KaTeX has no
  ``\vert`` in text mode.
* A backslash before a digit or ``-`` (``\begin{bmatrix}1\3\end{bmatrix}``) is no TeX at all (MathJax
  showed an error there): it is a line break that lost one backslash, and is written ``\\``.
"""

from __future__ import annotations

import re

__all__ = ["brace_script_commands", "in_text_command", "katex_compatible"]

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


_TEXT_COMMAND = re.compile(r"\\(?:text|textrm|textit|textbf|textsf|texttt|mbox)\s*\{")
_VERT_WORD = re.compile(r"\\vert(?![A-Za-z])")


def in_text_command(latex: str, i: int) -> bool:
    r"""Whether position ``i`` of ``latex`` is inside the braces of a text command such as ``\textrm{…}``.

    Examples:
        >>> in_text_command(r"\textrm{a|b} | c", 9), in_text_command(r"\textrm{a|b} | c", 13)
        (True, False)
    """
    for m in _TEXT_COMMAND.finditer(latex, 0, i):
        depth = 1
        for k in range(m.end(), i):
            depth += {"{": 1, "}": -1}.get(latex[k], 0) if latex[k - 1] != "\\" else 0
            if depth == 0:
                break
        if depth > 0:
            return True
    return False


def _text_verts(latex: str) -> str:
    return _VERT_WORD.sub(lambda m: r"\textbar" if in_text_command(latex, m.start()) else m.group(), latex)


_PLAIN_MATRIX = re.compile(r"\\(?P<name>pmatrix|matrix|cases)\s*(?=\{)")


def _plain_matrices(latex: str) -> str:
    out: list[str] = []
    i = 0
    while (m := _PLAIN_MATRIX.search(latex, i)) is not None:
        if m.start() > 0 and latex[m.start() - 1] == "\\":
            out.append(latex[i : m.end()])
            i = m.end()
            continue
        end = _group_end(latex, m.end())
        name = m.group("name")
        inner = _plain_matrices(latex[m.end() + 1 : end - 1])  # matrices nest
        out.append(latex[i : m.start()] + f"\\begin{{{name}}}{inner}\\end{{{name}}}")
        i = end
    return "".join(out) + latex[i:]


def _lost_line_breaks(latex: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(latex):
        if latex[i] == "\\":
            nxt = latex[i + 1 : i + 2]
            out.append("\\\\" if nxt.isdigit() or nxt == "-" else latex[i : i + 2])
            i += 1 if nxt.isdigit() or nxt == "-" else 2
            continue
        out.append(latex[i])
        i += 1
    return "".join(out)


def katex_compatible(latex: str) -> str:
    r"""``latex`` with MathJax-only spellings rewritten for KaTeX (see the module).

    Examples:
        >>> katex_compatible(r"\pmatrix{a\\b} + \begin{bmatrix}1\3 & -2 \-2\end{bmatrix} + X^\hat x")
        '\\begin{pmatrix}a\\\\b\\end{pmatrix} + \\begin{bmatrix}1\\\\3 & -2 \\\\-2\\end{bmatrix} + X^{\\hat x}'
    """
    return brace_script_commands(_lost_line_breaks(_text_verts(_plain_matrices(latex))))
