r"""Batch, mini-batch and stochastic gradient descent: one update rule, three batch sizes.

With per-sample losses $`\ell_i`$, a step on a batch of $`B`$ samples moves along the batch's
mean gradient,

```math
W_{t+1} = W_t - \frac{\eta}{B} \sum_{i} \nabla \ell_i(W_t)
```

(formula ``gd.minibatch``). $`B = n`$ is (full-)batch gradient descent, $`B = 1`$ stochastic
gradient descent in the strict sense, anything in between mini-batch gradient descent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Fixed, In, Index, Out, Scalar, implements
from studylog.learning._checks import as_float_array, check_int, check_positive

PerSampleGrads = Callable[[NDArray[np.float64], NDArray[np.int64]], NDArray[np.float64]]
"""``(W, batch_indices) -> per-sample gradients``, shape ``(len(batch_indices), W.size)``."""


@implements(
    "gd.minibatch",
    symbols={
        r"W_{t+1}": Out(),
        r"W_t": In("W", Array(-1.0, 1.0, shape=(6,))),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"B": In(None, Fixed(4)),  # the batch size: i runs over 1..B
        r"\nabla \ell_i(W_t)": In("grads", Array(-1.0, 1.0, shape=(4, 6))),
        r"i": Index(),
    },
)
def minibatch_step(W: ArrayLike, grads: ArrayLike, *, lr: float, axis: int = 0) -> NDArray[np.float64]:
    r"""One gradient step with the batch-mean gradient: $`W - \frac{\eta}{B}\sum_i \nabla\ell_i(W)`$.

    Args:
        W: parameters.
        grads: the batch's per-sample gradients, stacked along ``axis`` (``B`` of them).
        lr: learning rate $`\eta`$ (``> 0``).
        axis: the sample axis of ``grads``.

    Returns:
        The updated parameters.

    Raises:
        ValueError: if ``lr <= 0`` or the gradient shape does not match ``W``.

    Examples:
        >>> print(minibatch_step([1.0, 1.0], [[2.0, 0.0], [4.0, 2.0]], lr=0.5))
        [-0.5  0.5]
    """
    W = as_float_array("W", W)
    grads = as_float_array("grads", grads)
    lr = check_positive("lr", lr)
    mean = np.mean(grads, axis=axis)
    if mean.shape != W.shape:
        raise ValueError(f"grads averaged over axis={axis} have shape {mean.shape}, W has shape {W.shape}")
    return W - lr * mean


def minibatches(n: int, batch_size: int, *, seed: int | None) -> list[NDArray[np.int64]]:
    """One epoch's batches: a random permutation of ``range(n)`` cut into chunks of ``batch_size``.

    The last batch is smaller when ``batch_size`` does not divide ``n``.

    Args:
        n: number of samples.
        batch_size: samples per batch, ``1 <= batch_size <= n``.
        seed: seed of the permutation (``None``: fresh entropy).

    Returns:
        Index arrays covering ``range(n)`` exactly once.

    Raises:
        ValueError: if ``batch_size`` is not in ``[1, n]``.

    Examples:
        >>> [len(b) for b in minibatches(10, 4, seed=0)]
        [4, 4, 2]
    """
    n = check_int("n", n, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size={batch_size} is larger than the number of samples n={n}")
    order = np.random.default_rng(seed).permutation(n).astype(np.int64)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


class SGDRun(NamedTuple):
    """Result of `train_sgd`."""

    W: NDArray[np.float64]
    """Final parameters."""
    epochs: int
    """Number of (possibly partial) passes over the data."""


def train_sgd(
    W0: ArrayLike,
    per_sample_grads: PerSampleGrads,
    n: int,
    *,
    lr: float,
    batch_size: int,
    steps: int,
    seed: int,
) -> SGDRun:
    """Mini-batch SGD for ``steps`` updates over ``n`` samples, reshuffled every epoch.

    Epoch ``e`` uses `minibatches` with seed ``seed + e``; each batch makes one
    `minibatch_step`. Counting updates (not epochs) gives every batch size the same number of
    steps.

    Args:
        W0: initial parameters.
        per_sample_grads: ``(W, indices) -> gradients``, shape ``(len(indices), W.size)``.
        n: number of training samples.
        lr: learning rate (``> 0``).
        batch_size: samples per batch (``n`` for batch gradient descent, 1 for SGD).
        steps: number of updates (``>= 1``).
        seed: base seed of the shuffling.

    Returns:
        The final parameters and the number of epochs started.

    Raises:
        ValueError: on invalid sizes or learning rate.

    Examples:
        >>> # per-sample loss (W - c_i)^2 / 2 with c = (1, 3): the minimizer is the mean, 2
        >>> c = np.array([1.0, 3.0])
        >>> grads = lambda W, idx: (W - c[idx])[:, None]
        >>> run = train_sgd(np.zeros(1), grads, 2, lr=0.5, batch_size=2, steps=30, seed=0)
        >>> print(run.W.round(6), run.epochs)
        [2.] 30
    """
    W = as_float_array("W0", W0).copy()
    steps = check_int("steps", steps, minimum=1)
    done, epoch = 0, 0
    while done < steps:
        for batch in minibatches(n, batch_size, seed=seed + epoch):
            W = minibatch_step(W, per_sample_grads(W, batch), lr=lr, axis=0)
            done += 1
            if done == steps:
                break
        epoch += 1
    return SGDRun(W=W, epochs=epoch)
