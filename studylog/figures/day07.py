r"""The figures of the Day-7 log (optimization), each drawn from the studylog code it illustrates.

Every figure is split in three: ``*_data()`` runs the experiment (seeded) and returns its arrays,
``draw_*(data)`` turns them into a matplotlib figure, and ``*_figure()`` returns the figure as HTML (an
``<img>`` with alt text, see `figure_html`) for an executed block of the notes:

    ```python exec="on" html="1"
    from studylog.figures.day07 import kfold_figure
    print(kfold_figure())
    ```

The tests check the data (not the pixels); the drawing only reads it.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from numpy.typing import NDArray

from studylog.figures.style import INK, LIGHT, MUTED, OKABE_ITO, TOL_MUTED, style
from studylog.figures.svg import figure_html, new_figure
from studylog.learning import (
    BatchSizeResult,
    BiasVarianceCurve,
    batch_size_experiment,
    bias_variance_curve,
    init_mlp,
    kfold_splits,
    make_sine_data,
    mlp_grad,
    mlp_loss,
)
from studylog.optim import NumpyOptimizer
from studylog.optim.problems import Problem, quadratic, rosenbrock
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

BLUE, VERMILLION, GREEN, ORANGE = (OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange"))

# --------------------------------------------------------------------------------------------------------------
# 1. Nine optimizers on a 2-D quadratic and on Rosenbrock
# --------------------------------------------------------------------------------------------------------------

METHODS = ("sgd", "momentum", "nag", "adagrad", "adadelta", "rmsprop", "adam", "radam", "adamp")
"""The nine optimizers, in the order of the log."""
METHOD_LABELS = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nag": "NAG",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "radam": "RAdam",
    "adamp": "AdamP",
}
#: line colour and dash per method: Okabe & Ito's colours of medium lightness (they stay readable when dark mode
#: inverts the figure) plus two of Tol's; solid for SGD, Momentum, NAG and Adam, dashed for the per-coordinate
#: scalings, dash-dot for RAdam and dotted for AdamP (it retraces Adam on these problems)
METHOD_STYLES = {
    "sgd": (INK, "-"),
    "momentum": (OKABE_ITO["sky"], "-"),
    "nag": (OKABE_ITO["blue"], "-"),
    "adagrad": (OKABE_ITO["green"], "--"),
    "adadelta": (OKABE_ITO["orange"], "--"),
    "rmsprop": (OKABE_ITO["purple"], "--"),
    "adam": (OKABE_ITO["vermillion"], "-"),
    "radam": (TOL_MUTED[7], "-."),
    "adamp": (TOL_MUTED[8], ":"),
}
#: learning rate of each method on (quadratic, Rosenbrock); every other hyper-parameter is torch's default
#: (momentum 0.9 for Momentum and NAG, Adadelta's ``lr = 1`` and ``eps = 1e-6``)
LEARNING_RATES = {
    "sgd": (0.1, 1e-3),
    "momentum": (0.01, 1e-3),
    "nag": (0.01, 1e-3),
    "adagrad": (0.5, 0.3),
    "adadelta": (1.0, 1.0),
    "rmsprop": (0.03, 0.01),
    "adam": (0.1, 0.05),
    "radam": (0.1, 0.005),
    "adamp": (0.1, 0.05),
}
STEPS = (300, 1000)
"""Steps on (quadratic, Rosenbrock)."""


class OptimizerRun(NamedTuple):
    """The nine optimizers on one 2-D problem."""

    name: str
    """``"quad"`` or ``"rosen"``."""
    title: str
    problem: Problem
    w_star: FloatArray
    """The minimizer."""
    f_star: float
    """The minimum."""
    paths: dict[str, FloatArray]
    """Iterates of each method, shape ``(steps + 1, 2)`` (row 0 is the start)."""
    losses: dict[str, FloatArray]
    r"""Suboptimality $`f(W_t) - f^\star`$ along each path, shape ``(steps + 1,)``."""
    lrs: dict[str, float]


def quadratic_2d() -> tuple[Problem, FloatArray]:
    r"""The 2-D case of `quadratic` (Hessian eigenvalues 0.1 and 10, rotated).

    The start is moved to $`W^\star + 3 u_{0.1} + u_{10}`$ ($`u_\lambda`$ the unit eigenvector of
    eigenvalue $`\lambda`$), so that it lies far along the flat direction and off the steep one.

    Returns:
        The problem and its minimizer.
    """
    q = quadratic(d=2, seed=1, name="quad_2d")
    hessian = np.stack([q.grad(e) - q.grad(np.zeros(2)) for e in np.eye(2)])
    w_star = np.linalg.solve(hessian, -q.grad(np.zeros(2)))
    _, vectors = np.linalg.eigh(hessian)
    return q._replace(w0=w_star + 3.0 * vectors[:, 0] + 1.0 * vectors[:, 1]), w_star


def _run(method: str, prob: Problem, lr: float, steps: int) -> FloatArray:
    opt = NumpyOptimizer(method, lr=lr)
    W = prob.w0.copy()
    out = [W]
    for _ in range(steps):
        W = opt.step(W, prob.grad)
        out.append(W)
    return np.array(out)


def optimizer_paths_data() -> tuple[OptimizerRun, OptimizerRun]:
    """Run the nine numpy optimizers (`NumpyOptimizer`) on the two problems.

    Returns:
        One `OptimizerRun` for the ill-conditioned quadratic and one for Rosenbrock.
    """
    quad, quad_star = quadratic_2d()
    rosen = rosenbrock()
    specs = (
        ("quad", "ill-conditioned quadratic (condition number 100)", quad, quad_star, 0),
        ("rosen", r"Rosenbrock $(1-x)^2 + 100(y-x^2)^2$", rosen, np.array([1.0, 1.0]), 1),
    )
    runs = []
    for name, title, prob, w_star, i in specs:
        f_star = prob.loss(w_star)
        lrs = {m: LEARNING_RATES[m][i] for m in METHODS}
        paths = {m: _run(m, prob, lrs[m], STEPS[i]) for m in METHODS}
        losses = {m: np.array([prob.loss(w) for w in p]) - f_star for m, p in paths.items()}
        runs.append(OptimizerRun(name, title, prob, w_star, f_star, paths, losses, lrs))
    return runs[0], runs[1]


def _window(run: OptimizerRun) -> tuple[tuple[float, float], tuple[float, float]]:
    points = np.concatenate([*run.paths.values(), run.w_star[None]])
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.08 * (hi - lo)
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


def _contours(ax: plt.Axes, run: OptimizerRun) -> None:
    (x0, x1), (y0, y1) = _window(run)
    X, Y = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 100))
    Z = np.array([run.problem.loss(np.array(w)) for w in zip(X.ravel(), Y.ravel(), strict=True)]).reshape(X.shape)
    Z = Z - run.f_star
    # the quadratic's level sets 0.05 r^2 are ellipses evenly spaced along the flat axis (r = 0.5, 1, ...)
    levels = 0.05 * np.arange(0.5, 6.0, 0.5) ** 2 if run.name == "quad" else np.logspace(-1, 3, 9)
    ax.contour(X, Y, Z, levels=levels, colors="#BBBBBB", linewidths=0.6)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _method_handles() -> list[Line2D]:
    return [Line2D([], [], color=c, linestyle=ls, label=METHOD_LABELS[m]) for m, (c, ls) in METHOD_STYLES.items()]


def draw_optimizer_paths(runs: tuple[OptimizerRun, OptimizerRun]) -> plt.Figure:
    """Contours of each problem with the nine paths on them, one panel per problem, one legend."""
    with style():
        fig, axes = new_figure(8.4, 4.0, ncols=2, gridspec_kw={"width_ratios": [1, 1.2]})
        for ax, run in zip(axes, runs, strict=True):
            _contours(ax, run)
            for m in METHODS:
                color, ls = METHOD_STYLES[m]
                ax.plot(*run.paths[m].T, color=color, linestyle=ls, linewidth=1.4, zorder=2)
            ax.plot(*run.problem.w0, marker="s", color=INK, markersize=5, zorder=3)
            ax.plot(*run.w_star, marker="*", color=INK, markersize=10, zorder=3)
            ax.set_title(run.title)
            ax.set_xlabel("$w_1$" if run.name == "quad" else "$x$")
            ax.set_ylabel("$w_2$" if run.name == "quad" else "$y$")
        axes[0].set_aspect("equal", adjustable="box")
        marks = [
            Line2D([], [], marker="s", color=INK, linestyle="none", markersize=5, label="start"),
            Line2D([], [], marker="*", color=INK, linestyle="none", markersize=9, label="minimum"),
        ]
        fig.legend(handles=_method_handles() + marks, loc="outside right center")
        fig.set_layout_engine("constrained")
    return fig


def draw_optimizer_losses(runs: tuple[OptimizerRun, OptimizerRun]) -> plt.Figure:
    r"""The suboptimality $`f(W_t) - f^\star`$ of each path against the step, on a log scale."""
    with style():
        fig, axes = new_figure(8.0, 3.0, ncols=2)
        for ax, run in zip(axes, runs, strict=True):
            for m in METHODS:
                color, ls = METHOD_STYLES[m]
                gap = np.maximum(run.losses[m], 1e-16)
                ax.plot(np.arange(gap.size), gap, color=color, linestyle=ls, linewidth=1.4)
            ax.set_yscale("log")
            ax.set_title(run.title)
            ax.set_xlabel("step $t$")
            ax.set_ylabel(r"$f(W_t) - f^\star$")
            ax.set_xlim(0, len(run.losses["sgd"]) - 1)
        fig.legend(handles=_method_handles(), loc="outside right center")
        fig.set_layout_engine("constrained")
    return fig


def _lr_caption(runs: tuple[OptimizerRun, OptimizerRun]) -> str:
    rates = ", ".join(f"{METHOD_LABELS[m]} {runs[0].lrs[m]:g} / {runs[1].lrs[m]:g}" for m in METHODS)
    return (
        f"Learning rates (quadratic / Rosenbrock): {rates}; all other hyper-parameters are torch's defaults. "
        f"{STEPS[0]} steps on the quadratic, {STEPS[1]} on Rosenbrock."
    )


def optimizer_paths_figure() -> str:
    """HTML of the optimizer paths on the quadratic and on Rosenbrock."""
    runs = optimizer_paths_data()
    alt = (
        f"Two contour plots with the paths of SGD, Momentum, NAG, Adagrad, Adadelta, RMSprop, Adam, RAdam and "
        f"AdamP from a common start: on a rotated 2-D quadratic whose curvature differs 100-fold between its "
        f"axes ({STEPS[0]} steps), and on the Rosenbrock function from (-1.2, 1) towards its minimum at (1, 1) "
        f"({STEPS[1]} steps)."
    )
    return figure_html(draw_optimizer_paths(runs), alt, _lr_caption(runs))


def optimizer_losses_figure() -> str:
    """HTML of the optimizers' loss curves (log scale) on the quadratic and on Rosenbrock."""
    runs = optimizer_paths_data()
    alt = (
        "Two log-scale line plots of the loss above the minimum against the step for the nine optimizers, "
        f"on the 2-D quadratic ({STEPS[0]} steps) and on the Rosenbrock function ({STEPS[1]} steps)."
    )
    return figure_html(draw_optimizer_losses(runs), alt, _lr_caption(runs))


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


FIGURES = {
    "optimizer_paths": optimizer_paths_figure,
    "optimizer_losses": optimizer_losses_figure,
    "bias_variance": bias_variance_figure,
    "kfold": kfold_figure,
    "batch_size": batch_size_figure,
    "early_stopping": early_stopping_figure,
    "mixing": mixing_figure,
    "dropout": dropout_figure,
}
"""Every Day-7 figure function, by name."""
