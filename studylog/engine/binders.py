r"""Binders: ``\sum``, ``\prod``, ``\max_j``, ``\min_j``, ``\arg\max_j``, ``\arg\min_j``.

Each binds its index (declared an `~studylog.engine.binding.Index`) and evaluates its body once per index
value, then reduces along that index. The subscript is ``_{j}`` (all of j's values), ``_{i,j}``,
``_{j=1}^{m}``, ``_{j \neq i}`` or ``_{1 \le j \le m}``; bounds that depend on another index mask the
range instead of cutting it. A body that does not depend on the bound index is an error (``\sum_j x_i``
is a typo for ``\sum_j x_j``). An ``\arg\max`` is a value of its index (counted as the index is
declared: from 1 unless 0-based). A sum, product, max or min applies to one term (``\sum_i a_i + b`` adds
``b`` once); an ``\arg\max``/``\arg\min`` to the whole rest of its expression, its objective.

Over a continuous `~studylog.engine.binding.Var` (``\min_\theta J(\theta)``) the code's solution is
certified: no value drawn from the variable's sampler, nor a small perturbation of the solution, may do
better (a `NotOptimal` otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from studylog.engine.nodes import MASKED, RANGE, RNG, SHAPE, SOLUTION, TOL, VAR, Env, Node, node
from studylog.engine.sampling import sample
from studylog.engine.binding import Matrix
from studylog.engine.symbols import ARRAY, MATRIX, SCALAR, VARIABLE, SymbolInfo
from studylog.engine.values import EvalError, Indexed, lift, reduce
from studylog.errors import LatexError, UnknownSymbolError

if TYPE_CHECKING:
    from studylog.engine.parse import Parser

DIM = "dim"
STARTS = {r"\sum": "sum", r"\prod": "prod", r"\max": "max", r"\min": "min", r"\argmax": "argmax", r"\argmin": "argmin"}
_NEUTRAL = {"sum": 0.0, "prod": 1.0, "max": -np.inf, "min": np.inf, "argmax": -np.inf, "argmin": np.inf}
RELOPS = {"=": np.equal, r"\neq": np.not_equal, "<": np.less, ">": np.greater, r"\leq": np.less_equal,
          r"\geq": np.greater_equal}  # fmt: skip
_CONNECTIVES = {",": np.logical_and, r"\wedge": np.logical_and, r"\vee": np.logical_or}
_WHAT = {"sum": "summand of", "prod": "factor of", "max": "expression under", "min": "expression under",
         "argmax": "expression under", "argmin": "expression under"}  # fmt: skip


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


def _spec(p: Parser, tok: str) -> tuple[list[str], Node | None, list[Node]]:
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
        conditions.append(p.sub_parse(start, close, lambda: condition(p)))
    elif len(rel) == 2 and rel[1] == rel[0] + 2:
        letters = [spec[rel[0] + 1]]
        conditions.append(p.sub_parse(start, close, lambda: condition(p)))
    else:
        raise LatexError(f"cannot read the range of {tok}_{{{''.join(spec)}}}")
    p.i = close + 1
    return letters, lower, conditions


def binder(p: Parser, tok: str) -> Node:
    how = STARTS[tok]
    p.take()
    letters, lower, conditions = _spec(p, tok)
    upper: Node | None = None
    if lower is not None:
        if p.peek() != "^":
            raise LatexError(f"{tok}_{{{letters[0]}=…}} needs an upper bound: {tok}_{{{letters[0]}=1}}^{{n}}")
        p.take("^")
        upper = p.group()
    elif p.peek() == "^":
        raise LatexError(f"{tok} with an upper bound needs a lower one: {tok}_{{{letters[0]}=1}}^{{n}}")
    if len(set(letters)) != len(letters):
        raise LatexError(f"{tok}_{{{','.join(letters)}}} binds the same index twice")
    variable = next((s for s in p.table if s.kind == VARIABLE and s.canon == (letters[0],)), None)
    if variable is not None:
        return _optimum(p, tok, how, variable, lower is not None or bool(conditions))
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
        body = p.expr() if how in ("argmax", "argmin") else p.term()  # \arg\max_k z_k + b_k: the whole objective
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

    bounds = [n for n in (lower, upper) if n is not None]
    children = [body, *bounds, *conditions]
    free = (frozenset().union(body.free, *(c.free for c in conditions)) - set(letters)) | frozenset().union(*(b.free for b in bounds))
    kind = SCALAR if body.kind == SCALAR else ARRAY
    return node(kind, evaluate, f"{how}_{','.join(letters)}({body.text})", *children, free=free)



# ------------------------------------------------------------------------------------------ optima


class NotOptimal(EvalError):
    """The implementation's solution of an optimization problem is beaten by another value of its variable."""


def _optimum(p: Parser, tok: str, how: str, info: SymbolInfo, bounded: bool) -> Node:
    r"""``\min_\theta J(\theta)`` over a continuous `~studylog.engine.binding.Var`: certified at the code's solution."""
    letter = info.canon[0]
    if how not in ("max", "min", "argmax", "argmin") or bounded:
        raise LatexError(f"{tok} over the continuous variable {info.key} is not supported: only \\min, \\max, \\arg\\min, \\arg\\max")
    p.variables.append(letter)
    p.variable_kinds[letter] = MATRIX if isinstance(info.variable.sample, Matrix) else ARRAY
    try:
        body = p.expr()  # an objective runs to the end: \min_\theta L(\theta) + \lambda R(\theta)
    finally:
        p.variables.pop()
        p.variable_kinds.pop(letter, None)
    if letter not in body.free:
        raise LatexError(f"the objective of {tok}_{letter} does not depend on {letter}")
    fb, var, key = body.fn, info.variable, info.key
    better = np.less if how in ("min", "argmin") else np.greater

    def objective(e: Env, value: Any) -> float:
        out = np.asarray(fb({**e, (VAR, letter): value}), dtype=float)
        if out.size != 1:
            raise EvalError(f"the objective of {tok}_{letter} must be a number, not an array of shape {out.shape}")
        return float(out.reshape(()))

    def evaluate(e: Env) -> Any:
        if (SOLUTION, key) not in e:
            raise EvalError(f"{key} has no solution: declare Var(solution=…) with the result's attribute")
        solution = np.asarray(e[(SOLUTION, key)], dtype=float)
        rng = e[RNG]
        dims = {name: size for (kind, name), size in ((k, v) for k, v in e.items() if isinstance(k, tuple) and len(k) == 2)
                if kind == DIM}  # fmt: skip
        best = objective(e, solution)
        rtol, atol = e.get(TOL, (1e-12, 1e-12))
        candidates = [sample(var.sample, rng, shape=e[SHAPE], dims=dims, taken=[]) for _ in range(var.points)]
        size = float(np.max(np.abs(solution), initial=0.0)) or 1.0
        for step in (1e-1, 1e-2, 1e-3):
            for _ in range(4):
                direction = rng.standard_normal(solution.shape)
                candidates.append(solution + step * size * direction / max(float(np.max(np.abs(direction), initial=0.0)), 1e-300))
        for candidate in candidates:
            value = objective(e, np.asarray(candidate, dtype=float).reshape(solution.shape))
            if better(value, best) and abs(value - best) > atol + rtol * abs(best):
                word = "smaller" if how in ("min", "argmin") else "larger"
                raise NotOptimal(f"the code's solution {key} does not solve {tok}_{key}: the objective is {word} at another "
                                 f"{key} ({value:.6g} against {best:.6g})")  # fmt: skip
        return best if how in ("min", "max") else solution

    text = f"{how}_{letter}({body.text})"
    return node(SCALAR if how in ("min", "max") else ARRAY, evaluate, text, body, free=body.free - {letter})


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


def condition(p: Parser) -> Node:
    """Comparisons joined by ``,`` / ``\\wedge`` (and) or ``\\vee`` (or); a boolean value."""
    out = _comparison(p)
    while p.peek() in _CONNECTIVES and not (p.peek() == "," and p.peek(1) in (None, "\\\\", "&", r"\end{cases}")):
        op = p.take()
        nxt = _comparison(p)
        fo, fn, join = out.fn, nxt.fn, _CONNECTIVES[op]
        out = node(SCALAR, lambda e, fo=fo, fn=fn, join=join: lift(join, fo(e), fn(e)), f"{out.text} {op} {nxt.text}", out, nxt)
    return out
