r"""Small- vs large-batch training: do small batches find flatter minima (Keskar et al. 2017)?

A tiny tanh network (`mlp`) is fitted to noisy sine data from the same
initialization with several batch sizes and the same number of updates. Each run then takes a few
thousand full-batch gradient steps with a small learning rate, so that it sits at the bottom of the
basin it ended in and the sharpness $`\phi`$ (`sharpness`) measures
curvature rather than a leftover slope. Reported per batch size: training and test error, their gap,
$`\phi`$, and the final gradient norm; plus the training and test loss along the line through the
smallest- and largest-batch solutions (Keskar et al.'s Figure 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from studylog.learning._checks import check_int, check_nonnegative, check_positive
from studylog.learning.data import make_sine_data
from studylog.learning.minibatch import train_sgd
from studylog.learning.mlp import init_mlp, mlp_grad, mlp_loss, mlp_per_sample_grads
from studylog.learning.sharpness import keskar_sharpness


class BatchSizeResult(NamedTuple):
    """One row per batch size, plus a 1-D loss slice between the extreme solutions."""

    batch_sizes: NDArray[np.int64]
    train_loss: NDArray[np.float64]
    """Training mean squared error at each solution."""
    test_loss: NDArray[np.float64]
    """Test mean squared error at each solution."""
    gap: NDArray[np.float64]
    """``test_loss - train_loss``."""
    sharpness: NDArray[np.float64]
    r"""Keskar's $`\phi`$ (percent) of each solution."""
    grad_norm: NDArray[np.float64]
    """Norm of the full training gradient at each solution (how close to stationary it is)."""
    weights: NDArray[np.float64]
    """The solutions, shape ``(len(batch_sizes), n_params)``."""
    line_alpha: NDArray[np.float64]
    r"""$`\alpha`$ of the points $`(1-\alpha) W_{\mathrm{small}} + \alpha W_{\mathrm{large}}`$."""
    line_train_loss: NDArray[np.float64]
    """Training loss along that line."""
    line_test_loss: NDArray[np.float64]
    """Test loss along that line."""


def batch_size_experiment(
    batch_sizes: Sequence[int] = (2, 8, 32),
    *,
    hidden: int = 16,
    n_train: int = 32,
    n_test: int = 1000,
    sigma: float = 0.3,
    lr: float = 0.1,
    steps: int = 4000,
    polish_steps: int = 3000,
    polish_lr: float = 0.02,
    eps: float = 1e-3,
    seed: int = 0,
) -> BatchSizeResult:
    r"""Train the same network with each batch size and compare the solutions (numpy only, well under 3 s).

    Args:
        batch_sizes: batch sizes to compare (each ``<= n_train``; ``n_train`` is full-batch descent).
        hidden: hidden units of the network.
        n_train: training-set size.
        n_test: test-set size.
        sigma: noise standard deviation of the data.
        lr: learning rate of the mini-batch phase.
        steps: updates in the mini-batch phase (the same for every batch size).
        polish_steps: full-batch gradient steps after it (``>= 0``).
        polish_lr: their learning rate.
        eps: box size of the sharpness measure.
        seed: seed of the data (training ``seed``, test ``seed + 1``), the initialization, the shuffling
            and the sharpness search.

    Returns:
        Errors, gaps, sharpness and a loss slice; see `BatchSizeResult`.

    Raises:
        ValueError: if ``batch_sizes`` is empty or an argument is out of range.

    Examples:
        >>> r = batch_size_experiment((4, 16), n_train=16, steps=300, polish_steps=100)
        >>> r.sharpness.shape, r.line_train_loss.shape
        ((2,), (41,))
    """
    if len(batch_sizes) == 0:
        raise ValueError("batch_sizes must not be empty")
    n_train = check_int("n_train", n_train, minimum=1)
    polish_steps = check_int("polish_steps", polish_steps, minimum=0)
    polish_lr = check_positive("polish_lr", polish_lr)
    check_nonnegative("sigma", sigma)
    train = make_sine_data(n_train, sigma=sigma, seed=seed)
    test = make_sine_data(n_test, sigma=sigma, seed=seed + 1)

    def train_loss(W: NDArray[np.float64]) -> float:
        return mlp_loss(W, train.x, train.y, hidden=hidden)

    def train_grad(W: NDArray[np.float64]) -> NDArray[np.float64]:
        return mlp_grad(W, train.x, train.y, hidden=hidden)

    def per_sample_grads(W: NDArray[np.float64], idx: NDArray[np.int64]) -> NDArray[np.float64]:
        return mlp_per_sample_grads(W, train.x[idx], train.y[idx], hidden=hidden)

    W0 = init_mlp(hidden, seed=seed)
    solutions = []
    for batch_size in batch_sizes:
        W = train_sgd(W0, per_sample_grads, n_train, lr=lr, batch_size=batch_size, steps=steps, seed=seed).W
        for _ in range(polish_steps):
            W = W - polish_lr * train_grad(W)
        solutions.append(W)
    weights = np.stack(solutions)
    sharp = [keskar_sharpness(train_loss, train_grad, W, eps=eps, seed=seed) for W in weights]
    train_losses = np.array([s.loss for s in sharp])
    test_losses = np.array([mlp_loss(W, test.x, test.y, hidden=hidden) for W in weights])

    small, large = weights[int(np.argmin(batch_sizes))], weights[int(np.argmax(batch_sizes))]
    alpha = np.linspace(-0.5, 1.5, 41)
    line = [(1.0 - a) * small + a * large for a in alpha]
    return BatchSizeResult(
        batch_sizes=np.asarray(batch_sizes, dtype=np.int64),
        train_loss=train_losses,
        test_loss=test_losses,
        gap=test_losses - train_losses,
        sharpness=np.array([s.phi for s in sharp]),
        grad_norm=np.array([np.linalg.norm(train_grad(W)) for W in weights]),
        weights=weights,
        line_alpha=alpha,
        line_train_loss=np.array([train_loss(W) for W in line]),
        line_test_loss=np.array([mlp_loss(W, test.x, test.y, hidden=hidden) for W in line]),
    )
