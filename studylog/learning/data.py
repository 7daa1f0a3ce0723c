r"""Synthetic regression data: a known smooth function plus Gaussian noise.

The target is $`y = f(x) + \varepsilon`$ with $`f(x) = \sin(2\pi x)`$ and
$`\varepsilon \sim \mathcal N(0, \sigma^2)`$, so the noise level is known exactly (needed for the
bias–variance decomposition, where the noise term is $`\sigma^2`$).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.learning._checks import as_float_array, check_int, check_nonnegative


def true_function(x: ArrayLike) -> NDArray[np.float64]:
    r"""The noise-free target $`f(x) = \sin(2\pi x)`$ used by the synthetic data sets.

    Args:
        x: inputs.

    Returns:
        $`f(x)`$, elementwise.

    Examples:
        >>> print(true_function([0.0, 0.25]).round(3))
        [0. 1.]
    """
    return np.sin(2.0 * np.pi * np.asarray(x, dtype=np.float64))


class Dataset(NamedTuple):
    """A 1-D regression data set."""

    x: NDArray[np.float64]
    """Inputs, shape ``(n,)``."""
    y: NDArray[np.float64]
    """Noisy targets, shape ``(n,)``."""


def make_sine_data(n: int, *, sigma: float, seed: int) -> Dataset:
    r"""Draw ``n`` points with $`x \sim U(0, 1)`$ and $`y = \sin(2\pi x) + \varepsilon`$.

    Args:
        n: number of points (at least 1).
        sigma: standard deviation of the Gaussian noise (``>= 0``).
        seed: seed of the ``numpy.random.default_rng`` generator.

    Returns:
        The data set.

    Raises:
        ValueError: if ``n < 1`` or ``sigma < 0``.

    Examples:
        >>> data = make_sine_data(4, sigma=0.0, seed=0)
        >>> bool(np.allclose(data.y, np.sin(2 * np.pi * data.x)))
        True
    """
    n = check_int("n", n, minimum=1)
    sigma = check_nonnegative("sigma", sigma)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=n)
    y = true_function(x) + sigma * rng.standard_normal(n)
    return Dataset(x=x, y=y)


def add_noise(f_values: ArrayLike, *, sigma: float, seed: int) -> NDArray[np.float64]:
    r"""Return ``f_values`` plus independent $`\mathcal N(0, \sigma^2)`$ noise.

    Args:
        f_values: noise-free values.
        sigma: noise standard deviation (``>= 0``).
        seed: seed of the generator.

    Returns:
        The noisy values, same shape as ``f_values``.

    Raises:
        ValueError: if ``sigma < 0``.

    Examples:
        >>> print(add_noise([1.0, 2.0], sigma=0.0, seed=0))
        [1. 2.]
    """
    f_values = as_float_array("f_values", f_values)
    sigma = check_nonnegative("sigma", sigma)
    rng = np.random.default_rng(seed)
    return f_values + sigma * rng.standard_normal(f_values.shape)
