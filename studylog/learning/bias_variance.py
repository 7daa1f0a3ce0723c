r"""Bias–variance decomposition of the expected squared error, estimated by simulation.

Many training sets are drawn from the same distribution — fixed inputs, fresh noise
$`y = f(x) + \varepsilon`$ with $`\varepsilon \sim \mathcal N(0, \sigma^2)`$ — and a model is
fitted on each. At a test input, with $`\hat f`$ the fitted model's prediction and $`y`$ a
new noisy target, the expectation over training sets and test noise splits as

```math
\mathbb{E}[(y - \hat{f})^2] = (f - \mathbb{E}[\hat{f}])^2
+ \mathbb{E}[(\hat{f} - \mathbb{E}[\hat{f}])^2] + \sigma^2
```

(formula ``bv.decomposition``: bias², variance, noise; the terms are ``bv.bias`` and ``bv.variance``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Expectation, In, Out, Scalar, implements
from studylog.learning._checks import as_float_array, check_int, check_nonnegative
from studylog.learning.data import true_function
from studylog.learning.polynomial import Fitter, polynomial_fitter

DEFAULT_X_TEST = np.linspace(0.05, 0.95, 7)
"""Test inputs at which the decomposition is evaluated by default."""


def smoother_matrix(fit: Fitter, x_train: ArrayLike, x_test: ArrayLike) -> NDArray[np.float64]:
    r"""The matrix $`H`$ with $`\hat f(x_{\mathrm{test}}) = H y`$ of a learner linear in its targets.

    Least squares (and ridge, k-NN, kernel smoothers) predict a fixed linear map of the training
    targets; column ``j`` of $`H`$ is the prediction after fitting on the unit vector $`e_j`$.
    Used to fit thousands of training sets at once.

    Args:
        fit: a learning algorithm that is linear in ``y``.
        x_train: training inputs, shape ``(n,)``.
        x_test: test inputs, shape ``(m,)``.

    Returns:
        $`H`$, shape ``(m, n)``.

    Examples:
        >>> H = smoother_matrix(polynomial_fitter(0), np.array([0.0, 1.0]), np.array([0.5]))
        >>> print(H)
        [[0.5 0.5]]
    """
    x_train = as_float_array("x_train", x_train, ndim=1)
    x_test = as_float_array("x_test", x_test, ndim=1)
    identity = np.eye(x_train.shape[0])
    return np.stack([fit(x_train, identity[j])(x_test) for j in range(x_train.shape[0])], axis=1)


class BiasVarianceSamples(NamedTuple):
    """Simulated predictions and targets at the test inputs, one row per training set."""

    y: NDArray[np.float64]
    r"""Fresh noisy targets $`y = f + \varepsilon`$, shape ``(n_sims, m)``."""
    f_hat: NDArray[np.float64]
    r"""Predictions $`\hat f`$ of the model fitted on each training set, shape ``(n_sims, m)``."""
    f: NDArray[np.float64]
    """The true function at the test inputs, shape ``(m,)``."""


@implements(
    "bv.decomposition",
    symbols={
        r"\mathbb{E}": Expectation(),
        r"y": Out("y"),
        r"\hat{f}": Out("f_hat"),
        r"f": Out("f"),
        r"\sigma": In("sigma", Scalar(0.6, 1.0)),
    },
    # a quadratic on 8 points at four inputs where it is visibly biased: the three terms are of one size
    # (bias² up to ~0.49, variance up to ~0.1-0.23, noise 0.36-1), so each can be resolved
    fixed={"degree": 2, "n_train": 8, "n_sims": 400_000, "seed": 0, "x_test": (0.1, 0.25, 0.75, 0.9)},
    identity=True,
    rtol=6e-2,
    draws=3,
    reason=(
        "Monte-Carlo identity compared relative to its smallest term: with 400,000 simulated training sets the "
        "error of the sides is dominated by the cross term 2·E[ε(f - f̂)], standard error at most ~1.2% of the "
        "smallest term (σ >= 0.6); 6% leaves 5 standard errors, and each term scaled by 1 ± 12% is rejected"
    ),
)
def simulate_bias_variance(
    *,
    sigma: float,
    degree: int,
    n_train: int,
    n_sims: int,
    seed: int,
    x_test: ArrayLike | None = None,
) -> BiasVarianceSamples:
    r"""Fit a degree-``degree`` polynomial on ``n_sims`` independent training sets of $`\sin(2\pi x)`$.

    The training inputs are fixed (``n_train`` equally spaced points in ``[0, 1]``); each training set
    draws new noise. Each test target gets its own independent noise.

    Args:
        sigma: noise standard deviation (``>= 0``).
        degree: polynomial degree (the model complexity).
        n_train: training-set size (``> degree`` for a unique fit).
        n_sims: number of simulated training sets.
        seed: seed of the generator.
        x_test: test inputs (default `DEFAULT_X_TEST`).

    Returns:
        Targets, predictions and true values at the test inputs.

    Raises:
        ValueError: if ``n_train <= degree``, ``n_sims < 2`` or ``sigma < 0``.

    Examples:
        >>> s = simulate_bias_variance(sigma=0.5, degree=1, n_train=10, n_sims=1000, seed=0)
        >>> s.f_hat.shape
        (1000, 7)
    """
    sigma = check_nonnegative("sigma", sigma)
    degree = check_int("degree", degree, minimum=0)
    n_train = check_int("n_train", n_train, minimum=1)
    n_sims = check_int("n_sims", n_sims, minimum=2)
    if n_train <= degree:
        raise ValueError(f"n_train={n_train} must be larger than degree={degree} for a unique fit")
    x_test = DEFAULT_X_TEST if x_test is None else as_float_array("x_test", x_test, ndim=1)
    x_train = np.linspace(0.0, 1.0, n_train)
    H = smoother_matrix(polynomial_fitter(degree), x_train, x_test)
    rng = np.random.default_rng(seed)
    y_train = true_function(x_train) + sigma * rng.standard_normal((n_sims, n_train))
    f = true_function(x_test)
    y = f + sigma * rng.standard_normal((n_sims, x_test.shape[0]))
    return BiasVarianceSamples(y=y, f_hat=y_train @ H.T, f=f)


class BiasVarianceTerms(NamedTuple):
    """The three terms of the decomposition, per test input."""

    bias2: NDArray[np.float64]
    r"""Squared bias $`(f - \mathbb{E}[\hat f])^2`$."""
    variance: NDArray[np.float64]
    r"""Variance $`\mathbb{E}[(\hat f - \mathbb{E}[\hat f])^2]`$ (mean over training sets, ``ddof=0``)."""
    noise: NDArray[np.float64]
    r"""Irreducible noise $`\sigma^2`$, broadcast to the shape of the other terms."""


@implements(
    "bv.bias",
    "bv.variance",
    symbols={
        r"\mathbb{E}": Expectation(),
        r"\hat{f}": In("f_hat", Array(-1.0, 1.0, shape=(40, 4))),
        r"f": In("f", Array(-1.0, 1.0, shape=(4,))),
        r"\mathrm{bias}^2": Out("bias2"),
        r"\mathrm{var}": Out("variance"),
    },
    fixed={"sigma": 0.5},
)
def bias_variance_terms(f_hat: ArrayLike, f: ArrayLike, *, sigma: float) -> BiasVarianceTerms:
    r"""Squared bias, variance and noise from simulated predictions (first axis = training sets).

    ```math
    \mathrm{bias}^2 = (f - \mathbb{E}[\hat{f}])^2, \qquad
    \mathrm{var} = \mathbb{E}[(\hat{f} - \mathbb{E}[\hat{f}])^2]
    ```

    Args:
        f_hat: predictions, shape ``(n_sims, ...)``.
        f: true values, broadcastable to ``f_hat.shape[1:]``.
        sigma: noise standard deviation (``>= 0``).

    Returns:
        The three terms, each of shape ``f_hat.shape[1:]``.

    Raises:
        ValueError: if ``f_hat`` has fewer than two rows or ``sigma < 0``.

    Examples:
        >>> t = bias_variance_terms(np.array([[1.0], [3.0]]), np.array([0.0]), sigma=0.5)
        >>> print(t.bias2, t.variance, t.noise)
        [4.] [1.] [0.25]
    """
    f_hat = as_float_array("f_hat", f_hat)
    f = as_float_array("f", f)
    sigma = check_nonnegative("sigma", sigma)
    if f_hat.ndim < 1 or f_hat.shape[0] < 2:
        raise ValueError(f"f_hat must have at least two rows (training sets), got shape {f_hat.shape}")
    mean = f_hat.mean(axis=0)
    bias2 = (f - mean) ** 2
    variance = ((f_hat - mean) ** 2).mean(axis=0)
    return BiasVarianceTerms(bias2=bias2, variance=variance, noise=np.full_like(bias2, sigma**2))


class BiasVarianceCurve(NamedTuple):
    """Decomposition per model complexity, averaged over the test inputs (for a trade-off plot)."""

    degrees: NDArray[np.int64]
    bias2: NDArray[np.float64]
    variance: NDArray[np.float64]
    noise: NDArray[np.float64]
    expected_error: NDArray[np.float64]
    r"""Monte-Carlo $`\mathbb{E}[(y - \hat f)^2]`$; close to ``bias2 + variance + noise``."""


def bias_variance_curve(
    degrees: Sequence[int],
    *,
    sigma: float,
    n_train: int,
    n_sims: int,
    seed: int,
    x_test: ArrayLike | None = None,
) -> BiasVarianceCurve:
    """Squared bias, variance and noise for each polynomial degree (same noise draws for every degree).

    Args:
        degrees: polynomial degrees (model complexities), each ``< n_train``.
        sigma: noise standard deviation.
        n_train: training-set size.
        n_sims: simulated training sets per degree.
        seed: seed shared by all degrees (common random numbers give a smoother curve).
        x_test: test inputs (default `DEFAULT_X_TEST`).

    Returns:
        One value per degree of each term, averaged over the test inputs.

    Raises:
        ValueError: if ``degrees`` is empty or a simulation argument is invalid.

    Examples:
        >>> c = bias_variance_curve([1, 5], sigma=0.3, n_train=15, n_sims=2000, seed=0)
        >>> bool(c.bias2[0] > c.bias2[1]), bool(c.variance[0] < c.variance[1])
        (True, True)
    """
    if len(degrees) == 0:
        raise ValueError("degrees must not be empty")
    rows = []
    for degree in degrees:
        s = simulate_bias_variance(
            sigma=sigma, degree=degree, n_train=n_train, n_sims=n_sims, seed=seed, x_test=x_test
        )
        terms = bias_variance_terms(s.f_hat, s.f, sigma=sigma)
        error = np.mean((s.y - s.f_hat) ** 2, axis=0)
        rows.append([terms.bias2.mean(), terms.variance.mean(), terms.noise.mean(), error.mean()])
    table = np.array(rows)
    return BiasVarianceCurve(
        degrees=np.asarray(degrees, dtype=np.int64),
        bias2=table[:, 0],
        variance=table[:, 1],
        noise=table[:, 2],
        expected_error=table[:, 3],
    )
