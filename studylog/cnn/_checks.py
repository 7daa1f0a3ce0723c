"""Input checks for the CNN modules: each raises ``ValueError`` naming the argument."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def as_float_array(name: str, value: Any, *, ndim: int | None = None) -> FloatArray:
    """``value`` as a float64 array (with ``ndim`` axes when given).

    Examples:
        >>> as_float_array("x", [[1, 2]], ndim=1)
        Traceback (most recent call last):
        ...
        ValueError: x must have 1 axes, got shape (1, 2)
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from error
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} axes, got shape {arr.shape}")
    return arr


def check_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """``value`` as an int ``>= minimum`` (integral floats such as ``3.0`` are accepted).

    Examples:
        >>> check_int("stride", 0)
        Traceback (most recent call last):
        ...
        ValueError: stride=0 must be an integer >= 1
    """
    ok = not isinstance(value, bool) and isinstance(value, (int, np.integer, float, np.floating)) and float(value).is_integer()
    if not ok or value < minimum:
        raise ValueError(f"{name}={value!r} must be an integer >= {minimum}")
    return int(value)
