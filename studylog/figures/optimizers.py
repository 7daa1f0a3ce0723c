r"""The Day-7 figures of the optimizers: their paths on a 2-D quadratic and on Rosenbrock, and their losses.

Which optimizers run, their labels and their learning rates come from the registry
(`studylog.optim.registry.METHODS`), so a method added there is drawn here too; only its line style may be
chosen below (`METHOD_STYLES`), otherwise it gets the next colour of Tol's palette. Each figure is split in
three as in `studylog.figures.day07`: data, drawing, HTML.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from numpy.typing import NDArray

from studylog.figures.style import INK, OKABE_ITO, TOL_MUTED, style
from studylog.figures.svg import figure_html, new_figure
from studylog.optim import NumpyOptimizer
from studylog.optim.problems import Problem, quadratic, rosenbrock
from studylog.optim.registry import METHODS as REGISTRY

FloatArray = NDArray[np.float64]

METHODS = tuple(m.name for m in REGISTRY)
"""The optimizers, in the order of the log (the registry's)."""
METHOD_LABELS = {m.name: m.label for m in REGISTRY}
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
#: learning rate of each method on (quadratic, Rosenbrock), the registry's ``figure_lrs``; every other
#: hyper-parameter is torch's default (momentum 0.9 for Momentum and NAG, Adadelta's ``lr = 1`` and ``eps = 1e-6``)
LEARNING_RATES = {m.name: m.figure_lrs for m in REGISTRY}


def method_style(method: str) -> tuple[str, str]:
    """The colour and dash of ``method``'s line: its `METHOD_STYLES` entry, else a solid line in Tol's next colour.

    Examples:
        >>> method_style("adam")
        ('#D55E00', '-')
    """
    if method in METHOD_STYLES:
        return METHOD_STYLES[method]
    return TOL_MUTED[METHODS.index(method) % len(TOL_MUTED)], "-"


STEPS = (300, 1000)
"""Steps on (quadratic, Rosenbrock)."""


class OptimizerRun(NamedTuple):
    """Every optimizer on one 2-D problem."""

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
    """Run every optimizer's numpy step (`NumpyOptimizer`) on the two problems.

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


def _styled(method: str) -> tuple[str, tuple[str, str]]:
    return method, method_style(method)


def _count() -> str:
    """How many methods there are, in words for the alt text ("nine")."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    return words[len(METHODS)] if len(METHODS) < len(words) else str(len(METHODS))


def _method_handles() -> list[Line2D]:
    return [Line2D([], [], color=c, linestyle=ls, label=METHOD_LABELS[m]) for m, (c, ls) in map(_styled, METHODS)]


def draw_optimizer_paths(runs: tuple[OptimizerRun, OptimizerRun]) -> plt.Figure:
    """Contours of each problem with every method's path on them, one panel per problem, one legend."""
    with style():
        fig, axes = new_figure(8.4, 4.0, ncols=2, gridspec_kw={"width_ratios": [1, 1.2]})
        for ax, run in zip(axes, runs, strict=True):
            _contours(ax, run)
            for m in METHODS:
                color, ls = method_style(m)
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
                color, ls = method_style(m)
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
    labels = [METHOD_LABELS[m] for m in METHODS]
    alt = (
        f"Two contour plots with the paths of {', '.join(labels[:-1])} and "
        f"{labels[-1]} from a common start: on a rotated 2-D quadratic whose curvature differs 100-fold between its "
        f"axes ({STEPS[0]} steps), and on the Rosenbrock function from (-1.2, 1) towards its minimum at (1, 1) "
        f"({STEPS[1]} steps)."
    )
    return figure_html(draw_optimizer_paths(runs), alt, _lr_caption(runs))


def optimizer_losses_figure() -> str:
    """HTML of the optimizers' loss curves (log scale) on the quadratic and on Rosenbrock."""
    runs = optimizer_paths_data()
    alt = (
        f"Two log-scale line plots of the loss above the minimum against the step for the {_count()} optimizers, "
        f"on the 2-D quadratic ({STEPS[0]} steps) and on the Rosenbrock function ({STEPS[1]} steps)."
    )
    return figure_html(draw_optimizer_losses(runs), alt, _lr_caption(runs))
