r"""The constructs beyond arithmetic, with the semantics a mathematician expects.

* Binders: ``\sum``, ``\prod``, ``\max_j``, ``\min_j``, ``\arg\max_j``, ``\arg\min_j`` bind their index
  (declared an `~studylog.engine.binding.Index`) and evaluate their body once per index value. The
  subscript is ``_{j}`` (all of j's values), ``_{i,j}``, ``_{j=1}^{m}``, ``_{j \neq i}`` or
  ``_{1 \le j \le m}``. A body that does not depend on the bound index is an error (``\sum_j x_i``). An
  ``\arg\max`` is a value of its index (counted as the index is declared: from 1 unless 0-based).
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

from studylog.engine.nodes import MASKED, NORM, RANGE, Env, Node, node
from studylog.engine.symbols import ARRAY, INDEX, MATRIX, SCALAR, SymbolInfo
from studylog.engine.values import EvalError, Indexed, emap, lift, reduce
from studylog.errors import LatexError, UnknownSymbolError

if TYPE_CHECKING:
    from studylog.engine.parse import Parser

DIM = "dim"
_REDUCE = {r"\sum": "sum", r"\prod": "prod", r"\max": "max", r"\min": "min", r"\argmax": "argmax", r"\argmin": "argmin"}
_NEUTRAL = {"sum": 0.0, "prod": 1.0, "max": -np.inf, "min": np.inf, "argmax": -np.inf, "argmin": np.inf}
_WHAT = {"sum": "summand of", "prod": "factor of", "max": "expression under", "min": "expression under",
         "argmax": "expression under", "argmin": "expression under"}  # fmt: skip
_INDICATORS = {r"\mathbb{1}", r"\mathbb{I}"}
STARTS = set(_REDUCE) | {r"\lVert", r"\lfloor", r"\lceil", r"\begin{cases}"} | _INDICATORS
RELOPS = {"=": np.equal, r"\neq": np.not_equal, "<": np.less, ">": np.greater, r"\leq": np.less_equal,
          r"\geq": np.greater_equal}  # fmt: skip
_CONNECTIVES = {",": np.logical_and, r"\wedge": np.logical_and, r"\vee": np.logical_or}
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


# ------------------------------------------------------------------------------------------ ranges


def full_range(letter: str, info: SymbolInfo, uses: frozenset[tuple[str, str, int, int]], env: Env) -> np.ndarray:
    """All the values of an index: its declared size, or the length of an axis it directly subscripts."""
    size = info.index_size
    if isinstance(size, str):
        if (DIM, size) not in env:
            raise EvalError(f"index {letter}: dimension {size!r} is not declared in dims=")
        size = int(env[(DIM, size)])
    if size is None:
        lengths = {np.shape(env[key])[axis] for (name, key, axis, _) in uses
                   if name == letter and key in env and axis < np.ndim(env[key])}  # fmt: skip
        if not lengths:
            raise EvalError(f"cannot tell how many values {letter} takes: declare Index(size=…) or subscript an array with it")
        if len(lengths) > 1:
            raise EvalError(f"index {letter} subscripts axes of different lengths {sorted(lengths)}")
        size = lengths.pop()
    return np.arange(info.index_start, info.index_start + int(size))


def _integer(value: Any, what: str) -> int:
    v = np.asarray(value, dtype=float)
    if v.ndim != 0 or v != np.round(v):
        raise EvalError(f"{what} must be an integer, not {v if v.ndim else float(v):g}")
    return int(v)


# ------------------------------------------------------------------------------------------ binders


def _binder_spec(p: Parser, tok: str) -> tuple[list[str], Node | None, list[Node]]:
    """Read ``_{…}`` of a binder: the bound letters, a lower bound (with ``=``), and range conditions."""
    if p.peek() != "_":
        raise LatexError(f"{tok} needs an index: {tok}_{{i}} or {tok}_{{i=1}}^{{n}}")
    p.take("_")
    p.take("{")
    depth, close = 0, None
    for j in range(p.i, p.limit):
        t = p.toks[j].text
        depth += 1 if t in ("{", "(", "[") else -1 if t in ("}", ")", "]") else 0
        if depth < 0:
            close = j
            break
    if close is None:
        raise LatexError(f"unclosed subscript of {tok}")
    spec = [t.text for t in p.toks[p.i : close]]
    rel = [k for k, t in enumerate(spec) if t in RELOPS or t == r"\in"]
    if any(spec[k] == r"\in" for k in rel):
        raise LatexError(f"{tok}_{{… \\in …}} (a set of values) is not supported: write {tok}_{{i=1}}^{{n}} or exempt the formula")
    start = p.i
    lower: Node | None = None
    conditions: list[Node] = []
    if not rel:
        letters = [t for k, t in enumerate(spec) if k % 2 == 0]
        if any(spec[k] != "," for k in range(1, len(spec), 2)) or not letters:
            raise LatexError(f"cannot read the index of {tok}_{{{''.join(spec)}}}")
    elif len(rel) == 1 and spec[rel[0]] == "=":
        head = spec[: rel[0]]
        letters = [t for k, t in enumerate(head) if k % 2 == 0]
        if any(head[k] != "," for k in range(1, len(head), 2)) or not letters:
            raise LatexError(f"cannot read the index of {tok}_{{{''.join(spec)}}}")
        lower = p.sub_parse(start + rel[0] + 1, close)
    elif len(rel) == 1 and rel[0] == 1:
        letters = [spec[0]]
        conditions.append(p.sub_parse(start, close, lambda: condition(p, bound=letters)))
    elif len(rel) == 2 and rel[1] == rel[0] + 2:
        letters = [spec[rel[0] + 1]]
        conditions.append(p.sub_parse(start, close, lambda: condition(p, bound=letters)))
    else:
        raise LatexError(f"cannot read the range of {tok}_{{{''.join(spec)}}}")
    p.i = close + 1
    return letters, lower, conditions


def binder(p: Parser, tok: str) -> Node:
    how = _REDUCE[tok]
    p.take()
    letters, lower, conditions = _binder_spec(p, tok)
    upper: Node | None = None
    if lower is not None:
        if p.peek() != "^":
            raise LatexError(f"{tok}_{{{letters[0]}=…}} needs an upper bound: {tok}_{{{letters[0]}=1}}^{{n}}")
        p.take("^")
        upper = p.group()
    elif p.peek() == "^":
        raise LatexError(f"{tok} with an upper bound needs a lower one: {tok}_{{{letters[0]}=1}}^{{n}}")
    for letter in letters:
        if letter in p.bound:
            raise LatexError(f"index {letter} is bound twice ({tok}_{letter} inside another binder of {letter})")
        if letter not in p.indices:
            declared = any(s.key == letter for s in p.table)
            raise UnknownSymbolError(f"{tok}_{letter} binds {letter}, which the binding declares as a symbol, not an Index"
                                     if declared else f"undeclared index '{letter}' of {tok}_{letter}: declare r\"{letter}\": Index()")  # fmt: skip
    if how in ("argmax", "argmin") and len(letters) > 1:
        raise LatexError(f"{tok} over several indices is ambiguous: bind one index")
    p.bound.extend(letters)
    try:
        body = p.term()
    finally:
        del p.bound[-len(letters) :]
    for letter in letters:
        if letter not in body.free:
            uses = f" (it uses {', '.join(sorted(body.free))})" if body.free else ""
            raise LatexError(f"the {_WHAT[how]} {tok}_{letter} does not depend on {letter}{uses}")
    infos = [p.indices[x] for x in letters]
    fb = body.fn
    fl = lower.fn if lower is not None else None
    fu = upper.fn if upper is not None else None
    fcs = [c.fn for c in conditions]
    uses = body.uses
    neutral = _NEUTRAL[how]

    def evaluate(e: Env) -> Any:
        env = dict(e)
        masks = []
        for letter, info in zip(letters, infos, strict=True):
            if fl is not None and fu is not None:
                lo, hi = fl(e), fu(e)
                if isinstance(lo, Indexed) or isinstance(hi, Indexed):
                    values = full_range(letter, info, uses, e)
                    at = Indexed(values.astype(float), (letter,))
                    masks.append(lift(lambda v, a, b: (v >= a) & (v <= b), at, lo, hi))
                else:
                    values = np.arange(_integer(lo, f"the lower bound of {tok}"), _integer(hi, f"the upper bound of {tok}") + 1)
            else:
                values = full_range(letter, info, uses, e)
            env[(RANGE, letter)] = values
        masks.extend(fc(env) for fc in fcs)
        if masks:
            env[MASKED] = True
        with np.errstate(invalid="ignore"):
            value = fb(env)
            for m in masks:
                value = lift(lambda v, keep: np.where(keep, v, neutral), value, m)
        for letter in reversed(letters):
            values = env[(RANGE, letter)]
            if len(values) == 0 and how in ("max", "min", "argmax", "argmin"):
                raise EvalError(f"{tok}_{letter} over an empty range")
            value = reduce(value, letter, how, positions=values)
        return value

    children = [body] + [n for n in (lower, upper) if n is not None] + conditions
    free = (body.free - set(letters)) | frozenset().union(*(c.free for c in children[1:]))
    kind = SCALAR if body.kind == SCALAR else ARRAY
    return node(kind, evaluate, f"{how}_{','.join(letters)}({body.text})", *children, free=free)


# ------------------------------------------------------------------------------------------ conditions


def _comparison(p: Parser) -> Node:
    left = p.expr()
    out: Node | None = None
    while p.peek() in RELOPS:
        op = p.take()
        right = p.expr()
        fa, fb, cmp = left.fn, right.fn, RELOPS[op]
        pair = node(SCALAR, lambda e, fa=fa, fb=fb, cmp=cmp: lift(cmp, fa(e), fb(e)), f"{left.text} {op} {right.text}", left, right)
        if out is None:
            out = pair
        else:
            fo, fp = out.fn, pair.fn
            out = node(SCALAR, lambda e, fo=fo, fp=fp: lift(np.logical_and, fo(e), fp(e)), f"{out.text}, {pair.text}", out, pair)
        left = right
    if out is None:
        raise LatexError(f"expected a comparison (=, \\neq, <, >, \\leq, \\geq) {p.where()}")
    return out


def condition(p: Parser, bound: list[str] | None = None) -> Node:
    """Comparisons joined by ``,`` / ``\\wedge`` (and) or ``\\vee`` (or); a boolean value."""
    out = _comparison(p)
    while p.peek() in _CONNECTIVES:
        op = p.take()
        nxt = _comparison(p)
        fo, fn, join = out.fn, nxt.fn, _CONNECTIVES[op]
        out = node(SCALAR, lambda e, fo=fo, fn=fn, join=join: lift(join, fo(e), fn(e)), f"{out.text} {op} {nxt.text}", out, nxt)
    return out


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


# ------------------------------------------------------------------------------------------ dispatch


def parse(p: Parser, tok: str) -> Node:
    """Parse the construct starting with ``tok`` (one of `STARTS`)."""
    if tok in _REDUCE:
        return binder(p, tok)
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
        from studylog.engine.parse import unknown_symbol

        raise unknown_symbol(p)
    raise LatexError(f"unexpected {tok!r} {p.where()}")


__all__ = ["DIM", "INDEX", "RELOPS", "STARTS", "NormSite", "condition", "full_range", "parse", "unknown"]
