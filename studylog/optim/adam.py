r"""Adam: formulas ``adam.m``, ``adam.v``, ``adam.w.lecture`` and torch's ``adam.w.torch``, ``adam.w.decoupled.torch``.

Adam combines momentum (a moving average $`m`$ of gradients) with RMSprop's per-coordinate scaling (a
moving average $`v`$ of squared gradients), and corrects both for their zero start. The lecture puts
$`\epsilon`$ inside the root, on the *uncorrected* $`v_t`$; torch (Kingma & Ba's Algorithm 1) adds it
after the root of the *corrected* $`\hat v_t`$. Weight decay is coupled (Adam + L2) by default or
decoupled (AdamW).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import Array, Derived, In, Int, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._moments import (
    adam_denominator,
    adam_denominator_,
    adam_moments,
    adam_moments_,
    bias_correction,
    decoupled_decay,
    decoupled_decay_,
    init_moments,
)
from studylog.optim._torch import StudylogOptimizer, grad_for_update, scalar
from studylog.optim._validation import (
    check_betas,
    check_choice,
    check_like,
    check_non_negative,
    check_step,
    check_unit_interval,
)

CONVENTIONS = ("torch", "lecture")

#: the inputs of one Adam-family step, as the engine draws them (shared by RAdam's bindings)
ADAM_INPUTS = {
    r"W_t": In("W", Array()),
    r"g_t": In("g", Array()),
    r"m_{t-1}": In("m", Array()),
    r"v_{t-1}": In("v", Array(0.1, 2.0)),
    r"\eta": In("lr", Scalar(0.01, 0.5)),
    r"\beta_1": In("beta1", Scalar(0.5, 0.95)),
    r"\beta_2": In("beta2", Scalar(0.6, 0.99)),
    r"\epsilon": In("eps", Scalar(0.05, 0.5)),
    r"t": In("t", Int(2, 12)),
    r"W_{t+1}": Out("W"),
}
#: $`m_t`$ and $`v_t`$ in terms of the inputs (formulas ``adam.m`` and ``adam.v``)
MOMENTS = {
    r"m_t": Derived(r"\beta_1 m_{t-1} + (1 - \beta_1) g_t"),
    r"v_t": Derived(r"\beta_2 v_{t-1} + (1 - \beta_2) g_t^2"),
}


class AdamStep(NamedTuple):
    """The result of `adam_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    m: np.ndarray
    """$`m_t`$, first moment (torch's ``exp_avg``)."""
    v: np.ndarray
    """$`v_t`$, second moment (torch's ``exp_avg_sq``)."""
    v_max: np.ndarray | None
    """$`\\max_{s \\le t} v_s`$ (``amsgrad`` only; torch's ``max_exp_avg_sq``)."""


@implements(
    "adam.m",
    "adam.v",
    "adam.w.lecture",
    symbols={**ADAM_INPUTS, r"m_t": Out("m"), r"v_t": Out("v")},
    fixed={"convention": "lecture"},
)
@implements("adam.w.torch", symbols={**ADAM_INPUTS, **MOMENTS})
@implements(
    "adam.w.decoupled.torch",
    symbols={**ADAM_INPUTS, **MOMENTS, r"\lambda": In("weight_decay", Scalar(0.01, 0.5))},
    fixed={"decoupled_weight_decay": True},
)
def adam_step(
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
    amsgrad: bool = False,
    v_max: np.ndarray | None = None,
    maximize: bool = False,
    convention: str = "torch",
) -> AdamStep:
    r"""One Adam step (formulas ``adam.m``, ``adam.v``, then ``adam.w.torch`` or ``adam.w.lecture``).

    ``decoupled_weight_decay=True`` is AdamW (formula ``adam.w.decoupled.torch``): the parameters shrink by
    $`1 - \eta\lambda`$ before the step instead of $`\lambda W_t`$ joining the gradient. ``amsgrad``
    divides by the running maximum of $`v`$ (of the uncorrected values, as torch does).

    Args:
        W: parameters $`W_t`$.
        g: gradient $`g_t`$.
        m: first moment $`m_{t-1}`$ (zeros before the first step).
        v: second moment $`v_{t-1}`$ (zeros before the first step).
        t: the number of this step, from 1 (bias corrections $`1-\beta^t`$).
        lr: learning rate $`\eta \ge 0`$.
        beta1: $`\beta_1 \in [0, 1)`$.
        beta2: $`\beta_2 \in [0, 1)`$.
        eps: $`\epsilon \ge 0`$.
        weight_decay: $`\lambda \ge 0`$, coupled or decoupled.
        decoupled_weight_decay: AdamW's decoupled decay.
        amsgrad: use the running maximum of $`v`$.
        v_max: that maximum so far (``amsgrad`` only; ``None`` = zeros).
        maximize: ascend instead of descend.
        convention: ``"torch"`` ($`\sqrt{\hat v_t} + \epsilon`$) or ``"lecture"``
            ($`\sqrt{v_t + \epsilon}`$ with the bias corrections outside).

    Returns:
        `AdamStep` with the new parameters and moments (new arrays).

    Raises:
        ValueError: a hyper-parameter is out of range, ``t < 1``, or an array has the wrong shape.

    Examples:
        >>> z = np.zeros(1)
        >>> s = adam_step(np.array([1.0]), np.array([1e-3]), z, z, 1, lr=0.1)
        >>> s.m, s.v  # (1 - beta1) g and (1 - beta2) g^2
        (array([0.0001]), array([1.e-09]))
        >>> np.round(s.W, 6)  # torch: first step moves by about lr * sign(g)
        array([0.9])
        >>> np.round(adam_step(np.array([1.0]), np.array([1e-3]), z, z, 1, lr=0.1, convention="lecture").W, 6)
        array([0.969849])
    """
    check_choice("convention", convention, CONVENTIONS)
    t = check_adam_args(t, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)
    W = np.asarray(W)
    g = check_like("g", g, W)
    if decoupled_weight_decay:
        g = effective_gradient(W, g, weight_decay=0.0, maximize=maximize)
        W = decoupled_decay(W, lr=lr, weight_decay=weight_decay) if weight_decay != 0 else W  # W_t (1 - eta lambda)
    else:
        g = effective_gradient(W, g, weight_decay=weight_decay, maximize=maximize)
    m_t, v_t = adam_moments(check_like("m", m, W), check_like("v", v, W), g, beta1=beta1, beta2=beta2)  # m_t, v_t
    v_max_t = None
    second = v_t
    if amsgrad:
        v_max_t = np.maximum(np.zeros_like(W) if v_max is None else check_like("v_max", v_max, W), v_t)
        second = v_max_t
    bias1 = bias_correction(beta1, t)  # 1 - beta1^t
    if convention == "lecture":
        bias2_sqrt = bias_correction(beta2, t) ** 0.5  # sqrt(1 - beta2^t)
        W_next = W - lr / np.sqrt(second + eps) * (bias2_sqrt / bias1) * m_t
    else:
        W_next = W - (lr / bias1) * m_t / adam_denominator(second, t, beta2=beta2, eps=eps)  # sqrt(v_hat_t) + eps
    return AdamStep(W=W_next, m=m_t, v=v_t, v_max=v_max_t)


def check_adam_args(t: int, *, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float) -> int:
    """Validate the arguments every Adam-family numpy step takes; return the step number ``t``.

    Raises:
        ValueError: naming the first invalid argument.
    """
    t = check_step(t)
    check_non_negative("lr", lr)
    check_unit_interval("beta1", beta1)
    check_unit_interval("beta2", beta2)
    check_non_negative("eps", eps)
    check_non_negative("weight_decay", weight_decay)
    return t


def check_adam_group(group: Mapping[str, Any]) -> None:
    """Validate the hyper-parameters shared by Adam-family param groups (lr, betas, eps, weight_decay).

    Raises:
        ValueError: naming the first invalid hyper-parameter.
    """
    check_non_negative("lr", group["lr"])
    check_betas(group["betas"])
    check_non_negative("eps", group["eps"])
    check_non_negative("weight_decay", group["weight_decay"])


def _check(group: Mapping[str, Any]) -> None:
    check_adam_group(group)
    check_choice("convention", group["convention"], CONVENTIONS)


class Adam(StudylogOptimizer):
    r"""Adam, reproducing ``torch.optim.Adam`` (single-tensor path, and AdamW through
    ``decoupled_weight_decay=True``); ``convention="lecture"`` puts $`\epsilon`$ inside the root.

    Args:
        params: parameters or param groups.
        lr: learning rate (default ``1e-3``).
        betas: $`(\beta_1, \beta_2)`$ (default ``(0.9, 0.999)``).
        eps: $`\epsilon`$ (default ``1e-8``).
        weight_decay: $`\lambda`$, coupled unless ``decoupled_weight_decay``.
        amsgrad: divide by the running maximum of $`v`$.
        maximize: ascend instead of descend.
        decoupled_weight_decay: AdamW's decoupled decay.
        convention: ``"torch"`` or ``"lecture"``.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        >>> opt = Adam([w], lr=0.1)
        >>> w.grad = torch.full((1,), 1e-3, dtype=torch.float64)
        >>> opt.step()
        >>> round(w.item(), 6)
        0.9
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
        convention: str = "torch",
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
            "convention": convention,
        }
        super().__init__(params, defaults)

    _check = staticmethod(_check)

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        init_moments(p, state)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] += 1
        step = state["step"].item()
        lr, eps = scalar(group["lr"]), scalar(group["eps"])
        beta1, beta2 = (scalar(b) for b in group["betas"])
        weight_decay = scalar(group["weight_decay"])
        if weight_decay != 0 and group["decoupled_weight_decay"]:
            decoupled_decay_(p, lr=lr, weight_decay=weight_decay)  # W_t (1 - eta lambda)
        grad = grad_for_update(p, grad, group)
        adam_moments_(state, grad, beta1=beta1, beta2=beta2)  # m_t, v_t
        exp_avg, second = state["exp_avg"], state["exp_avg_sq"]
        if group["amsgrad"]:
            torch.maximum(state["max_exp_avg_sq"], second, out=state["max_exp_avg_sq"])
            second = state["max_exp_avg_sq"]
        bias1 = bias_correction(beta1, step)
        if group["convention"] == "lecture":
            denom = second.add(eps).sqrt_()  # sqrt(v_t + eps)
            p.addcdiv_(exp_avg, denom, value=-lr * bias_correction(beta2, step) ** 0.5 / bias1)
        else:
            denom = adam_denominator_(second, step, beta2=beta2, eps=eps)  # sqrt(v_hat_t) + eps
            p.addcdiv_(exp_avg, denom, value=-lr / bias1)
