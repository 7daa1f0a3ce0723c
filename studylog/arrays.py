"""The one rule for turning topic-code inputs into float64 arrays, shared by the topic packages."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["FloatArray", "as_float_array"]

FloatArray = NDArray[np.float64]


def as_float_array(name: str, value: Any) -> FloatArray:
    """Convert ``value`` to a float64 array, naming ``name`` if that is impossible.

    Args:
        name: the argument's name, used in the error message.
        value: anything ``numpy.asarray`` accepts.

    Returns:
        ``value`` as a float64 array (a copy only when needed).

    Raises:
        ValueError: if ``value`` is not numeric.

    Examples:
        >>> as_float_array("x", [1, 2]).dtype
        dtype('float64')
    """
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from error
