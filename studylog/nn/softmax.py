r"""The softmax function (소프트맥스): turn a vector of scores into a probability distribution.

References:
    John S. Bridle (1990), "Probabilistic Interpretation of Feedforward Classification Network Outputs, with
    Relationships to Statistical Pattern Recognition", in *Neurocomputing*, NATO ASI Series F68, 227–236.
"""

from __future__ import annotations

import math

import numpy as np

from studylog.engine.binding import Array, Const, In, Index, Out, implements
from studylog.nn._checks import FloatArray, as_float_array


@implements(
    "softmax.def",
    symbols={
        r"\mathrm{softmax}(x)_i": Out(),
        r"x_i": In("x", Array(-3.0, 3.0, shape=(5,))),
        r"i": Index(),
        r"j": Index(),
        r"e": Const(math.e),
    },
    shape=(5,),
)
def softmax(x: FloatArray, *, axis: int = -1) -> FloatArray:
    r"""Softmax along ``axis`` (row-wise for a matrix; formula ``softmax.def``).

    In LaTeX, as in the log:

        \mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_{j} e^{x_j}}

    It is computed after subtracting the maximum along ``axis``, which leaves the result unchanged (the factor
    ``e^{-\max x}`` cancels) but keeps ``exp`` from overflowing.

    Args:
        x: scores, any shape.
        axis: the axis that is normalized.

    Returns:
        Non-negative values summing to 1 along ``axis``, same shape as ``x``.

    Raises:
        ValueError: if ``x`` is 0-d or ``axis`` is out of range.

    Examples:
        >>> softmax(np.array([0.0, np.log(3.0)])).round(6).tolist()
        [0.25, 0.75]
        >>> softmax(np.array([1000.0, 1000.0])).tolist()
        [0.5, 0.5]
    """
    x = as_float_array("x", x)
    if x.ndim == 0:
        raise ValueError("x must have at least one axis to normalize over, got a scalar")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis={axis} is out of range for x with {x.ndim} dimensions")
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)
