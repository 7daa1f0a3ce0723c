r"""RMSprop: formulas ``rmsprop.g``, ``rmsprop.w.lecture`` and torch's ``rmsprop.w.torch`` (+ centered, momentum).

Like Adadelta, an exponential moving average $`G`$ of squared gradients replaces Adagrad's sum, so old
gradients are forgotten and the step size does not shrink for ever; unlike Adadelta it keeps a learning
rate. torch calls the decay $`\gamma`$ ``alpha`` and adds $`\epsilon`$ after the root (the lecture:
inside); ``centered`` and ``momentum`` are torch extensions the lecture does not have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import Array, Derived, In, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._moments import ema, ema_, ema_of_squares, ema_of_squares_
from studylog.optim._torch import StudylogOptimizer, grad_for_update, new_step_counter, scalar
from studylog.optim._validation import check_choice, check_like, check_non_negative

CONVENTIONS = ("torch", "lecture")


class RMSpropStep(NamedTuple):
    """The result of `rmsprop_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    G: np.ndarray
    """$`G_t`$, moving average of squared gradients (torch's ``square_avg``)."""
    g_avg: np.ndarray | None
    r"""$`\bar g_t`$, moving average of gradients (``centered`` only; torch's ``grad_avg``)."""
    b: np.ndarray | None
    """$`b_t`$, the momentum buffer (``momentum > 0`` only; torch's ``momentum_buffer``)."""


_SYMBOLS = {
    r"W_t": In("W", Array()),
    r"g_t": In("g", Array()),
    r"G_{t-1}": In("G", Array(0.1, 2.0)),
    r"\gamma": In("alpha", Scalar(0.5, 0.95)),
    r"\eta": In("lr", Scalar(0.01, 0.5)),
    r"\epsilon": In("eps", Scalar(0.05, 0.5)),
    r"W_{t+1}": Out("W"),
}
_G_T = {r"G_t": Derived(r"\gamma G_{t-1} + (1 - \gamma) g_t^2")}


@implements("rmsprop.g", "rmsprop.w.lecture", symbols={**_SYMBOLS, r"G_t": Out("G")}, fixed={"convention": "lecture"})
@implements("rmsprop.w.torch", symbols={**_SYMBOLS, **_G_T})
@implements(
    "rmsprop.gbar.torch",
    "rmsprop.w.centered.torch",
    symbols={
        **_SYMBOLS,
        **_G_T,
        r"G_{t-1}": In("G", Array(1.0, 2.0)),
        r"\bar{g}_{t-1}": In("g_avg", Array(-0.5, 0.5)),
        r"\bar{g}_t": Out("g_avg"),
    },
    fixed={"centered": True},
)
@implements(
    "rmsprop.b.torch",
    "rmsprop.w.momentum.torch",
    symbols={**_SYMBOLS, **_G_T, r"\mu": In("momentum", Scalar(0.5, 0.95)), r"b_{t-1}": In("b"), r"b_t": Out("b")},
)
def rmsprop_step(
    W: np.ndarray,
    g: np.ndarray,
    G: np.ndarray,
    *,
    lr: float,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
    g_avg: np.ndarray | None = None,
    b: np.ndarray | None = None,
    maximize: bool = False,
    convention: str = "torch",
) -> RMSpropStep:
    r"""One RMSprop step (formulas ``rmsprop.g`` then ``rmsprop.w.torch`` or ``rmsprop.w.lecture``).

    ``centered=True`` divides by the root of the variance estimate $`G_t - \bar g_t^2`$ instead of
    $`G_t`$ (formulas ``rmsprop.gbar.torch``, ``rmsprop.w.centered.torch``); ``momentum > 0`` accumulates
    the scaled gradients in a buffer started at zero (formulas ``rmsprop.b.torch``,
    ``rmsprop.w.momentum.torch``). ``convention`` only moves $`\epsilon`$ (inside the root: lecture).

    Args:
        W: parameters $`W_t`$.
        g: gradient $`g_t`$.
        G: moving average of squared gradients $`G_{t-1}`$ (zeros before the first step).
        lr: learning rate $`\eta \ge 0`$.
        alpha: decay $`\gamma \ge 0`$ (torch's ``alpha``; default 0.99).
        eps: $`\epsilon \ge 0`$ (default ``1e-8``).
        weight_decay: coupled weight decay $`\lambda \ge 0`$.
        momentum: momentum $`\mu \ge 0`$ (0: none).
        centered: use the centered (variance) estimate.
        g_avg: $`\bar g_{t-1}`$ (``centered`` only; ``None`` = zeros).
        b: momentum buffer $`b_{t-1}`$ (``momentum > 0`` only; ``None`` = zeros).
        maximize: ascend instead of descend.
        convention: ``"torch"`` or ``"lecture"``.

    Returns:
        `RMSpropStep` (``g_avg``/``b`` are ``None`` when not used).

    Raises:
        ValueError: a hyper-parameter is out of range or an array has the wrong shape.

    Examples:
        >>> W, g, G = np.array([1.0]), np.array([2.0]), np.array([0.0])
        >>> rmsprop_step(W, g, G, lr=0.1, alpha=0.75, eps=0.0).W  # G = 1, step 0.1 * 2 / 1
        array([0.8])
        >>> rmsprop_step(W, g, G, lr=0.1, alpha=0.75, eps=3.0, convention="lecture").W  # 0.1 * 2 / 2
        array([0.9])
    """
    check_choice("convention", convention, CONVENTIONS)
    check_non_negative("lr", lr)
    check_non_negative("alpha", alpha)
    check_non_negative("eps", eps)
    check_non_negative("weight_decay", weight_decay)
    check_non_negative("momentum", momentum)
    W = np.asarray(W)
    g = effective_gradient(W, check_like("g", g, W), weight_decay=weight_decay, maximize=maximize)
    G_t = ema_of_squares(check_like("G", G, W), g, alpha)  # G_t = gamma G_{t-1} + (1 - gamma) g_t^2
    g_avg_t = None
    second = G_t
    if centered:
        g_avg = np.zeros_like(W) if g_avg is None else check_like("g_avg", g_avg, W)
        g_avg_t = ema(g_avg, g, alpha)  # gbar_t = gamma gbar_{t-1} + (1 - gamma) g_t
        second = G_t - g_avg_t * g_avg_t
    denom = np.sqrt(second + eps) if convention == "lecture" else np.sqrt(second) + eps
    if momentum > 0:
        b = np.zeros_like(W) if b is None else check_like("b", b, W)
        b_t = momentum * b + g / denom  # b_t = mu b_{t-1} + g_t / denom
        return RMSpropStep(W=W - lr * b_t, G=G_t, g_avg=g_avg_t, b=b_t)
    return RMSpropStep(W=W - lr * g / denom, G=G_t, g_avg=g_avg_t, b=None)


def _check(group: Mapping[str, Any]) -> None:
    check_non_negative("lr", group["lr"])
    check_non_negative("alpha", group["alpha"])
    check_non_negative("eps", group["eps"])
    check_non_negative("weight_decay", group["weight_decay"])
    check_non_negative("momentum", group["momentum"])
    check_choice("convention", group["convention"], CONVENTIONS)


class RMSprop(StudylogOptimizer):
    r"""RMSprop, reproducing ``torch.optim.RMSprop`` (single-tensor path); ``convention="lecture"`` puts
    $`\epsilon`$ inside the root.

    Args:
        params: parameters or param groups.
        lr: learning rate (default ``1e-2``).
        alpha: decay $`\gamma`$ of the squared-gradient average (default 0.99).
        eps: $`\epsilon`$ (default ``1e-8``).
        weight_decay: coupled weight decay $`\lambda`$.
        momentum: momentum $`\mu`$ (buffer starts at zero, unlike SGD's).
        centered: divide by the root of the variance estimate.
        maximize: ascend instead of descend.
        convention: ``"torch"`` or ``"lecture"``.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        >>> opt = RMSprop([w], lr=0.1, alpha=0.75, eps=0.0)
        >>> w.grad = torch.full((1,), 2.0, dtype=torch.float64)
        >>> opt.step()
        >>> round(w.item(), 6)
        0.8
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
        convention: str = "torch",
    ) -> None:
        defaults = {
            "lr": lr,
            "alpha": alpha,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "centered": centered,
            "maximize": maximize,
            "convention": convention,
        }
        super().__init__(params, defaults)

    _check = staticmethod(_check)

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] = new_step_counter()
        state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        if scalar(group["momentum"]) > 0:
            state["momentum_buffer"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        if group["centered"]:
            state["grad_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] += 1
        grad = grad_for_update(p, grad, group)
        alpha, eps = scalar(group["alpha"]), scalar(group["eps"])
        square_avg = state["square_avg"]
        ema_of_squares_(square_avg, grad, alpha)  # G_t
        lecture = group["convention"] == "lecture"
        if group["centered"]:
            grad_avg = state["grad_avg"]
            ema_(grad_avg, grad, alpha)  # gbar_t
            avg = square_avg.addcmul(grad_avg, grad_avg, value=-1)  # G_t - gbar_t^2
            avg = avg.add_(eps).sqrt_() if lecture else avg.sqrt_().add_(eps)
        else:
            avg = square_avg.add(eps).sqrt_() if lecture else square_avg.sqrt().add_(eps)
        momentum = scalar(group["momentum"])
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf.mul_(momentum).addcdiv_(grad, avg)
            p.add_(buf, alpha=-scalar(group["lr"]))
        else:
            p.addcdiv_(grad, avg, value=-scalar(group["lr"]))
