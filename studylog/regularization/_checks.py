"""Input checks shared by the regularization modules: each raises ``ValueError`` naming the argument."""

from __future__ import annotations

from typing import Any

import numpy as np

from studylog.arrays import FloatArray, as_float_array  # noqa: F401 - re-exported: one conversion rule


def check_probability(name: str, value: float, *, include_one: bool = False) -> float:
    """Check that ``value`` lies in ``[0, 1)`` (or ``[0, 1]`` when ``include_one``).

    Args:
        name: the argument's name, used in the error message.
        value: the number to check.
        include_one: whether 1 is allowed.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: if ``value`` is outside the interval or not finite.

    Examples:
        >>> check_probability("p", 0.5)
        0.5
        >>> check_probability("p", 1.0)
        Traceback (most recent call last):
        ...
        ValueError: p=1.0 must lie in [0, 1)
    """
    value = float(value)
    upper_ok = value <= 1.0 if include_one else value < 1.0
    if not (np.isfinite(value) and value >= 0.0 and upper_ok):
        interval = "[0, 1]" if include_one else "[0, 1)"
        raise ValueError(f"{name}={value} must lie in {interval}")
    return value


def check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    """Check that ``value`` is a finite positive (or non-negative) number.

    Args:
        name: the argument's name, used in the error message.
        value: the number to check.
        allow_zero: whether 0 is allowed.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: if ``value`` is negative, zero (unless allowed) or not finite.

    Examples:
        >>> check_positive("sigma", 0.0, allow_zero=True)
        0.0
    """
    value = float(value)
    ok = value >= 0.0 if allow_zero else value > 0.0
    if not (np.isfinite(value) and ok):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}={value} must be {bound}")
    return value


def check_same_shape(name_a: str, a: FloatArray, name_b: str, b: FloatArray) -> None:
    """Check that two arrays have the same shape.

    Args:
        name_a: name of the first argument.
        a: the first array.
        name_b: name of the second argument.
        b: the second array.

    Raises:
        ValueError: naming both arguments and their shapes when they differ.

    Examples:
        >>> check_same_shape("x_i", np.zeros(2), "x_j", np.zeros(3))
        Traceback (most recent call last):
        ...
        ValueError: x_j has shape (3,) but x_i has shape (2,); they must match
    """
    if a.shape != b.shape:
        raise ValueError(f"{name_b} has shape {b.shape} but {name_a} has shape {a.shape}; they must match")
