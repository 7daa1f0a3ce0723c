r"""How far the lecture's formulas and ``torch.optim`` drift apart, measured on ``quad``, ``quad_tiny``, ``rosen``.

Each comparison runs both rules for 100 steps in float64 from the same start with the same gradient oracle
(`problems`) and reports the largest absolute parameter difference over all iterates
and coordinates, next to how far the torch run moved (so a difference can be judged against the scale of
the run). The notes call these functions in executed code blocks, so every number they show is computed
when the site is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.optim.adamp import AdamP
from studylog.optim.drivers import NumpyOptimizer
from studylog.optim.nag import lookahead_point
from studylog.optim.problems import PROBLEM_NAMES, Problem, matrix_quadratic, problem, scale_invariant
from studylog.optim.registry import FORM_OPTIONS, Lecture, lookup, with_lecture


class Gap(NamedTuple):
    """One comparison on one problem."""

    problem: str
    diff: float
    """Max over all iterates and coordinates of the absolute parameter difference."""
    scale: float
    r"""How far the torch run moved: $`\max_t \lVert \theta_t - \theta_0 \rVert_\infty`$."""


def torch_optimizer(method: str, params: list[torch.Tensor], **hyper: Any) -> torch.optim.Optimizer:
    """The ``torch.optim`` optimizer for ``method`` (single-tensor path), with torch's names: its registry reference.

    ``momentum``/``nag`` become ``SGD(momentum=..., nesterov=...)`` (momentum 0.9 unless given).

    Raises:
        ValueError: ``method`` has no ``torch.optim`` counterpart (``adamp``) or is unknown.

    Examples:
        >>> type(torch_optimizer("nag", [torch.zeros(1, requires_grad=True)], lr=0.1)).__name__
        'SGD'
    """
    reference = lookup(method).reference
    if not reference.in_torch:
        raise ValueError(f"method={method!r} has no torch.optim counterpart (its reference is {reference.target})")
    return reference.build(params, **hyper)


def _lecture(method: str) -> Lecture:
    """The lecture form of ``method``, which must also have a ``torch.optim`` reference to compare it with."""
    entry = lookup(method)
    if entry.lecture is None or not entry.reference.in_torch:
        names = ", ".join(repr(m.name) for m in with_lecture() if m.reference.in_torch)
        raise ValueError(f"method={method!r} must be one of {names} (a lecture form and a torch.optim reference)")
    return entry.lecture


def torch_trajectory(
    make: Callable[[list[torch.Tensor]], torch.optim.Optimizer], prob: Problem, steps: int = 100
) -> np.ndarray:
    """Iterates ``(steps + 1, d)`` of a torch optimizer on ``prob`` (float64, gradients from ``prob.grad``).

    Args:
        make: builds the optimizer from the parameter list.
        prob: the problem.
        steps: the number of steps.

    Returns:
        The start and every iterate.
    """
    w = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
    opt = make([w])
    out = [w.detach().numpy().copy()]
    for _ in range(steps):
        w.grad = torch.from_numpy(prob.grad(w.detach().numpy().copy()))
        opt.step()
        out.append(w.detach().numpy().copy())
    return np.array(out)


def numpy_trajectory(opt: NumpyOptimizer, prob: Problem, steps: int = 100) -> np.ndarray:
    """Iterates ``(steps + 1, d)`` of a `NumpyOptimizer` on ``prob``."""
    W = prob.w0.copy()
    out = [W]
    for _ in range(steps):
        W = opt.step(W, prob.grad)
        out.append(W)
    return np.array(out)


def _gap(name: str, torch_run: np.ndarray, ref_run: np.ndarray) -> Gap:
    diff = float(np.max(np.abs(torch_run - ref_run)))
    scale = float(np.max(np.abs(torch_run - torch_run[0])))
    return Gap(name, diff, scale)


def lecture_vs_torch(method: str, *, steps: int = 100, **hyper: Any) -> dict[str, Gap]:
    """Run ``torch.optim`` and the lecture's form (numpy, the registry's lecture options) on the three problems.

    Args:
        method: the name of a registry method with a lecture form (every one but ``"adamp"``).
        steps: the number of steps.
        **hyper: extra hyper-parameters (torch's names) given to both sides, e.g. ``eps=0.0``.

    Returns:
        ``{problem name: Gap}``.

    Raises:
        ValueError: unknown ``method``.

    Examples:
        >>> gaps = lecture_vs_torch("adam", eps=0.0)  # with eps = 0 the two forms are the same
        >>> all(g.diff < 1e-12 for g in gaps.values())
        True
    """
    lecture = _lecture(method)
    gaps = {}
    for name, lr in zip(PROBLEM_NAMES, lookup(method).reference_lrs, strict=True):
        prob = problem(name)
        options = {**lecture.options, "lr": lr, **hyper}
        torch_options = {k: v for k, v in options.items() if k not in FORM_OPTIONS}
        torch_run = torch_trajectory(lambda ps: torch_optimizer(method, ps, **torch_options), prob, steps)
        lecture_run = numpy_trajectory(NumpyOptimizer(method, **options), prob, steps)
        gaps[name] = _gap(name, torch_run, lecture_run)
    return gaps


def nag_lookahead_gap(*, steps: int = 100, momentum: float = 0.9) -> dict[str, Gap]:
    r"""torch's Nesterov iterate $`\theta_t`$ against the lecture's look-ahead point $`\Phi_t`$.

    Both are run from the same start; $`\Phi_t = W_t - \eta\beta a_t`$ is computed from the lecture run.

    Returns:
        ``{problem name: Gap}`` (rounding-level differences: the change of variables is exact).

    Examples:
        >>> all(g.diff < 1e-12 for g in nag_lookahead_gap().values())
        True
    """
    gaps = {}
    for name, lr in zip(PROBLEM_NAMES, lookup("nag").reference_lrs, strict=True):
        prob = problem(name)
        torch_run = torch_trajectory(lambda ps: torch_optimizer("nag", ps, lr=lr, momentum=momentum), prob, steps)
        lecture = NumpyOptimizer("nag", lr=lr, momentum=momentum, convention="lecture")
        W = prob.w0.copy()
        phis = [W]
        for _ in range(steps):
            W = lecture.step(W, prob.grad)
            phis.append(lookahead_point(W, lecture.state["momentum_buffer"], lr=lr, beta=momentum))
        gaps[name] = _gap(name, torch_run, np.array(phis))
    return gaps


class AdamPRun(NamedTuple):
    """AdamP against AdamW on one 2-D problem."""

    problem: str
    norm0: float
    r"""Frobenius norm of the start $`\lVert W_0 \rVert`$."""
    norm_adamp: float
    """Norm after the run under AdamP."""
    norm_adamw: float
    """Norm after the run under ``torch.optim.AdamW``."""
    diff: float
    """Max absolute difference between the two trajectories."""
    views: dict[str, int]
    """How many steps each projection view fired."""


def adamp_vs_adamw(*, steps: int = 100, lr: float = 1e-2, weight_decay: float = 0.0) -> dict[str, AdamPRun]:
    """Run AdamP and ``torch.optim.AdamW`` side by side on scale-invariant and plain 2-D losses.

    Args:
        steps: the number of steps.
        lr: learning rate of both.
        weight_decay: decoupled weight decay of both.

    Returns:
        ``{problem name: AdamPRun}`` for the row-wise and tensor-wise scale-invariant losses and a plain one.

    Examples:
        >>> run = adamp_vs_adamw(steps=10)["matrix_quadratic"]
        >>> run.views, run.diff < 1e-12  # no projection: AdamP is AdamW
        ({'none': 10}, True)
    """
    runs = {}
    for prob in (scale_invariant("row"), scale_invariant("tensor"), matrix_quadratic()):
        w = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
        v = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
        ours = AdamP([w], lr=lr, weight_decay=weight_decay)
        ref = torch.optim.AdamW([v], lr=lr, weight_decay=weight_decay, foreach=False)
        views: dict[str, int] = {}
        diff = 0.0
        for _ in range(steps):
            for p, opt in ((w, ours), (v, ref)):
                p.grad = torch.from_numpy(prob.grad(p.detach().numpy().copy()))
                opt.step()
            views[ours.state[w]["view"]] = views.get(ours.state[w]["view"], 0) + 1
            diff = max(diff, float((w.detach() - v.detach()).abs().max()))
        runs[prob.name] = AdamPRun(
            prob.name, float(np.linalg.norm(prob.w0)), float(w.detach().norm()), float(v.detach().norm()), diff, views
        )
    return runs


def format_gaps(gaps: Mapping[str, Gap]) -> str:
    """A small text table of `Gap` values (what the notes print).

    Examples:
        >>> print(format_gaps({"quad": Gap("quad", 1.5e-16, 3.25)}))
        problem     max |Δθ|   run moved
        quad         1.5e-16        3.25
    """
    lines = [f"{'problem':<10} {'max |Δθ|':>9} {'run moved':>11}"]
    lines += [f"{g.problem:<10} {g.diff:>9.2g} {g.scale:>11.3g}" for g in gaps.values()]
    return "\n".join(lines)
