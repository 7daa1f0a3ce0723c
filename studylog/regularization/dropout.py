r"""Dropout (드롭아웃): zero each activation at random during training, and rescale the survivors.

Each unit is kept with probability ``1 - p`` (mask ``m ~ Bernoulli(1 - p)``) and the kept ones are divided by
``1 - p`` ("inverted" dropout, formula ``dropout.inverted``), so the expected activation is unchanged
(formula ``dropout.mean``) and nothing needs rescaling at test time, when dropout is off. This is what
``torch.nn.functional.dropout`` computes.

References:
    Nitish Srivastava, Geoffrey Hinton, Alex Krizhevsky, Ilya Sutskever and Ruslan Salakhutdinov (2014),
    "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 15(56), 1929–1958.
    https://jmlr.org/papers/v15/srivastava14a.html
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, Choice, Expectation, In, Out, Scalar, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_probability, check_same_shape


@implements(
    "dropout.inverted",
    symbols={
        r"h": In("h", Array()),
        r"m": In("m", Choice((0.0, 1.0))),
        r"p": In("p", Scalar(0.1, 0.8)),
        r"\tilde h": Out(),
    },
)
def dropout_with_mask(h: FloatArray, m: FloatArray, *, p: float) -> FloatArray:
    r"""Apply a given keep-mask with inverted scaling (formula ``dropout.inverted``).

    In LaTeX, as in the log:

        \tilde h = \frac{m \odot h}{1-p}

    Args:
        h: the activations.
        m: the keep-mask (1 = keep, 0 = drop), same shape as ``h``.
        p: the drop probability, in ``[0, 1)``.

    Returns:
        The masked, rescaled activations.

    Raises:
        ValueError: if ``p`` is outside ``[0, 1)`` or ``m`` and ``h`` differ in shape.

    Examples:
        >>> dropout_with_mask(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 1.0]), p=0.5).tolist()
        [2.0, 0.0, 6.0]
    """
    check_probability("p", p)
    h, m = as_float_array("h", h), as_float_array("m", m)
    check_same_shape("h", h, "m", m)
    return (m * h) / (1.0 - p)


def sample_keep_mask(shape: tuple[int, ...], *, p: float, rng: np.random.Generator) -> FloatArray:
    """Draw a keep-mask ``m ~ Bernoulli(1 - p)``, elementwise.

    Args:
        shape: the activations' shape.
        p: the drop probability, in ``[0, 1)``.
        rng: the seeded generator.

    Returns:
        A float64 array of zeros and ones.

    Raises:
        ValueError: if ``p`` is outside ``[0, 1)``.

    Examples:
        >>> sample_keep_mask((4,), p=0.0, rng=np.random.default_rng(0)).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    check_probability("p", p)
    return (rng.random(shape) >= p).astype(np.float64)


def dropout(h: FloatArray, *, p: float, rng: np.random.Generator, training: bool = True) -> FloatArray:
    """Inverted dropout: random mask and rescaling while training, the identity otherwise.

    Args:
        h: the activations.
        p: the drop probability, in ``[0, 1)``.
        rng: the seeded generator the mask is drawn from.
        training: whether dropout is active (at evaluation time it returns ``h`` unchanged).

    Returns:
        The activations after dropout.

    Raises:
        ValueError: if ``p`` is outside ``[0, 1)``.

    Examples:
        >>> out = dropout(np.ones(6), p=0.5, rng=np.random.default_rng(0))
        >>> sorted(set(out.tolist()))
        [0.0, 2.0]
    """
    check_probability("p", p)
    h = as_float_array("h", h)
    if not training:
        return h
    return dropout_with_mask(h, sample_keep_mask(h.shape, p=p, rng=rng), p=p)


class DropoutSamples(NamedTuple):
    r"""Many independent dropout outputs for the same activations.

    Attributes:
        h_tilde: ``\tilde h``, shape ``(n_samples, *h.shape)``.
    """

    h_tilde: FloatArray


@implements(
    "dropout.mean",
    symbols={
        r"\mathbb{E}": Expectation(),
        r"h": In("h", Array(0.5, 2.0)),
        r"p": In("p", Scalar(0.1, 0.6)),
        r"\tilde h": Out("h_tilde"),
    },
    fixed={"n_samples": 100_000, "seed": 0},
    identity=True,
    rtol=3e-2,
    atol=1e-9,
    reason="Monte-Carlo mean of 100,000 dropout draws: relative standard error at most 0.4% (p <= 0.6), so 3%"
    " is more than 7 errors",
)
def sample_dropout(h: FloatArray, *, p: float, n_samples: int, seed: int) -> DropoutSamples:
    r"""Apply dropout ``n_samples`` times to the same ``h`` (the simulator behind formula ``dropout.mean``).

    The identity it checks (in LaTeX, as in the log):

        \mathbb{E}[\tilde h] = h

    Args:
        h: the activations.
        p: the drop probability, in ``[0, 1)``.
        n_samples: how many independent masks to draw (>= 1).
        seed: seed of the generator.

    Returns:
        The dropped-out copies, stacked along a new leading axis.

    Raises:
        ValueError: if ``p`` is outside ``[0, 1)`` or ``n_samples < 1``.

    Examples:
        >>> s = sample_dropout(np.array([1.0, 2.0]), p=0.5, n_samples=100_000, seed=0).h_tilde
        >>> s.mean(axis=0).round(1).tolist()
        [1.0, 2.0]
    """
    if n_samples < 1:
        raise ValueError(f"n_samples={n_samples} must be >= 1")
    h = as_float_array("h", h)
    rng = np.random.default_rng(seed)
    masks = sample_keep_mask((n_samples, *h.shape), p=p, rng=rng)
    return DropoutSamples(h_tilde=dropout_with_mask(np.broadcast_to(h, masks.shape), masks, p=p))
