r"""Tokenize and normalize the LaTeX of a formula, and split it into equations.

The parser downstream only ever sees a canonical token list: spacing and sizing commands are gone,
``\dfrac`` is ``\frac``, single-token arguments are braced (``W_t`` is ``W_{t}``, ``\hat f`` is
``\hat{f}``), and ``^\top`` is a transpose marker. Two spellings that render the same therefore
tokenize the same, which is what lets a symbol table match "the symbol as rendered".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studylog.errors import LatexError

#: commands whose braced argument is plain text and forms one opaque token (``\mathrm{softmax}``)
_OPAQUE = (
    "mathrm", "text", "operatorname", "mathbb", "mathit", "mathcal", "mathsf", "mathbf", "boldsymbol",
    "textrm", "textit", "mathtt",
)  # fmt: skip
#: tokens that only change spacing or delimiter size
_DROP = {
    r"\left", r"\right", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
    r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\displaystyle", r"\textstyle", r"\scriptstyle",
    r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad", "~", r"\nonumber", r"\notag",
}  # fmt: skip
_ALIASES = {
    r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\gets": r"\leftarrow", r"\coloneqq": ":=",
    r"\lbrace": r"\{", r"\rbrace": r"\}", r"\vert": "|", r"\lvert": "|", r"\rvert": "|",
    r"\|": r"\lVert", r"\Vert": r"\lVert", r"\rVert": r"\lVert", r"\lVert": r"\lVert", r"\ast": "*",
    r"\intercal": r"\top", r"\le": r"\leq", r"\ge": r"\geq", r"\lbrack": "[", r"\rbrack": "]",
}  # fmt: skip
#: commands taking one argument that is braced when given as a single token
_ONE_ARG = {
    "_", "^", r"\hat", r"\widehat", r"\tilde", r"\widetilde", r"\bar", r"\overline", r"\vec", r"\dot",
    r"\ddot", r"\sqrt",
}  # fmt: skip
RELATIONS = (r"\leftarrow", ":=", "=", r"\approx")
TRANSPOSE = "^T"

_TOKEN_RE = re.compile(
    r"""
      \\(?P<opaque>(?:"""
    + "|".join(_OPAQUE)
    + r"""))\s*\{(?P<content>[^{}\\]*)\}   # \mathrm{softmax}
    | (?P<word>\\[A-Za-z]+)                  # \beta
    | (?P<sym>\\[^A-Za-z])                   # \, \{ \|
    | (?P<space>\s+)
    | (?P<char>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One token of a formula, with its character offset in the source LaTeX (for messages)."""

    text: str
    pos: int


def tokenize(latex: str) -> list[Token]:
    r"""Split LaTeX into tokens: opaque text commands, ``\words``, ``\x`` and single characters.

    >>> [t.text for t in tokenize(r"W_{t+1} \leftarrow \mathrm{soft max}(x)")]
    ['W', '_', '{', 't', '+', '1', '}', '\\leftarrow', '\\mathrm{softmax}', '(', 'x', ')']
    """
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(latex):
        if m.group("space"):
            continue
        if m.group("opaque"):
            content = re.sub(r"\s+", "", m.group("content"))
            tokens.append(Token(f"\\{m.group('opaque')}{{{content}}}", m.start()))
        else:
            text = m.group(0)
            if text == "\\" and m.end() == len(latex):
                raise LatexError("formula ends with a lone backslash")
            tokens.append(Token(text, m.start()))
    return tokens


def _skip_group(tokens: list[Token], i: int) -> int:
    """Index just past the brace group or single token starting at ``i``."""
    if i >= len(tokens):
        raise LatexError("a command is missing its argument at the end of the formula")
    if tokens[i].text != "{":
        return i + 1
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == "{":
            depth += 1
        elif tokens[j].text == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise LatexError(f"unbalanced '{{' at offset {tokens[i].pos}")


def normalize(tokens: list[Token]) -> list[Token]:
    r"""Canonicalize tokens so that spellings which render alike compare equal.

    >>> [t.text for t in normalize(tokenize(r"\left( \dfrac12 \right)^\top + \beta_1 + \hat f"))]
    ['(', '\\frac', '{', '1', '}', '{', '2', '}', ')', '^T', '+', '\\beta', '_', '{', '1', '}', '+', '\\hat', '{', 'f', '}']
    """
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        text = _ALIASES.get(tok.text, tok.text)
        if text in _DROP:
            # "\left." and "\right." are invisible delimiters: drop the dot too
            if tok.text in (r"\left", r"\right") and i + 1 < len(tokens) and tokens[i + 1].text == ".":
                i += 1
            i += 1
            continue
        if text == ":" and i + 1 < len(tokens) and tokens[i + 1].text == "=":
            out.append(Token(":=", tok.pos))
            i += 2
            continue
        if text == "^":
            # ^\top, ^{\top}, ^T, ^{T}, ^{\mathsf{T}} -> transpose marker
            rest = [_ALIASES.get(t.text, t.text) for t in tokens[i + 1 : i + 4]]
            for pattern, width in (([r"\top"], 1), (["{", r"\top", "}"], 3), (["{", r"\mathsf{T}", "}"], 3),
                                   ([r"\mathsf{T}"], 1), (["T"], 1), (["{", "T", "}"], 3)):  # fmt: skip
                if rest[:width] == pattern:
                    out.append(Token(TRANSPOSE, tok.pos))
                    i += 1 + width
                    break
            else:
                pattern = None
            if pattern is not None:
                continue
        out.append(Token(text, tok.pos))
        i += 1
        n_args = 2 if text == r"\frac" else 1 if text in _ONE_ARG else 0
        if text == r"\sqrt" and i < len(tokens) and tokens[i].text == "[":
            # optional root index: keep [ ... ] as is, then the radicand
            close = next((j for j in range(i, len(tokens)) if tokens[j].text == "]"), None)
            if close is None:
                raise LatexError(f"unclosed '\\sqrt[' at offset {tok.pos}")
            out.extend(normalize(tokens[i : close + 1]))
            i = close + 1
        for _ in range(n_args):
            while i < len(tokens) and _ALIASES.get(tokens[i].text, tokens[i].text) in _DROP:
                i += 1
            end = _skip_group(tokens, i)
            if tokens[i].text == "{":
                out.append(tokens[i])
                out.extend(normalize(tokens[i + 1 : end - 1]))
                out.append(tokens[end - 1])
            else:
                out.append(Token("{", tokens[i].pos))
                out.extend(normalize(tokens[i:end]))
                out.append(Token("}", tokens[i].pos))
            i = end
    return out


def canonical(latex: str) -> tuple[str, ...]:
    r"""The canonical token texts of a LaTeX snippet (how symbol-table keys are matched).

    >>> canonical(r"\beta_1") == canonical(r"\beta_{1}")
    True
    """
    return tuple(t.text for t in normalize(tokenize(latex)))


_ENV_RE = re.compile(r"\\(begin|end)\{(aligned|align\*?|gathered|split|array|cases|eqnarray\*?)\}(\{[^}]*\})?")


def split_lines(latex: str) -> list[tuple[int, str]]:
    r"""Split a display formula into its lines (``\\`` in an aligned/gathered block), dropping ``&``.

    Returns ``(line offset within the formula, latex)`` pairs; a formula with one line gives one pair.

    >>> [s.strip() for _, s in split_lines("\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}")]
    ['a = b', 'c = d']
    """
    body = _ENV_RE.sub(lambda m: "\n" * m.group(0).count("\n"), latex)
    pieces: list[tuple[int, str]] = []
    line = 0
    for piece in re.split(r"(\\\\)", body):
        if piece == "\\\\":
            continue
        text = piece.replace("&", " ")
        if text.strip():
            pieces.append((line + (len(text) - len(text.lstrip("\n"))), text))
        line += piece.count("\n")
    return pieces


def split_relation(tokens: list[Token]) -> tuple[list[Token], str, list[Token]]:
    r"""Split normalized tokens at their one relation (``=``, ``\leftarrow``, ``:=``, ``\approx``).

    Raises:
        LatexError: when there is no relation, or more than one at the top level.
    """
    depth = 0
    found: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.text in ("{", "(", "["):
            depth += 1
        elif tok.text in ("}", ")", "]"):
            depth -= 1
        elif depth == 0 and tok.text in RELATIONS:
            found.append(i)
    if not found:
        raise LatexError("no relation (=, \\leftarrow, :=, \\approx) to split the formula at")
    if len(found) > 1:
        rels = ", ".join(tokens[i].text for i in found)
        raise LatexError(f"more than one relation ({rels}): write one equation per line")
    i = found[0]
    if i == 0 or i == len(tokens) - 1:
        raise LatexError(f"'{tokens[i].text}' needs a left and a right side")
    return tokens[:i], tokens[i].text, tokens[i + 1 :]


def has_relation(latex: str) -> bool:
    """Whether a formula contains a relation at its top level (used to find equations in prose)."""
    try:
        toks = normalize(tokenize(latex))
    except LatexError:
        return False
    depth = 0
    for tok in toks:
        if tok.text in ("{", "(", "["):
            depth += 1
        elif tok.text in ("}", ")", "]"):
            depth -= 1
        elif depth == 0 and tok.text in RELATIONS:
            return True
    return False
