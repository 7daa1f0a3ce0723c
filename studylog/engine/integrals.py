r"""Definite integrals ``\int_a^b f(x)\,dx``, evaluated by quadrature to the binding's tolerance.

The differential (``dx``, ``\,dx``, ``\mathrm{d}x``) names the integration variable, which the integral
binds: inside the integrand it stands for the quadrature nodes. Bounds may be numbers, drawn values
(elementwise arrays too, as in ``\int_{-\infty}^{x}``) or ``\pm\infty`` (mapped onto a finite interval).

Quadrature is composite Gauss–Legendre with 16 nodes per panel, doubling the panels until two successive
estimates agree to a tenth of the binding's tolerance (up to 8,192 nodes); an integral that does not
converge is an error that says so. Written here rather than taken from scipy because the integrand is
evaluated on all nodes at once (vectorized through the formula's tree), which ``scipy.integrate`` cannot.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from studylog.engine.nodes import TOL, VAR, Env, Node, node
from studylog.engine.symbols import ARRAY, SCALAR
from studylog.engine.values import EvalError, Indexed, emap, lift, reduce
from studylog.errors import LatexError

if TYPE_CHECKING:
    from studylog.engine.parse import Parser

STARTS = {r"\int"}
_NODES_PER_PANEL = 16
_MAX_PANELS = 512
_ENDS_DIFFERENTIAL = {None, "+", "-", ")", "]", "}", r"\}", ",", ".", ";", "&", "\\\\", "=", r"\cdot", r"\times", "|", r"\lVert"}


@cache
def _rule(panels: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre nodes and weights on [0, 1]."""
    x, w = np.polynomial.legendre.leggauss(_NODES_PER_PANEL)
    h = 1.0 / panels
    left = np.arange(panels)[:, None] * h
    return (left + h * (x + 1) / 2).ravel(), np.tile(w * h / 2, panels)


def _differential(p: Parser) -> tuple[int, int, str]:
    """Where the differential is: ``(index of d, index just past it, variable)``."""
    depth = 0
    for j in range(p.i, p.limit):
        t = p.toks[j].text
        if t in ("{", "(", "[", r"\{"):
            depth += 1
        elif t in ("}", ")", "]", r"\}"):
            depth -= 1
            if depth < 0:
                break
        elif depth == 0 and t in ("d", r"\mathrm{d}") and j + 1 < p.limit:
            var = p.toks[j + 1].text
            end = j + 2
            if var == "{" and j + 3 < p.limit and p.toks[j + 3].text == "}":
                var, end = p.toks[j + 2].text, j + 4
            nxt = p.toks[end].text if end < p.limit else None
            if (var.isalpha() and len(var) == 1 or var.startswith("\\") and var[1:].isalpha()) and nxt in _ENDS_DIFFERENTIAL:
                return j, end, var
    raise LatexError("cannot find the integral's differential (dx): write \\int_a^b f(x)\\,dx")


def parse(p: Parser) -> Node:
    p.take(r"\int")
    if p.peek() != "_":
        raise LatexError("\\int without bounds (an indefinite integral) is not supported: write \\int_a^b, or exempt the formula")
    p.take("_")
    lower = p.group()
    if p.peek() != "^":
        raise LatexError("\\int needs an upper bound too: \\int_a^b f(x)\\,dx")
    p.take("^")
    upper = p.group()
    d_at, end, var = _differential(p)
    if d_at == p.i:
        raise LatexError("the integral has no integrand before its differential")
    p.variables.append(var)
    try:
        body = p.sub_parse(p.i, d_at)
    finally:
        p.variables.pop()
    p.i = end
    fb, fl, fu = body.fn, lower.fn, upper.fn
    text = f"∫[{lower.text}, {upper.text}]({body.text}) d{var}"

    def evaluate(e: Env) -> Any:
        return integrate(fb, var, fl(e), fu(e), e, text)

    free = (body.free - {var}) | lower.free | upper.free
    kind = ARRAY if ARRAY in (body.kind, lower.kind, upper.kind) else SCALAR
    return node(kind, evaluate, text, body, lower, upper, free=free)


def _all(value: Any, test: Any) -> bool:
    return bool(np.all(test(value.a if isinstance(value, Indexed) else np.asarray(value, dtype=float))))


def _transform(u: Indexed, lo: Any, hi: Any) -> tuple[Any, Any]:
    """Nodes ``x`` and the Jacobian ``dx/du`` for ``u`` in (0, 1), for finite or infinite bounds."""
    lo_inf, hi_inf = _all(lo, np.isinf), _all(hi, np.isinf)
    if not lo_inf and not _all(lo, np.isfinite) or not hi_inf and not _all(hi, np.isfinite):
        raise EvalError("an integral bound is infinite for some drawn values and finite for others")
    if not lo_inf and not hi_inf:
        width = lift(np.subtract, hi, lo)
        return lift(lambda a, w, t: a + w * t, lo, width, u), width
    if lo_inf and not hi_inf:  # (-inf, b]
        return lift(lambda b, t: b - (1 - t) / t, hi, u), emap(lambda t: 1 / t**2, u)
    if hi_inf and not lo_inf:  # [a, inf)
        return lift(lambda a, t: a + t / (1 - t), lo, u), emap(lambda t: 1 / (1 - t) ** 2, u)
    s = emap(lambda t: 2 * t - 1, u)
    return emap(lambda v: v / (1 - v**2), s), emap(lambda v: 2 * (1 + v**2) / (1 - v**2) ** 2, s)


def integrate(body: Any, var: str, lo: Any, hi: Any, env: Env, text: str) -> Any:
    """``∫_lo^hi body dvar``, doubling the panels until converged to the binding's tolerance."""
    rtol, atol = env.get(TOL, (1e-12, 1e-12))
    sign = 1.0
    if _all(lo, np.isposinf) or _all(hi, np.isneginf):
        lo, hi, sign = hi, lo, -1.0
    label = f"∫{var}"
    previous: Any = None
    change = np.inf
    panels = 1
    while panels <= _MAX_PANELS:
        u, w = _rule(panels)
        x, jac = _transform(Indexed(u, (label,)), lo, hi)
        with np.errstate(all="ignore"):
            f = body({**env, (VAR, var): x})
            weighted = lift(lambda a, b, c: a * b * c, f, jac, Indexed(w, (label,)))
        if not isinstance(weighted, Indexed) or label not in weighted.labels:
            raise EvalError(f"the integrand of {text} cannot be evaluated on its nodes")
        total = reduce(weighted, label, "sum")
        size = reduce(emap(np.abs, weighted), label, "sum")
        if previous is not None:
            gap = lift(lambda t, q: np.abs(t - q), total, previous)
            ok = lift(lambda g, t, s: g <= 0.1 * (atol + rtol * np.abs(t)) + 1e3 * np.finfo(float).eps * s, gap, total, size)
            change = float(np.max(gap.a if isinstance(gap, Indexed) else gap))
            if _all(ok, lambda v: v.astype(bool)):
                return emap(lambda v: sign * v, total)
        previous = total
        panels *= 2
    raise EvalError(
        f"{text} did not converge to rtol={rtol:g} with {_MAX_PANELS * _NODES_PER_PANEL} nodes (last change {change:.2g}): "
        "is the integrand smooth? State a looser tolerance with a reason"
    )
