r"""Adadelta: formulas ``adadelta.g``, ``adadelta.w``, ``adadelta.h`` (lecture) and ``adadelta.*.torch``.

Adagrad's ever-growing sum is replaced by an exponential moving average $`G`$ of squared gradients, and
the learning rate by the root of a second moving average $`H`$ of squared past updates, so the step has
the units of the parameters and needs no learning rate. torch adds an ``lr`` factor on the applied step; its
$`H`$ accumulates the *unscaled* update, so with the default ``lr=1`` torch is the lecture's rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import Array, Derived, In, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._moments import ema_of_squares, ema_of_squares_
from studylog.optim._torch import StudylogOptimizer, grad_for_update, new_step_counter, scalar
from studylog.optim._validation import check_like, check_non_negative, check_unit_interval


class AdadeltaStep(NamedTuple):
    """The result of `adadelta_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    G: np.ndarray
    """$`G_t`$, moving average of squared gradients (torch's ``square_avg``)."""
    H: np.ndarray
    """$`H_t`$, moving average of squared updates (torch's ``acc_delta``)."""
    delta: np.ndarray
    r"""$`\Delta_t`$, the update before the ``lr`` factor ($`W_{t+1} = W_t - \eta \Delta_t`$)."""


_SYMBOLS = {
    r"W_t": In("W", Array()),
    r"g_t": In("g", Array()),
    r"G_{t-1}": In("G", Array(0.1, 2.0)),
    r"H_{t-1}": In("H", Array(0.1, 2.0)),
    r"\gamma": In("rho", Scalar(0.5, 0.95)),
    r"\epsilon": In("eps", Scalar(0.05, 0.5)),
    r"W_{t+1}": Out("W"),
    r"H_t": Out("H"),
}


@implements(
    "adadelta.g",
    "adadelta.w",
    "adadelta.h",
    symbols={**_SYMBOLS, r"G_t": Out("G"), r"\Delta W_t": Derived(r"W_{t+1} - W_t")},
    fixed={"lr": 1.0},
)
@implements(
    "adadelta.delta.torch",
    "adadelta.w.torch",
    "adadelta.h.torch",
    symbols={
        **_SYMBOLS,
        r"G_t": Derived(r"\gamma G_{t-1} + (1 - \gamma) g_t^2"),
        r"\eta": In("lr", Scalar(0.1, 2.0)),
        r"\Delta_t": Out("delta"),
    },
)
def adadelta_step(
    W: np.ndarray,
    g: np.ndarray,
    G: np.ndarray,
    H: np.ndarray,
    *,
    rho: float = 0.9,
    eps: float = 1e-6,
    lr: float = 1.0,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> AdadeltaStep:
    r"""One Adadelta step (lecture: ``adadelta.g``, ``adadelta.w``, ``adadelta.h``; torch: ``adadelta.*.torch``).

    With ``lr=1`` (the default, and the lecture's rule, which has no learning rate) the two forms coincide.

    Args:
        W: parameters $`W_t`$.
        g: gradient $`g_t`$.
        G: moving average of squared gradients $`G_{t-1}`$ (zeros before the first step).
        H: moving average of squared updates $`H_{t-1}`$ (zeros before the first step).
        rho: decay $`\gamma \in [0, 1]`$ of both averages (torch's ``rho``).
        eps: $`\epsilon \ge 0`$, inside both roots.
        lr: torch's factor $`\eta`$ on the applied step (1 in the lecture).
        weight_decay: coupled weight decay $`\lambda \ge 0`$.
        maximize: ascend instead of descend.

    Returns:
        `AdadeltaStep` with the new parameters, both averages and the unscaled update.

    Raises:
        ValueError: a hyper-parameter is out of range or an array has the wrong shape.

    Examples:
        >>> z = np.zeros(1)
        >>> s = adadelta_step(np.array([1.0]), np.array([2.0]), z, z, rho=0.75, eps=0.01)
        >>> s.G, np.round(s.delta, 6)  # G = 0.25 * 4 = 1; delta = sqrt(0.01) / sqrt(1.01) * 2
        (array([1.]), array([0.199007]))
    """
    check_unit_interval("rho", rho, closed=True)
    check_non_negative("eps", eps)
    check_non_negative("lr", lr)
    check_non_negative("weight_decay", weight_decay)
    W = np.asarray(W)
    g = effective_gradient(W, check_like("g", g, W), weight_decay=weight_decay, maximize=maximize)
    G_t = ema_of_squares(check_like("G", G, W), g, rho)  # G_t = gamma G_{t-1} + (1 - gamma) g_t^2
    H = check_like("H", H, W)
    delta = np.sqrt(H + eps) / np.sqrt(G_t + eps) * g  # sqrt(H_{t-1} + eps) / sqrt(G_t + eps) g_t
    H_t = ema_of_squares(H, delta, rho)  # H_t = gamma H_{t-1} + (1 - gamma) Delta_t^2
    return AdadeltaStep(W=W - lr * delta, G=G_t, H=H_t, delta=delta)


def _check(group: Mapping[str, Any]) -> None:
    check_non_negative("lr", group["lr"])
    check_unit_interval("rho", group["rho"], closed=True)
    check_non_negative("eps", group["eps"])
    check_non_negative("weight_decay", group["weight_decay"])


class Adadelta(StudylogOptimizer):
    r"""Adadelta, reproducing ``torch.optim.Adadelta`` (single-tensor path); at ``lr=1`` it is the lecture's rule.

    Args:
        params: parameters or param groups.
        lr: factor on the applied step (default 1).
        rho: decay $`\gamma`$ of both moving averages (default 0.9).
        eps: $`\epsilon`$ inside both roots (default ``1e-6``).
        weight_decay: coupled weight decay $`\lambda`$.
        maximize: ascend instead of descend.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        >>> opt = Adadelta([w], rho=0.75, eps=0.01)
        >>> w.grad = torch.full((1,), 2.0, dtype=torch.float64)
        >>> opt.step()
        >>> round(w.item(), 6)
        0.800993
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize}
        super().__init__(params, defaults)

    _check = staticmethod(_check)

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] = new_step_counter()
        state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["acc_delta"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] += 1
        grad = grad_for_update(p, grad, group)
        rho, eps = scalar(group["rho"]), scalar(group["eps"])
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        ema_of_squares_(square_avg, grad, rho)  # G_t
        std = square_avg.add(eps).sqrt_()  # sqrt(G_t + eps)
        delta = acc_delta.add(eps).sqrt_()  # sqrt(H_{t-1} + eps)
        delta.div_(std).mul_(grad)  # Delta_t
        ema_of_squares_(acc_delta, delta, rho)  # H_t
        p.add_(delta, alpha=-scalar(group["lr"]))
