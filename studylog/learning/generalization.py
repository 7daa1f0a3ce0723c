r"""Generalization gap: how much worse a fitted model does on new data than on its training data.

```math
\mathrm{gap} = R_{\mathrm{test}} - R_{\mathrm{train}}
```

(formula ``gen.gap``), with both risks the mean squared error of ``gen.risk``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from studylog.engine.binding import Out, implements
from studylog.learning._checks import check_int, check_nonnegative
from studylog.learning.data import Dataset, make_sine_data
from studylog.learning.polynomial import Predictor, fit_polynomial
from studylog.learning.risk import mean_squared_error


class GapResult(NamedTuple):
    """Training error, test error and their difference for one fitted model."""

    train_error: float
    r"""$`R_{\mathrm{train}}`$, the mean squared error on the training set."""
    test_error: float
    r"""$`R_{\mathrm{test}}`$, the mean squared error on the test set."""
    gap: float
    """``test_error - train_error``."""


def generalization_gap(predictor: Predictor, train: Dataset, test: Dataset) -> GapResult:
    """Evaluate a fitted model on its training set and on a test set.

    Args:
        predictor: the fitted model, ``x -> y_hat``.
        train: the data it was fitted on.
        test: held-out data from the same distribution.

    Returns:
        The two errors and the gap ``test_error - train_error``.

    Examples:
        >>> train = Dataset(x=np.array([0.0, 1.0]), y=np.array([0.0, 1.0]))
        >>> test = Dataset(x=np.array([2.0]), y=np.array([3.0]))
        >>> print(generalization_gap(lambda x: x, train, test))
        GapResult(train_error=0.0, test_error=1.0, gap=1.0)
    """
    train_error = float(mean_squared_error(train.y, predictor(train.x)))
    test_error = float(mean_squared_error(test.y, predictor(test.x)))
    return GapResult(train_error=train_error, test_error=test_error, gap=test_error - train_error)


@implements(
    "gen.gap",
    symbols={
        r"\mathrm{gap}": Out("gap"),
        r"R_{\mathrm{test}}": Out("test_error"),
        r"R_{\mathrm{train}}": Out("train_error"),
    },
    fixed={"degree": 7, "n_train": 15, "n_test": 500, "sigma": 0.3, "seed": 0},
    identity=True,
)
def polynomial_gap(*, degree: int, n_train: int, n_test: int, sigma: float, seed: int) -> GapResult:
    r"""Fit a least-squares polynomial to synthetic sine data and measure its generalization gap.

    Training and test sets are drawn independently from
    `make_sine_data` (seeds ``seed`` and ``seed + 1``).

    Args:
        degree: polynomial degree (``>= 0``).
        n_train: training-set size (``>= 1``).
        n_test: test-set size (``>= 1``).
        sigma: noise standard deviation (``>= 0``).
        seed: seed of the training set; the test set uses ``seed + 1``.

    Returns:
        Training error, test error and gap.

    Raises:
        ValueError: on a negative degree, empty sets or negative ``sigma``.

    Examples:
        >>> r = polynomial_gap(degree=9, n_train=12, n_test=200, sigma=0.3, seed=0)
        >>> r.gap > 0
        True
    """
    n_train = check_int("n_train", n_train, minimum=1)
    n_test = check_int("n_test", n_test, minimum=1)
    sigma = check_nonnegative("sigma", sigma)
    train = make_sine_data(n_train, sigma=sigma, seed=seed)
    test = make_sine_data(n_test, sigma=sigma, seed=seed + 1)
    model = fit_polynomial(train.x, train.y, degree=degree)
    return generalization_gap(model, train, test)


class GapCurve(NamedTuple):
    """Errors and gaps per polynomial degree (for a plot against model complexity)."""

    degrees: NDArray[np.int64]
    train_error: NDArray[np.float64]
    test_error: NDArray[np.float64]
    gap: NDArray[np.float64]


def gap_by_degree(degrees: Sequence[int], *, n_train: int, n_test: int, sigma: float, seed: int) -> GapCurve:
    """`polynomial_gap` for several degrees on the same training and test sets.

    Args:
        degrees: polynomial degrees to fit.
        n_train: training-set size.
        n_test: test-set size.
        sigma: noise standard deviation.
        seed: seed of the training set (the test set uses ``seed + 1``).

    Returns:
        One entry per degree.

    Raises:
        ValueError: if ``degrees`` is empty or any argument is invalid.

    Examples:
        >>> c = gap_by_degree([1, 3], n_train=20, n_test=100, sigma=0.2, seed=0)
        >>> bool(c.train_error[1] < c.train_error[0])
        True
    """
    if len(degrees) == 0:
        raise ValueError("degrees must not be empty")
    results = [
        polynomial_gap(degree=d, n_train=n_train, n_test=n_test, sigma=sigma, seed=seed) for d in degrees
    ]
    return GapCurve(
        degrees=np.asarray(degrees, dtype=np.int64),
        train_error=np.array([r.train_error for r in results]),
        test_error=np.array([r.test_error for r in results]),
        gap=np.array([r.gap for r in results]),
    )
