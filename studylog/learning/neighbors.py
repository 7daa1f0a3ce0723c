"""1-nearest-neighbour regression: a low-bias, high-variance learner (a good candidate for bagging)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.learning._checks import as_2d, as_float_array


class NearestNeighbor(NamedTuple):
    """A fitted 1-nearest-neighbour model; calling it predicts the target of the closest training input."""

    x: NDArray[np.float64]
    """Training inputs, shape ``(n, d)``."""
    y: NDArray[np.float64]
    """Training targets, shape ``(n,)``."""

    def __call__(self, x: ArrayLike) -> NDArray[np.float64]:
        """Predict for ``x`` (shape ``(m,)`` or ``(m, d)``); ties go to the first training point."""
        query = as_2d("x", x)
        if query.shape[1] != self.x.shape[1]:
            raise ValueError(f"x has {query.shape[1]} features, the model was fitted on {self.x.shape[1]}")
        distances = np.sum((query[:, None, :] - self.x[None, :, :]) ** 2, axis=2)
        return self.y[np.argmin(distances, axis=1)]


def fit_nearest_neighbor(x: ArrayLike, y: ArrayLike) -> NearestNeighbor:
    """"Fit" 1-nearest-neighbour regression: store the training set (Euclidean distance).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, d)``.
        y: targets, shape ``(n,)``.

    Returns:
        The model.

    Raises:
        ValueError: if the lengths differ or the inputs are not finite.

    Examples:
        >>> model = fit_nearest_neighbor([0.0, 1.0, 2.0], [10.0, 20.0, 30.0])
        >>> print(model(np.array([0.4, 1.7])))
        [10. 30.]
    """
    x = as_2d("x", x)
    y = as_float_array("y", y, ndim=1)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same number of samples, got {x.shape[0]} and {y.shape[0]}")
    return NearestNeighbor(x=x, y=y)
