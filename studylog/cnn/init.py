r"""Weight initialization (가중치 초기화): Xavier/Glorot and He/Kaiming, derived and simulated with torch.

Both keep the variance of activations roughly constant from layer to layer. Xavier balances the forward and
the backward pass, ``Var[W] = 2 / (n_in + n_out)``; He accounts for ReLU zeroing half of its inputs,
``Var[W] = 2 / n_in``. The simulators draw weights with ``torch.nn.init`` itself, so the log's identities are
checked against what torch does.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch

from studylog.cnn._checks import FloatArray, check_int
from studylog.engine.binding import Expectation, In, Int, Op, Out, Scalar, implements


def _variance(x: FloatArray) -> float:
    """The variance over all samples (``ddof=0``)."""
    return float(np.var(np.asarray(x, dtype=np.float64)))


@implements(
    "init.xavier.bound",
    symbols={r"a": Out(), r"n_{\mathrm{in}}": In("fan_in", Int(1, 512)), r"n_{\mathrm{out}}": In("fan_out", Int(1, 512))},
)
def xavier_uniform_bound(fan_in: int, fan_out: int, *, gain: float = 1.0) -> float:
    r"""The bound ``a`` of Xavier's uniform initialization ``U(-a, a)``.

    In LaTeX, as in the log (formula ``init.xavier.bound``, for ``gain = 1``):

        a = \sqrt{\frac{6}{n_{\mathrm{in}} + n_{\mathrm{out}}}}

    Args:
        fan_in: inputs of a unit (>= 1).
        fan_out: outputs of a unit (>= 1).
        gain: the factor torch multiplies with (1 for a linear or tanh-free layer).

    Returns:
        ``a``.

    Raises:
        ValueError: if a fan is not a positive integer.

    Examples:
        >>> round(xavier_uniform_bound(100, 200), 6)
        0.141421
    """
    return gain * math.sqrt(6.0 / (check_int("fan_in", fan_in) + check_int("fan_out", fan_out)))


@implements("init.uniform.var", symbols={r"\sigma^2": Out(), r"a": In("a", Scalar(0.05, 2.0))})
def uniform_variance(a: float) -> float:
    r"""The variance of ``U(-a, a)``.

    In LaTeX, as in the log (formula ``init.uniform.var``):

        \sigma^2 = \int_{-a}^{a} \frac{w^2}{2a}\,dw

    which is ``a**2 / 3``.

    Args:
        a: the half-width (> 0).

    Returns:
        The variance.

    Raises:
        ValueError: if ``a`` is not positive.

    Examples:
        >>> uniform_variance(3.0)
        3.0
    """
    if not a > 0:
        raise ValueError(f"a={a!r} must be > 0")
    return a * a / 3.0


class WeightSamples(NamedTuple):
    """Weights drawn by ``torch.nn.init``, flattened, in float64."""

    W: FloatArray


def _draw(init: str, fan_in: int, fan_out: int, n_samples: int, seed: int) -> FloatArray:
    fan_in, fan_out = check_int("fan_in", fan_in), check_int("fan_out", fan_out)
    generator = torch.Generator().manual_seed(seed)
    layers = -(-check_int("n_samples", n_samples) // (fan_in * fan_out))
    weight = torch.empty(layers, fan_out, fan_in, dtype=torch.float64)
    for layer in weight:  # one (fan_out, fan_in) weight matrix at a time, as torch initializes a Linear layer
        if init == "xavier_uniform":
            torch.nn.init.xavier_uniform_(layer, generator=generator)
        else:
            torch.nn.init.kaiming_normal_(layer, mode="fan_in", nonlinearity="relu", generator=generator)
    return weight.numpy().ravel()


_VARIANCE = Op(_variance, brackets="[]")


@implements(
    "init.xavier.var",
    symbols={
        r"\mathrm{Var}": _VARIANCE,
        r"W": Out("W"),
        r"n_{\mathrm{in}}": In("fan_in", Int(16, 64)),
        r"n_{\mathrm{out}}": In("fan_out", Int(16, 64)),
    },
    fixed={"n_samples": 400_000, "seed": 0},
    identity=True,
    rtol=1e-2,
    atol=1e-9,
    reason=(
        "Monte-Carlo variance of 400,000 uniform weights: relative standard error sqrt(0.8/400000) = 0.14%, so "
        "1% is 7 errors; with fans of at most 64, a wrong denominator such as n_in + n_out + 5 is off by >= 3.8%"
    ),
)
def sample_xavier_uniform(fan_in: int, fan_out: int, *, n_samples: int, seed: int) -> WeightSamples:
    """At least ``n_samples`` weights from ``torch.nn.init.xavier_uniform_`` on ``(fan_out, fan_in)`` matrices.

    Examples:
        >>> w = sample_xavier_uniform(4, 6, n_samples=240_000, seed=0).W
        >>> w.shape, bool(abs(w.var() * 10 / 2 - 1) < 0.01)
        ((240000,), True)
    """
    return WeightSamples(_draw("xavier_uniform", fan_in, fan_out, n_samples, seed))


@implements(
    "init.he.var",
    symbols={r"\mathrm{Var}": _VARIANCE, r"W": Out("W"), r"n_{\mathrm{in}}": In("fan_in", Int(16, 64))},
    fixed={"fan_out": 32, "n_samples": 400_000, "seed": 0},
    identity=True,
    rtol=1.5e-2,
    atol=1e-9,
    reason="Monte-Carlo variance of 400,000 normal weights: relative standard error sqrt(2/400000) = 0.22%, so 1.5% is 7 errors",
)
def sample_kaiming_normal(fan_in: int, fan_out: int, *, n_samples: int, seed: int) -> WeightSamples:
    """At least ``n_samples`` weights from ``torch.nn.init.kaiming_normal_`` (fan_in mode, ReLU gain).

    Examples:
        >>> w = sample_kaiming_normal(50, 32, n_samples=400_000, seed=0).W
        >>> bool(abs(w.var() * 50 / 2 - 1) < 0.01)
        True
    """
    return WeightSamples(_draw("kaiming_normal", fan_in, fan_out, n_samples, seed))


class PreActivations(NamedTuple):
    """Zero-mean normal pre-activations, the inputs of a ReLU."""

    x: FloatArray


@implements(
    "init.relu.moment",
    symbols={
        r"\mathbb{E}": Expectation(),
        r"\mathrm{Var}": _VARIANCE,
        r"\mathrm{ReLU}": Op(lambda v: np.maximum(v, 0.0)),
        r"x": Out("x"),
        r"\sigma": In("sigma", Scalar(0.5, 2.0)),  # the pre-activations' spread (not in the formula)
    },
    fixed={"n_samples": 1_000_000, "seed": 0},
    identity=True,
    rtol=1.5e-2,
    atol=1e-9,
    reason="Monte-Carlo means of 1,000,000 normal samples: the two sides' relative standard error is ~0.2%, so 1.5% is 7 errors",
)
def sample_preactivations(sigma: float = 1.0, *, n_samples: int, seed: int) -> PreActivations:
    """``n_samples`` draws of ``N(0, sigma**2)`` from torch's generator.

    Examples:
        >>> x = sample_preactivations(2.0, n_samples=100_000, seed=0).x
        >>> bool(abs(x.std() - 2.0) < 0.02)
        True
    """
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(check_int("n_samples", n_samples), dtype=torch.float64, generator=generator) * sigma
    return PreActivations(x.numpy())
