r"""Polynomial least squares: the model whose complexity (the degree) the examples vary.

The fit minimizes the training mean squared error over the coefficients $`c`$:
$`\hat f(x) = \sum_{j=0}^{d} c_j x^j`$, solved with ``numpy.linalg.lstsq`` on the Vandermonde matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.learning._checks import as_float_array, check_int

Predictor = Callable[[NDArray[np.float64]], NDArray[np.float64]]
"""A fitted model: inputs -> predictions."""

Fitter = Callable[[NDArray[np.float64], NDArray[np.float64]], Predictor]
"""A learning algorithm: ``(x, y) -> predictor``."""


def vandermonde(x: ArrayLike, degree: int) -> NDArray[np.float64]:
    """Design matrix with columns ``x**0, x**1, ..., x**degree``.

    Args:
        x: 1-D inputs, shape ``(n,)``.
        degree: polynomial degree (``>= 0``).

    Returns:
        Matrix of shape ``(n, degree + 1)``.

    Raises:
        ValueError: if ``x`` is not 1-D or ``degree < 0``.

    Examples:
        >>> print(vandermonde([2.0, 3.0], 2))
        [[1. 2. 4.]
         [1. 3. 9.]]
    """
    x = as_float_array("x", x, ndim=1)
    degree = check_int("degree", degree, minimum=0)
    return np.vander(x, degree + 1, increasing=True)


class Polynomial(NamedTuple):
    r"""A fitted polynomial in the rescaled input $`u = (x - \mathrm{center}) / \mathrm{scale}`$.

    Fitting in $`u \in [-1, 1]`$ instead of $`x`$ keeps the Vandermonde matrix well conditioned
    for high degrees (the same trick as ``numpy.polynomial.Polynomial.fit``). Calling it evaluates it.
    """

    coef: NDArray[np.float64]
    """Coefficients in increasing powers of ``u``: ``coef[j]`` multiplies ``u**j``."""
    center: float = 0.0
    """Midpoint of the training inputs."""
    scale: float = 1.0
    """Half-range of the training inputs (1 if they are all equal)."""

    def __call__(self, x: ArrayLike) -> NDArray[np.float64]:
        """Evaluate the polynomial at ``x`` (any shape)."""
        u = (np.asarray(x, dtype=np.float64) - self.center) / self.scale
        return np.polynomial.polynomial.polyval(u, self.coef)


def fit_polynomial(x: ArrayLike, y: ArrayLike, *, degree: int) -> Polynomial:
    """Least-squares polynomial fit of ``y`` on ``x`` (minimum-norm solution if rank-deficient).

    Args:
        x: inputs, shape ``(n,)``.
        y: targets, shape ``(n,)``.
        degree: polynomial degree (``>= 0``).

    Returns:
        The fitted polynomial.

    Raises:
        ValueError: if the shapes differ or ``degree < 0``.

    Examples:
        >>> p = fit_polynomial([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], degree=1)
        >>> print(p(np.array([3.0, 10.0])).round(6))
        [ 7. 21.]
    """
    x = as_float_array("x", x, ndim=1)
    y = as_float_array("y", y, ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    center = float(x.max() + x.min()) / 2.0
    half_range = float(x.max() - x.min()) / 2.0
    scale = half_range if half_range > 0.0 else 1.0
    coef, *_ = np.linalg.lstsq(vandermonde((x - center) / scale, degree), y, rcond=None)
    return Polynomial(coef=coef, center=center, scale=scale)


def polynomial_fitter(degree: int) -> Fitter:
    """The learning algorithm "least-squares polynomial of this degree", as a `Fitter`.

    Args:
        degree: polynomial degree (``>= 0``).

    Returns:
        A function ``(x, y) -> Polynomial``.

    Raises:
        ValueError: if ``degree < 0``.

    Examples:
        >>> fit = polynomial_fitter(0)
        >>> print(fit(np.array([0.0, 1.0]), np.array([1.0, 3.0]))(np.array([5.0])))
        [2.]
    """
    degree = check_int("degree", degree, minimum=0)

    def fit(x: NDArray[np.float64], y: NDArray[np.float64]) -> Polynomial:
        return fit_polynomial(x, y, degree=degree)

    return fit
