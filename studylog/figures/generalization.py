r"""The Day-7 figures of generalization: the bias–variance trade-off, k-fold splits, small- vs large-batch training.

Each figure is split in three as in `studylog.figures.day07`: ``*_data()`` runs the experiment of
`studylog.learning` (seeded), ``draw_*`` draws it, ``*_figure()`` returns the HTML.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from numpy.typing import NDArray

from studylog.figures.style import BLUE, GREEN, INK, MUTED, ORANGE, VERMILLION, style
from studylog.figures.svg import figure_html, new_figure
from studylog.learning import (
    BatchSizeResult,
    BiasVarianceCurve,
    batch_size_experiment,
    bias_variance_curve,
    kfold_splits,
)

# --------------------------------------------------------------------------------------------------------------
# 2. Bias–variance trade-off
# --------------------------------------------------------------------------------------------------------------

BV_DEGREES = tuple(range(13))
BV_SETTINGS = {"sigma": 0.3, "n_train": 15, "n_sims": 5_000, "seed": 0}


def bias_variance_data() -> BiasVarianceCurve:
    r"""Squared bias, variance and noise of polynomial fits to $`\sin(2\pi x)`$ per degree 0–12.

    15 equally spaced training inputs, noise $`\sigma = 0.3`$, 5,000 simulated training sets per degree
    (`bias_variance_curve`).
    """
    return bias_variance_curve(list(BV_DEGREES), **BV_SETTINGS)  # type: ignore[arg-type]


def draw_bias_variance(c: BiasVarianceCurve) -> plt.Figure:
    """Bias², variance, noise and their sum against the polynomial degree."""
    total = c.bias2 + c.variance + c.noise
    best = int(c.degrees[np.argmin(total)])
    with style():
        fig, ax = new_figure(6.0, 3.4)
        ax.plot(c.degrees, c.bias2, color=BLUE, marker="o", markersize=3.5, label=r"bias$^2$")
        ax.plot(c.degrees, c.variance, color=VERMILLION, marker="s", markersize=3.5, label="variance")
        ax.plot(c.degrees, c.noise, color=MUTED, linestyle=":", label=r"noise $\sigma^2$")
        ax.plot(c.degrees, total, color=INK, linewidth=2.2, label=r"bias$^2$ + variance + $\sigma^2$")
        ax.plot(c.degrees, c.expected_error, color=ORANGE, linestyle="none", marker="x", markersize=6,
                label=r"simulated $\mathbb{E}[(y-\hat f)^2]$")  # fmt: skip
        ax.axvline(best, color=GREEN, linestyle="--", linewidth=1.0)
        ax.annotate(f"lowest total error:\ndegree {best}", (best, total.min()), xytext=(best + 0.3, 0.22),
                    color=GREEN, fontsize=8)  # fmt: skip
        ax.set_xlabel("polynomial degree (model complexity)")
        ax.set_ylabel("expected squared error")
        ax.set_xticks(c.degrees)
        ax.set_ylim(0, max(0.6, float(total.max()) * 1.05))
        ax.legend(loc="upper center", ncol=2)
    return fig


def bias_variance_figure() -> str:
    """HTML of the bias–variance trade-off curve."""
    c = bias_variance_data()
    total = c.bias2 + c.variance + c.noise
    best = int(c.degrees[np.argmin(total)])
    alt = (
        f"Line plot against polynomial degree 0 to {int(c.degrees[-1])}: the squared bias falls to almost zero "
        f"by degree 3, the variance grows with the degree, the noise stays at {c.noise[0]:.2f}, and their sum is "
        f"U-shaped with its lowest value {total.min():.3f} at degree {best}; simulated test errors lie on the sum."
    )
    return figure_html(draw_bias_variance(c), alt)


# --------------------------------------------------------------------------------------------------------------
# 3. k-fold cross-validation
# --------------------------------------------------------------------------------------------------------------

KFOLD_N, KFOLD_K, KFOLD_SEED = 18, 5, 0


class KFoldGrid(NamedTuple):
    """Which sample each fold validates on: boolean matrices of shape ``(k, n)``."""

    consecutive: NDArray[np.bool_]
    """Folds of consecutive blocks (``shuffle=False``)."""
    shuffled: NDArray[np.bool_]
    """Folds after a seeded permutation (``shuffle=True``)."""


def _grid(n: int, k: int, **kwargs: object) -> NDArray[np.bool_]:
    grid = np.zeros((k, n), dtype=bool)
    for i, fold in enumerate(kfold_splits(n, k, **kwargs)):  # type: ignore[arg-type]
        grid[i, fold.validation] = True
    return grid


def kfold_data(n: int = KFOLD_N, k: int = KFOLD_K, seed: int = KFOLD_SEED) -> KFoldGrid:
    """The validation cells of `kfold_splits`, without and with shuffling."""
    return KFoldGrid(_grid(n, k), _grid(n, k, shuffle=True, seed=seed))


def draw_kfold(grid: KFoldGrid) -> plt.Figure:
    """Two folds × samples grids, validation cells highlighted."""
    k, n = grid.consecutive.shape
    cmap = ListedColormap(["#D6E6F2", VERMILLION])
    with style():
        fig, axes = new_figure(6.4, 3.4, nrows=2, sharex=True)
        for ax, cells, title in zip(
            axes, grid, ("consecutive blocks (shuffle=False)", "after a random permutation (shuffle=True)"),
            strict=True,
        ):
            # a raster of the cells (small in SVG), white lines between them
            ax.imshow(cells, cmap=cmap, vmin=0, vmax=1, interpolation="nearest", aspect="auto")
            ax.vlines(np.arange(1, n) - 0.5, -0.5, k - 0.5, color="white", linewidth=1.5)
            ax.hlines(np.arange(1, k) - 0.5, -0.5, n - 0.5, color="white", linewidth=1.5)
            ax.set_yticks(range(k), [f"fold {i + 1}" for i in range(k)])
            ax.set_title(title, loc="left")
            ax.tick_params(length=0)
            for side in ("left", "bottom"):
                ax.spines[side].set_visible(False)
        axes[1].set_xticks(range(n), [str(i) for i in range(n)])
        axes[1].set_xlabel("sample index")
        fig.legend(handles=[Patch(color=VERMILLION, label="validation"), Patch(color="#D6E6F2", label="training")],
                   loc="outside lower center", ncol=2)  # fmt: skip
        fig.set_layout_engine("constrained")
    return fig


def kfold_figure() -> str:
    """HTML of the k-fold split grid."""
    grid = kfold_data()
    k, n = grid.consecutive.shape
    sizes = ", ".join(str(s) for s in grid.consecutive.sum(axis=1))
    alt = (
        f"Two grids of {k} folds (rows) by {n} samples (columns) with each fold's validation samples highlighted: "
        f"first as consecutive blocks of {sizes} samples, then the same fold sizes after a random permutation; in "
        f"both, every sample is validated in exactly one fold and used for training in the other {k - 1}."
    )
    return figure_html(draw_kfold(grid), alt)


# --------------------------------------------------------------------------------------------------------------
# 4. Small- vs large-batch training
# --------------------------------------------------------------------------------------------------------------

BATCH_SIZES = (2, 8, 32)


def batch_size_data() -> BatchSizeResult:
    """`batch_size_experiment` with batch sizes 2, 8, 32 and its defaults (seed 0)."""
    return batch_size_experiment(BATCH_SIZES, seed=0)


def draw_batch_size(r: BatchSizeResult) -> plt.Figure:
    """The loss along the line through the smallest- and largest-batch solutions, gap and sharpness per batch."""
    small, large = int(r.batch_sizes.min()), int(r.batch_sizes.max())
    x = np.arange(r.batch_sizes.size)
    labels = [str(b) for b in r.batch_sizes]
    with style():
        fig, axes = new_figure(8.4, 3.0, ncols=3, gridspec_kw={"width_ratios": [1.8, 1, 1]})
        ax = axes[0]
        ax.plot(r.line_alpha, r.line_train_loss, color=BLUE, label="training loss")
        ax.plot(r.line_alpha, r.line_test_loss, color=VERMILLION, linestyle="--", label="test loss")
        for alpha, name in ((0.0, f"B = {small}"), (1.0, f"B = {large}")):
            ax.axvline(alpha, color=MUTED, linewidth=0.8, linestyle=":")
            ax.annotate(name, (alpha, 1.0), xycoords=("data", "axes fraction"), ha="center", va="bottom",
                        fontsize=8)  # fmt: skip
        ax.set_xlabel(rf"$\alpha$ in $(1-\alpha)\,W_{{B={small}}} + \alpha\,W_{{B={large}}}$")
        ax.set_ylabel("mean squared error")
        ax.set_ylim(0, None)
        ax.legend(loc="upper center")
        ax.set_xlim(r.line_alpha[0], r.line_alpha[-1])
        ax.set_xticks([-0.5, 0.0, 0.5, 1.0, 1.5])
        axes[1].bar(x, r.gap, color=ORANGE, width=0.6)
        axes[1].set_title("generalization gap\n(test − training loss)")
        axes[2].bar(x, r.sharpness, color=GREEN, width=0.6)
        axes[2].set_title(r"sharpness $\phi$ (%, $\epsilon = 10^{-3}$)")
        for ax in axes[1:]:
            ax.set_xticks(x, labels)
            ax.set_xlabel("batch size $B$")
        fig.set_layout_engine("constrained")
    return fig


def batch_size_figure() -> str:
    """HTML of the small- vs large-batch comparison."""
    r = batch_size_data()
    small, large = int(r.batch_sizes.min()), int(r.batch_sizes.max())
    sizes = ", ".join(str(b) for b in r.batch_sizes)
    gaps = ", ".join(f"{g:.3f}" for g in r.gap)
    phis = ", ".join(f"{p:.3f}" for p in r.sharpness)
    alt = (
        f"Left: training and test loss along the straight line through the solutions found with batch sizes "
        f"{small} and {large}. Middle and right: bar charts over batch sizes {sizes} of the generalization gap "
        f"({gaps}) and of the sharpness in percent ({phis})."
    )
    return figure_html(draw_batch_size(r), alt)
