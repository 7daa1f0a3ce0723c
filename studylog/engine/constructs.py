r"""The constructs beyond arithmetic, with the semantics a mathematician expects.

* Binders (``\sum``, ``\prod``, ``\max_j``, ``\arg\max_j``, …): see `studylog.engine.binders`.
* Elementary functions ``\exp \log \ln \sin \cos \tanh`` (``\log x`` without brackets takes the next
  factor; ``\log_2 x``), ``\sqrt`` and ``\sqrt[n]``, ``\max(a, b)``/``\min\{a, b\}`` elementwise.
* Norms ``\|x\|`` follow the operand's declared kind: on a vector or an `Array` ``\|x\|_2`` (and ``_F``)
  is the Euclidean norm of all entries, ``_1`` and ``_\infty`` the sum and the largest of the absolute
  values; on a `Matrix` ``\|W\|_2`` is the spectral norm, ``\|W\|_F`` Frobenius, ``_1``/``_\infty`` the
  induced norms, and a bare ``\|W\|`` is ambiguous.
* ``\lfloor x \rfloor``, ``\lceil x \rceil``; the indicator ``\mathbb{1}[y = k]`` (also ``\mathbb{1}\{…\}``,
  ``\mathbb{1}_{…}``, ``\mathbf{1}``) of comparisons ``= \neq < > \leq \geq`` joined by ``,`` or
  ``\wedge``/``\vee``; piecewise definitions ``\begin{cases} … \end{cases}`` whose rows must not overlap
  with different values and must cover every drawn value unless a row says ``\text{otherwise}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from studylog.engine import binders
from studylog.engine.binders import condition
from studylog.engine.nodes import NORM, Env, Node, node
from studylog.engine.symbols import ARRAY, MATRIX, SCALAR
from studylog.engine.values import EvalError, Indexed, emap, lift
from studylog.errors import LatexError, UnknownSymbolError

if TYPE_CHECKING:
    from studylog.engine.parse import Parser

_INDICATORS = {r"\mathbb{1}", r"\mathbb{I}"}
STARTS = set(binders.STARTS) | {r"\lVert", r"\lfloor", r"\lceil", r"\begin{cases}"} | _INDICATORS
_OTHERWISE = {"otherwise", "else", "o.w.", "ow"}
_CONDITION_WORDS = {"if", "for", "when", "where"}
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu xi omicron "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
    "Upsilon Phi Psi Omega digamma ell hbar imath jmath aleph nabla"
).split()
_SYMBOLISH = {f"\\{g}" for g in _GREEK} | {
    r"\hat", r"\widehat", r"\tilde", r"\widetilde", r"\bar", r"\overline", r"\vec", r"\dot", r"\ddot", r"\check",
    r"\breve", r"\acute", r"\grave",
}  # fmt: skip
_ELISIONS = {r"\dots", r"\cdots", r"\ldots", r"\vdots", r"\ddots", r"\dotsb", r"\dotsc"}


# ------------------------------------------------------------------------------------------ conditions


def indicator(p: Parser) -> Node:
    p.take()
    tok = p.peek()
    closers = {"[": "]", "(": ")", r"\{": r"\}", "_": None}
    if tok not in closers:
        raise LatexError(f"the indicator must be followed by its condition: \\mathbb{{1}}[y = k] {p.where()}")
    p.take()
    if tok == "_":
        p.take("{")
        inner = p.peek() == r"\{"
        if inner:
            p.take()
        cond = condition(p)
        if inner:
            p.take(r"\}")
        p.take("}")
    else:
        cond = condition(p)
        p.take(closers[tok])
    f = cond.fn
    return node(SCALAR, lambda e: emap(lambda c: np.asarray(c, dtype=float), f(e)), f"1[{cond.text}]", cond)


def _word(tok: str | None) -> str | None:
    if tok is not None and tok.startswith(r"\mathrm{"):
        return tok[len(r"\mathrm{") : -1].rstrip(".,:;").lower() or None
    return None


def cases(p: Parser) -> Node:
    p.take(r"\begin{cases}")
    rows: list[tuple[Node, Node]] = []
    default: Node | None = None
    while True:
        value = p.expr()
        while p.peek() in (",", ".", ";"):
            p.take()
        if p.peek() != "&":
            raise LatexError(f"each row of cases needs '&' and a condition {p.where()}")
        p.take("&")
        if _word(p.peek()) in _CONDITION_WORDS:
            p.take()
        if _word(p.peek()) in _OTHERWISE:
            p.take()
            if default is not None:
                raise LatexError("cases has two 'otherwise' rows")
            default = value
        else:
            rows.append((condition(p), value))
        while p.peek() in (",", ".", ";"):
            p.take()
        if p.peek() == "\\\\":
            p.take()
            if p.peek() != r"\end{cases}":
                continue
        break
    p.take(r"\end{cases}")
    if not rows:
        raise LatexError("cases needs at least one row with a condition")
    conds = [c.fn for c, _ in rows]
    vals = [v.fn for _, v in rows]
    fd = default.fn if default is not None else None
    n = len(rows)

    def pick(*arrays: Any) -> Any:
        cs = [np.asarray(a, dtype=bool) for a in arrays[:n]]
        vs = arrays[n:]
        for a in range(n):
            for b in range(a + 1, n):
                clash = cs[a] & cs[b] & ~np.isclose(vs[a], vs[b], rtol=1e-12, atol=1e-12)
                if np.any(clash):
                    raise EvalError("two rows of the cases apply at once with different values: their conditions overlap")
        if fd is None and not np.all(np.logical_or.reduce(np.broadcast_arrays(*cs))):
            raise EvalError("no row of the cases applies to one of the drawn values: add a row or 'otherwise'")
        return np.select(np.broadcast_arrays(*cs), vs[:n], default=vs[n] if fd is not None else np.nan)

    def evaluate(e: Env) -> Any:
        with np.errstate(all="ignore"):
            return lift(pick, *[c(e) for c in conds], *[v(e) for v in vals], *([fd(e)] if fd is not None else []))

    children = [c for c, _ in rows] + [v for _, v in rows] + ([default] if default is not None else [])
    kind = ARRAY if any(v.kind == ARRAY for v in children) else SCALAR
    return node(kind, evaluate, "cases(" + "; ".join(f"{v.text} if {c.text}" for c, v in rows) + ")", *children)


def rounding(p: Parser, tok: str) -> Node:
    closer, fn = (r"\rfloor", np.floor) if tok == r"\lfloor" else (r"\rceil", np.ceil)
    p.take()
    inner = p.expr()
    p.take(closer)
    f = inner.fn
    return node(inner.kind, lambda e: emap(fn, f(e)), f"{fn.__name__}({inner.text})", inner)


# ------------------------------------------------------------------------------------------ norms


@dataclass(frozen=True)
class NormSite:
    """A norm in a formula, and the other readings of it that the engine tries when a check fails."""

    ident: int
    alternates: tuple[tuple[str, str], ...]  # (mode, the notation that would verify if that mode matches)


def _entries_norm(value: Any, order: float) -> Any:
    if isinstance(value, Indexed):
        k = len(value.labels)
        return Indexed(np.linalg.norm(value.a.reshape(value.a.shape[:k] + (-1,)), ord=order, axis=-1), value.labels)
    return float(np.linalg.norm(np.ravel(np.asarray(value, dtype=float)), ord=order))


def _matrix_norm(value: Any, order: Any, name: str) -> float:
    a = np.asarray(value.a if isinstance(value, Indexed) else value, dtype=float)
    if isinstance(value, Indexed) or a.ndim != 2:
        raise EvalError(f"the matrix norm of {name} needs a 2-d matrix, not shape {a.shape}")
    return float(np.linalg.norm(a, ord=order))


_MATRIX_ORDERS: dict[str, Any] = {"spectral": 2, "fro": "fro", "ind1": 1, "indinf": np.inf}


def norm(p: Parser) -> Node:
    p.take(r"\lVert")
    p.norm_depth += 1
    try:
        inner = p.expr()
    finally:
        p.norm_depth -= 1
    p.take(r"\lVert")
    sub: str | None = None
    if p.peek() == "_":
        p.take()
        p.take("{")
        parts = []
        while p.peek() not in ("}", None):
            parts.append(p.take())
        p.take("}")
        sub = "".join(parts)
    w = inner.text
    order: float | None
    if sub in (None, "2", "F", r"\mathrm{F}", r"\mathit{F}"):
        order = 2.0
    elif sub == r"\infty":
        order = np.inf
    else:
        try:
            order = float(sub)  # type: ignore[arg-type]
        except ValueError:
            raise LatexError(f"the norm's subscript must be a number, \\infty or F, not {sub!r}") from None
    frobenius = sub in ("F", r"\mathrm{F}", r"\mathit{F}")
    if inner.kind == MATRIX:
        if sub is None:
            raise LatexError(f"\\|{w}\\| of a matrix is ambiguous: write \\|{w}\\|_2 (spectral) or \\|{w}\\|_F (Frobenius)")
        mode = "fro" if frobenius else {2.0: "spectral", 1.0: "ind1", np.inf: "indinf"}.get(order, "")
        if not mode:
            raise LatexError(f"the {order:g}-norm of a matrix is not supported (use _1, _2, _\\infty or _F)")
        alternates: tuple[tuple[str, str], ...] = ()
        if mode == "spectral":
            alternates = (("fro", f"\\|{w}\\|_2 of the matrix {w} is its spectral norm; the code matches the Frobenius norm: write \\|{w}\\|_F"),)
        elif mode == "fro":
            alternates = (("spectral", f"the code matches the spectral norm of the matrix {w}: write \\|{w}\\|_2"),)
    else:
        mode = f"p{order}"
        alternates = ()
        if order == 2.0:
            alternates = (("spectral", f"the code matches the spectral norm of {w}: declare {w} a Matrix, and \\|{w}\\|_2 means it"),)
    ident = len(p.norms)
    p.norms.append(NormSite(ident, alternates))
    f = inner.fn

    def evaluate(e: Env) -> Any:
        chosen = e.get((NORM, ident), mode)
        if chosen in _MATRIX_ORDERS:
            return _matrix_norm(f(e), _MATRIX_ORDERS[chosen], w)
        return _entries_norm(f(e), float(chosen[1:]))

    return node(SCALAR if inner.kind in (MATRIX, SCALAR, ARRAY) else ARRAY, evaluate, f"‖{w}‖_{sub or ''}", inner)


# ------------------------------------------------------------------------------------------ functions

FUNCTIONS: dict[str, Any] = {
    r"\exp": np.exp, r"\log": np.log, r"\ln": np.log, r"\sin": np.sin, r"\cos": np.cos, r"\tanh": np.tanh,
}  # fmt: skip


def function(p: Parser, tok: str) -> Node:
    """``\\exp(x)``, ``\\log x`` (without brackets the argument is the next factor), ``\\log_2 x``."""
    p.take()
    fn = FUNCTIONS[tok]
    base: Node | None = None
    if tok == r"\log" and p.peek() == "_":
        p.take()
        base = p.group()
    if p.peek() in ("(", "{", r"\{"):
        arg = p.call_args(tok)
        if len(arg) != 1:
            raise LatexError(f"{tok} takes one argument")
        inner = arg[0]
    else:
        inner = p.factor()
    if inner.kind == MATRIX:
        raise LatexError(f"{tok} of a matrix is ambiguous")
    f = inner.fn
    if base is None:
        return node(inner.kind, lambda e: emap(fn, f(e)), f"{tok[1:]}({inner.text})", inner)
    fb = base.fn
    return node(inner.kind, lambda e: lift(lambda x, b: np.log(x) / np.log(b), f(e), fb(e)), f"log_{base.text}({inner.text})",
                inner, base)  # fmt: skip

def elementwise_extremum(p: Parser, tok: str) -> Node:
    p.take()
    args = p.call_args(tok)
    if len(args) < 2:
        raise LatexError(f"{tok} needs at least two arguments, e.g. {tok}(a, b), or an index: {tok}_j z_j")
    fn2 = np.maximum if tok == r"\max" else np.minimum
    fs = [a.fn for a in args]

    def reduce_(e: Env) -> Any:
        out = fs[0](e)
        for g in fs[1:]:
            out = lift(fn2, out, g(e))
        return out

    kind = ARRAY if any(a.kind == ARRAY for a in args) else SCALAR
    return node(kind, reduce_, f"{tok[1:]}({', '.join(a.text for a in args)})", *args)

def sqrt(p: Parser) -> Node:
    p.take(r"\sqrt")
    index: Node | None = None
    if p.peek() == "[":
        p.take()
        index = p.expr()
        p.take("]")
    arg = p.group()
    if arg.kind == MATRIX:
        raise LatexError("square root of a matrix is ambiguous")
    f = arg.fn
    if index is None:
        return node(arg.kind, lambda e: emap(np.sqrt, f(e)), f"sqrt({arg.text})", arg)
    fi = index.fn
    return node(arg.kind, lambda e: lift(lambda x, n: np.power(x, 1.0 / n), f(e), fi(e)), f"root[{index.text}]({arg.text})",
                arg, index)  # fmt: skip


def describe_symbol(p: Parser) -> str:
    """The symbol at the cursor with its sub/superscripts, as the author wrote it (for errors)."""
    j = p.i
    parts = [p.toks[j].text]
    j += 1
    while j < p.limit and p.toks[j].text in ("_", "'"):
        if p.toks[j].text == "'":
            parts.append("'")
            j += 1
            continue
        parts.append(p.toks[j].text)
        j += 1
        if j < p.limit and p.toks[j].text == "{":
            depth = 0
            while j < p.limit:
                parts.append(p.toks[j].text)
                depth += {"{": 1, "}": -1}.get(p.toks[j].text, 0)
                j += 1
                if depth == 0:
                    break
    return "".join(p if not (p.startswith("\\") and i + 1 < len(parts) and parts[i + 1][:1].isalpha()) else p + " "
                   for i, p in enumerate(parts))  # fmt: skip


# ------------------------------------------------------------------------------------------ dispatch


def parse(p: Parser, tok: str) -> Node:
    """Parse the construct starting with ``tok`` (one of `STARTS`)."""
    if tok in binders.STARTS:
        return binders.binder(p, tok)
    if tok == r"\lVert":
        return norm(p)
    if tok in (r"\lfloor", r"\lceil"):
        return rounding(p, tok)
    if tok in _INDICATORS:
        return indicator(p)
    return cases(p)


def unknown(p: Parser, tok: str) -> Node:
    """Raise the most specific error for a token that starts no known operand."""
    if tok.startswith(r"\begin{"):
        raise LatexError(f"the {tok[7:-1]} environment is not supported: exempt the formula or declare an Op")
    if tok in _ELISIONS:
        raise LatexError(f"{tok} (an elided list) cannot be checked: write the sum with \\sum, or exempt the formula")
    symbolish = tok in _SYMBOLISH or (tok.startswith("\\") and "{" in tok) or tok[0].isalpha()
    if tok.startswith("\\") and tok[1:2].isalpha() and not symbolish:
        raise LatexError(f"{tok} is not supported: exempt the formula or declare an Op")
    if symbolish:
        raise UnknownSymbolError(f"undeclared symbol '{describe_symbol(p)}'")
    raise LatexError(f"unexpected {tok!r} {p.where()}")


__all__ = ["FUNCTIONS", "STARTS", "NormSite", "condition", "describe_symbol", "function", "parse", "sqrt", "unknown"]
