r"""RAdam (rectified Adam): formulas ``radam.rho_inf``, ``radam.rho_t``, ``radam.r`` and ``radam.w.*``.

Early in training $`v_t`$ averages only a few squared gradients, so Adam's adaptive step has a large
variance. RAdam estimates the length $`\rho_t`$ of the simple moving average that $`v_t`$ resembles;
while it is too short the step is plain bias-corrected momentum, afterwards the adaptive step is multiplied
by the rectification term $`r_t < 1`$, which grows towards 1 (a built-in warm-up).

Three published forms differ in details (``variant``):

* ``"torch"`` (default, ``torch.optim.RAdam``): rectify when $`\rho_t > 5`$ (first at $`t = 6`$ for
  $`\beta_2 = 0.999`$); $`\epsilon`$ is added to the uncorrected $`\sqrt{v_t}`$.
* ``"paper"`` (Liu et al. 2020, Algorithm 2): rectify when $`\rho_t > 4`$ (first at $`t = 5`$); no
  $`\epsilon`$ at all (so a coordinate whose $`v_t`$ is exactly 0 gets 0/0 = NaN once rectified).
* ``"author"`` (the authors' ``radam.py``): rectify when $`\rho_t \ge 5`$; below it no update at all
  unless ``degenerated_to_sgd=True``; weight decay is decoupled and applied only on steps that update.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import In, Int, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._moments import (
    adam_moments,
    adam_moments_,
    bias_correction,
    decoupled_decay,
    decoupled_decay_,
    init_moments,
)
from studylog.optim._torch import StudylogOptimizer, grad_for_update, scalar
from studylog.optim._validation import check_choice, check_like, check_step, check_unit_interval
from studylog.optim.adam import ADAM_INPUTS, MOMENTS, check_adam_args, check_adam_group

VARIANTS = ("torch", "paper", "author")
#: rectify when rho_t is above this (strictly, except for the authors' code, which uses >=)
THRESHOLDS = {"torch": 5.0, "paper": 4.0, "author": 5.0}


class Rectification(NamedTuple):
    """The result of `rectification`."""

    rho_inf: float
    r"""$`\rho_\infty`$, the longest SMA length."""
    rho_t: float
    r"""$`\rho_t`$, the SMA length at step ``t``."""
    r: float
    r"""$`r_t`$, the rectification term (NaN when $`\rho_t \le 4`$, where it is undefined)."""


@implements(
    "radam.rho_inf",
    "radam.rho_t",
    "radam.r",
    symbols={
        r"t": In("t", Int(6, 40)),
        r"\beta_2": In("beta2", Scalar(0.9, 0.99)),
        r"\rho_\infty": Out("rho_inf"),
        r"\rho_t": Out("rho_t"),
        r"r_t": Out("r"),
    },
)
def rectification(t: int, *, beta2: float) -> Rectification:
    r"""RAdam's SMA lengths and rectification term (formulas ``radam.rho_inf``, ``radam.rho_t``, ``radam.r``).

    Args:
        t: the number of the step, from 1.
        beta2: $`\beta_2 \in [0, 1)`$.

    Returns:
        `Rectification` (plain floats, computed in torch's order of operations).

    Raises:
        ValueError: ``t < 1`` or ``beta2`` outside ``[0, 1)``.

    Examples:
        >>> [round(rectification(t, beta2=0.999).rho_t, 4) for t in (4, 5, 6)]
        [3.9975, 4.996, 5.9942]
        >>> round(rectification(5, beta2=0.999).r, 4), round(rectification(6, beta2=0.999).r, 4)
        (0.0173, 0.0258)
    """
    t = check_step(t)
    check_unit_interval("beta2", beta2)
    rho_inf = 2 / (1 - beta2) - 1  # rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * (beta2**t) / bias_correction(beta2, t)  # rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
    if rho_t <= 4:
        return Rectification(rho_inf, rho_t, math.nan)
    r = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
    return Rectification(rho_inf, rho_t, r)


def is_rectified(rho_t: float, variant: str) -> bool:
    """Whether a step with SMA length ``rho_t`` takes the adaptive (rectified) update under ``variant``.

    Examples:
        >>> is_rectified(4.996, "paper"), is_rectified(4.996, "torch"), is_rectified(5.0, "author")
        (True, False, True)
    """
    if variant == "author":
        return rho_t >= THRESHOLDS[variant]
    return rho_t > THRESHOLDS[variant]


#: rho_inf, rho_t and r_t as outputs (a system: formulas ``radam.rho_inf``, ``radam.rho_t``, ``radam.r`` first)
_RECTIFICATION = {r"\rho_\infty": Out("rho_inf"), r"\rho_t": Out("rho_t"), r"r_t": Out("r")}
_RECTIFICATION_IDS = ("radam.rho_inf", "radam.rho_t", "radam.r")
_RECTIFIED_INPUTS = {**ADAM_INPUTS, r"t": In("t", Int(10, 40)), r"\beta_2": In("beta2", Scalar(0.9, 0.99))}
_WITHOUT_EPS = {k: v for k, v in _RECTIFIED_INPUTS.items() if k != r"\epsilon"}
_SGD_INPUTS = {
    k: v for k, v in {**ADAM_INPUTS, r"t": In("t", Int(2, 4))}.items() if k not in (r"v_{t-1}", r"\epsilon")
}


class RAdamStep(NamedTuple):
    """The result of `radam_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    m: np.ndarray
    """$`m_t`$, first moment (torch's ``exp_avg``)."""
    v: np.ndarray
    """$`v_t`$, second moment (torch's ``exp_avg_sq``)."""
    rho_inf: float
    r"""$`\rho_\infty`$."""
    rho_t: float
    r"""$`\rho_t`$."""
    r: float
    r"""$`r_t`$ (NaN when undefined)."""
    rectified: bool
    """Whether this step took the rectified adaptive update."""


@implements(*_RECTIFICATION_IDS, "radam.w.torch", symbols={**_RECTIFIED_INPUTS, **MOMENTS, **_RECTIFICATION})
@implements(
    *_RECTIFICATION_IDS,
    "radam.w.paper",
    symbols={**_WITHOUT_EPS, **MOMENTS, **_RECTIFICATION},
    fixed={"variant": "paper"},
)
@implements(
    "radam.w.sgd",
    symbols={**_SGD_INPUTS, r"m_t": MOMENTS[r"m_t"]},
    fixed={"v": np.ones((3, 5))},
)
def radam_step(
    W: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    *,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    decoupled_weight_decay: bool = False,
    maximize: bool = False,
    variant: str = "torch",
    degenerated_to_sgd: bool = False,
) -> RAdamStep:
    r"""One RAdam step (formulas ``radam.w.torch``/``radam.w.paper`` when rectified, else ``radam.w.sgd``).

    Args:
        W: parameters $`W_t`$.
        g: gradient $`g_t`$.
        m: first moment $`m_{t-1}`$ (zeros before the first step).
        v: second moment $`v_{t-1}`$ (zeros before the first step).
        t: the number of this step, from 1.
        lr: learning rate $`\eta \ge 0`$.
        beta1: $`\beta_1 \in [0, 1)`$.
        beta2: $`\beta_2 \in [0, 1)`$.
        eps: $`\epsilon \ge 0`$ (not used by ``variant="paper"``).
        weight_decay: $`\lambda \ge 0`$.
        decoupled_weight_decay: decoupled decay $`W_t (1 - \eta\lambda)`$ instead of coupled; required by
            ``variant="author"`` when ``weight_decay > 0``.
        maximize: ascend instead of descend.
        variant: ``"torch"``, ``"paper"`` or ``"author"`` (see the module docstring).
        degenerated_to_sgd: ``variant="author"`` only: take the momentum step below the threshold instead of
            no step.

    Returns:
        `RAdamStep` with the new parameters and moments, $`\rho_\infty`$, $`\rho_t`$,
        $`r_t`$ and whether the step was rectified.

    Raises:
        ValueError: a hyper-parameter is out of range, the options do not fit the variant, or an array has the
            wrong shape.

    Examples:
        >>> z = np.zeros(1)
        >>> [radam_step(np.ones(1), np.ones(1), z, z, t, lr=0.1).rectified for t in (5, 6)]
        [False, True]
        >>> radam_step(np.ones(1), np.ones(1), z, z, 1, lr=0.1).W  # momentum step: lr * m_hat = 0.1
        array([0.9])
        >>> radam_step(np.ones(1), np.ones(1), z, z, 1, lr=0.1, variant="author").W  # no step below threshold
        array([1.])
    """
    check_choice("variant", variant, VARIANTS)
    t = check_adam_args(t, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)
    _check_variant_options(variant, weight_decay, decoupled_weight_decay, degenerated_to_sgd)
    W = np.asarray(W)
    g = check_like("g", g, W)
    decay = weight_decay != 0 and decoupled_weight_decay
    if decay and variant != "author":
        W = decoupled_decay(W, lr=lr, weight_decay=weight_decay)  # W_t (1 - eta lambda)
    g = effective_gradient(W, g, weight_decay=0.0 if decoupled_weight_decay else weight_decay, maximize=maximize)
    m_t, v_t = adam_moments(check_like("m", m, W), check_like("v", v, W), g, beta1=beta1, beta2=beta2)
    bias1, bias2 = bias_correction(beta1, t), bias_correction(beta2, t)
    rect = rectification(t, beta2=beta2)
    rectified = is_rectified(rect.rho_t, variant)
    if variant == "author":
        if not rectified and not degenerated_to_sgd:  # no update at all
            return RAdamStep(W.copy(), m_t, v_t, rect.rho_inf, rect.rho_t, rect.r, rectified=False)
        if decay:
            W = W - weight_decay * lr * W  # decoupled, only on updating steps
    m_hat = m_t / bias1  # m_t / (1 - beta1^t)
    if not rectified:
        W_next = W - lr * m_hat  # bias-corrected momentum step
    elif variant == "paper":
        W_next = W - lr * rect.r * m_hat * np.sqrt(bias2 / v_t)  # l_t = sqrt((1 - beta2^t) / v_t)
    else:
        W_next = W - lr * rect.r * m_hat * bias2**0.5 / (np.sqrt(v_t) + eps)  # l_t = sqrt(1-beta2^t)/(sqrt(v_t)+eps)
    return RAdamStep(W=W_next, m=m_t, v=v_t, rho_inf=rect.rho_inf, rho_t=rect.rho_t, r=rect.r, rectified=rectified)


def _check_variant_options(variant: str, weight_decay: float, decoupled: bool, degenerated_to_sgd: bool) -> None:
    if degenerated_to_sgd and variant != "author":
        raise ValueError(
            f"degenerated_to_sgd=True only applies to variant='author' (variant={variant!r} always takes the "
            "momentum step below the threshold)"
        )
    if variant == "author" and weight_decay != 0 and not decoupled:
        raise ValueError(
            f"variant='author' decouples weight decay: pass decoupled_weight_decay=True with "
            f"weight_decay={weight_decay!r}"
        )


def _check(group: Mapping[str, Any]) -> None:
    check_adam_group(group)
    check_choice("variant", group["variant"], VARIANTS)
    _check_variant_options(
        group["variant"], scalar(group["weight_decay"]), group["decoupled_weight_decay"], group["degenerated_to_sgd"]
    )


class RAdam(StudylogOptimizer):
    r"""RAdam, reproducing ``torch.optim.RAdam`` (single-tensor path) by default; ``variant="paper"`` and
    ``variant="author"`` select the paper's Algorithm 2 and the authors' code (see the module docstring).

    Args:
        params: parameters or param groups.
        lr: learning rate (default ``1e-3``).
        betas: $`(\beta_1, \beta_2)`$ (default ``(0.9, 0.999)``).
        eps: $`\epsilon`$ (default ``1e-8``; not used by ``"paper"``).
        weight_decay: $`\lambda`$, coupled unless ``decoupled_weight_decay``.
        decoupled_weight_decay: decoupled decay (required by ``"author"`` when ``weight_decay > 0``).
        maximize: ascend instead of descend.
        variant: ``"torch"``, ``"paper"`` or ``"author"``.
        degenerated_to_sgd: ``"author"`` only: momentum step instead of no step below the threshold.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        >>> opt = RAdam([w], lr=0.1)
        >>> for _ in range(5):  # five un-rectified steps of lr * m_hat = 0.1 * 1
        ...     w.grad = torch.ones(1, dtype=torch.float64)
        ...     opt.step()
        >>> round(w.item(), 6)
        -0.5
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
        variant: str = "torch",
        degenerated_to_sgd: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "variant": variant,
            "degenerated_to_sgd": degenerated_to_sgd,
        }
        super().__init__(params, defaults)

    _check = staticmethod(_check)

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        init_moments(p, state)

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] += 1
        step = int(state["step"].item())
        lr, eps = scalar(group["lr"]), scalar(group["eps"])
        beta1, beta2 = (scalar(b) for b in group["betas"])
        weight_decay = scalar(group["weight_decay"])
        variant = group["variant"]
        decay = weight_decay != 0 and group["decoupled_weight_decay"]
        if decay and variant != "author":
            decoupled_decay_(p, lr=lr, weight_decay=weight_decay)
        grad = grad_for_update(p, grad, group)
        adam_moments_(state, grad, beta1=beta1, beta2=beta2)  # m_t, v_t
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        bias1, bias2 = bias_correction(beta1, step), bias_correction(beta2, step)
        rect = rectification(step, beta2=beta2)
        rectified = is_rectified(rect.rho_t, variant)
        if variant == "author":
            _author_update(p, exp_avg, exp_avg_sq, rect, rectified, group, lr, eps, weight_decay, bias1, bias2)
            return
        m_hat = exp_avg / bias1
        if not rectified:
            p.add_(m_hat * lr, alpha=-1.0)
        elif variant == "paper":
            adaptive = bias2**0.5 / exp_avg_sq.sqrt()  # sqrt((1 - beta2^t) / v_t)
            p.add_(m_hat * lr * adaptive * rect.r, alpha=-1.0)
        else:
            adaptive = bias2**0.5 / exp_avg_sq.sqrt().add_(eps)  # sqrt(1 - beta2^t) / (sqrt(v_t) + eps)
            p.add_(m_hat * lr * adaptive * rect.r, alpha=-1.0)


def _author_update(
    p: torch.Tensor,
    exp_avg: torch.Tensor,
    exp_avg_sq: torch.Tensor,
    rect: Rectification,
    rectified: bool,
    group: Mapping[str, Any],
    lr: float,
    eps: float,
    weight_decay: float,
    bias1: float,
    bias2: float,
) -> None:
    """The authors' update (their order of operations), after the moments are updated."""
    if not rectified and not group["degenerated_to_sgd"]:
        return  # no update at all, not even weight decay
    if weight_decay != 0:
        p.add_(p, alpha=-weight_decay * lr)
    if rectified:
        n, n_inf = rect.rho_t, rect.rho_inf
        step_size = math.sqrt(bias2 * (n - 4) / (n_inf - 4) * (n - 2) / n * n_inf / (n_inf - 2)) / bias1
        p.addcdiv_(exp_avg, exp_avg_sq.sqrt().add_(eps), value=-step_size * lr)
    else:
        p.add_(exp_avg, alpha=-(1.0 / bias1) * lr)
