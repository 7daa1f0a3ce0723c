r"""Mixup (믹스업): train on convex combinations of pairs of examples and of their labels.

A pair ``(x_i, y_i)``, ``(x_j, y_j)`` is blended with one weight ``\lambda`` drawn from ``Beta(alpha, alpha)``
(formulas ``mixup.x`` and ``mixup.y``). In a batch, the partner of example ``i`` is example ``perm[i]`` of a random
permutation of the same batch.

References:
    Hongyi Zhang, Moustapha Cisse, Yann N. Dauphin and David Lopez-Paz (2018), "mixup: Beyond Empirical Risk
    Minimization", ICLR 2018. https://arxiv.org/abs/1710.09412
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from studylog.engine.binding import Array, In, Out, Scalar, implements
from studylog.regularization._checks import (
    FloatArray,
    as_float_array,
    check_positive,
    check_probability,
    check_same_shape,
)


class Mixed(NamedTuple):
    r"""A mixed example and its mixed label.

    Attributes:
        x: ``\tilde x``, the blended inputs.
        y: ``\tilde y``, the blended (soft) labels.
    """

    x: FloatArray
    y: FloatArray


@implements(
    "mixup.x",
    "mixup.y",
    symbols={
        r"x_i": In("x_i", Array()),
        r"x_j": In("x_j", Array()),
        r"y_i": In("y_i", Array(0.0, 1.0)),
        r"y_j": In("y_j", Array(0.0, 1.0)),
        r"\lambda": In("lam", Scalar(0.05, 0.95)),
        r"\tilde x": Out("x"),
        r"\tilde y": Out("y"),
    },
)
def mix_pair(x_i: FloatArray, x_j: FloatArray, y_i: FloatArray, y_j: FloatArray, *, lam: float) -> Mixed:
    r"""Blend two examples and their labels with weight ``lam`` (formulas ``mixup.x`` and ``mixup.y``).

    In LaTeX, as in the log:

        \tilde x = \lambda x_i + (1-\lambda) x_j
        \tilde y = \lambda y_i + (1-\lambda) y_j

    Args:
        x_i: the first inputs (or a batch of them).
        x_j: the partner inputs, same shape as ``x_i``.
        y_i: the first labels (one-hot or soft).
        y_j: the partner labels, same shape as ``y_i``.
        lam: the weight of the first example, in ``[0, 1]``.

    Returns:
        The mixed inputs and labels.

    Raises:
        ValueError: if ``lam`` is outside ``[0, 1]`` or the partners' shapes differ.

    Examples:
        >>> a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
        >>> m = mix_pair(a, b, a, b, lam=0.7)
        >>> m.x.round(6).tolist(), m.y.round(6).tolist()
        ([0.7, 0.3], [0.7, 0.3])
    """
    check_probability("lam", lam, include_one=True)
    x_i, x_j = as_float_array("x_i", x_i), as_float_array("x_j", x_j)
    y_i, y_j = as_float_array("y_i", y_i), as_float_array("y_j", y_j)
    check_same_shape("x_i", x_i, "x_j", x_j)
    check_same_shape("y_i", y_i, "y_j", y_j)
    return Mixed(x=lam * x_i + (1.0 - lam) * x_j, y=lam * y_i + (1.0 - lam) * y_j)


def sample_mixing_weight(*, alpha: float, rng: np.random.Generator) -> float:
    r"""Draw ``\lambda ~ Beta(alpha, alpha)`` (``alpha = 0`` gives ``\lambda = 1``: no mixing).

    Args:
        alpha: the Beta distribution's two equal parameters (>= 0); small values keep ``\lambda`` near 0 or 1.
        rng: the seeded generator.

    Returns:
        ``\lambda`` in ``[0, 1]``.

    Raises:
        ValueError: if ``alpha < 0``.

    Examples:
        >>> sample_mixing_weight(alpha=0.0, rng=np.random.default_rng(0))
        1.0
    """
    check_positive("alpha", alpha, allow_zero=True)
    return 1.0 if alpha == 0 else float(rng.beta(alpha, alpha))


class MixupBatch(NamedTuple):
    """A mixed batch and how it was made.

    Attributes:
        x: the mixed inputs, same shape as the batch.
        y: the mixed labels.
        lam: the weight of each original example.
        perm: the partner of example ``i`` is example ``perm[i]``.
    """

    x: FloatArray
    y: FloatArray
    lam: float
    perm: NDArray[np.int64]


def check_batch(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Convert a batch to float arrays and check that inputs and labels have the same batch size.

    Args:
        x: inputs, shape ``(N, ...)``.
        y: labels, shape ``(N, K)``.

    Returns:
        ``x`` and ``y`` as float64 arrays.

    Raises:
        ValueError: naming ``y`` if its batch size differs from ``x``'s, or either has no batch axis.

    Examples:
        >>> check_batch(np.zeros((2, 3)), np.zeros((3, 2)))
        Traceback (most recent call last):
        ...
        ValueError: y has 3 rows but x has 2; inputs and labels must have the same batch size
    """
    x, y = as_float_array("x", x), as_float_array("y", y)
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"x and y need a batch axis, got shapes {x.shape} and {y.shape}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"y has {y.shape[0]} rows but x has {x.shape[0]}; inputs and labels must have the same batch size"
        )
    return x, y


def mixup_batch(x: FloatArray, y: FloatArray, *, alpha: float, rng: np.random.Generator) -> MixupBatch:
    """Mix a batch with a shuffled copy of itself, one ``lambda`` for the whole batch (as in the paper's code).

    Args:
        x: inputs, shape ``(N, ...)``.
        y: one-hot or soft labels, shape ``(N, K)``.
        alpha: parameter of ``Beta(alpha, alpha)`` (>= 0).
        rng: the seeded generator (draws ``lambda`` first, then the permutation).

    Returns:
        The mixed batch, ``lambda`` and the permutation.

    Raises:
        ValueError: if ``alpha < 0`` or ``x`` and ``y`` have different batch sizes.

    Examples:
        >>> b = mixup_batch(np.eye(2), np.eye(2), alpha=1.0, rng=np.random.default_rng(0))
        >>> bool(np.allclose(b.x, b.y))
        True
    """
    x, y = check_batch(x, y)
    lam = sample_mixing_weight(alpha=alpha, rng=rng)
    perm = rng.permutation(x.shape[0])
    mixed = mix_pair(x, x[perm], y, y[perm], lam=lam)
    return MixupBatch(x=mixed.x, y=mixed.y, lam=lam, perm=perm)
