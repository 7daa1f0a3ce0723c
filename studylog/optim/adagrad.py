r"""Adagrad (적응적 경사): formulas ``adagrad.g``, ``adagrad.w.lecture``, ``adagrad.w.torch``, and ``adagrad.lr.*``.

Each coordinate gets its own step size, divided by the root of the sum of all its squared gradients so
far: coordinates that have moved a lot slow down. The lecture puts $`\epsilon`$ inside the root, torch
adds it after the root; the two agree exactly only when $`\epsilon = 0`$.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import Array, Derived, In, Int, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._torch import StudylogOptimizer, grad_for_update, new_step_counter, scalar
from studylog.optim._validation import check_choice, check_like, check_non_negative, check_step

CONVENTIONS = ("torch", "lecture")


class AdagradStep(NamedTuple):
    """The result of `adagrad_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    G: np.ndarray
    """$`G_t`$, the running sum of squared gradients (torch's ``sum``)."""


@implements(
    "adagrad.lr.torch",
    symbols={
        r"\eta_t": Out(None),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"\kappa": In("lr_decay", Scalar(0.05, 0.9)),
        r"t": In("t", Int(2, 12)),
    },
)
def decayed_lr(lr: float, t: int, lr_decay: float = 0.0) -> float:
    r"""torch's ``lr_decay`` schedule for Adagrad (formula ``adagrad.lr.torch``); the lecture has none.

    Args:
        lr: base learning rate $`\eta`$.
        t: the number of this step, from 1.
        lr_decay: torch's ``lr_decay`` $`\kappa \ge 0`$.

    Returns:
        $`\eta_t`$, the learning rate used at step ``t``.

    Examples:
        >>> decayed_lr(0.1, 3, lr_decay=0.5)
        0.05
    """
    return lr / (1 + (t - 1) * lr_decay)  # eta_t = eta / (1 + (t - 1) kappa)


_SYMBOLS = {
    r"W_t": In("W", Array()),
    r"g_t": In("g", Array()),
    r"G_{t-1}": In("G", Array(0.1, 2.0)),
    r"\eta": In("lr", Scalar(0.01, 0.5)),
    r"\epsilon": In("eps", Scalar(0.05, 0.5)),
    r"W_{t+1}": Out("W"),
}


@implements(
    "adagrad.g",
    "adagrad.w.lecture",
    symbols={**_SYMBOLS, r"G_t": Out("G")},
    fixed={"convention": "lecture"},
)
@implements("adagrad.w.torch", symbols={**_SYMBOLS, r"G_t": Derived(r"G_{t-1} + g_t^2")})
def adagrad_step(
    W: np.ndarray,
    g: np.ndarray,
    G: np.ndarray,
    *,
    lr: float,
    eps: float,
    t: int | None = None,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    maximize: bool = False,
    convention: str = "torch",
) -> AdagradStep:
    r"""One Adagrad step (formulas ``adagrad.g`` then ``adagrad.w.torch`` or ``adagrad.w.lecture``).

    Args:
        W: parameters $`W_t`$.
        g: gradient $`g_t`$.
        G: sum of squared gradients so far, $`G_{t-1}`$ (zeros, or torch's
            ``initial_accumulator_value``, before the first step).
        lr: learning rate $`\eta \ge 0`$.
        eps: $`\epsilon \ge 0`$, added after the root (torch) or inside it (lecture).
        t: the number of this step, from 1 (needed only when ``lr_decay != 0``).
        lr_decay: torch's learning-rate decay (formula ``adagrad.lr.torch``).
        weight_decay: coupled weight decay $`\lambda \ge 0`$.
        maximize: ascend instead of descend.
        convention: ``"torch"`` ($`\sqrt{G_t} + \epsilon`$) or ``"lecture"`` ($`\sqrt{G_t + \epsilon}`$).

    Returns:
        `AdagradStep` with the new parameters and accumulator (new arrays).

    Raises:
        ValueError: a hyper-parameter is out of range, an array has the wrong shape, or ``lr_decay`` is set
            without ``t``.

    Examples:
        >>> W, g, G = np.array([1.0]), np.array([3.0]), np.array([16.0])
        >>> adagrad_step(W, g, G, lr=0.5, eps=0.0)  # G_t = 25, step 0.5 * 3 / 5
        AdagradStep(W=array([0.7]), G=array([25.]))
        >>> adagrad_step(W, g, G, lr=0.5, eps=11.0, convention="lecture").W  # 0.5 * 3 / sqrt(36)
        array([0.75])
    """
    check_choice("convention", convention, CONVENTIONS)
    check_non_negative("lr", lr)
    check_non_negative("eps", eps)
    check_non_negative("lr_decay", lr_decay)
    check_non_negative("weight_decay", weight_decay)
    if lr_decay != 0:
        if t is None:
            raise ValueError(f"lr_decay={lr_decay!r} needs t, the number of this step")
        lr = decayed_lr(lr, check_step(t), lr_decay)
    W = np.asarray(W)
    g = effective_gradient(W, check_like("g", g, W), weight_decay=weight_decay, maximize=maximize)
    G_t = check_like("G", G, W) + g * g  # G_t = G_{t-1} + g_t^2
    if convention == "lecture":
        denom = np.sqrt(G_t + eps)  # sqrt(G_t + eps)
    else:
        denom = np.sqrt(G_t) + eps  # sqrt(G_t) + eps
    return AdagradStep(W=W - lr * g / denom, G=G_t)


def _check(group: Mapping[str, Any]) -> None:
    check_non_negative("lr", group["lr"])
    check_non_negative("lr_decay", group["lr_decay"])
    check_non_negative("weight_decay", group["weight_decay"])
    check_non_negative("initial_accumulator_value", group["initial_accumulator_value"])
    check_non_negative("eps", group["eps"])
    check_choice("convention", group["convention"], CONVENTIONS)


class Adagrad(StudylogOptimizer):
    r"""Adagrad, reproducing ``torch.optim.Adagrad`` (single-tensor path); ``convention="lecture"`` puts
    $`\epsilon`$ inside the root.

    Unlike torch, which creates every parameter's state in the constructor, the state is created at a
    parameter's first update (parameters that never get a gradient have none); the numbers are the same.

    Args:
        params: parameters or param groups.
        lr: learning rate (default ``1e-2``).
        lr_decay: learning-rate decay (formula ``adagrad.lr.torch``).
        weight_decay: coupled weight decay $`\lambda`$.
        initial_accumulator_value: starting value of $`G`$ (the lecture: 0).
        eps: $`\epsilon`$ (default ``1e-10``).
        maximize: ascend instead of descend.
        convention: ``"torch"`` or ``"lecture"``.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        >>> opt = Adagrad([w], lr=0.5, eps=0.0)
        >>> w.grad = torch.full((1,), 3.0, dtype=torch.float64)
        >>> opt.step()
        >>> round(w.item(), 6), opt.state[w]["sum"].item()
        (0.5, 9.0)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
        convention: str = "torch",
    ) -> None:
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "eps": eps,
            "maximize": maximize,
            "convention": convention,
        }
        super().__init__(params, defaults)

    _check = staticmethod(_check)

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] = new_step_counter()
        state["sum"] = torch.full_like(
            p, scalar(group["initial_accumulator_value"]), memory_format=torch.preserve_format
        )

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] += 1
        step = state["step"].item()
        grad = grad_for_update(p, grad, group)
        clr = scalar(group["lr"]) / (1 + (step - 1) * scalar(group["lr_decay"]))
        state_sum = state["sum"]
        state_sum.addcmul_(grad, grad, value=1)  # G_t = G_{t-1} + g_t^2
        eps = scalar(group["eps"])
        if group["convention"] == "lecture":
            std = state_sum.add(eps).sqrt_()  # sqrt(G_t + eps)
        else:
            std = state_sum.sqrt().add_(eps)  # sqrt(G_t) + eps
        p.addcdiv_(grad, std, value=-clr)

