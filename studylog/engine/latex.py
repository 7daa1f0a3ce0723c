r"""Tokenize and normalize the LaTeX of a formula, and split it into equations.

The parser downstream only ever sees a canonical token list: spacing and sizing commands are gone,
``\dfrac`` is ``\frac``, single-token arguments are braced (``W_t`` is ``W_{t}``, ``\hat f`` is
``\hat{f}``), ``^\top`` is a transpose marker, ``g^2_t`` is ``g_t^2``, ``\mathbf{\theta}`` is ``\theta``,
``\text{in}`` is ``\mathrm{in}``, ``\operatorname{exp}`` is ``\exp``, ``\arg\max`` is one token, ``%``
comments, trailing punctuation and trailing ``\text{…}`` annotations are gone. Two spellings that render
alike therefore tokenize alike, which is what lets a symbol table match "the symbol as rendered".
Commands that can hide or disguise meaning (``\phantom``, ``\color``, macro definitions) are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studylog.errors import LatexError
from studylog.engine.notation import (  # noqa: F401 - MAX_DEPTH, REFUSED, RELATIONS, TRANSPOSE: this module's surface too
    ALIASES, ARG_OPS, BOLD, CLOSE, DROP, DROP_WITH_ARG, FUNCTIONS, MAX_DEPTH, ONE_ARG, OPAQUE, OPEN, REFUSED, RELATIONS,
    TEXT_MODE, TRANSPOSE, UNICODE, UPRIGHT,
)

_TOKEN_RE = re.compile(
    r"""
      (?P<comment>(?<!\\)%[^\n]*)                                   # % comment to the end of the line
    | \\(?P<env>begin|end)\s*\{(?P<envname>[A-Za-z]+\*?)\}(?:(?:(?<=\{array\})|(?<=\{alignat\}))\s*\{[^{}]*\})?  # \begin{array}{ll}
    | \\(?P<opaque>(?:"""
    + "|".join(re.escape(o) for o in OPAQUE)
    + r"""))\s*\{(?P<content>(?:[^{}\\]|\\[^A-Za-z])*)\}             # \mathrm{softmax}, \text{arg\,max}, \text{a \& b}
    | (?P<word>\\[A-Za-z]+\*?)                                       # \beta
    | (?P<sym>\\[^A-Za-z])                                           # \, \{ \|
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
    annotation: bool = False  # text mode (``\text{…}``): dropped when it ends a line


def tokenize(latex: str) -> list[Token]:
    r"""Split LaTeX into tokens: opaque text commands, ``\words``, ``\x``, environments and single characters.

    >>> [t.text for t in tokenize(r"W_{t+1} \leftarrow \mathrm{soft max}(x) % the update")]
    ['W', '_', '{', 't', '+', '1', '}', '\\leftarrow', '\\mathrm{softmax}', '(', 'x', ')']
    """
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(latex):
        if m.group("space") or m.group("comment") is not None:
            continue
        if m.group("env"):
            tokens.append(Token(f"\\{m.group('env')}{{{m.group('envname')}}}", m.start()))
        elif m.group("opaque"):
            command = m.group("opaque")
            content = re.sub(r"\s+|\\[,;:!\ ]", "", m.group("content"))
            text = f"\\{command}{{{content}}}"
            if command in UPRIGHT:
                text = rf"\{content}" if content in FUNCTIONS else ARG_OPS.get(content, rf"\mathrm{{{content}}}")
            tokens.append(Token(text, m.start(), annotation=command in TEXT_MODE))
        else:
            text = m.group(0)
            if text == "\\" and m.end() == len(latex):
                raise LatexError("formula ends with a lone backslash")
            tokens.append(Token(UNICODE.get(text, text), m.start()))
    return tokens


def nesting_depth(tokens: list[Token]) -> int:
    """How deeply the groups (braces, brackets, parentheses, environments) of a formula nest."""
    depth = deepest = 0
    for tok in tokens:
        if tok.text in OPEN or tok.text.startswith(r"\begin{"):
            depth += 1
            deepest = max(deepest, depth)
        elif tok.text in CLOSE or tok.text.startswith(r"\end{"):
            depth -= 1
    return deepest


def check_depth(tokens: list[Token]) -> None:
    """Refuse a formula nested deeper than `MAX_DEPTH` with a clear message (never a RecursionError)."""
    deepest = nesting_depth(tokens)
    if deepest > MAX_DEPTH:
        raise LatexError(f"the formula nests groups {deepest} levels deep; the limit is {MAX_DEPTH} levels: split it up")


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


def _transpose_width(tokens: list[Token], i: int) -> int:
    """How many tokens after the ``^`` at ``i`` spell a transpose (0: not a transpose)."""
    rest = [ALIASES.get(t.text, t.text) for t in tokens[i + 1 : i + 4]]
    for pattern in ([r"\top"], ["{", r"\top", "}"], ["{", r"\mathsf{T}", "}"], [r"\mathsf{T}"], ["T"], ["{", "T", "}"]):
        if rest[: len(pattern)] == pattern:
            return len(pattern)
    return 0


def _normalize(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        text = ALIASES.get(tok.text, tok.text)
        if text in REFUSED:
            raise LatexError(f"{text} can hide or disguise part of a formula: it is not allowed in a checked formula")
        if text in DROP:
            # "\left." and "\right." are invisible delimiters: drop the dot too
            if tok.text in (r"\left", r"\right") and i + 1 < len(tokens) and tokens[i + 1].text == ".":
                i += 1
            i += 1
            continue
        if text in DROP_WITH_ARG:
            i = _skip_group(tokens, i + 1)
            continue
        if text == ":" and i + 1 < len(tokens) and tokens[i + 1].text == "=":
            out.append(Token(":=", tok.pos))
            i += 2
            continue
        if text == r"\arg" and i + 1 < len(tokens) and tokens[i + 1].text in (r"\max", r"\min"):
            out.append(Token(r"\arg" + tokens[i + 1].text[1:], tok.pos))
            i += 2
            continue
        if text == r"\not" and i + 1 < len(tokens) and tokens[i + 1].text == "=":
            out.append(Token(r"\neq", tok.pos))
            i += 2
            continue
        if text in BOLD:
            end = _skip_group(tokens, i + 1)
            inner = tokens[i + 1 : end]
            if inner and inner[0].text == "{":
                inner = inner[1:-1]
            if [t.text for t in inner] == ["1"]:
                out.append(Token(r"\mathbb{1}", tok.pos))  # \mathbf{1}: the indicator
            elif len(inner) == 1:
                out.extend(_normalize(inner))
            else:
                out.append(Token("{", tok.pos))
                out.extend(_normalize(inner))
                out.append(Token("}", tok.pos))
            i = end
            continue
        if text == "^":
            width = _transpose_width(tokens, i)
            if width:
                out.append(Token(TRANSPOSE, tok.pos))
                i += 1 + width
                continue
            nxt = [t.text for t in tokens[i + 1 : i + 4]]
            if nxt[:1] == [r"\prime"] or nxt == ["{", r"\prime", "}"]:
                out.append(Token("'", tok.pos))
                i += 2 if nxt[:1] == [r"\prime"] else 4
                continue
        out.append(Token(text, tok.pos, tok.annotation))
        i += 1
        n_args = 2 if text == r"\frac" else 1 if text in ONE_ARG else 0
        if text == r"\sqrt" and i < len(tokens) and tokens[i].text == "[":
            # optional root index: keep [ ... ] as is, then the radicand
            close = next((j for j in range(i, len(tokens)) if tokens[j].text == "]"), None)
            if close is None:
                raise LatexError(f"unclosed '\\sqrt[' at offset {tok.pos}")
            out.extend(_normalize(tokens[i : close + 1]))
            i = close + 1
        for _ in range(n_args):
            while i < len(tokens) and ALIASES.get(tokens[i].text, tokens[i].text) in DROP:
                i += 1
            end = _skip_group(tokens, i)
            if i < len(tokens) and tokens[i].text in BOLD:  # \tilde \mathbf{x}: the argument is the bold group
                end = _skip_group(tokens, i + 1)
                out.append(Token("{", tokens[i].pos))
                out.extend(_normalize(tokens[i:end]))
                out.append(Token("}", tokens[i].pos))
                i = end
                continue
            if tokens[i].text == "{":
                out.append(tokens[i])
                out.extend(_normalize(tokens[i + 1 : end - 1]))
                out.append(tokens[end - 1])
            else:
                out.append(Token("{", tokens[i].pos))
                out.extend(_normalize(tokens[i:end]))
                out.append(Token("}", tokens[i].pos))
            i = end
    return _subscript_first(out)


def _subscript_first(toks: list[Token]) -> list[Token]:
    """``x^{a}_{b}`` -> ``x_{b}^{a}`` (they render alike), so that ``g^2_t`` matches the key ``g_t``."""
    i = 0
    texts = [t.text for t in toks]
    while i < len(toks):
        if texts[i] == "^" and i + 1 < len(toks) and texts[i + 1] == "{":
            sup_end = _skip_group(toks, i + 1)
            if sup_end < len(toks) and texts[sup_end] == "_" and sup_end + 1 < len(toks) and texts[sup_end + 1] == "{":
                sub_end = _skip_group(toks, sup_end + 1)
                toks[i:sub_end] = toks[sup_end:sub_end] + toks[i:sup_end]
                texts = [t.text for t in toks]
        i += 1
    return toks


_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_PUNCT = (".", ",", ";")


def _strip_trailing(toks: list[Token]) -> list[Token]:
    r"""Drop what ends a line without changing its maths: punctuation and ``\quad\text{(note)}`` annotations.

    A trailing ``\text{…}`` is an annotation when it is not a name (``(AdaGrad)``) or when spacing or
    punctuation separates it from the formula (``\quad\text{AdaGrad}``).
    """
    toks = list(toks)
    while toks:
        last = toks[-1]
        text = ALIASES.get(last.text, last.text)
        if text in _PUNCT or (text in DROP and text not in (r"\left", r"\right")):
            toks.pop()
        elif last.annotation and (
            not _IDENT.fullmatch(last.text[last.text.find("{") + 1 : -1])
            or (len(toks) > 1 and (ALIASES.get(toks[-2].text, toks[-2].text) in DROP or toks[-2].text in _PUNCT))
        ):
            toks.pop()
        else:
            break
    return toks


def normalize(tokens: list[Token]) -> list[Token]:
    r"""Canonicalize tokens so that spellings which render alike compare equal.

    >>> [t.text for t in normalize(tokenize(r"\left( \dfrac12 \right)^\top + \beta^t_1 + \hat f."))]
    ['(', '\\frac', '{', '1', '}', '{', '2', '}', ')', '^T', '+', '\\beta', '_', '{', '1', '}', '^', '{', 't', '}', '+', '\\hat', '{', 'f', '}']
    """
    check_depth(tokens)
    return _normalize(_strip_trailing(tokens))


def canonical(latex: str) -> tuple[str, ...]:
    r"""The canonical token texts of a LaTeX snippet (how symbol-table keys are matched).

    >>> canonical(r"\beta_1") == canonical(r"\beta_{1}") == canonical(r"\boldsymbol{\beta}_1")
    True
    """
    return tuple(t.text for t in normalize(tokenize(latex)))


#: environments whose rows are separate equations; every other environment is one expression (cases)
_LINE_ENVS = {"aligned", "align", "align*", "gathered", "gather", "gather*", "split", "eqnarray", "eqnarray*",
              "multline", "multline*", "alignat", "alignat*", "flalign", "flalign*"}  # fmt: skip
_LINES_RE = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}((?:(?<=\{array\})|(?<=\{alignat\}))\s*\{[^{}]*\})?|\\\\|\\.|&|\n|[^\\&\n]+", re.DOTALL)


def split_lines(latex: str) -> list[tuple[int, str]]:
    r"""Split a display formula into its lines (``\\`` in an aligned/gathered block), dropping ``&``.

    Returns ``(line offset within the formula, latex)`` pairs; a formula with one line gives one pair.
    Rows of a ``cases`` (or any other non-alignment) environment stay together: they are one expression.

    >>> [s.strip() for _, s in split_lines("\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}")]
    ['a = b', 'c = d']
    """
    pieces: list[tuple[int, str]] = []
    nested = 0  # depth inside environments that are expressions (cases, matrices)
    line = start_line = 0
    current: list[str] = []

    def flush() -> None:
        text = "".join(current)
        if text.strip():
            pieces.append((start_line + text[: len(text) - len(text.lstrip())].count("\n"), text))

    for m in _LINES_RE.finditer(latex):
        piece = m.group(0)
        if m.group(1) and m.group(2) in _LINE_ENVS:
            current.append(" ")
        elif m.group(1):
            nested += 1 if m.group(1) == "begin" else -1
            current.append(piece)
        elif piece == "\\\\" and nested == 0:
            flush()
            current, start_line = [], line
        elif piece == "&" and nested == 0:
            current.append(" ")
        else:
            current.append(piece)
        line += piece.count("\n")
    flush()
    return pieces


def _relation_positions(texts: list[str]) -> list[int]:
    """Where the relations at the top level are (the rows of an aligned block are at the top level)."""
    depth = 0
    found: list[int] = []
    for i, text in enumerate(texts):
        env = text[text.find("{") + 1 : -1] if text.startswith((r"\begin{", r"\end{")) else None
        if env in _LINE_ENVS:
            continue
        if text in OPEN or env is not None and text.startswith(r"\begin{"):
            depth += 1
        elif text in CLOSE or env is not None:
            depth -= 1
        elif depth == 0 and text in RELATIONS:
            found.append(i)
    return found


def split_relation(tokens: list[Token]) -> tuple[list[Token], str, list[Token]]:
    r"""Split normalized tokens at their one relation (``=``, ``\leftarrow``, ``:=``, ``\approx``).

    Raises:
        LatexError: when there is no relation, or more than one at the top level.
    """
    found = _relation_positions([t.text for t in tokens])
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
    r"""Whether a formula contains a relation at its top level (used to find equations in prose).

    It reads tokens without normalizing them, so it works on any input, however deeply nested.

    >>> has_relation(r"\begin{aligned} a &= b \\ c &= d \end{aligned}"), has_relation(r"\begin{cases} 1 & x = 0 \end{cases}")
    (True, False)
    """
    try:
        toks = tokenize(latex)
    except LatexError:
        return False
    following = [t.text for t in toks[1:]] + [""]
    texts = [":=" if t.text == ":" and nxt == "=" else ALIASES.get(t.text, t.text) for t, nxt in zip(toks, following, strict=False)]
    return bool(_relation_positions(texts))
