r"""Stochastic gradient descent (확률적 경사하강법): formula ``sgd.w``.

The numpy step `sgd_step` is the lecture's rule, which is also torch's; `SGD` is a
``torch.optim.Optimizer`` that reproduces ``torch.optim.SGD`` (momentum, dampening, Nesterov, coupled weight
decay, maximize), and is the base of `Momentum` and
`NAG`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import Array, In, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._torch import StudylogOptimizer, grad_for_update, scalar
from studylog.optim._validation import check_like, check_non_negative, check_unit_interval


class SGDStep(NamedTuple):
    """The result of `sgd_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""


@implements(
    "sgd.w",
    symbols={
        r"W_t": In("W", Array()),
        r"g_t": In("g", Array()),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"W_{t+1}": Out("W"),
    },
)
def sgd_step(
    W: np.ndarray, g: np.ndarray, *, lr: float, weight_decay: float = 0.0, maximize: bool = False
) -> SGDStep:
    r"""One plain gradient-descent step (formula ``sgd.w``): move against the gradient by ``lr`` times it.

    torch's ``SGD`` without momentum computes exactly this; ``weight_decay`` adds $`\lambda W_t`$ to the
    gradient first (coupled, i.e. L2 regularisation) and ``maximize`` flips the gradient's sign.

    Args:
        W: parameters $`W_t`$ (any shape, float32 or float64).
        g: gradient $`g_t`$ at $`W_t`$, same shape.
        lr: learning rate $`\eta \ge 0`$.
        weight_decay: coupled weight decay $`\lambda \ge 0`$.
        maximize: ascend instead of descend.

    Returns:
        `SGDStep` with the new parameters (a new array; the inputs are not modified).

    Raises:
        ValueError: ``lr`` or ``weight_decay`` is negative, or ``g`` does not have the shape of ``W``.

    Examples:
        >>> sgd_step(np.array([1.0, -2.0]), np.array([0.5, 1.0]), lr=0.1).W
        array([ 0.95, -2.1 ])
    """
    check_non_negative("lr", lr)
    check_non_negative("weight_decay", weight_decay)
    W = np.asarray(W)
    g = check_like("g", g, W)
    g = effective_gradient(W, g, weight_decay=weight_decay, maximize=maximize)
    step = np.asarray(lr * g)  # eta g_t (a new array, also for 0-d input)
    return SGDStep(W=np.subtract(W, step, out=step))  # W_{t+1} = W_t - eta g_t (in the step's new buffer)


def check_sgd_group(group: Mapping[str, Any]) -> None:
    """Validate an SGD-family param group (torch's rules, plus ``0 <= dampening <= 1``).

    Raises:
        ValueError: naming the first invalid hyper-parameter.
    """
    check_non_negative("lr", group["lr"])
    momentum = check_non_negative("momentum", group["momentum"])
    dampening = check_unit_interval("dampening", group["dampening"], closed=True)
    check_non_negative("weight_decay", group["weight_decay"])
    if group["nesterov"] and (momentum <= 0 or dampening != 0):
        raise ValueError(
            f"nesterov=True needs momentum > 0 and dampening=0 (got momentum={group['momentum']!r}, "
            f"dampening={group['dampening']!r})"
        )


def sgd_update(p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
    """torch's single-tensor SGD update of one parameter, in place (momentum buffer in ``state``)."""
    grad = grad_for_update(p, grad, group)
    momentum = scalar(group["momentum"])
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:  # first step: the buffer is the gradient itself (no dampening)
            buf = torch.clone(grad).detach()
            state["momentum_buffer"] = buf
        else:
            buf.mul_(momentum).add_(grad, alpha=1 - scalar(group["dampening"]))
        grad = grad.add(buf, alpha=momentum) if group["nesterov"] else buf
    p.add_(grad, alpha=-scalar(group["lr"]))


class SGD(StudylogOptimizer):
    r"""Stochastic gradient descent, reproducing ``torch.optim.SGD`` (single-tensor path).

    Args:
        params: parameters or param groups.
        lr: learning rate (torch's default ``1e-3``).
        momentum: momentum factor $`\beta`$ (0 disables the buffer).
        dampening: dampening $`\tau`$ of new gradients from the second step on.
        weight_decay: coupled weight decay $`\lambda`$.
        nesterov: Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
        maximize: ascend instead of descend.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
        >>> opt = SGD([w], lr=0.1)
        >>> w.grad = torch.tensor([0.5, 1.0], dtype=torch.float64)
        >>> opt.step()
        >>> w.detach().numpy()
        array([ 0.95, -2.1 ])
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    _check = staticmethod(check_sgd_group)

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        sgd_update(p, grad, state, group)
