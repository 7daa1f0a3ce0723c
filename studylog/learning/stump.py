r"""Decision stumps: the one-split weak learner of boosting.

A stump thresholds one feature: $`h(x) = s`$ if $`x_j > \theta`$, else $`-s`$, with polarity
$`s \in \{-1, +1\}`$. `fit_stump` picks the ``(j, θ, s)`` of smallest *weighted
misclassification error*, the criterion of Freund & Schapire's AdaBoost. (scikit-learn's
``DecisionTreeClassifier(max_depth=1)`` minimizes weighted Gini impurity instead, so the two can split
differently.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.learning._checks import as_2d, as_float_array, as_labels


class Stump(NamedTuple):
    """A fitted decision stump; calling it predicts labels in ``{-1, +1}``."""

    feature: int
    """Index ``j`` of the thresholded feature."""
    threshold: float
    r"""Threshold $`\theta`$ (a midpoint between two training values, or below all of them)."""
    polarity: float
    """Label ``s`` predicted above the threshold (``-s`` at or below it)."""

    def __call__(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict ``polarity`` where ``X[:, feature] > threshold``, else ``-polarity``."""
        X = as_2d("X", X)
        return np.where(X[:, self.feature] > self.threshold, self.polarity, -self.polarity)


def stump_error(stump: Stump, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike) -> float:
    """Weighted misclassification error of ``stump``: ``sum(w[h(x) != y]) / sum(w)``.

    Args:
        stump: the stump.
        X: inputs, shape ``(n, d)`` or ``(n,)``.
        y: labels in ``{-1, +1}``.
        sample_weight: non-negative weights, shape ``(n,)``.

    Returns:
        The weighted error in ``[0, 1]``.

    Examples:
        >>> print(stump_error(Stump(0, 0.5, 1.0), [0.0, 1.0, 2.0], [-1, 1, -1], [0.2, 0.3, 0.5]))
        0.5
    """
    y = as_labels("y", y)
    w = as_float_array("sample_weight", sample_weight, ndim=1)
    return float(np.sum(w[stump(X) != y]) / np.sum(w))


def fit_stump(X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike) -> Stump:
    """The stump of smallest weighted misclassification error (first one found on ties).

    All features, both polarities and every threshold between consecutive distinct values (plus one
    below the smallest value, a constant classifier) are tried, using cumulative weight sums.

    Args:
        X: inputs, shape ``(n, d)`` or ``(n,)``.
        y: labels in ``{-1, +1}``, shape ``(n,)``.
        sample_weight: non-negative weights with a positive sum, shape ``(n,)``.

    Returns:
        The best stump.

    Raises:
        ValueError: on mismatched lengths, labels other than ``±1`` or invalid weights.

    Examples:
        >>> print(fit_stump([[0.0], [1.0], [2.0], [3.0]], [-1, -1, 1, 1], [0.25] * 4))
        Stump(feature=0, threshold=1.5, polarity=1.0)
    """
    X = as_2d("X", X)
    y = as_labels("y", y)
    w = as_float_array("sample_weight", sample_weight, ndim=1)
    if not (X.shape[0] == y.shape[0] == w.shape[0]):
        raise ValueError(
            f"X, y and sample_weight must have the same length, got {X.shape[0]}, {y.shape[0]}, {w.shape[0]}"
        )
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("sample_weight must be non-negative with a positive sum")
    w = w / w.sum()
    best = (np.inf, Stump(feature=0, threshold=float(X[:, 0].min() - 1.0), polarity=1.0))
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        xs, ys, ws = X[order, j], y[order], w[order]
        # error of polarity +1 (predict +1 above the threshold) with the first `c` sorted samples below:
        # positives below are wrong, negatives above are wrong
        pos_below = np.concatenate(([0.0], np.cumsum(ws * (ys > 0))))
        neg_below = np.concatenate(([0.0], np.cumsum(ws * (ys < 0))))
        error_plus = pos_below + (neg_below[-1] - neg_below)
        # a cut is only possible where the value changes (or below everything, c = 0)
        valid = np.concatenate(([True], xs[1:] > xs[:-1], [False]))
        cuts = np.flatnonzero(valid)
        midpoints = (xs[np.maximum(cuts - 1, 0)] + xs[np.minimum(cuts, len(xs) - 1)]) / 2
        thresholds = np.where(cuts == 0, xs[0] - 1.0, midpoints)
        for polarity, errors in ((1.0, error_plus[cuts]), (-1.0, 1.0 - error_plus[cuts])):
            i = int(np.argmin(errors))
            if errors[i] < best[0]:
                best = (float(errors[i]), Stump(feature=j, threshold=float(thresholds[i]), polarity=polarity))
    return best[1]
