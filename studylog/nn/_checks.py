"""Input checks for the reading-list modules: each raises ``ValueError`` naming the argument."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def as_float_array(name: str, value: Any) -> FloatArray:
    """Convert ``value`` to a float64 array, naming ``name`` if that is impossible.

    Args:
        name: the argument's name, used in the error message.
        value: anything ``numpy.asarray`` accepts.

    Returns:
        ``value`` as a float64 array.

    Raises:
        ValueError: if ``value`` is not numeric.

    Examples:
        >>> as_float_array("Q", [[1, 2]]).shape
        (1, 2)
    """
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from error


def check_positive_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """Check that ``value`` is an integer ``>= minimum``.

    Args:
        name: the argument's name, used in the error message.
        value: the value to check.
        minimum: the smallest allowed value.

    Returns:
        ``value`` as an ``int``.

    Raises:
        ValueError: if ``value`` is not an integer or is too small.

    Examples:
        >>> check_positive_int("n", 0)
        Traceback (most recent call last):
        ...
        ValueError: n=0 must be an integer >= 1
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name}={value!r} must be an integer >= {minimum}")
    return int(value)
