r"""Activation functions: ReLU (a piecewise definition) and GELU (built on an integral, the normal CDF)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from studylog.cnn._checks import FloatArray, as_float_array
from studylog.engine.binding import Array, Const, In, Out, implements

_erf = np.vectorize(math.erf, otypes=[np.float64])  # numpy has no erf; math.erf is correctly rounded enough


@implements("relu.def", symbols={r"\mathrm{ReLU}(x)": Out(), r"x": In("x", Array(-2.0, 2.0))})
def relu(x: FloatArray) -> FloatArray:
    r"""The rectified linear unit, elementwise.

    In LaTeX, as in the log (formula ``relu.def``):

        \mathrm{ReLU}(x) = \begin{cases} x, & x > 0, \\ 0, & \text{otherwise}. \end{cases}

    Args:
        x: any array.

    Returns:
        ``x`` where it is positive, 0 elsewhere (a new array, same shape).

    Examples:
        >>> relu(np.array([-1.0, 0.0, 2.5])).tolist()
        [0.0, 0.0, 2.5]
    """
    x = as_float_array("x", x)
    return np.where(x > 0, x, 0.0)


class GeluParts(NamedTuple):
    r"""GELU and the standard normal CDF $`\Phi`$ it is built from."""

    gelu: FloatArray
    r"""$`\mathrm{GELU}(x) = x \Phi(x)`$."""
    cdf: FloatArray
    r"""$`\Phi(x)`$, the probability that a standard normal variable is at most $`x`$."""


@implements(
    "gelu.phi",
    "gelu.def",
    symbols={
        r"x": In("x", Array(-3.0, 3.0)),
        r"\Phi(x)": Out("cdf"),
        r"\mathrm{GELU}(x)": Out("gelu"),
        r"\pi": Const(math.pi),
        r"e": Const(math.e),
    },
)
def gelu_parts(x: FloatArray) -> GeluParts:
    r"""The exact GELU of Hendrycks and Gimpel, with the normal CDF written through ``erf``.

    In LaTeX, as in the log (formulas ``gelu.def`` and ``gelu.phi``):

        \mathrm{GELU}(x) = x\,\Phi(x), \qquad \Phi(x) = \int_{-\infty}^{x} \frac{1}{\sqrt{2\pi}} e^{-t^2/2}\,dt

    with $`\Phi(x) = \tfrac12 \left(1 + \operatorname{erf}(x/\sqrt 2)\right)`$.

    Args:
        x: any array.

    Returns:
        GELU and the CDF, elementwise.

    Examples:
        >>> gelu_parts(np.array([0.0, 1.0])).gelu.round(6).tolist()
        [0.0, 0.841345]
    """
    x = as_float_array("x", x)
    cdf = 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))
    return GeluParts(gelu=x * cdf, cdf=cdf)


def gelu(x: FloatArray) -> FloatArray:
    """GELU alone (see `gelu_parts`).

    Examples:
        >>> float(gelu(np.array(-1.0)).round(6))
        -0.158655
    """
    return gelu_parts(x).gelu
