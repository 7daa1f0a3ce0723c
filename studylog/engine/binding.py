r"""How an implementation declares the formulas it computes.

The LaTeX of a formula lives once, in a log; the code names the formula's id and maps every symbol the
rendered formula uses to an argument or an output of the function::

    @implements(
        "sgd",
        symbols={
            r"W_t": In("W", Array()),
            r"\eta": In("lr", Scalar(0.01, 0.5)),
            r"g_t": In("g", Array()),
            r"W_{t+1}": Out("W"),
        },
    )
    def sgd_step(W, g, *, lr): ...

Keys are LaTeX snippets as rendered (``W_t`` and ``W_{t}`` are the same key); anything a formula uses that
the table does not declare is an error (closed world).

Indexed symbols are declared once, with an index letter that the table declares as an `Index`::

    symbols={r"x_i": In("x", Array(shape=(5,))), r"i": Index(), r"j": Index(), ...}

Then ``x_i``, ``x_j``, ``x_{i+1}`` and ``x_1`` are all ``x`` at a position (counted from 1, as written in
the notes, unless the index is declared ``Index(start=0)``), and ``\sum_j``, ``\prod_j``, ``\max_j``,
``\arg\max_j`` run over the values of ``j``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from studylog.errors import BindingError

# --------------------------------------------------------------------------------------------- samplers


@dataclass(frozen=True)
class Array:
    """An elementwise (Hadamard-semantics) float64 array drawn uniformly from ``[low, high)``.

    ``shape=None`` uses the binding's ``shape`` (non-square by default); entries of ``shape`` may be
    names of ``dims``.
    """

    low: float = -1.0
    high: float = 1.0
    shape: tuple[int | str, ...] | None = None


@dataclass(frozen=True)
class Dim:
    """The drawn size of the named dimension (e.g. ``k`` of ``k`` folds bound to an array's length)."""

    name: str


@dataclass(frozen=True)
class Scalar:
    """A float drawn uniformly from ``[low, high)``; draws of different scalars are kept apart."""

    low: float = 0.1
    high: float = 0.9


@dataclass(frozen=True)
class Int:
    """An integer drawn uniformly from ``[low, high]`` (e.g. a step count ``t >= 2``)."""

    low: int = 2
    high: int = 12


@dataclass(frozen=True)
class Matrix:
    """A matrix with matrix-product semantics; ``rows``/``cols`` are sizes or names of ``dims``."""

    rows: int | str
    cols: int | str
    low: float = -1.0
    high: float = 1.0


@dataclass(frozen=True)
class Fn:
    """A random smooth elementwise function ``x -> a*x + b*sin(c*x)`` (e.g. a gradient oracle).

    Used in the formula as ``KEY(expr)`` and passed to the implementation as a callable.
    """


@dataclass(frozen=True)
class Choice:
    """One of a few fixed values (e.g. a label in ``{-1, +1}`` drawn per element)."""

    values: tuple[float, ...]
    shape: tuple[int | str, ...] | None = None


@dataclass(frozen=True)
class Fixed:
    """A fixed value passed as given (an array, a number or a callable)."""

    value: Any


Sampler = Array | Scalar | Int | Dim | Matrix | Fn | Choice | Fixed

# ------------------------------------------------------------------------------------- symbol roles


@dataclass(frozen=True)
class In:
    """The symbol is an input: drawn by ``sample`` and passed to the implementation as ``arg``.

    ``arg=None`` draws the value for the formula only (the implementation does not take it).
    Symbols bound to the same ``arg`` share one value (``x_i`` and ``x_j`` under the vectorized index
    convention).
    """

    arg: str | None
    sample: Sampler = field(default_factory=Array)


@dataclass(frozen=True)
class Out:
    """The symbol is an output: ``attr`` of the implementation's result (attribute or key).

    ``attr=None`` means the result itself.
    """

    attr: str | None = None


@dataclass(frozen=True)
class Const:
    """A named constant of the notation, e.g. ``e`` or ``\\pi``."""

    value: float


@dataclass(frozen=True)
class Op:
    r"""A named operator applied to a bracketed argument: ``KEY(x)``, ``KEY[x]`` or ``KEY\{x\}``.

    ``fn`` takes the argument's value (or several, comma-separated) and returns the result.
    """

    fn: Callable[..., Any]
    brackets: str = "()"


def _mean_over_samples(x: Any) -> Any:
    import numpy as np

    return np.mean(np.asarray(x, dtype=float), axis=0)


def Expectation() -> Op:  # noqa: N802 - reads like the other role constructors
    r"""``\mathbb{E}[\cdot]``: the mean over the leading (sample) axis."""
    return Op(_mean_over_samples, brackets="[]")


@dataclass(frozen=True)
class Derived:
    r"""The symbol stands for an expression of other declared symbols, e.g. ``\Delta W_t`` for
    ``W_{t+1} - W_t``.
    """

    latex: str


@dataclass(frozen=True)
class Index:
    r"""The symbol is an index letter: ``i`` of ``x_i``, ``\sum_i``, ``\max_i``, ``\arg\max_i``.

    A key whose subscript holds an index letter (``x_i``, ``p_{t,i}``, ``W_{ij}``, ``h_m(x_i)``) declares an
    *indexed* symbol: its subscripts pick positions along the leading axes of its value, in order, and the
    formula may write any index letter or expression there (``x_j``, ``x_{i+1}``, ``x_1``). Trailing axes
    are elementwise. ``\sum_j`` without bounds runs over all of ``j``'s values; ``\sum_{j=1}^{m}`` over
    ``1..m``. An index left free on the right side must be free on the left side too.

    Args:
        size: how many values the index takes: an int, the name of a dimension drawn from ``dims=``, or
            None (the length of the axis it subscripts).
        start: its first value: 1 as most notes count; 0 when the notes count from 0 (as Python does).
            ``\arg\max_k`` returns a value of ``k``, so it follows the same rule.
    """

    size: int | str | None = None
    start: int = 1


@dataclass(frozen=True)
class Var:
    r"""The symbol is the variable of an optimization problem: ``\theta`` of ``\min_\theta J(\theta)``.

    The implementation solves the problem and returns its solution as ``solution`` (an attribute or key of
    its result). The engine checks the solution the way a mathematician reads ``\arg\min``: the objective
    is no smaller at ``points`` values drawn from ``sample`` and at small perturbations of the solution
    (steps of 10⁻¹, 10⁻², 10⁻³ of its size in random directions). Then ``\min_\theta J(\theta)`` is the
    objective at the solution and ``\arg\min_\theta J(\theta)`` the solution itself; a bare problem
    statement ``\min_\theta J(\theta)`` (no relation) is checked by the certificate alone.
    """

    solution: str | None
    sample: Sampler = field(default_factory=Array)
    points: int = 32


Role = In | Out | Const | Op | Derived | Index | Var

# ------------------------------------------------------------------------------------------ binding


@dataclass(frozen=True)
class Binding:
    """One ``@implements`` declaration: which formulas a callable computes and how to call it."""

    formula_ids: tuple[str, ...]
    func: Callable[..., Any]
    symbols: Mapping[str, Role]
    fixed: Mapping[str, Any]
    dims: Mapping[str, tuple[int, int]]
    identity: bool
    rtol: float
    atol: float
    draws: int
    shape: tuple[int, ...]
    reason: str | None
    qualname: str
    module: str
    source_file: str | None
    source_line: int | None

    @property
    def path(self) -> str:
        """The dotted import path of the implementation (its mkdocstrings identifier)."""
        return f"{self.module}.{self.qualname}"


BINDINGS_ATTR = "__studylog_bindings__"


def implements(
    *formula_ids: str,
    symbols: Mapping[str, Role],
    fixed: Mapping[str, Any] | None = None,
    dims: Mapping[str, tuple[int, int]] | None = None,
    identity: bool = False,
    rtol: float = 1e-12,
    atol: float = 1e-12,
    draws: int = 5,
    shape: tuple[int, ...] = (3, 5),
    reason: str | None = None,
) -> Callable[[Any], Any]:
    r"""Declare that the decorated callable computes the formulas ``formula_ids`` of the logs.

    Args:
        formula_ids: ids of the formulas, evaluated in this order (a system: later equations may use
            the left-hand sides of earlier ones).
        symbols: LaTeX symbol as rendered -> role (`In`, `Out`, `Const`,
            `Op`, `Derived`, `Index`, `Var`).
        fixed: keyword arguments always passed to the callable (e.g. ``convention="lecture"``).
        dims: named matrix dimensions -> inclusive range; drawn pairwise distinct.
        identity: the formulas are identities checked by simulation: the callable returns samples
            (bound with `Out`), and each formula's two sides are compared with each other, relative to
            the smallest of their terms (so that no term can hide below the tolerance). The engine also
            shows that the tolerance rejects each term scaled by ``1 ± 2·rtol``, or refuses it.
        rtol: relative tolerance of the comparison.
        atol: absolute tolerance of the comparison.
        draws: how many independent random draws are checked.
        shape: default shape of `Array` inputs (non-square on purpose).
        reason: why a tolerance looser than the default is right (required when loosening it).

    Returns:
        A decorator that records the binding on the callable and returns it unchanged.
    """
    if not formula_ids:
        raise BindingError("@implements needs at least one formula id")
    if (rtol > 1e-9 or atol > 1e-9) and not reason:
        raise BindingError(f"@implements{formula_ids}: a tolerance looser than 1e-9 needs a reason=")

    def decorate(obj: Any) -> Any:
        target = obj
        try:
            source_file = inspect.getsourcefile(target)
            source_line = inspect.getsourcelines(target)[1]
        except (OSError, TypeError):
            source_file, source_line = None, None
        binding = Binding(
            formula_ids=tuple(formula_ids),
            func=obj,
            symbols=dict(symbols),
            fixed=dict(fixed or {}),
            dims=dict(dims or {}),
            identity=identity,
            rtol=rtol,
            atol=atol,
            draws=draws,
            shape=tuple(shape),
            reason=reason,
            qualname=obj.__qualname__,
            module=obj.__module__,
            source_file=source_file,
            source_line=source_line,
        )
        existing = list(getattr(obj, BINDINGS_ATTR, ()))
        # a function's __dict__ is its own; a subclass must not inherit its parent's bindings
        if isinstance(obj, type):
            existing = list(obj.__dict__.get(BINDINGS_ATTR, ()))
        setattr(obj, BINDINGS_ATTR, (*existing, binding))
        return obj

    return decorate


def bindings_of(obj: Any) -> tuple[Binding, ...]:
    """The bindings declared on ``obj`` itself (not inherited)."""
    if isinstance(obj, type):
        return tuple(obj.__dict__.get(BINDINGS_ATTR, ()))
    return tuple(getattr(obj, BINDINGS_ATTR, ()))
