r"""Noise robustness (노이즈 강건성): train on inputs or weights perturbed by Gaussian noise.

The deterministic core ``add_gaussian_noise`` adds ``sigma`` times given standard-normal draws; the
samplers ``input_noise`` and ``weight_noise`` draw those from a seeded ``numpy.random.Generator``.

For a linear model, Gaussian input noise is a penalty in disguise: averaged over the noise, the squared error
gains ``\sigma^2 \sum_i w_i^2``, a ridge penalty (formula ``noise.ridge``; Bishop 1995).

References:
    Chris M. Bishop (1995), "Training with Noise is Equivalent to Tikhonov Regularization",
    Neural Computation 7(1), 108–116. https://doi.org/10.1162/neco.1995.7.1.108
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, Expectation, In, Index, Out, Scalar, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_positive, check_same_shape


@implements(
    "noise.input",
    symbols={
        r"x": In("x", Array()),
        r"z": In("z", Array(-2.0, 2.0)),
        r"\sigma": In("sigma", Scalar(0.05, 1.0)),
        r"\tilde x": Out(),
    },
)
@implements(
    "noise.weight",
    symbols={
        r"W": In("x", Array()),
        r"z": In("z", Array(-2.0, 2.0)),
        r"\sigma": In("sigma", Scalar(0.05, 1.0)),
        r"\tilde W": Out(),
    },
)
def add_gaussian_noise(x: FloatArray, z: FloatArray, *, sigma: float) -> FloatArray:
    r"""Perturb ``x`` by ``sigma`` times the standard-normal draws ``z`` (formulas ``noise.input``, ``noise.weight``).

    In LaTeX, as in the log (``x`` for inputs, ``W`` for weights):

        \tilde x = x + \sigma z
        \tilde W = W + \sigma z

    Args:
        x: the clean inputs or weights.
        z: standard-normal draws, same shape as ``x``.
        sigma: the noise's standard deviation (>= 0).

    Returns:
        ``x + sigma * z``.

    Raises:
        ValueError: if ``sigma < 0`` or ``z`` and ``x`` differ in shape.

    Examples:
        >>> add_gaussian_noise(np.array([1.0, 2.0]), np.array([0.5, -1.0]), sigma=0.2).round(6).tolist()
        [1.1, 1.8]
    """
    check_positive("sigma", sigma, allow_zero=True)
    x = as_float_array("x", x)
    z = as_float_array("z", z)
    check_same_shape("x", x, "z", z)
    return x + sigma * z


def input_noise(x: FloatArray, *, sigma: float, rng: np.random.Generator) -> FloatArray:
    """Add fresh Gaussian noise ``N(0, sigma^2)`` to every input entry.

    Args:
        x: the clean inputs, any shape (e.g. a batch ``(N, d)``).
        sigma: the noise's standard deviation (>= 0).
        rng: the seeded generator the noise is drawn from.

    Returns:
        The noisy inputs, same shape as ``x``.

    Raises:
        ValueError: if ``sigma < 0``.

    Examples:
        >>> x = np.zeros((2, 3))
        >>> input_noise(x, sigma=0.1, rng=np.random.default_rng(0)).shape
        (2, 3)
    """
    x = as_float_array("x", x)
    return add_gaussian_noise(x, rng.standard_normal(x.shape), sigma=sigma)


def weight_noise(
    params: Mapping[str, FloatArray], *, sigma: float, rng: np.random.Generator
) -> dict[str, FloatArray]:
    """Perturb every weight array by fresh Gaussian noise ``N(0, sigma^2)`` (the originals are not changed).

    Args:
        params: weight arrays by name.
        sigma: the noise's standard deviation (>= 0).
        rng: the seeded generator the noise is drawn from (names are visited in sorted order).

    Returns:
        A new mapping with the same names and perturbed copies.

    Raises:
        ValueError: if ``sigma < 0``.

    Examples:
        >>> noisy = weight_noise({"w": np.ones(2)}, sigma=0.0, rng=np.random.default_rng(0))
        >>> noisy["w"].tolist()
        [1.0, 1.0]
    """
    check_positive("sigma", sigma, allow_zero=True)
    noisy = {}
    for name in sorted(params):
        W = as_float_array(name, params[name])  # noqa: N806
        noisy[name] = add_gaussian_noise(W, rng.standard_normal(W.shape), sigma=sigma)
    return {name: noisy[name] for name in params}


class NoiseSamples(NamedTuple):
    r"""Samples of input noise for a Monte-Carlo check.

    Attributes:
        xi: ``\xi``, shape ``(*shape, n_samples)`` (one noise vector per column), entries drawn from
            ``N(0, sigma^2)``.
    """

    xi: FloatArray


@implements(
    "noise.ridge",
    symbols={
        r"\mathbb{E}": Expectation(),
        # one linear model with 4 features; i runs over them (the leading axis of the noise, too). The ranges
        # keep both terms of the right side of one size, (y - Σ w x)² in 0.44..1.8 and σ² Σ w² in 0.31..1.44,
        # so that each is resolved by the simulation
        r"y": In(None, Scalar(0.9, 1.1)),
        r"x_i": In(None, Array(-0.1, 0.1, shape=(4,))),
        r"w_i": In(None, Array(0.4, 0.6, shape=(4,))),
        r"i": Index(),
        r"\sigma": In("sigma", Scalar(0.7, 1.0)),
        r"\xi_i": Out("xi"),
    },
    fixed={"shape": (4,), "n_samples": 1_000_000, "seed": 0},
    identity=True,
    rtol=6e-2,
    atol=1e-9,
    reason=(
        "Monte-Carlo mean over 1,000,000 noise draws, compared relative to the smallest term: its standard error "
        "is at most ~1.2% of that term here, so 6% is 5 errors, and each term scaled by 1 ± 12% is rejected"
    ),
)
def sample_input_noise(*, sigma: float, shape: tuple[int, ...], n_samples: int, seed: int) -> NoiseSamples:
    r"""Draw ``n_samples`` Gaussian noise vectors (the simulator behind formula ``noise.ridge``).

    The identity it checks, for a linear model with weights ``w`` (in LaTeX, as in the log; ``\sum_{i}`` runs over
    the features, the leading axis, and ``\mathbb{E}`` averages over the draws):

        \mathbb{E}\left[\left(y - \sum_{i} w_i (x_i + \xi_i)\right)^2\right]
            = \left(y - \sum_{i} w_i x_i\right)^2 + \sigma^2 \sum_{i} w_i^2

    Args:
        sigma: the noise's standard deviation (>= 0).
        shape: the shape of one noise vector (the input's shape).
        n_samples: how many vectors to draw (>= 1).
        seed: seed of the generator.

    Returns:
        The samples, shape ``(*shape, n_samples)``: the draws run along the last axis.

    Raises:
        ValueError: if ``sigma < 0`` or ``n_samples < 1``.

    Examples:
        >>> xi = sample_input_noise(sigma=0.5, shape=(2,), n_samples=100_000, seed=0).xi
        >>> xi.shape, bool(abs(xi.std() - 0.5) < 0.01)
        ((2, 100000), True)
    """
    check_positive("sigma", sigma, allow_zero=True)
    if n_samples < 1:
        raise ValueError(f"n_samples={n_samples} must be >= 1")
    rng = np.random.default_rng(seed)
    return NoiseSamples(xi=sigma * rng.standard_normal((*shape, n_samples)))
