r"""Empirical risk: the mean squared error of predictions on a data set.

```math
R = \frac{1}{n} \sum_{i} (y_i - \hat{y}_i)^2
```

(formula ``gen.risk``). Applied to the training set it is the training error, applied to held-out data
the test error.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Fixed, In, Index, Out, implements
from studylog.learning._checks import as_float_array


@implements(
    "gen.risk",
    symbols={
        r"R": Out(),
        r"y_i": In("y", Array(-2.0, 2.0, shape=(7, 4))),
        r"\hat{y}_i": In("y_hat", Array(-2.0, 2.0, shape=(7, 4))),
        r"n": In(None, Fixed(7)),  # the number of examples: i runs over 1..n
        r"i": Index(),
    },
)
def mean_squared_error(y: ArrayLike, y_hat: ArrayLike, *, axis: int = 0) -> NDArray[np.float64] | float:
    r"""Mean squared error $`R = \frac{1}{n}\sum_i (y_i - \hat y_i)^2`$ along ``axis``.

    Args:
        y: targets.
        y_hat: predictions, same shape as ``y``.
        axis: the sample axis the mean is taken over (default: the first).

    Returns:
        The mean squared error (a float for 1-D inputs, else an array without ``axis``).

    Raises:
        ValueError: if the shapes differ or the inputs are empty or not finite.

    Examples:
        >>> print(round(mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]), 4))
        1.3333
    """
    y = as_float_array("y", y)
    y_hat = as_float_array("y_hat", y_hat)
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat must have the same shape, got {y.shape} and {y_hat.shape}")
    result = np.mean((y - y_hat) ** 2, axis=axis)
    return float(result) if np.ndim(result) == 0 else result
