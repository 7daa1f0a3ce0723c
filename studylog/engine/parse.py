r"""Parse the arithmetic of a normalized formula into a small expression tree, closed-world.

Only the table's symbols, numbers and a fixed set of operations are understood: ``+ - * / ^``,
juxtaposition, ``\frac``, ``\sqrt`` (and ``\sqrt[n]``), ``\cdot \times \odot \circ``, ``\exp \log \ln \sin
\cos \tanh``, ``\max(a, b)``, ``|x|``, ``^T``, the table's operators applied to bracketed arguments, and
the constructs of `studylog.engine.constructs` (sums, products, ``\max_j``, ``\arg\max``, norms,
``\lfloor``, ``cases``, the indicator ``\mathbb{1}[…]``) and `studylog.engine.integrals` (``\int_a^b``).
Anything else is an error that names it: nothing becomes a silent new variable.

Products follow the operands' kinds: two matrices multiply as matrices (in order), everything else
elementwise; mixing a matrix with an elementwise array is ambiguous and rejected. Indexed values
(``x_i``) carry their index names, see `studylog.engine.values`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from studylog.engine import constructs, integrals
from studylog.engine.latex import MAX_DEPTH, TRANSPOSE, Token
from studylog.engine.nodes import MASKED, RANGE, VAR, Env, Node, node, product_kind
from studylog.engine.symbols import ARRAY, INDEX, MATRIX, OP, SCALAR, VARIABLE, Match, SymbolInfo, match_at, match_gradient
from studylog.engine.values import EvalError, Indexed, emap, gather, lift, per_element
from studylog.errors import LatexError

__all__ = ["ARRAY", "MATRIX", "SCALAR", "Env", "Node", "Parser", "SymbolInfo"]

#: how deeply operations may nest (each level is a handful of Python frames; a group is about one level)
MAX_NESTING = 2 * MAX_DEPTH
_ATOM_START = {"(", "[", r"\{", "{", r"\frac", r"\sqrt", "|", r"\lVert", r"\infty"} | set(constructs.STARTS) | set(integrals.STARTS)
#: tokens that end an operand: they never start a juxtaposed factor
_NOT_ATOM = {
    ")", "]", "}", r"\}", ",", "&", "\\\\", "=", "<", ">", r"\leq", r"\geq", r"\neq", r"\approx", r"\leftarrow", ":=",
    r"\wedge", r"\vee", r"\rfloor", r"\rceil", r"\cdot", r"\times", r"\odot", r"\circ", r"\pm", r"\mp", "+", "-",
    "*", "/", "^", "_", "'", TRANSPOSE, "!", "?", ";", ":", ".",
}  # fmt: skip
_EXPLICIT_MUL = {"*", r"\cdot", r"\times"}
_ELEMENTWISE_MUL = {r"\odot", r"\circ"}
_CLOSERS = {"(": ")", "[": "]", r"\{": r"\}", "{": "}"}


class Parser:
    """Recursive-descent parser over canonical tokens with a closed symbol table."""

    def __init__(self, tokens: list[Token], table: list[SymbolInfo], source: str) -> None:
        self.toks = tokens
        self.table = table  # literal keys, then templates, longest first
        self.indices = {s.canon[0]: s for s in table if s.kind == INDEX}
        self.i = 0
        self.limit = len(tokens)
        self.source = source
        self.norm_depth = 0  # inside \lVert…\rVert the next \lVert closes the norm (they share a token)
        self.abs_depth = 0
        self.depth = 0
        self.bound: list[str] = []  # index letters bound by enclosing binders
        self.variables: list[str] = []  # bound continuous variables in scope (integrals, \min_\theta)
        self.variable_kinds: dict[str, str] = {}  # their kinds, when not scalar
        self.norms: list[constructs.NormSite] = []

    # ------------------------------------------------------------------ helpers
    def peek(self, k: int = 0) -> str | None:
        j = self.i + k
        return self.toks[j].text if j < self.limit else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None:
            raise LatexError(f"unexpected end of formula{f', expected {expected!r}' if expected else ''}")
        if expected is not None and tok != expected:
            raise LatexError(f"expected {expected!r} but found {tok!r} {self.where()}")
        self.i += 1
        return tok

    def where(self) -> str:
        if self.i < len(self.toks):
            pos = self.toks[self.i].pos
            return f"at «{self.source[max(0, pos - 12) : pos + 12].strip()}»"
        return "at the end"

    def parse(self) -> Node:
        node_ = self.expr()
        if self.i != self.limit:
            tok = self.peek()
            raise LatexError(f"cannot parse {tok!r} {self.where()}")
        return node_

    def sub_parse(self, start: int, end: int, what: Callable[[], Node] | None = None) -> Node:
        """Parse the tokens ``start:end`` (a subscript, an integrand) as one expression."""
        saved = self.i, self.limit
        self.i, self.limit = start, end
        try:
            result = (what or self.expr)()
            if self.i != end:
                raise LatexError(f"cannot parse {self.peek()!r} {self.where()}")
            return result
        finally:
            self.i, self.limit = saved

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise LatexError(f"the formula nests operations more than {MAX_NESTING} levels deep; the limit is {MAX_NESTING}: split it up")

    # ------------------------------------------------------------------ grammar
    def expr(self) -> Node:
        terms = [(1, self.signed_term())]
        while self.peek() in ("+", "-", r"\pm", r"\mp"):
            op = self.take()
            if op in (r"\pm", r"\mp"):
                raise LatexError(f"'{op}' is two formulas in one: write each sign separately")
            terms.append((1 if op == "+" else -1, self.term()))
        if len(terms) == 1:
            return terms[0][1]
        out = terms[0][1]
        for sign, t in terms[1:]:
            out = self.binary(out, t, "+" if sign > 0 else "-")
        out.terms = tuple(terms)
        return out

    def binary(self, a: Node, b: Node, op: str) -> Node:
        kinds = {a.kind, b.kind}
        if MATRIX in kinds and ARRAY in kinds:
            raise LatexError(f"'{a.text} {op} {b.text}' mixes a matrix with an elementwise array")
        kind = MATRIX if MATRIX in kinds else ARRAY if ARRAY in kinds else SCALAR
        fa, fb = a.fn, b.fn
        f = np.add if op == "+" else np.subtract
        return node(kind, lambda e: lift(f, fa(e), fb(e)), f"({a.text} {op} {b.text})", a, b)

    def signed_term(self) -> Node:
        if self.peek() in ("-", "+"):
            op = self.take()
            inner = self.term()
            return self.negate(inner) if op == "-" else inner
        return self.term()

    @staticmethod
    def negate(inner: Node) -> Node:
        f = inner.fn
        return node(inner.kind, lambda e: emap(np.negative, f(e)), f"-{inner.text}", inner)

    def term(self) -> Node:
        result = self.factor()
        divided = False
        while True:
            tok = self.peek()
            if tok in _EXPLICIT_MUL or tok in _ELEMENTWISE_MUL:
                self.take()
                result = self.product(result, self.factor(), tok)
            elif tok == "/":
                self.take()
                result = self.divide(result, self.factor())
                divided = True
            elif tok is not None and self.starts_atom():
                if divided:
                    raise LatexError(
                        f"ambiguous '/' followed by a product {self.where()}: write \\frac{{…}}{{…}} or add parentheses"
                    )
                result = self.product(result, self.factor(), "·")
            else:
                return result

    def product(self, a: Node, b: Node, op: str) -> Node:
        fa, fb = a.fn, b.fn
        if op in _ELEMENTWISE_MUL:
            kind = MATRIX if MATRIX in (a.kind, b.kind) else product_kind(a, b, op)
            return node(kind, lambda e: lift(np.multiply, fa(e), fb(e)), f"({a.text} ⊙ {b.text})", a, b)
        kind = product_kind(a, b, op)
        if a.kind == MATRIX and b.kind == MATRIX:
            return node(MATRIX, lambda e: _matmul(fa(e), fb(e)), f"({a.text} @ {b.text})", a, b)
        return node(kind, lambda e: lift(np.multiply, fa(e), fb(e)), f"({a.text} * {b.text})", a, b)

    def divide(self, a: Node, b: Node) -> Node:
        if b.kind == MATRIX:
            raise LatexError(f"division by the matrix {b.text} is not defined")
        fa, fb = a.fn, b.fn
        return node(product_kind(a, b, "/"), lambda e: lift(np.divide, fa(e), fb(e)), f"({a.text} / {b.text})", a, b)

    def starts_atom(self) -> bool:
        tok = self.peek()
        if tok is None or tok in _NOT_ATOM or tok.startswith(r"\end{"):
            return False
        if (tok == r"\lVert" and self.norm_depth > 0) or (tok == "|" and self.abs_depth > 0):
            return False
        return True

    def factor(self) -> Node:
        self.enter()
        try:
            if self.peek() == "-":  # "a \cdot -b"
                self.take()
                return self.negate(self.factor())
            return self.postfix(self.atom())
        finally:
            self.depth -= 1

    def postfix(self, base: Node) -> Node:
        while True:
            tok = self.peek()
            if tok == TRANSPOSE:
                self.take()
                if base.kind != MATRIX:
                    raise LatexError(f"transpose of {base.text}, which is not declared a matrix")
                f = base.fn
                base = node(MATRIX, lambda e, f=f: np.swapaxes(f(e), -1, -2), f"{base.text}ᵀ", base)
            elif tok == "^":
                self.take()
                exponent = self.group()
                if base.kind == MATRIX:
                    raise LatexError(f"power of the matrix {base.text} is not supported (only ^\\top)")
                if exponent.kind == MATRIX:
                    raise LatexError("a matrix exponent is not supported")
                fb, fe = base.fn, exponent.fn
                kind = ARRAY if ARRAY in (base.kind, exponent.kind) else SCALAR
                base = node(kind, lambda e, fb=fb, fe=fe: lift(np.power, fb(e), fe(e)), f"{base.text}^{exponent.text}", base, exponent)
            elif tok == "_":
                raise LatexError(f"subscript on {base.text} {self.where()}: declare the subscripted symbol in the table")
            elif tok == "'":
                raise LatexError(f"prime on {base.text} {self.where()}: declare the primed symbol in the table")
            else:
                return base

    def group(self) -> Node:
        """A braced group ``{…}`` or a single token (already braced by normalization)."""
        if self.peek() == "{":
            self.take("{")
            inner = self.expr()
            self.take("}")
            return inner
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise LatexError("unexpected end of formula: an operand is missing")
        if tok in self.variables and self.peek(1) not in ("_", "'"):
            self.take()
            name = tok
            return Node(self.variable_kinds.get(name, SCALAR), lambda e: e[(VAR, name)], name, free=frozenset({name}))
        m = match_at(self.toks, self.i, self.limit, self.table)
        if m is None and tok == r"\nabla" and self.peek(1) == "_":
            m = match_gradient(self.toks, self.i, self.limit, self.table)
        if m is not None:
            return self.symbol(m)
        if tok[0].isdigit() or (tok == "." and (self.peek(1) or " ")[0].isdigit()):
            return self.number()
        if tok in ("(", "[", r"\{", "{"):
            self.take()
            inner = self.expr()
            self.take(_CLOSERS[tok])
            return inner
        if tok == r"\frac":
            self.take()
            if self.peek(1) in ("d", r"\partial", r"\mathrm{d}") or self.peek(2) == r"\partial":
                raise LatexError("derivatives (\\frac{d}{dx}) are not supported: exempt the formula or declare an Op")
            num = self.group()
            return self.divide(num, self.group())
        if tok == r"\sqrt":
            return constructs.sqrt(self)
        if tok in constructs.FUNCTIONS:
            return constructs.function(self, tok)
        if tok == r"\infty":
            self.take()
            return Node(SCALAR, lambda e: np.inf, "∞")
        if tok in (r"\max", r"\min") and self.peek(1) != "_":
            return constructs.elementwise_extremum(self, tok)
        if tok == "|":
            self.take()
            self.abs_depth += 1
            try:
                inner = self.expr()
            finally:
                self.abs_depth -= 1
            self.take("|")
            f = inner.fn
            return node(inner.kind, lambda e: emap(np.abs, f(e)), f"|{inner.text}|", inner)
        if tok in constructs.STARTS:
            return constructs.parse(self, tok)
        if tok in integrals.STARTS:
            return integrals.parse(self)
        return constructs.unknown(self, tok)

    # ------------------------------------------------------------------ pieces
    def symbol(self, m: Match) -> Node:
        info = m.info
        key = info.key
        start = self.i
        self.i = m.end
        if info.kind == INDEX:
            return self.index_value(key)
        if info.kind == VARIABLE:
            raise LatexError(f"{key} is the variable of an optimization problem: use it under \\min_{{{key}}} or \\arg\\min_{{{key}}}")
        if info.kind == OP:
            args = self.call_args(key, brackets=info.brackets)
            fs = [a.fn for a in args]
            op = info.op
            if op is None:
                call = lambda e: lift(e[key], *[g(e) for g in fs])  # noqa: E731
            else:
                call = lambda e: per_element(op, *[g(e) for g in fs])  # noqa: E731
            kind = MATRIX if any(a.kind == MATRIX for a in args) else ARRAY if any(a.kind == ARRAY for a in args) else SCALAR
            out = node(kind, call, f"{key}({', '.join(a.text for a in args)})", *args)
            out.symbols |= {key}
            return out
        if info.template is not None:
            return self.indexed(info, m, start)
        if info.derived is not None:
            d = info.derived
            return Node(d.kind, d.fn, f"[{key}]", d.symbols | {key}, d.free, d.uses)
        return Node(info.kind, lambda e: e[key], key, frozenset({key}))

    def index_value(self, letter: str) -> Node:
        def value(e: Env) -> Any:
            values = e.get((RANGE, letter))
            if values is None:
                raise EvalError(f"index {letter} has no range here")
            return Indexed(np.asarray(values, dtype=float), (letter,))

        return Node(SCALAR, value, letter, free=frozenset({letter}))

    def indexed(self, info: SymbolInfo, m: Match, start: int) -> Node:
        """``x_{…}`` of a template key: the value at the subscripts' positions."""
        subs = [self.sub_parse(a, b) for a, b in m.subscripts]
        slots = info.slots
        uses = {(self.toks[a].text, info.key, k, slots[k].start)
                for k, (a, b) in enumerate(m.subscripts) if b == a + 1 and self.toks[a].text in self.indices}  # fmt: skip
        key = info.key
        starts = [s.start for s in slots]
        fs = [s.fn for s in subs]
        derived = info.derived

        def value(e: Env) -> Any:
            base = derived.fn(e) if derived is not None else e[key]
            return gather(base, [g(e) for g in fs], starts, name=key, masked=bool(e.get(MASKED)))

        text = "".join(t.text for t in self.toks[start : m.end])
        out = node(ARRAY if info.kind != MATRIX else SCALAR, value, text, *subs)
        out.symbols |= {key}
        out.uses |= frozenset(uses)
        return out

    def number(self) -> Node:
        digits = ""
        while self.peek() is not None and (self.peek()[0].isdigit() or self.peek() == "."):  # type: ignore[index]
            digits += self.take()
        try:
            value = float(digits)
        except ValueError:
            raise LatexError(f"malformed number {digits!r}") from None
        return Node(SCALAR, lambda e: value, digits)

    def call_args(self, name: str, brackets: str = "()") -> list[Node]:
        opener, closer = brackets[0], brackets[1]
        if opener == "{":
            opener, closer = r"\{", r"\}"
        tok = self.peek()
        if tok == "{" and opener == "(":
            opener, closer = "{", "}"
        if tok == r"\{" and opener == "(":
            opener, closer = r"\{", r"\}"
        if tok != opener:
            raise LatexError(f"{name} must be followed by {opener}…{closer} {self.where()}")
        self.take()
        args = [self.expr()]
        while self.peek() == ",":
            self.take()
            args.append(self.expr())
        self.take(closer)
        return args

def _matmul(a: Any, b: Any) -> Any:
    if isinstance(a, Indexed) or isinstance(b, Indexed):
        raise EvalError("a matrix product of indexed values is not supported: write the sum over the index")
    return a @ b
