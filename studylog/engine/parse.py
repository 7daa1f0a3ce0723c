r"""Parse the arithmetic of a normalized formula into a small expression tree, closed-world.

Only the table's symbols, numbers and a fixed set of operations are understood:
``+ - * / ^``, juxtaposition, ``\frac``, ``\sqrt`` (and ``\sqrt[n]``), ``\cdot \times \odot \circ``,
``\exp \log \ln``, ``\max \min``, ``|x|``, ``\lVert x\rVert`` (with ``_2`` and ``^2``), ``\sum_{i}``
(over the leading axis, like ``\mathbb{E}``), ``^T`` (transpose), and the table's operators applied to bracketed arguments.
Anything else is an error that names it: nothing becomes a silent new variable.

Products follow the operands' kinds: two matrices multiply as matrices (in order), everything else
elementwise; mixing a matrix with an elementwise array is ambiguous and rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from studylog.errors import LatexError, UnknownSymbolError
from studylog.engine.latex import TRANSPOSE, Token

SCALAR, ARRAY, MATRIX = "scalar", "array", "matrix"

Env = Mapping[str, Any]


@dataclass
class Node:
    """A compiled sub-expression: its kind and how to evaluate it in an environment."""

    kind: str
    fn: Callable[[Env], Any]
    text: str
    symbols: frozenset[str] = field(default_factory=frozenset)

    def __call__(self, env: Env) -> Any:
        return self.fn(env)


@dataclass(frozen=True)
class SymbolInfo:
    """What the parser needs to know of one table key."""

    key: str
    canon: tuple[str, ...]
    kind: str  # scalar | array | matrix | op
    brackets: str = "()"
    op: Callable[..., Any] | None = None  # for operators; None means "look the callable up in env"
    derived: Node | None = None


_ATOM_START = {"(", "[", r"\{", "{", r"\frac", r"\sqrt", r"\exp", r"\log", r"\ln", r"\max", r"\min", "|",
               r"\lVert", r"\sum"}  # fmt: skip
_EXPLICIT_MUL = {"*", r"\cdot", r"\times"}
_ELEMENTWISE_MUL = {r"\odot", r"\circ"}
_CLOSERS = {"(": ")", "[": "]", r"\{": r"\}", "{": "}"}


def _kind_of_product(a: Node, b: Node, op: str) -> str:
    kinds = {a.kind, b.kind}
    if MATRIX in kinds and ARRAY in kinds:
        raise LatexError(f"'{a.text} {op} {b.text}' mixes a matrix with an elementwise array")
    if MATRIX in kinds:
        return MATRIX
    return ARRAY if ARRAY in kinds else SCALAR


def _merge(*nodes: Node) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for n in nodes:
        out |= n.symbols
    return out


class Parser:
    """Recursive-descent parser over canonical tokens with a closed symbol table."""

    def __init__(self, tokens: list[Token], table: list[SymbolInfo], source: str) -> None:
        self.toks = tokens
        self.table = table  # sorted longest key first
        self.i = 0
        self.source = source
        self.norm_depth = 0  # inside \lVert…\rVert the next \lVert closes the norm (they share a token)
        self.abs_depth = 0

    # ------------------------------------------------------------------ helpers
    def peek(self, k: int = 0) -> str | None:
        j = self.i + k
        return self.toks[j].text if j < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None:
            raise LatexError(f"unexpected end of formula{f', expected {expected!r}' if expected else ''}")
        if expected is not None and tok != expected:
            raise LatexError(f"expected {expected!r} but found {tok!r} {self._where()}")
        self.i += 1
        return tok

    def _where(self) -> str:
        if self.i < len(self.toks):
            pos = self.toks[self.i].pos
            return f"at «{self.source[max(0, pos - 12) : pos + 12].strip()}»"
        return "at the end"

    def parse(self) -> Node:
        node = self.expr()
        if self.i != len(self.toks):
            tok = self.peek()
            raise LatexError(f"cannot parse {tok!r} {self._where()}")
        return node

    # ------------------------------------------------------------------ grammar
    def expr(self) -> Node:
        node = self.signed_term()
        while self.peek() in ("+", "-", r"\pm"):
            op = self.take()
            if op == r"\pm":
                raise LatexError("'\\pm' is two formulas in one: write each sign separately")
            rhs = self.signed_term()
            node = self._binary(node, rhs, op)
        return node

    def _binary(self, a: Node, b: Node, op: str) -> Node:
        kinds = {a.kind, b.kind}
        if MATRIX in kinds and ARRAY in kinds:
            raise LatexError(f"'{a.text} {op} {b.text}' mixes a matrix with an elementwise array")
        kind = MATRIX if MATRIX in kinds else ARRAY if ARRAY in kinds else SCALAR
        fa, fb = a.fn, b.fn
        f = (lambda e: fa(e) + fb(e)) if op == "+" else (lambda e: fa(e) - fb(e))
        return Node(kind, f, f"({a.text} {op} {b.text})", _merge(a, b))

    def signed_term(self) -> Node:
        if self.peek() in ("-", "+"):
            op = self.take()
            node = self.term()
            if op == "-":
                f = node.fn
                return Node(node.kind, lambda e: -f(e), f"-{node.text}", node.symbols)
            return node
        return self.term()

    def term(self) -> Node:
        node = self.factor()
        divided = False
        while True:
            tok = self.peek()
            if tok in _EXPLICIT_MUL or tok in _ELEMENTWISE_MUL:
                self.take()
                rhs = self.factor()
                node = self._product(node, rhs, tok)
            elif tok == "/":
                self.take()
                rhs = self.factor()
                node = self._divide(node, rhs)
                divided = True
            elif tok is not None and self._starts_atom():
                if divided:
                    raise LatexError(
                        f"ambiguous '/' followed by a product {self._where()}: write \\frac{{…}}{{…}} or add parentheses"
                    )
                rhs = self.factor()
                node = self._product(node, rhs, "·")
            else:
                return node

    def _product(self, a: Node, b: Node, op: str) -> Node:
        fa, fb = a.fn, b.fn
        if op in _ELEMENTWISE_MUL:
            kind = MATRIX if MATRIX in (a.kind, b.kind) else _kind_of_product(a, b, op)
            return Node(kind, lambda e: fa(e) * fb(e), f"({a.text} ⊙ {b.text})", _merge(a, b))
        kind = _kind_of_product(a, b, op)
        if a.kind == MATRIX and b.kind == MATRIX:
            return Node(MATRIX, lambda e: fa(e) @ fb(e), f"({a.text} @ {b.text})", _merge(a, b))
        return Node(kind, lambda e: fa(e) * fb(e), f"({a.text} * {b.text})", _merge(a, b))

    def _divide(self, a: Node, b: Node) -> Node:
        if b.kind == MATRIX:
            raise LatexError(f"division by the matrix {b.text} is not defined")
        fa, fb = a.fn, b.fn
        kind = _kind_of_product(a, b, "/")
        return Node(kind, lambda e: fa(e) / fb(e), f"({a.text} / {b.text})", _merge(a, b))

    def _starts_atom(self) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        if (tok == r"\lVert" and self.norm_depth > 0) or (tok == "|" and self.abs_depth > 0):
            return False
        if tok in _ATOM_START or tok[0].isdigit():
            return True
        return self._match_symbol() is not None or self._is_symbolish(tok)

    @staticmethod
    def _is_symbolish(tok: str) -> bool:
        return tok[0].isalpha() or (tok.startswith("\\") and len(tok) > 1 and tok[1].isalpha())

    def factor(self) -> Node:
        if self.peek() == "-":  # "a \cdot -b"
            self.take()
            node = self.factor()
            f = node.fn
            return Node(node.kind, lambda e: -f(e), f"-{node.text}", node.symbols)
        base = self.postfix(self.atom())
        return base

    def postfix(self, base: Node) -> Node:
        while True:
            tok = self.peek()
            if tok == TRANSPOSE:
                self.take()
                if base.kind != MATRIX:
                    raise LatexError(f"transpose of {base.text}, which is not declared a matrix")
                f = base.fn
                base = Node(MATRIX, lambda e: np.swapaxes(f(e), -1, -2), f"{base.text}ᵀ", base.symbols)
            elif tok == "^":
                self.take()
                exponent = self.group()
                if base.kind == MATRIX:
                    raise LatexError(f"power of the matrix {base.text} is not supported (only ^\\top)")
                if exponent.kind == MATRIX:
                    raise LatexError("a matrix exponent is not supported")
                fb, fe = base.fn, exponent.fn
                kind = ARRAY if ARRAY in (base.kind, exponent.kind) else SCALAR
                base = Node(kind, lambda e: np.power(fb(e), fe(e)), f"{base.text}^{exponent.text}", _merge(base, exponent))
            elif tok == "_":
                raise LatexError(f"subscript on {base.text} {self._where()}: declare the subscripted symbol in the table")
            elif tok == "'":
                raise LatexError(f"prime on {base.text} {self._where()}: declare the primed symbol in the table")
            else:
                return base

    def group(self) -> Node:
        """A braced group ``{…}`` or a single token (already braced by normalization)."""
        if self.peek() == "{":
            self.take("{")
            node = self.expr()
            self.take("}")
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise LatexError("unexpected end of formula: an operand is missing")
        sym = self._match_symbol()
        if sym is not None:
            return self._symbol(sym)
        if tok[0].isdigit() or (tok == "." and (self.peek(1) or " ")[0].isdigit()):
            return self._number()
        if tok in ("(", "[", r"\{", "{"):
            self.take()
            node = self.expr()
            self.take(_CLOSERS[tok])
            return Node(node.kind, node.fn, node.text, node.symbols)
        if tok == r"\frac":
            self.take()
            num = self.group()
            den = self.group()
            node = self._divide(num, den)
            return node
        if tok == r"\sqrt":
            return self._sqrt()
        if tok in (r"\exp", r"\log", r"\ln"):
            self.take()
            arg = self._call_args(tok)[0]
            fn = {r"\exp": np.exp, r"\log": np.log, r"\ln": np.log}[tok]
            f = arg.fn
            if arg.kind == MATRIX:
                raise LatexError(f"{tok} of a matrix is ambiguous")
            return Node(arg.kind, lambda e: fn(f(e)), f"{tok[1:]}({arg.text})", arg.symbols)
        if tok in (r"\max", r"\min"):
            self.take()
            args = self._call_args(tok)
            fn2 = np.maximum if tok == r"\max" else np.minimum
            fs = [a.fn for a in args]
            if len(args) < 2:
                raise LatexError(f"{tok} needs at least two arguments, e.g. {tok}(a, b)")

            def reduce_(e: Env, fs: list[Callable[[Env], Any]] = fs) -> Any:
                out = fs[0](e)
                for g in fs[1:]:
                    out = fn2(out, g(e))
                return out

            kind = ARRAY if any(a.kind == ARRAY for a in args) else SCALAR
            return Node(kind, reduce_, f"{tok[1:]}({', '.join(a.text for a in args)})", _merge(*args))
        if tok == "|":
            self.take()
            self.abs_depth += 1
            try:
                inner = self.expr()
            finally:
                self.abs_depth -= 1
            self.take("|")
            f = inner.fn
            return Node(inner.kind, lambda e: np.abs(f(e)), f"|{inner.text}|", inner.symbols)
        if tok == r"\lVert":
            return self._norm()
        if tok == r"\sum":
            return self._sum()
        if tok.startswith("\\") or tok[0].isalpha():
            raise UnknownSymbolError(f"undeclared symbol '{self._describe_symbol()}'")
        raise LatexError(f"unexpected {tok!r} {self._where()}")

    # ------------------------------------------------------------------ pieces
    def _describe_symbol(self) -> str:
        """The symbol at the cursor with its sub/superscripts, as the author wrote it (for errors)."""
        j = self.i
        parts = [self.toks[j].text]
        j += 1
        while j < len(self.toks) and self.toks[j].text in ("_", "'", r"\{"):
            if self.toks[j].text == "'":
                parts.append("'")
                j += 1
                continue
            parts.append(self.toks[j].text)
            j += 1
            if j < len(self.toks) and self.toks[j].text == "{":
                depth = 0
                while j < len(self.toks):
                    parts.append(self.toks[j].text)
                    depth += {"{": 1, "}": -1}.get(self.toks[j].text, 0)
                    j += 1
                    if depth == 0:
                        break
        if parts[0] in (r"\hat", r"\tilde", r"\bar", r"\widehat", r"\widetilde", r"\overline", r"\vec") and j < len(self.toks):
            pass
        return "".join(p if not (p.startswith("\\") and i + 1 < len(parts) and parts[i + 1][:1].isalpha()) else p + " "
                       for i, p in enumerate(parts))  # fmt: skip

    def _match_symbol(self) -> SymbolInfo | None:
        toks = self.toks
        for info in self.table:
            n = len(info.canon)
            if self.i + n > len(toks):
                continue
            if all(toks[self.i + k].text == info.canon[k] for k in range(n)):
                nxt = toks[self.i + n].text if self.i + n < len(toks) else None
                if nxt in ("_", "'"):
                    continue
                return info
        return None

    def _symbol(self, info: SymbolInfo) -> Node:
        self.i += len(info.canon)
        key = info.key
        if info.kind == "op":
            args = self._call_args(key, brackets=info.brackets)
            fs = [a.fn for a in args]
            op = info.op
            if op is None:
                call = lambda e: e[key](*[g(e) for g in fs])  # noqa: E731
            else:
                call = lambda e: op(*[g(e) for g in fs])  # noqa: E731
            kind = MATRIX if any(a.kind == MATRIX for a in args) else ARRAY if any(a.kind == ARRAY for a in args) else SCALAR
            return Node(kind, call, f"{key}({', '.join(a.text for a in args)})", _merge(*args) | {key})
        if info.derived is not None:
            d = info.derived
            return Node(d.kind, d.fn, f"[{key}]", d.symbols | {key})
        return Node(info.kind, lambda e: e[key], key, frozenset({key}))

    def _number(self) -> Node:
        digits = ""
        while self.peek() is not None and (self.peek()[0].isdigit() or self.peek() == "."):  # type: ignore[index]
            digits += self.take()
        try:
            value = float(digits)
        except ValueError:
            raise LatexError(f"malformed number {digits!r}") from None
        return Node(SCALAR, lambda e: value, digits)

    def _call_args(self, name: str, brackets: str = "()") -> list[Node]:
        opener, closer = brackets[0], brackets[1]
        if opener == "{":
            opener, closer = r"\{", r"\}"
        tok = self.peek()
        if tok == "{" and opener == "(":
            opener, closer = "{", "}"
        if tok != opener:
            raise LatexError(f"{name} must be followed by {opener}…{closer} {self._where()}")
        self.take()
        args = [self.expr()]
        while self.peek() == ",":
            self.take()
            args.append(self.expr())
        self.take(closer)
        return args

    def _sqrt(self) -> Node:
        self.take(r"\sqrt")
        index: Node | None = None
        if self.peek() == "[":
            self.take()
            index = self.expr()
            self.take("]")
        arg = self.group()
        if arg.kind == MATRIX:
            raise LatexError("square root of a matrix is ambiguous")
        f = arg.fn
        if index is None:
            return Node(arg.kind, lambda e: np.sqrt(f(e)), f"sqrt({arg.text})", arg.symbols)
        fi = index.fn
        return Node(arg.kind, lambda e: np.power(f(e), 1.0 / fi(e)), f"root[{index.text}]({arg.text})", _merge(arg, index))

    def _norm(self) -> Node:
        self.take(r"\lVert")
        self.norm_depth += 1
        try:
            inner = self.expr()
        finally:
            self.norm_depth -= 1
        self.take(r"\lVert")
        order = 2.0
        if self.peek() == "_":
            self.take()
            sub = self.group()
            try:
                order = float(sub({}))
            except Exception:  # noqa: BLE001 - any non-constant subscript is a user error
                raise LatexError("the norm's subscript must be a number, e.g. \\lVert W\\rVert_2") from None
            if order != 2.0:
                raise LatexError(f"only the 2-norm is supported, not the {order:g}-norm")
        f = inner.fn
        return Node(SCALAR, lambda e: float(np.sqrt(np.sum(np.square(f(e))))), f"‖{inner.text}‖", inner.symbols)

    def _sum(self) -> Node:
        self.take(r"\sum")
        lower: Node | None = None
        upper: Node | None = None
        if self.peek() == "_":
            self.take()
            self.take("{")
            index = self.take()
            if not index.isalpha():
                raise LatexError(f"\\sum's index must be a letter, not {index!r}")
            if self.peek() == "=":
                self.take()
                lower = self.expr()
            self.take("}")
        else:
            raise LatexError("\\sum needs an index: \\sum_{i} or \\sum_{i=1}^{n}")
        if self.peek() == "^":
            self.take()
            upper = self.group()
        if (lower is None) != (upper is None):
            raise LatexError("\\sum needs both bounds (\\sum_{i=1}^{n}) or none (\\sum_{i})")
        # the summand: one term, i.e. up to the next top-level + or -
        body = self.term()
        fb = body.fn
        fl = lower.fn if lower is not None else None
        fu = upper.fn if upper is not None else None
        text = f"sum({body.text})"

        def total(e: Env) -> Any:
            value = np.asarray(fb(e), dtype=float)
            if value.ndim == 0:
                raise ValueError(f"\\sum over a scalar ({body.text})")
            if fl is not None and fu is not None:
                lo, hi = float(fl(e)), float(fu(e))
                if lo != 1 or hi != value.shape[0]:
                    raise ValueError(
                        f"\\sum bounds {lo:g}..{hi:g} do not cover the summed axis of length {value.shape[0]}"
                    )
            return np.sum(value, axis=0)

        symbols = _merge(body, *(n for n in (lower, upper) if n is not None))
        kind = SCALAR if body.kind == SCALAR else ARRAY
        return Node(kind, total, text, symbols)
