r"""Bootstrap resampling (Efron 1979): draw ``n`` indices out of ``n`` uniformly *with replacement*.

A given sample is missed by one draw with probability $`1 - 1/n`$, hence by all ``n`` draws with
probability $`(1 - 1/n)^n`$. The expected fraction of distinct samples in a bootstrap sample is

```math
u_n = 1 - \left(1 - \frac{1}{n}\right)^n
```

(formula ``boot.unique``), which decreases to $`1 - 1/e \approx 0.632`$ as ``n`` grows; the other
samples are "out of bag".
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Expectation, In, Int, Out, implements
from studylog.learning._checks import check_int


def bootstrap_indices(n: int, *, seed: int | None, size: int | None = None) -> NDArray[np.int64]:
    """Draw ``size`` (default ``n``) indices from ``range(n)`` uniformly with replacement.

    Args:
        n: number of samples to resample from (``>= 1``).
        seed: seed of ``numpy.random.default_rng`` (``None``: fresh entropy).
        size: number of draws (default ``n``).

    Returns:
        The drawn indices, shape ``(size,)``.

    Raises:
        ValueError: if ``n < 1`` or ``size < 1``.

    Examples:
        >>> idx = bootstrap_indices(5, seed=0)
        >>> len(idx), bool(idx.min() >= 0 and idx.max() < 5)
        (5, True)
    """
    n = check_int("n", n, minimum=1)
    size = n if size is None else check_int("size", size, minimum=1)
    return np.random.default_rng(seed).integers(0, n, size=size, dtype=np.int64)


def out_of_bag(indices: ArrayLike, n: int) -> NDArray[np.int64]:
    """The indices of ``range(n)`` that a bootstrap sample did not draw.

    Args:
        indices: a bootstrap sample of indices.
        n: the number of samples resampled from.

    Returns:
        Sorted out-of-bag indices.

    Raises:
        ValueError: if an index is outside ``range(n)``.

    Examples:
        >>> print(out_of_bag([0, 0, 3, 1], 5))
        [2 4]
    """
    n = check_int("n", n, minimum=1)
    indices = np.asarray(indices, dtype=np.int64)
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise ValueError(f"indices must lie in range(n) with n={n}")
    drawn = np.zeros(n, dtype=bool)
    drawn[indices] = True
    return np.flatnonzero(~drawn).astype(np.int64)


@implements(
    "boot.unique",
    symbols={r"u_n": Out(), r"n": In("n", Int(2, 500))},
)
def expected_unique_fraction(n: ArrayLike) -> NDArray[np.float64] | float:
    r"""Expected fraction of distinct samples in a bootstrap sample of size ``n``: $`1 - (1 - 1/n)^n`$.

    Args:
        n: sample size(s), each ``>= 1``.

    Returns:
        $`u_n`$ (a float for scalar ``n``).

    Raises:
        ValueError: if some ``n < 1``.

    Examples:
        >>> print(round(expected_unique_fraction(1000), 4), round(1 - np.exp(-1), 4))
        0.6323 0.6321
    """
    n_arr = np.asarray(n, dtype=np.float64)
    if np.any(n_arr < 1) or not np.all(np.isfinite(n_arr)):
        raise ValueError(f"n={n} must be at least 1")
    # expm1/log1p keep the value accurate for very large n, where (1 - 1/n) rounds badly;
    # n = 1 gives log1p(-1) = -inf and the exact value 1
    with np.errstate(divide="ignore"):
        result = -np.expm1(n_arr * np.log1p(-1.0 / n_arr))
    return float(result) if result.ndim == 0 else result


class UniqueFractionSamples(NamedTuple):
    """Fractions of distinct indices in independent bootstrap samples."""

    unique_fraction: NDArray[np.float64]
    """One value per bootstrap sample, shape ``(n_draws,)``."""


@implements(
    "boot.unique.mc",
    symbols={
        r"\mathbb{E}": Expectation(),
        r"U_n": Out("unique_fraction"),
        r"n": In("n", Int(3, 30)),  # small n: a typo such as ^{n-1} shifts the value by >= 2%
    },
    fixed={"n_draws": 100_000, "seed": 0},
    identity=True,
    rtol=5e-3,
    reason=(
        "Monte-Carlo identity: the mean of 100,000 bootstrap unique fractions has a relative standard "
        "error below 0.09% for n >= 3; 5e-3 leaves more than 5 standard errors"
    ),
)
def simulate_unique_fraction(n: int, *, n_draws: int, seed: int) -> UniqueFractionSamples:
    """Draw ``n_draws`` bootstrap samples of size ``n`` and count the distinct indices in each.

    The draws are the same as `bootstrap_indices` (uniform with replacement), made for all
    samples in one vectorized call.

    Args:
        n: sample size (``>= 1``).
        n_draws: number of bootstrap samples (``>= 1``).
        seed: seed of ``numpy.random.default_rng``.

    Returns:
        The fraction of distinct indices in each sample.

    Raises:
        ValueError: if ``n < 1`` or ``n_draws < 1``.

    Examples:
        >>> s = simulate_unique_fraction(50, n_draws=4000, seed=0)
        >>> print(round(float(s.unique_fraction.mean()), 2))
        0.64
    """
    n = check_int("n", n, minimum=1)
    n_draws = check_int("n_draws", n_draws, minimum=1)
    samples = np.random.default_rng(seed).integers(0, n, size=(n_draws, n), dtype=np.int64)
    ordered = np.sort(samples, axis=1)
    distinct = 1 + np.count_nonzero(np.diff(ordered, axis=1), axis=1)
    return UniqueFractionSamples(unique_fraction=distinct / n)
