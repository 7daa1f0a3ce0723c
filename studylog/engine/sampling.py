"""Seeded random inputs that make typos visible.

Rules from the feasibility study: every value of order 1, scalars pairwise distinct (so that a swapped
``\\beta_1``/``\\beta_2`` shows), integers such as a step ``t >= 2`` (so that ``\\beta^t`` differs from
``\\beta``), non-square and pairwise-distinct matrix dimensions (so that a transposed product fails).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from studylog.engine.binding import Array, Choice, Dim, Fixed, Fn, Int, Matrix, Scalar, Sampler
from studylog.errors import BindingError

_MIN_GAP = 0.03  # scalars closer than this are redrawn


def rng_for(formula_ids: tuple[str, ...], draw: int, seed: int = 0) -> np.random.Generator:
    """A generator seeded by the formula ids and the draw number: reproducible, distinct per binding."""
    key = zlib.crc32("|".join(formula_ids).encode())
    return np.random.default_rng([seed, key, draw])


def draw_dims(dims: Mapping[str, tuple[int, int]], rng: np.random.Generator) -> dict[str, int]:
    """Pairwise-distinct sizes for the named dimensions."""
    out: dict[str, int] = {}
    for name, (low, high) in dims.items():
        choices = [v for v in range(low, high + 1) if v not in out.values()]
        if not choices:
            raise BindingError(f"dimension {name!r}: no size in {low}..{high} is distinct from the others")
        out[name] = int(rng.choice(choices))
    return out


def _size(value: int | str, dims: Mapping[str, int]) -> int:
    if isinstance(value, int):
        return value
    if value not in dims:
        raise BindingError(f"dimension {value!r} is not declared in dims=")
    return dims[value]


def random_function(rng: np.random.Generator) -> Callable[[Any], Any]:
    """An elementwise smooth nonlinear function ``x -> a*x + b*sin(c*x) + d``."""
    a, b, c, d = rng.uniform(0.5, 1.5, size=4)

    def f(x: Any) -> Any:
        if hasattr(x, "detach"):  # a torch tensor: keep it a tensor
            import torch

            return a * x + b * torch.sin(c * x) + d
        return a * np.asarray(x) + b * np.sin(c * np.asarray(x)) + d

    return f


def sample(
    sampler: Sampler,
    rng: np.random.Generator,
    *,
    shape: tuple[int, ...],
    dims: Mapping[str, int],
    taken: list[float],
) -> Any:
    """Draw one value for ``sampler``; ``taken`` collects the scalars drawn so far (kept apart)."""
    if isinstance(sampler, Scalar):
        for _ in range(1000):
            value = float(rng.uniform(sampler.low, sampler.high))
            if all(abs(value - other) >= _MIN_GAP for other in taken):
                taken.append(value)
                return value
        raise BindingError(f"cannot draw a scalar in [{sampler.low}, {sampler.high}) apart from the others")
    if isinstance(sampler, Int):
        return int(rng.integers(sampler.low, sampler.high + 1))
    if isinstance(sampler, Dim):
        return _size(sampler.name, dims)
    if isinstance(sampler, Array):
        size = tuple(_size(s, dims) for s in (sampler.shape if sampler.shape is not None else shape))
        return rng.uniform(sampler.low, sampler.high, size=size)
    if isinstance(sampler, Matrix):
        size = (_size(sampler.rows, dims), _size(sampler.cols, dims))
        return rng.uniform(sampler.low, sampler.high, size=size)
    if isinstance(sampler, Choice):
        size = tuple(_size(s, dims) for s in (sampler.shape if sampler.shape is not None else shape))
        return rng.choice(np.asarray(sampler.values, dtype=float), size=size)
    if isinstance(sampler, Fn):
        return random_function(rng)
    if isinstance(sampler, Fixed):
        return sampler.value
    raise BindingError(f"unknown sampler {sampler!r}")
