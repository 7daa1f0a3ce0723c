r"""Small deterministic test problems for comparing optimizers: ``quad``, ``quad_tiny`` and ``rosen``.

* ``quad``: $`f(w) = \tfrac12 w^\top A w - b^\top w`$ in $`d = 10`$, with $`A`$ symmetric positive
  definite, eigenvalues log-spaced in $`[0.1, 10]`$ (condition number 100); random $`b`$ and start
  (numpy seed 0). Gradients are of order 1 to 10.
* ``quad_tiny``: the same function times $`10^{-6}`$: gradients of order $`10^{-6}`$, where the
  placement of $`\epsilon`$ decides how far Adagrad/RMSprop/Adam move.
* ``rosen``: the 2-D Rosenbrock function from $`(-1.2, 1)`$ (gradients of order 100 at the start).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Problem(NamedTuple):
    """A differentiable test function with a starting point (float64 throughout)."""

    name: str
    w0: np.ndarray
    """The starting point."""
    loss: Callable[[np.ndarray], float]
    grad: Callable[[np.ndarray], np.ndarray]


def quadratic(scale: float = 1.0, *, d: int = 10, seed: int = 0, name: str = "quad") -> Problem:
    r"""The ill-conditioned quadratic $`\text{scale} \cdot (\tfrac12 w^\top A w - b^\top w)`$.

    Args:
        scale: factor on the whole function (``1e-6`` gives ``quad_tiny``).
        d: dimension.
        seed: numpy seed of the rotation, $`b`$ and the start.
        name: the problem's name.

    Returns:
        The `Problem`.

    Examples:
        >>> q = quadratic()
        >>> A = np.stack([q.grad(e) - q.grad(np.zeros(10)) for e in np.eye(10)])  # recover A from gradients
        >>> bool(np.allclose(np.linalg.eigvalsh(A)[[0, -1]], [0.1, 10.0]))
        True
    """
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    A = q @ np.diag(np.logspace(-1.0, 1.0, d)) @ q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(d)
    w0 = rng.standard_normal(d)

    def loss(w: np.ndarray) -> float:
        return float(scale * (0.5 * w @ A @ w - b @ w))

    def grad(w: np.ndarray) -> np.ndarray:
        return scale * (A @ w - b)

    return Problem(name, w0, loss, grad)


def rosenbrock() -> Problem:
    r"""The Rosenbrock function $`(1 - x)^2 + 100 (y - x^2)^2`$ from $`(-1.2, 1)`$.

    Examples:
        >>> r = rosenbrock()
        >>> r.loss(np.array([1.0, 1.0])), r.grad(np.array([1.0, 1.0]))
        (0.0, array([0., 0.]))
    """

    def loss(w: np.ndarray) -> float:
        x, y = w
        return float((1 - x) ** 2 + 100 * (y - x * x) ** 2)

    def grad(w: np.ndarray) -> np.ndarray:
        x, y = w
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    return Problem("rosen", np.array([-1.2, 1.0]), loss, grad)


def problem(name: str) -> Problem:
    """The problem called ``name``: ``"quad"``, ``"quad_tiny"`` or ``"rosen"``.

    Raises:
        ValueError: unknown name.

    Examples:
        >>> problem("quad_tiny").grad(problem("quad_tiny").w0).max() < 1e-4
        np.True_
    """
    if name == "quad":
        return quadratic()
    if name == "quad_tiny":
        return quadratic(1e-6, name="quad_tiny")
    if name == "rosen":
        return rosenbrock()
    raise ValueError(f"name={name!r} must be one of 'quad', 'quad_tiny', 'rosen'")


PROBLEM_NAMES = ("quad", "quad_tiny", "rosen")


def scale_invariant(kind: str, *, shape: tuple[int, int] = (8, 16), seed: int = 0) -> Problem:
    r"""A loss that does not change when the weight is scaled: row by row, or as a whole tensor.

    ``kind="row"``: $`f(W) = \sum_i c_i^\top w_i / \lVert w_i \rVert`$ (each output channel is
    scale-invariant, as under BatchNorm), so each row of the gradient is orthogonal to its row of
    $`W`$. ``kind="tensor"``: $`f(W) = \langle C, W \rangle / \lVert W \rVert_F`$ (the whole tensor is
    scale-invariant, as under LayerNorm over all weights), so only the flattened gradient is orthogonal to
    $`W`$. These trigger AdamP's channel-wise and layer-wise projections respectively.

    Args:
        kind: ``"row"`` or ``"tensor"``.
        shape: the weight's shape.
        seed: numpy seed of $`C`$ and the start.

    Returns:
        The `Problem` (2-D start, gradients of the shape of the weight).

    Raises:
        ValueError: unknown ``kind``.

    Examples:
        >>> p = scale_invariant("row")
        >>> W = p.w0
        >>> bool(np.allclose(np.sum(p.grad(W) * W, axis=1), 0.0)), np.isclose(p.loss(3 * W), p.loss(W))
        (True, np.True_)
    """
    rng = np.random.default_rng(seed)
    C = rng.standard_normal(shape)
    w0 = rng.standard_normal(shape)
    if kind == "row":

        def loss(W: np.ndarray) -> float:
            return float(np.sum(C * W / np.linalg.norm(W, axis=1, keepdims=True)))

        def grad(W: np.ndarray) -> np.ndarray:
            n = np.linalg.norm(W, axis=1, keepdims=True)
            u = W / n
            return (C - u * np.sum(C * u, axis=1, keepdims=True)) / n

    elif kind == "tensor":

        def loss(W: np.ndarray) -> float:
            return float(np.sum(C * W) / np.linalg.norm(W))

        def grad(W: np.ndarray) -> np.ndarray:
            n = np.linalg.norm(W)
            u = W / n
            return (C - u * np.sum(C * u)) / n

    else:
        raise ValueError(f"kind={kind!r} must be 'row' or 'tensor'")
    return Problem(f"scale_invariant_{kind}", w0, loss, grad)


def matrix_quadratic(*, shape: tuple[int, int] = (8, 16), seed: int = 1) -> Problem:
    r"""A plain (not scale-invariant) loss on a matrix: $`\tfrac12 \lVert D \odot (W - T) \rVert_F^2`$.

    The target $`T`$ lies beyond the start (about three times it), so along a run the gradient stays far
    from orthogonal to $`W`$, row by row and as a whole: AdamP never projects on it.

    Examples:
        >>> p = matrix_quadratic()
        >>> p.w0.shape, bool(p.loss(p.w0) > 0)
        ((8, 16), True)
    """
    rng = np.random.default_rng(seed)
    D = rng.uniform(0.5, 2.0, shape)
    w0 = rng.standard_normal(shape)
    T = 3.0 * w0 + 0.1 * rng.standard_normal(shape)

    def loss(W: np.ndarray) -> float:
        return float(0.5 * np.sum((D * (W - T)) ** 2))

    def grad(W: np.ndarray) -> np.ndarray:
        return D * D * (W - T)

    return Problem("matrix_quadratic", w0, loss, grad)
