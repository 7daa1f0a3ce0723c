"""Input checks shared by the learning modules: each raises a ``ValueError`` naming the argument."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def check_int(name: str, value: int, *, minimum: int) -> int:
    """Return ``value`` as an ``int`` if it is an integer ``>= minimum``.

    Args:
        name: the argument's name, used in the error message.
        value: the value to check.
        minimum: the smallest allowed value.

    Returns:
        ``int(value)``.

    Raises:
        ValueError: if ``value`` is not an integer or is smaller than ``minimum``.

    Examples:
        >>> check_int("k", 5, minimum=2)
        5
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}={value!r} must be an integer")
    if value < minimum:
        raise ValueError(f"{name}={value} must be at least {minimum}")
    return int(value)


def check_positive(name: str, value: float) -> float:
    """Return ``value`` as a ``float`` if it is finite and strictly positive.

    Args:
        name: the argument's name, used in the error message.
        value: the value to check.

    Returns:
        ``float(value)``.

    Raises:
        ValueError: if ``value`` is not a finite number ``> 0``.

    Examples:
        >>> check_positive("lr", 0.1)
        0.1
    """
    value = float(value)
    if not np.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name}={value} must be a finite number > 0")
    return value


def check_nonnegative(name: str, value: float) -> float:
    """Return ``value`` as a ``float`` if it is finite and ``>= 0``.

    Args:
        name: the argument's name, used in the error message.
        value: the value to check.

    Returns:
        ``float(value)``.

    Raises:
        ValueError: if ``value`` is not a finite number ``>= 0``.

    Examples:
        >>> check_nonnegative("sigma", 0.0)
        0.0
    """
    value = float(value)
    if not np.isfinite(value) or value < 0.0:
        raise ValueError(f"{name}={value} must be a finite number >= 0")
    return value


def as_float_array(name: str, value: ArrayLike, *, ndim: int | None = None) -> NDArray[np.float64]:
    """Return ``value`` as a finite float64 array, optionally of a given number of dimensions.

    Args:
        name: the argument's name, used in the error message.
        value: the array-like to convert.
        ndim: the required number of dimensions, or ``None`` for any.

    Returns:
        The float64 array.

    Raises:
        ValueError: if the array has the wrong number of dimensions, is empty or is not finite.

    Examples:
        >>> as_float_array("x", [1, 2], ndim=1)
        array([1., 2.])
    """
    array = np.asarray(value, dtype=np.float64)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    return array


def as_2d(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return inputs as a float64 matrix ``(n, d)``; a 1-D array is one feature, ``(n, 1)``.

    Args:
        name: the argument's name, used in the error message.
        value: inputs of shape ``(n,)`` or ``(n, d)``.

    Returns:
        The inputs as a 2-D float64 array.

    Raises:
        ValueError: if the inputs have more than two dimensions, are empty or are not finite.

    Examples:
        >>> as_2d("x", [1.0, 2.0]).shape
        (2, 1)
    """
    array = as_float_array(name, value)
    if array.ndim == 1:
        return array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{name} must be 1- or 2-dimensional, got shape {array.shape}")
    return array


def as_labels(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return ``value`` as a 1-D float64 array of two-class labels in ``{-1, +1}``.

    Args:
        name: the argument's name, used in the error message.
        value: the labels.

    Returns:
        The labels as float64.

    Raises:
        ValueError: if the labels are not 1-D or contain anything but ``-1`` and ``+1``.

    Examples:
        >>> as_labels("y", [1, -1, 1])
        array([ 1., -1.,  1.])
    """
    labels = as_float_array(name, value, ndim=1)
    if not np.all(np.isin(labels, (-1.0, 1.0))):
        raise ValueError(f"{name} must contain only the labels -1 and +1")
    return labels
