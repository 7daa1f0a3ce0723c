r"""k-fold cross-validation: estimate the test error of a learning algorithm from one data set.

Each fold ``i`` is held out once; the model is fitted on the other ``k - 1`` folds and its error
$`E_i`$ measured on fold ``i``. The estimate is their mean,

```math
\mathrm{CV}_k = \frac{1}{k} \sum_{i} E_i
```

(formula ``cv.estimate``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Fixed, In, Index, Out, implements
from studylog.learning._checks import as_float_array
from studylog.learning.kfold import Fold, kfold_splits
from studylog.learning.polynomial import Fitter, polynomial_fitter
from studylog.learning.risk import mean_squared_error

Loss = Callable[[NDArray[np.float64], NDArray[np.float64]], float]
"""``(y, y_hat) -> error``."""


@implements(
    "cv.estimate",
    symbols={
        r"\mathrm{CV}_k": Out(),
        r"E_i": In("fold_errors", Array(0.1, 2.0, shape=(5, 3))),
        r"k": In(None, Fixed(5)),  # the number of folds: i runs over 1..k
        r"i": Index(),
    },
)
def cv_estimate(fold_errors: ArrayLike, *, axis: int = 0) -> NDArray[np.float64] | float:
    r"""The cross-validation estimate $`\mathrm{CV}_k = \frac1k \sum_i E_i`$: the mean fold error.

    Args:
        fold_errors: the ``k`` validation errors $`E_i`$ along ``axis``.
        axis: the fold axis.

    Returns:
        The mean along ``axis`` (a float for 1-D input).

    Raises:
        ValueError: if ``fold_errors`` is empty or not finite.

    Examples:
        >>> print(cv_estimate([1.0, 2.0, 6.0]))
        3.0
    """
    fold_errors = as_float_array("fold_errors", fold_errors)
    result = np.mean(fold_errors, axis=axis)
    return float(result) if np.ndim(result) == 0 else result


class CVResult(NamedTuple):
    """The outcome of k-fold cross-validation."""

    fold_errors: NDArray[np.float64]
    r"""The validation error $`E_i`$ of each fold, shape ``(k,)``."""
    estimate: float
    r"""$`\mathrm{CV}_k`$, the mean of ``fold_errors``."""
    folds: list[Fold]
    """The splits used."""


def cross_validate(
    x: ArrayLike,
    y: ArrayLike,
    *,
    fit: Fitter,
    k: int,
    shuffle: bool = False,
    seed: int | None = None,
    loss: Loss = mean_squared_error,
) -> CVResult:
    """k-fold cross-validation of the learning algorithm ``fit`` on ``(x, y)``.

    Args:
        x: inputs, first axis = samples.
        y: targets, shape ``(n,)``.
        fit: the learning algorithm, ``(x_train, y_train) -> predictor``.
        k: number of folds, ``2 <= k <= n``.
        shuffle: permute the samples before cutting folds (see `kfold_splits`).
        seed: seed of that permutation.
        loss: ``(y, y_hat) -> error`` measured on each validation fold.

    Returns:
        Fold errors, their mean and the folds.

    Raises:
        ValueError: if ``x`` and ``y`` have different lengths, ``k < 2`` or ``k > n``.

    Examples:
        >>> x = np.linspace(0.0, 1.0, 10)
        >>> r = cross_validate(x, 2 * x + 1, fit=polynomial_fitter(1), k=5)
        >>> print(round(r.estimate, 12))
        0.0
    """
    x = as_float_array("x", x)
    y = as_float_array("y", y, ndim=1)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same number of samples, got {x.shape[0]} and {y.shape[0]}")
    folds = kfold_splits(y.shape[0], k, shuffle=shuffle, seed=seed)
    return _evaluate_folds(x, y, fit=fit, folds=folds, loss=loss)


def _evaluate_folds(
    x: NDArray[np.float64], y: NDArray[np.float64], *, fit: Fitter, folds: list[Fold], loss: Loss
) -> CVResult:
    """Fit on each fold's training part, measure ``loss`` on its validation part."""
    errors = []
    for fold in folds:
        predictor = fit(x[fold.train], y[fold.train])
        errors.append(float(loss(y[fold.validation], predictor(x[fold.validation]))))
    fold_errors = np.array(errors)
    return CVResult(fold_errors=fold_errors, estimate=float(cv_estimate(fold_errors)), folds=folds)


class CVCurve(NamedTuple):
    """Cross-validation estimate per polynomial degree (for a model-selection plot)."""

    degrees: NDArray[np.int64]
    estimate: NDArray[np.float64]
    fold_errors: NDArray[np.float64]
    """Shape ``(len(degrees), k)``."""
    best_degree: int
    """The degree with the smallest estimate (the first one on ties)."""


def cv_by_degree(
    x: ArrayLike, y: ArrayLike, degrees: Sequence[int], *, k: int, shuffle: bool = False, seed: int | None = None
) -> CVCurve:
    """Choose a polynomial degree by k-fold cross-validation (the same folds for every degree).

    Args:
        x: inputs, shape ``(n,)``.
        y: targets, shape ``(n,)``.
        degrees: candidate degrees.
        k: number of folds.
        shuffle: permute the samples before cutting folds.
        seed: seed of that permutation.

    Returns:
        The estimate per degree and the best degree.

    Raises:
        ValueError: if ``degrees`` is empty or the folds are invalid.

    Examples:
        >>> x = np.linspace(-1.0, 1.0, 30)
        >>> cv_by_degree(x, x**2 + 0.01 * np.sin(40 * x), [1, 2], k=5).best_degree
        2
    """
    if len(degrees) == 0:
        raise ValueError("degrees must not be empty")
    x = as_float_array("x", x, ndim=1)
    y = as_float_array("y", y, ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    folds = kfold_splits(y.shape[0], k, shuffle=shuffle, seed=seed)
    results = [
        _evaluate_folds(x, y, fit=polynomial_fitter(d), folds=folds, loss=mean_squared_error) for d in degrees
    ]
    estimate = np.array([r.estimate for r in results])
    return CVCurve(
        degrees=np.asarray(degrees, dtype=np.int64),
        estimate=estimate,
        fold_errors=np.stack([r.fold_errors for r in results]),
        best_degree=int(np.asarray(degrees)[np.argmin(estimate)]),
    )
