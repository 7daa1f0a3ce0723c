r"""Values whose leading axes are named by index letters: how ``x_i``, ``\sum_j`` and free indices evaluate.

A formula such as ``\frac{e^{x_i}}{\sum_j e^{x_j}}`` is evaluated the way a mathematician reads it: ``x_i``
is the array ``x`` with its axis named ``i``, ``x_j`` the same array with the axis named ``j``, and
``\sum_j`` adds up along ``j`` only. Arithmetic aligns values by name (like ``einsum``), so ``x_i`` and
``x_j`` never mix by accident. Axes after the named ones are *elementwise* (batch) axes and broadcast as
numpy broadcasts them.

Values without names are plain numbers or numpy arrays, and the fast path of every operation leaves them
alone, so formulas without indices cost nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


class EvalError(ValueError):
    """A formula cannot be evaluated on the drawn values (index out of range, inconsistent lengths)."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """An array whose first ``len(labels)`` axes are named by index letters."""

    a: np.ndarray
    labels: tuple[str, ...]

    @property
    def elem_ndim(self) -> int:
        """How many elementwise (unnamed) axes follow the named ones."""
        return self.a.ndim - len(self.labels)


def labels_of(value: Any) -> tuple[str, ...]:
    return value.labels if isinstance(value, Indexed) else ()


def _parts(value: Any) -> tuple[np.ndarray, tuple[str, ...]]:
    if isinstance(value, Indexed):
        return value.a, value.labels
    return np.asarray(value, dtype=float), ()


def align(*values: Any) -> tuple[list[np.ndarray], tuple[str, ...]]:
    """Arrays ready for numpy broadcasting: named axes in one common order, elementwise axes right-aligned."""
    parts = [_parts(v) for v in values]
    labels: list[str] = []
    for _, names in parts:
        labels.extend(n for n in names if n not in labels)
    width = max(a.ndim - len(names) for a, names in parts)
    sizes: dict[str, int] = {}
    out = []
    for a, names in parts:
        k = len(names)
        order = [names.index(n) for n in labels if n in names]
        if order != list(range(k)):
            a = np.transpose(a, order + list(range(k, a.ndim)))
        by_name = dict(zip([n for n in labels if n in names], a.shape[:k], strict=True))
        for n, size in by_name.items():
            if size != 1 and sizes.setdefault(n, size) != size:
                raise EvalError(f"index {n} runs over {sizes[n]} values in one place and {size} in another")
        shape = tuple(by_name.get(n, 1) for n in labels) + (1,) * (width - (a.ndim - k)) + a.shape[k:]
        out.append(a.reshape(shape))
    return out, tuple(labels)


def wrap(a: Any, labels: tuple[str, ...]) -> Any:
    """``a`` with named axes, or ``a`` itself when there are none."""
    return Indexed(np.asarray(a), labels) if labels else a


def lift(fn: Callable[..., Any], *values: Any) -> Any:
    """Apply an elementwise numpy function, aligning named axes when any operand has them."""
    if not any(isinstance(v, Indexed) for v in values):
        return fn(*values)
    arrays, labels = align(*values)
    return wrap(fn(*arrays), labels)


def emap(fn: Callable[[Any], Any], value: Any) -> Any:
    """Apply an elementwise function to one value, keeping its names."""
    if isinstance(value, Indexed):
        return Indexed(np.asarray(fn(value.a)), value.labels)
    return fn(value)


def per_element(fn: Callable[..., Any], *values: Any) -> Any:
    """Apply a function of whole elements (an operator such as softmax or an expectation) per named position."""
    if not any(isinstance(v, Indexed) for v in values):
        return fn(*values)
    arrays, labels = align(*values)
    k = len(labels)
    grid = np.broadcast_shapes(*(a.shape[:k] for a in arrays))
    results = [np.asarray(fn(*(np.broadcast_to(a, grid + a.shape[k:])[pos] for a in arrays))) for pos in np.ndindex(grid)]
    return Indexed(np.stack(results).reshape(grid + results[0].shape), labels)


def reduce(value: Any, label: str, how: str, *, positions: np.ndarray | None = None) -> Any:
    """Reduce the axis named ``label`` with ``how`` (sum, prod, max, min, argmax, argmin).

    For argmax/argmin, ``positions`` are the index values the axis stands for (the result is one of them).
    """
    if not isinstance(value, Indexed) or label not in value.labels:
        raise EvalError(f"nothing varies with the bound index {label}")
    axis = value.labels.index(label)
    a = value.a
    if how in ("argmax", "argmin"):
        pick = np.argmax(a, axis=axis) if how == "argmax" else np.argmin(a, axis=axis)
        assert positions is not None
        a = np.asarray(positions, dtype=float)[pick]
    else:
        a = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min}[how](a, axis=axis)
    return wrap(a, value.labels[:axis] + value.labels[axis + 1 :])


def gather(array: Any, positions: Sequence[Any], starts: Sequence[int], *, name: str, masked: bool) -> Any:
    """``array`` at the given subscripts (index values, named or plain), counted from ``starts``.

    Out-of-range subscripts are an error, except inside a binder whose bounds depend on another index
    (``masked``): there the value is NaN and the binder's mask removes it.
    """
    a = np.asarray(array, dtype=float)
    if len(positions) > a.ndim:
        raise EvalError(f"{name} has {a.ndim} axes but {len(positions)} subscripts")
    arrays, labels = align(*positions)
    if any(p.ndim != len(labels) for p in arrays):
        raise EvalError(f"a subscript of {name} is an array, not an index")
    index = []
    invalid = np.zeros((), dtype=bool)
    for k, (p, start) in enumerate(zip(arrays, starts, strict=True)):
        if not np.all(p == np.round(p)):
            raise EvalError(f"subscript {k + 1} of {name} is not an integer ({p.ravel()[0]:g}…)")
        pos = p.astype(np.int64) - start
        bad = (pos < 0) | (pos >= a.shape[k])
        if bad.any():
            if not masked:
                value = int(pos[bad].ravel()[0]) + start
                raise EvalError(
                    f"subscript {value} of {name} is out of range: axis {k + 1} runs over {start}..{start + a.shape[k] - 1}"
                )
            invalid = invalid | bad
            pos = np.clip(pos, 0, a.shape[k] - 1)
        index.append(pos)
    grid = np.broadcast_arrays(*index) if index else []
    out = a[tuple(grid)]
    if invalid.any():
        out = np.where(invalid.reshape(invalid.shape + (1,) * (out.ndim - invalid.ndim)), np.nan, out)
    return wrap(out, labels)


def materialize(value: Any, labels: tuple[str, ...], shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A plain array with the named axes in the order ``labels`` (missing ones broadcast to ``shape``)."""
    a, names = _parts(value)
    extra = [n for n in names if n not in labels]
    if extra:
        raise EvalError(f"index {extra[0]} is free on the right side but not on the left")
    arrays, _ = align(Indexed(np.zeros((1,) * len(labels)), labels), value)
    out = arrays[1]
    k = len(labels)
    if shape is not None and len(shape) >= k and out.shape[:k] != shape[:k]:
        # an index of the left side that the right side does not use: constant along that axis
        target = tuple(s if o == 1 else o for o, s in zip(out.shape[:k], shape[:k], strict=True)) + out.shape[k:]
        out = np.broadcast_to(out, target)
    return np.asarray(out)
