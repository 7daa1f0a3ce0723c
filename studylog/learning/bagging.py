r"""Bagging (bootstrap aggregating, Breiman 1996): fit one model per bootstrap sample and combine them.

Regression averages the ``B`` predictions,

```math
\hat{f}_{\mathrm{bag}}(x) = \frac{1}{B} \sum_{b} \hat{f}_b(x)
```

(formula ``bag.mean``); two-class classification with labels $`\pm 1`$ takes the majority vote,
$`\mathrm{sign}`$ of the summed votes (formula ``bag.vote``). The models are fitted independently of
each other (in contrast to boosting).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Choice, Fixed, In, Index, Op, Out, implements
from studylog.learning._checks import as_float_array, check_int
from studylog.learning.bootstrap import bootstrap_indices
from studylog.learning.polynomial import Fitter, Predictor


@implements(
    "bag.mean",
    symbols={
        r"\hat{f}_{\mathrm{bag}}(x)": Out(),
        r"\hat{f}_b(x)": In("predictions", Array(-2.0, 2.0, shape=(5, 4))),
        r"B": In(None, Fixed(5)),  # the number of models: b runs over 1..B
        r"b": Index(),
    },
)
def bagging_mean(predictions: ArrayLike, *, axis: int = 0) -> NDArray[np.float64]:
    r"""Average the ``B`` models' predictions: $`\frac1B \sum_b \hat f_b(x)`$.

    Args:
        predictions: predictions of the ``B`` models stacked along ``axis``.
        axis: the model axis.

    Returns:
        The bagged prediction (``predictions`` without ``axis``).

    Raises:
        ValueError: if ``predictions`` is empty or not finite.

    Examples:
        >>> print(bagging_mean([[1.0, 2.0], [3.0, 6.0]]))
        [2. 4.]
    """
    predictions = as_float_array("predictions", predictions)
    return np.mean(predictions, axis=axis)


@implements(
    "bag.vote",
    symbols={
        r"\hat{y}_{\mathrm{bag}}(x)": Out(),
        r"\mathrm{sign}": Op(np.sign),
        r"h_b(x)": In("votes", Choice((-1.0, 1.0), shape=(5, 4))),  # B = 5 is odd: no ties
        r"b": Index(),
    },
)
def majority_vote(votes: ArrayLike, *, axis: int = 0) -> NDArray[np.float64]:
    r"""The most frequent label along ``axis``; ties go to the smallest label.

    For labels $`\pm 1`$ and an odd number of voters this is
    $`\mathrm{sign}\left(\sum_b h_b(x)\right)`$.

    Args:
        votes: predicted labels of the ``B`` models stacked along ``axis``.
        axis: the model axis.

    Returns:
        The winning label at each position (``votes`` without ``axis``).

    Raises:
        ValueError: if ``votes`` is empty or not finite.

    Examples:
        >>> print(majority_vote([[1, -1, 2], [1, 1, 2], [-1, 1, 0]]))
        [1. 1. 2.]
    """
    votes = as_float_array("votes", votes)
    labels = np.unique(votes)
    counts = np.stack([np.count_nonzero(votes == label, axis=axis) for label in labels])
    return labels[np.argmax(counts, axis=0)]


class BaggedModel(NamedTuple):
    """``B`` models, each fitted on its own bootstrap sample."""

    predictors: list[Predictor]
    """The fitted models."""
    indices: NDArray[np.int64]
    """Bootstrap indices of each model, shape ``(B, n)``."""


def fit_bagging(x: ArrayLike, y: ArrayLike, *, fit: Fitter, n_estimators: int, seed: int) -> BaggedModel:
    """Fit ``fit`` on ``n_estimators`` bootstrap samples of ``(x, y)``.

    Model ``b`` uses `bootstrap_indices` with seed ``seed + b``.

    Args:
        x: inputs, first axis = samples.
        y: targets, shape ``(n,)``.
        fit: the learning algorithm, ``(x, y) -> predictor``.
        n_estimators: number of models ``B`` (``>= 1``).
        seed: base seed of the bootstrap samples.

    Returns:
        The fitted models and their bootstrap indices.

    Raises:
        ValueError: if ``x`` and ``y`` have different lengths or ``n_estimators < 1``.

    Examples:
        >>> from studylog.learning.polynomial import polynomial_fitter
        >>> x = np.linspace(0.0, 1.0, 8)
        >>> bag = fit_bagging(x, 3 * x, fit=polynomial_fitter(1), n_estimators=3, seed=0)
        >>> print(predict_mean(bag, np.array([0.5])).round(6))
        [1.5]
    """
    x = as_float_array("x", x)
    y = as_float_array("y", y, ndim=1)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same number of samples, got {x.shape[0]} and {y.shape[0]}")
    n_estimators = check_int("n_estimators", n_estimators, minimum=1)
    indices = np.stack([bootstrap_indices(y.shape[0], seed=seed + b) for b in range(n_estimators)])
    predictors = [fit(x[idx], y[idx]) for idx in indices]
    return BaggedModel(predictors=predictors, indices=indices)


def predict_mean(model: BaggedModel, x: ArrayLike) -> NDArray[np.float64]:
    """Bagged regression prediction: the mean of the models' predictions (`bagging_mean`).

    Args:
        model: a bagged ensemble.
        x: inputs.

    Returns:
        The averaged prediction.

    Examples:
        >>> bag = BaggedModel(predictors=[lambda x: x, lambda x: 3 * x], indices=np.zeros((2, 1), dtype=np.int64))
        >>> print(predict_mean(bag, np.array([1.0])))
        [2.]
    """
    x = np.asarray(x, dtype=np.float64)
    return bagging_mean(np.stack([predictor(x) for predictor in model.predictors]), axis=0)


def predict_vote(model: BaggedModel, x: ArrayLike) -> NDArray[np.float64]:
    """Bagged classification prediction: the models' majority vote (`majority_vote`).

    Args:
        model: a bagged ensemble of classifiers.
        x: inputs.

    Returns:
        The winning label per input.

    Examples:
        >>> models = [np.sign, np.sign, lambda x: -np.sign(x)]
        >>> bag = BaggedModel(predictors=models, indices=np.zeros((3, 1), dtype=np.int64))
        >>> print(predict_vote(bag, np.array([-2.0, 2.0])))
        [-1.  1.]
    """
    x = np.asarray(x, dtype=np.float64)
    return majority_vote(np.stack([predictor(x) for predictor in model.predictors]), axis=0)
