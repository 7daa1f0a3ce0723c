r"""A one-hidden-layer tanh network for 1-D regression, in numpy, with per-sample gradients.

$`\hat y(x) = \sum_k v_k \tanh(a_k x + b_k) + c`$. All parameters live in one flat vector
``W = [a (H), b (H), v (H), c]`` so that optimizers and the sharpness measure treat them as a point in
$`\mathbb{R}^{3H+1}`$. The loss is the mean squared error.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.learning._checks import as_float_array, check_int


def n_params(hidden: int) -> int:
    """Number of parameters of a network with ``hidden`` units: ``3 * hidden + 1``.

    Args:
        hidden: number of hidden units (``>= 1``).

    Returns:
        The parameter count.

    Examples:
        >>> n_params(16)
        49
    """
    return 3 * check_int("hidden", hidden, minimum=1) + 1


def _unpack(W: NDArray[np.float64], hidden: int) -> tuple[NDArray[np.float64], ...]:
    if W.shape != (n_params(hidden),):
        raise ValueError(f"W must have shape ({n_params(hidden)},) for hidden={hidden}, got {W.shape}")
    return W[:hidden], W[hidden : 2 * hidden], W[2 * hidden : 3 * hidden], W[3 * hidden]


def init_mlp(hidden: int, *, seed: int) -> NDArray[np.float64]:
    """Random initial parameters: input weights and biases ~ N(0, 1), output weights ~ N(0, 1/hidden), c = 0.

    Args:
        hidden: number of hidden units.
        seed: seed of the generator.

    Returns:
        The flat parameter vector.

    Examples:
        >>> init_mlp(4, seed=0).shape
        (13,)
    """
    rng = np.random.default_rng(seed)
    hidden = check_int("hidden", hidden, minimum=1)
    a, b = rng.standard_normal(hidden), rng.standard_normal(hidden)
    v = rng.standard_normal(hidden) / np.sqrt(hidden)
    return np.concatenate([a, b, v, [0.0]])


def mlp_predict(W: ArrayLike, x: ArrayLike, *, hidden: int) -> NDArray[np.float64]:
    """Network outputs for 1-D inputs ``x``.

    Args:
        W: flat parameters.
        x: inputs, shape ``(n,)``.
        hidden: number of hidden units.

    Returns:
        Predictions, shape ``(n,)``.

    Raises:
        ValueError: if ``W`` has the wrong size.

    Examples:
        >>> W = np.array([1.0, 0.0, 2.0, 0.5])  # a=1, b=0, v=2, c=0.5
        >>> print(mlp_predict(W, [0.0], hidden=1))
        [0.5]
    """
    a, b, v, c = _unpack(as_float_array("W", W, ndim=1), hidden)
    x = as_float_array("x", x, ndim=1)
    return np.tanh(np.outer(x, a) + b) @ v + c


def mlp_loss(W: ArrayLike, x: ArrayLike, y: ArrayLike, *, hidden: int) -> float:
    """Mean squared error of the network on ``(x, y)``.

    Args:
        W: flat parameters.
        x: inputs, shape ``(n,)``.
        y: targets, shape ``(n,)``.
        hidden: number of hidden units.

    Returns:
        The loss.

    Examples:
        >>> print(mlp_loss(np.array([1.0, 0.0, 2.0, 0.5]), [0.0], [1.5], hidden=1))
        1.0
    """
    y = as_float_array("y", y, ndim=1)
    return float(np.mean((mlp_predict(W, x, hidden=hidden) - y) ** 2))


def mlp_per_sample_grads(W: ArrayLike, x: ArrayLike, y: ArrayLike, *, hidden: int) -> NDArray[np.float64]:
    r"""Gradient of each sample's squared error $`(\hat y(x_i) - y_i)^2`$ with respect to ``W``.

    Args:
        W: flat parameters.
        x: inputs, shape ``(n,)``.
        y: targets, shape ``(n,)``.
        hidden: number of hidden units.

    Returns:
        Per-sample gradients, shape ``(n, 3 * hidden + 1)``; their mean is the gradient of
        `mlp_loss`.

    Examples:
        >>> g = mlp_per_sample_grads(np.array([1.0, 0.0, 2.0, 0.5]), [0.0], [1.5], hidden=1)
        >>> print(g + 0.0)  # d/dc of (0.5 - 1.5)^2 is -2; d/da = 0 at x = 0 (+ 0.0 turns -0. into 0.)
        [[ 0. -4.  0. -2.]]
    """
    W = as_float_array("W", W, ndim=1)
    a, b, v, c = _unpack(W, hidden)
    x = as_float_array("x", x, ndim=1)
    y = as_float_array("y", y, ndim=1)
    h = np.tanh(np.outer(x, a) + b)  # (n, H)
    residual = 2.0 * (h @ v + c - y)  # d loss_i / d y_hat_i
    dz = residual[:, None] * v * (1.0 - h**2)  # d loss_i / d pre-activation
    return np.concatenate([dz * x[:, None], dz, residual[:, None] * h, residual[:, None]], axis=1)


def mlp_grad(W: ArrayLike, x: ArrayLike, y: ArrayLike, *, hidden: int) -> NDArray[np.float64]:
    """Gradient of `mlp_loss` (the mean of the per-sample gradients).

    Args:
        W: flat parameters.
        x: inputs.
        y: targets.
        hidden: number of hidden units.

    Returns:
        The gradient, shape ``(3 * hidden + 1,)``.

    Examples:
        >>> print(mlp_grad(np.array([1.0, 0.0, 2.0, 0.5]), [0.0, 0.0], [1.5, 0.5], hidden=1))
        [ 0. -2.  0. -1.]
    """
    return mlp_per_sample_grads(W, x, y, hidden=hidden).mean(axis=0)
