r"""Sharpness of a minimizer (Keskar et al. 2017): the largest relative loss increase in a small box.

The box around $`W`$ has half-widths $`r_j = \epsilon (\lvert W_j \rvert + 1)`$ (formula
``sharp.radius``; the paper's $`C_\epsilon`$ with $`A = I`$), and the sharpness is

```math
\phi = \frac{\max_{\delta \in C_\epsilon} L(W+\delta) - L(W)}{1 + L(W)} \times 100
```

(formula ``sharp.phi``). The maximum is found numerically (`maximize_in_box`: projected
sign-gradient ascent from several starts; the paper used L-BFGS-B), so $`\phi`$ is a lower bound of
the true value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Derived, In, Out, Scalar, implements
from studylog.learning._checks import as_float_array, check_int, check_positive

LossFn = Callable[[NDArray[np.float64]], float]
GradFn = Callable[[NDArray[np.float64]], NDArray[np.float64]]


@implements(
    "sharp.radius",
    symbols={
        r"r_j": Out(),
        r"\epsilon": In("eps", Scalar(1e-3, 0.5)),
        r"W_j": In("W", Array(-2.0, 2.0)),
        # the engine's parser cannot read |x| yet (its closing bar starts a new product): spell the
        # absolute value as a derived symbol
        r"\lvert W_j \rvert": Derived(r"\sqrt{W_j^2}"),
    },
)
def box_radius(W: ArrayLike, *, eps: float) -> NDArray[np.float64]:
    r"""Half-widths $`r_j = \epsilon(\lvert W_j\rvert + 1)`$ of the box $`C_\epsilon`$ around ``W``.

    Relative to each weight's size, so the box does not depend on the scale of large weights, and at
    least $`\epsilon`$ wide near zero.

    Args:
        W: the point (parameters).
        eps: box size $`\epsilon`$ (``> 0``).

    Returns:
        One half-width per parameter.

    Raises:
        ValueError: if ``eps <= 0``.

    Examples:
        >>> print(box_radius([0.0, -3.0], eps=0.01))
        [0.01 0.04]
    """
    W = as_float_array("W", W)
    return check_positive("eps", eps) * (np.abs(W) + 1.0)


@implements(
    "sharp.phi",
    symbols={
        r"\phi": Out(),
        r"\max_{\delta \in C_\epsilon} L(W+\delta)": In("max_loss", Array(1.0, 3.0)),
        r"L(W)": In("loss", Array(0.1, 1.0)),
    },
)
def relative_sharpness(max_loss: ArrayLike, loss: ArrayLike) -> NDArray[np.float64] | float:
    r"""Keskar's $`\phi = 100\,(\max_{C_\epsilon} L - L(W)) / (1 + L(W))`$, from the two loss values.

    Args:
        max_loss: the largest loss found in the box.
        loss: the loss at the centre $`W`$ (``> -1``).

    Returns:
        $`\phi`$ in percent (a float for scalar inputs).

    Raises:
        ValueError: if ``loss <= -1``.

    Examples:
        >>> print(relative_sharpness(1.5, 0.25))
        100.0
    """
    max_loss = as_float_array("max_loss", max_loss)
    loss = as_float_array("loss", loss)
    if np.any(loss <= -1.0):
        raise ValueError("loss must be larger than -1")
    result = (max_loss - loss) / (1.0 + loss) * 100.0
    return float(result) if result.ndim == 0 else result


class BoxMaximum(NamedTuple):
    """The best point found in the box."""

    delta: NDArray[np.float64]
    r"""Offset $`\delta`$ from the centre, inside the box."""
    max_loss: float
    r"""$`L(W + \delta)`$."""


def maximize_in_box(
    loss_fn: LossFn,
    grad_fn: GradFn,
    W: ArrayLike,
    radius: ArrayLike,
    *,
    n_starts: int = 5,
    steps: int = 30,
    seed: int = 0,
) -> BoxMaximum:
    r"""Approximately maximize $`L(W + \delta)`$ over the box $`\lvert\delta_j\rvert \le r_j`$.

    Projected sign-gradient ascent: from $`\delta = 0`$ and ``n_starts - 1`` uniform random points,
    repeat $`\delta \leftarrow \mathrm{clip}(\delta + \tfrac{2}{\sqrt{k}}\, r \odot
    \mathrm{sign}\,\nabla L(W+\delta), -r, r)`$ for ``k = 1..steps`` (a decreasing step); the best point
    seen is returned. Deterministic for a given ``seed``.

    Args:
        loss_fn: $`L`$.
        grad_fn: $`\nabla L`$.
        W: the centre.
        radius: half-widths of the box (``>= 0``), same shape as ``W``.
        n_starts: number of starting points (``>= 1``).
        steps: ascent steps per start (``>= 1``).
        seed: seed of the random starts.

    Returns:
        The best offset and its loss (at least $`L(W)`$).

    Raises:
        ValueError: if shapes differ, a radius is negative, or ``n_starts``/``steps`` are below 1.

    Examples:
        >>> # a linear loss g . W: the maximum is at the corner r * sign(g)
        >>> g = np.array([1.0, -2.0])
        >>> best = maximize_in_box(lambda w: float(g @ w), lambda w: g, np.zeros(2), np.array([0.1, 0.1]))
        >>> print(best.delta, round(best.max_loss, 6))
        [ 0.1 -0.1] 0.3
    """
    W = as_float_array("W", W)
    radius = as_float_array("radius", radius)
    if radius.shape != W.shape:
        raise ValueError(f"radius must have the shape of W {W.shape}, got {radius.shape}")
    if np.any(radius < 0):
        raise ValueError("radius must be non-negative")
    n_starts = check_int("n_starts", n_starts, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    rng = np.random.default_rng(seed)
    best = BoxMaximum(delta=np.zeros_like(W), max_loss=float(loss_fn(W)))
    for start in range(n_starts):
        delta = np.zeros_like(W) if start == 0 else rng.uniform(-radius, radius)
        for k in range(1, steps + 1):
            delta = np.clip(delta + 2.0 / np.sqrt(k) * radius * np.sign(grad_fn(W + delta)), -radius, radius)
            value = float(loss_fn(W + delta))
            if value > best.max_loss:
                best = BoxMaximum(delta=delta.copy(), max_loss=value)
    return best


class Sharpness(NamedTuple):
    """Keskar's sharpness of a point and how it was obtained."""

    phi: float
    r"""$`\phi`$ in percent."""
    loss: float
    """$`L(W)`$."""
    max_loss: float
    r"""The largest $`L(W+\delta)`$ found in the box."""
    delta: NDArray[np.float64]
    """The maximizing offset."""


def keskar_sharpness(
    loss_fn: LossFn,
    grad_fn: GradFn,
    W: ArrayLike,
    *,
    eps: float = 1e-3,
    n_starts: int = 5,
    steps: int = 30,
    seed: int = 0,
) -> Sharpness:
    r"""Sharpness $`\phi`$ of ``W`` in the box $`C_\epsilon`$ (`box_radius`, `maximize_in_box`).

    Args:
        loss_fn: the training loss $`L`$.
        grad_fn: its gradient.
        W: the (approximate) minimizer.
        eps: box size $`\epsilon`$ (Keskar et al. used 1e-3 and 5e-4).
        n_starts: starting points of the maximization.
        steps: ascent steps per start.
        seed: seed of the random starts.

    Returns:
        $`\phi`$ with the two losses and the maximizing offset.

    Raises:
        ValueError: on invalid arguments.

    Examples:
        >>> # L(W) = 50 W^2 at W = 0: the box is [-0.01, 0.01], the maximum 50 * 1e-4 = 5e-3
        >>> s = keskar_sharpness(lambda w: float(50 * w @ w), lambda w: 100 * w, np.zeros(1), eps=0.01)
        >>> print(round(s.phi, 6))
        0.5
    """
    W = as_float_array("W", W)
    radius = box_radius(W, eps=eps)
    best = maximize_in_box(loss_fn, grad_fn, W, radius, n_starts=n_starts, steps=steps, seed=seed)
    loss = float(loss_fn(W))
    phi = float(relative_sharpness(best.max_loss, loss))
    return Sharpness(phi=phi, loss=loss, max_loss=best.max_loss, delta=best.delta)
