"""Input checks for the reading-list modules: each raises ``ValueError`` naming the argument."""

from __future__ import annotations

from typing import Any

import numpy as np

from studylog.arrays import FloatArray, as_float_array  # one conversion rule

__all__ = ["FloatArray", "as_float_array", "check_positive_int"]


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
