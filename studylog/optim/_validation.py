r"""Checks of hyper-parameters and arrays shared by every optimizer (numpy steps and torch classes).

Each check raises `ValueError` with a message that names the offending argument and its value,
e.g. ``lr=-0.1 must be >= 0``. ``not value >= 0`` is used on purpose so that NaN is rejected too.
"""

from __future__ import annotations

import numbers
from collections.abc import Collection
from typing import Any

import numpy as np


def as_float(name: str, value: Any) -> float:
    """``value`` as a Python float (numbers and 1-element tensors/arrays are accepted).

    Args:
        name: the argument's name, used in the error message.
        value: the value to convert.

    Returns:
        The value as a float.

    Raises:
        ValueError: when ``value`` is not a real number (or has more than one element).

    Examples:
        >>> as_float("lr", 0.5)
        0.5
        >>> as_float("lr", "fast")
        Traceback (most recent call last):
        ...
        ValueError: lr='fast' must be a real number
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name}={value!r} must be a real number")
    if isinstance(value, numbers.Real):
        return float(value)
    numel = getattr(value, "numel", None)
    size = numel() if callable(numel) else getattr(value, "size", None)
    if size == 1 and not isinstance(value, str):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise ValueError(f"{name}={value!r} must be a real number")


def check_non_negative(name: str, value: Any) -> float:
    """Require ``value >= 0`` (learning rates, ε, weight decay, momentum...).

    Examples:
        >>> check_non_negative("eps", -1e-8)
        Traceback (most recent call last):
        ...
        ValueError: eps=-1e-08 must be >= 0
    """
    x = as_float(name, value)
    if not x >= 0.0:
        raise ValueError(f"{name}={value!r} must be >= 0")
    return x


def check_unit_interval(name: str, value: Any, *, closed: bool = False) -> float:
    """Require ``value`` in ``[0, 1)`` (an exponential-average coefficient), or ``[0, 1]`` if ``closed``.

    Examples:
        >>> check_unit_interval("beta2", 1.0)
        Traceback (most recent call last):
        ...
        ValueError: beta2=1.0 must be in [0, 1)
        >>> check_unit_interval("rho", 1.0, closed=True)
        1.0
    """
    x = as_float(name, value)
    ok = 0.0 <= x <= 1.0 if closed else 0.0 <= x < 1.0
    if not ok:
        raise ValueError(f"{name}={value!r} must be in [0, 1{']' if closed else ')'}")
    return x


def check_betas(value: Any) -> tuple[float, float]:
    """Require ``betas`` to be a pair of coefficients in ``[0, 1)``.

    Examples:
        >>> check_betas((0.9, 0.999))
        (0.9, 0.999)
        >>> check_betas((0.9,))
        Traceback (most recent call last):
        ...
        ValueError: betas=(0.9,) must be a pair (beta1, beta2)
    """
    try:
        beta1, beta2 = value
    except (TypeError, ValueError):
        raise ValueError(f"betas={value!r} must be a pair (beta1, beta2)") from None
    return check_unit_interval("betas[0]", beta1), check_unit_interval("betas[1]", beta2)


def check_choice(name: str, value: Any, choices: Collection[str]) -> str:
    """Require ``value`` to be one of ``choices``.

    Examples:
        >>> check_choice("convention", "paper", ("torch", "lecture"))
        Traceback (most recent call last):
        ...
        ValueError: convention='paper' must be one of 'torch', 'lecture'
    """
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}={value!r} must be one of {options}")
    return value


def check_step(t: Any) -> int:
    """Require a step count ``t >= 1`` (an integer: bias corrections use ``beta**t``).

    Examples:
        >>> check_step(0)
        Traceback (most recent call last):
        ...
        ValueError: t=0 must be an integer >= 1 (the number of this step, counting from 1)
    """
    if isinstance(t, bool) or not isinstance(t, numbers.Integral) or t < 1:
        raise ValueError(f"t={t!r} must be an integer >= 1 (the number of this step, counting from 1)")
    return int(t)


def check_like(name: str, array: Any, ref: np.ndarray, ref_name: str = "W") -> np.ndarray:
    """``array`` as an ndarray with the shape of ``ref`` (a gradient or a state array).

    Examples:
        >>> check_like("g", np.zeros(3), np.zeros((2, 2))).shape
        Traceback (most recent call last):
        ...
        ValueError: g has shape (3,) but W has shape (2, 2)
    """
    arr = np.asarray(array)
    if arr.shape != ref.shape:
        raise ValueError(f"{name} has shape {arr.shape} but {ref_name} has shape {ref.shape}")
    return arr
