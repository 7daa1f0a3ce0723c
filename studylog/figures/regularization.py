r"""The Day-7 figures of regularization: early stopping, label smoothing with mixup and CutMix, and dropout.

Each figure is split in three as in `studylog.figures.day07`: ``*_data()`` runs the regularizer of
`studylog.regularization` (seeded), ``draw_*`` draws it, ``*_figure()`` returns the HTML.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

from studylog.figures.style import BLUE, GREEN, INK, LIGHT, MUTED, ORANGE, VERMILLION, style
from studylog.figures.svg import figure_html, new_figure
from studylog.learning import init_mlp, make_sine_data, mlp_grad, mlp_loss
from studylog.optim import NumpyOptimizer
from studylog.regularization import (
    Box,
    cutmix_batch,
    early_stopping,
    mixup_batch,
    one_hot,
    sample_dropout,
    sample_keep_mask,
    smooth_labels,
)

FloatArray = NDArray[np.float64]

# --------------------------------------------------------------------------------------------------------------
# 5. Early stopping
# --------------------------------------------------------------------------------------------------------------


class EarlyStoppingCurve(NamedTuple):
    """Training and validation loss per epoch, and where the patience rule stops."""

    train_loss: FloatArray
    val_loss: FloatArray
    best_epoch: int
    stop_epoch: int
    patience: int


def early_stopping_data(
    *, epochs: int = 100, steps_per_epoch: int = 20, patience: int = 10, seed: int = 0
) -> EarlyStoppingCurve:
    r"""Overfit a tanh network and apply the patience rule to its validation loss.

    A 32-unit network (`mlp`) is fitted to 12 noisy samples of $`\sin(2\pi x)`$
    ($`\sigma = 0.3`$) with full-batch Adam (``lr = 0.02``, `NumpyOptimizer`); an
    epoch is ``steps_per_epoch`` steps. The validation set holds 100 fresh samples. The run continues to
    ``epochs`` so the figure shows what the rule avoided.

    Raises:
        RuntimeError: if the rule never stops within ``epochs``.
    """
    hidden = 32
    train = make_sine_data(12, sigma=0.3, seed=seed)
    val = make_sine_data(100, sigma=0.3, seed=seed + 100)
    W = init_mlp(hidden, seed=seed)
    opt = NumpyOptimizer("adam", lr=0.02)

    def grad(w: FloatArray) -> FloatArray:
        return mlp_grad(w, train.x, train.y, hidden=hidden)

    train_loss, val_loss = [], []
    for _ in range(epochs):
        for _ in range(steps_per_epoch):
            W = opt.step(W, grad)
        train_loss.append(mlp_loss(W, train.x, train.y, hidden=hidden))
        val_loss.append(mlp_loss(W, val.x, val.y, hidden=hidden))
    result = early_stopping(val_loss, patience=patience)
    if result.stop_epoch is None:
        raise RuntimeError(f"the patience rule did not stop within {epochs} epochs")
    return EarlyStoppingCurve(np.array(train_loss), np.array(val_loss), result.best_epoch, result.stop_epoch, patience)


def draw_early_stopping(c: EarlyStoppingCurve) -> plt.Figure:
    """Training and validation loss per epoch, the best epoch and the stopping epoch marked."""
    epochs = np.arange(c.val_loss.size)
    with style():
        fig, ax = new_figure(6.0, 3.4)
        top = float(max(c.val_loss.max(), c.train_loss.max()))
        ax.axvspan(c.stop_epoch, epochs[-1], ymax=1 / 1.3, color=LIGHT, linewidth=0)
        ax.plot(epochs, c.train_loss, color=BLUE, label="training loss")
        ax.plot(epochs, c.val_loss, color=VERMILLION, label="validation loss")
        ax.vlines(c.best_epoch, 0, 1.16 * top, color=GREEN, linestyle="--", linewidth=1.0)
        ax.vlines(c.stop_epoch, 0, top, color=INK, linestyle=":", linewidth=1.0)
        ax.plot(c.best_epoch, c.val_loss[c.best_epoch], marker="o", color=GREEN, markersize=6, zorder=3)
        ax.text(c.best_epoch, 1.17 * top, f" best epoch {c.best_epoch} (its weights are kept)", ha="left",
                va="bottom", color=GREEN, fontsize=8)  # fmt: skip
        ax.text(c.stop_epoch, top, f" stop at epoch {c.stop_epoch}\n ({c.patience} epochs without improvement)",
                ha="left", va="top", fontsize=8)  # fmt: skip
        ax.text((c.stop_epoch + epochs[-1]) / 2, 0.55 * top, "not trained when the rule stops", ha="center",
                color=MUTED, fontsize=8)  # fmt: skip
        ax.set_xlabel("epoch")
        ax.set_ylabel("mean squared error")
        ax.set_xlim(0, epochs[-1])
        ax.set_ylim(0, top * 1.3)
        ax.legend(loc="upper right")
    return fig


def early_stopping_figure() -> str:
    """HTML of the early-stopping curve."""
    c = early_stopping_data()
    alt = (
        f"Training and validation loss over {c.val_loss.size} epochs: the training loss keeps falling while the "
        f"validation loss reaches its lowest value {c.val_loss[c.best_epoch]:.3f} at epoch {c.best_epoch} and then "
        f"rises to {c.val_loss[-1]:.3f}; the patience rule (patience {c.patience}) stops at epoch {c.stop_epoch} "
        f"and keeps the weights of epoch {c.best_epoch}."
    )
    return figure_html(draw_early_stopping(c), alt)


# --------------------------------------------------------------------------------------------------------------
# 6. Label smoothing, mixup and CutMix
# --------------------------------------------------------------------------------------------------------------

IMAGE_SIZE = 16
CLASS_NAMES = ("disk", "cross")
SMOOTHING = 0.2
MIX_ALPHA = 1.0
MIXUP_SEED, CUTMIX_SEED = 0, 2
"""Seeds whose permutation pairs the disk with the cross (and whose CutMix box shows clipping)."""


def toy_images(size: int = IMAGE_SIZE) -> FloatArray:
    """A disk (class 0) and a cross (class 1) on a blank background, shape ``(2, 1, size, size)``, values 0 or 1."""
    rows, cols = np.mgrid[0:size, 0:size] + 0.5
    c = size / 2
    disk = (rows - c) ** 2 + (cols - c) ** 2 <= (0.34 * size) ** 2
    half, reach = size / 8, 0.4 * size
    bar = (np.abs(rows - c) <= half) & (np.abs(cols - c) <= reach)
    cross = bar | bar.T
    return np.stack([disk, cross]).astype(np.float64)[:, None]


class MixedExamples(NamedTuple):
    """The two originals and three label-mixing regularizers applied to the disk."""

    images: FloatArray
    """Shape ``(5, H, W)``: disk, cross, disk (label smoothed), mixup, CutMix."""
    labels: FloatArray
    """Shape ``(5, 2)``: the target over (disk, cross) of each image."""
    titles: tuple[str, ...]
    mixup_lam: float
    cutmix_lam: float
    cutmix_box: Box


def mixing_data() -> MixedExamples:
    """Label smoothing (``alpha = 0.2``), mixup and CutMix (``Beta(1, 1)``) of the disk with the cross.

    Uses `smooth_labels`, `mixup_batch` and
    `cutmix_batch` on the batch (disk, cross); the seeds are chosen so that
    example 0 (the disk) is paired with the cross.
    """
    x = toy_images()
    y = one_hot(np.array([0, 1]), num_classes=2)
    mix = mixup_batch(x, y, alpha=MIX_ALPHA, rng=np.random.default_rng(MIXUP_SEED))
    cut = cutmix_batch(x, y, alpha=MIX_ALPHA, rng=np.random.default_rng(CUTMIX_SEED))
    if mix.perm[0] != 1 or cut.perm[0] != 1:
        raise RuntimeError("the seeds no longer pair the disk with the cross")
    images = np.stack([x[0, 0], x[1, 0], x[0, 0], mix.x[0, 0], cut.x[0, 0]])
    labels = np.stack([y[0], y[1], smooth_labels(y[0], alpha=SMOOTHING), mix.y[0], cut.y[0]])
    titles = (
        "disk (class 0)",
        "cross (class 1)",
        rf"label smoothing" "\n" rf"$\alpha = {SMOOTHING:g}$",
        f"mixup\n$\\lambda = {mix.lam:.2f}$",
        f"CutMix\n$\\lambda = {cut.lam:.2f}$",
    )
    return MixedExamples(images, labels, titles, mix.lam, cut.lam, cut.box)


IMAGE_CMAP = LinearSegmentedColormap.from_list("studylog_ink", ["#FFFFFF", "#1F3F66"])


def draw_mixing(d: MixedExamples) -> plt.Figure:
    """Images in the top row, their targets as bars below."""
    n = d.images.shape[0]
    with style():
        fig, axes = new_figure(8.0, 3.6, nrows=2, ncols=n, gridspec_kw={"height_ratios": [1.25, 1]})
        for i in range(n):
            ax = axes[0, i]
            ax.imshow(d.images[i], cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color(MUTED)
            ax.set_title(d.titles[i], fontsize=8.5)
            if i == n - 1:
                b = d.cutmix_box
                ax.add_patch(Rectangle((b.left - 0.5, b.top - 0.5), b.r_w, b.r_h, fill=False, edgecolor=ORANGE,
                                       linewidth=1.5, linestyle="--"))  # fmt: skip
            bars = axes[1, i]
            bars.bar([0, 1], d.labels[i], color=[BLUE, VERMILLION], width=0.6)
            for j, value in enumerate(d.labels[i]):
                bars.text(j, value + 0.03, f"{value:.2f}".rstrip("0").rstrip("."), ha="center", fontsize=7.5)
            bars.set_xticks([0, 1], CLASS_NAMES)
            bars.set_ylim(0, 1.18)
            bars.set_yticks([0, 0.5, 1] if i == 0 else [])
            if i == 0:
                bars.set_ylabel("target")
            else:
                bars.spines["left"].set_visible(False)
        fig.set_layout_engine("constrained")
    return fig


def mixing_figure() -> str:
    """HTML of label smoothing, mixup and CutMix on a disk and a cross."""
    d = mixing_data()
    b = d.cutmix_box
    alt = (
        f"Five {IMAGE_SIZE}-by-{IMAGE_SIZE} images with their targets over the classes disk and cross drawn as "
        f"bars: the disk (1, 0), the cross (0, 1), the disk with a label-smoothed target "
        f"({d.labels[2, 0]:.2f}, {d.labels[2, 1]:.2f}), a mixup blend {d.mixup_lam:.2f} disk + "
        f"{1 - d.mixup_lam:.2f} cross with the same mix of labels, and a CutMix image where a {b.r_h}-by-{b.r_w} "
        f"patch of the cross replaces part of the disk, labelled ({d.cutmix_lam:.2f}, {1 - d.cutmix_lam:.2f}) "
        f"by the patch's area."
    )
    return figure_html(draw_mixing(d), alt)


# --------------------------------------------------------------------------------------------------------------
# 7. Dropout
# --------------------------------------------------------------------------------------------------------------

DROP_P = 0.5
N_UNITS = 10
N_MASKS = 4
N_SAMPLES = 20_000


class DropoutData(NamedTuple):
    """Some dropout masks and the mean of many dropped-out copies of the same activations."""

    h: FloatArray
    """The activations, shape ``(N_UNITS,)``."""
    masks: FloatArray
    """Keep-masks, shape ``(N_MASKS, N_UNITS)`` (1 = kept)."""
    mean: FloatArray
    r"""Mean of $`\tilde h`$ over ``n_samples`` draws, shape ``(N_UNITS,)``."""
    sem: FloatArray
    """Standard error of that mean, per unit."""
    p: float
    n_samples: int


def dropout_data(*, p: float = DROP_P, n_samples: int = N_SAMPLES, seed: int = 0) -> DropoutData:
    """Activations, a few keep-masks (`sample_keep_mask`) and the Monte-Carlo mean
    of `sample_dropout`."""
    rng = np.random.default_rng(seed)
    h = np.round(rng.uniform(0.2, 2.0, N_UNITS), 2)
    masks = sample_keep_mask((N_MASKS, N_UNITS), p=p, rng=rng)
    samples = sample_dropout(h, p=p, n_samples=n_samples, seed=seed + 1).h_tilde
    sem = samples.std(axis=0, ddof=1) / np.sqrt(n_samples)
    return DropoutData(h, masks, samples.mean(axis=0), sem, p, n_samples)


def draw_dropout(d: DropoutData) -> plt.Figure:
    """Keep-masks as a grid (dropped units crossed out), then the activations against the dropout mean."""
    units = np.arange(d.h.size)
    with style():
        fig, axes = new_figure(8.0, 3.0, ncols=2, gridspec_kw={"width_ratios": [1, 1.15]})
        ax = axes[0]
        vmax = float(d.h.max() / (1 - d.p))
        ax.pcolormesh(units.tolist() + [d.h.size], np.arange(d.masks.shape[0] + 1), d.masks,
                      cmap=ListedColormap([LIGHT, BLUE]), vmin=0, vmax=1, edgecolors="white",
                      linewidth=1.5)  # fmt: skip
        dropped_r, dropped_c = np.nonzero(d.masks == 0)
        ax.plot(dropped_c + 0.5, dropped_r + 0.5, linestyle="none", marker="x", color=MUTED, markersize=5)
        ax.set_ylim(d.masks.shape[0], 0)
        ax.set_yticks(np.arange(d.masks.shape[0]) + 0.5, [f"draw {i + 1}" for i in range(d.masks.shape[0])])
        ax.set_xticks(units + 0.5, [str(u) for u in units])
        ax.set_xlabel("unit")
        ax.set_title(f"keep-masks $m$, $p = {d.p:g}$ (blue: kept, ×: dropped)", loc="left")
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax = axes[1]
        ax.bar(units, d.h, color=LIGHT, edgecolor=MUTED, width=0.7, label="activation $h$")
        ax.errorbar(units, d.mean, yerr=2 * d.sem, color=VERMILLION, linestyle="none", marker="o", markersize=4,
                    capsize=2, label=rf"mean of {d.n_samples:,} draws of $\tilde h$ (±2 s.e.)")  # fmt: skip
        ax.plot(units, d.masks[0] * d.h / (1 - d.p), linestyle="none", marker="_", markersize=10, color=BLUE,
                label=r"one draw of $\tilde h = m \odot h / (1-p)$")  # fmt: skip
        ax.set_xticks(units, [str(u) for u in units])
        ax.set_xlabel("unit")
        ax.set_ylim(0, vmax * 1.35)
        ax.legend(loc="upper left")
        ax.set_title(r"$\mathbb{E}[\tilde h] = h$", loc="left")
        fig.set_layout_engine("constrained")
    return fig


def dropout_figure() -> str:
    """HTML of dropout masks and the preserved expectation."""
    d = dropout_data()
    err = float(np.max(np.abs(d.mean - d.h)))
    alt = (
        f"Left: {d.masks.shape[0]} random keep-masks over {d.h.size} units with drop probability {d.p:g}, dropped "
        f"units crossed out. Right: bars of the activations next to the mean of {d.n_samples:,} inverted-dropout "
        f"draws, which matches every activation to within {err:.3f}, and one draw in which kept units are "
        f"multiplied by 1/(1-p) = {1 / (1 - d.p):g} and dropped ones are zero."
    )
    return figure_html(draw_dropout(d), alt)
