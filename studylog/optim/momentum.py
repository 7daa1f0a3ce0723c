r"""Momentum (모멘텀): formulas ``momentum.a``, ``momentum.w`` and torch's dampened ``momentum.a.torch``.

The accumulated direction $`a`$ keeps part of the previous steps, so a gradient that flips sign from
step to step is averaged out while a steady one builds up speed. With ``dampening=0`` torch's
``SGD(momentum=β)`` is exactly the lecture's rule (torch's "buffer = first gradient" equals starting from
$`a_0 = 0`$).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from studylog.engine.binding import Array, In, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._validation import check_like, check_non_negative, check_unit_interval
from studylog.optim.sgd import SGD


class MomentumStep(NamedTuple):
    """The result of `momentum_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    a: np.ndarray
    """$`a_{t+1}`$, the accumulated direction (torch's ``momentum_buffer``)."""


@implements(
    "momentum.a",
    "momentum.w",
    symbols={
        r"W_t": In("W", Array()),
        r"g_t": In("g", Array()),
        r"a_t": In("a", Array()),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"\beta": In("beta", Scalar(0.5, 0.95)),
        r"a_{t+1}": Out("a"),
        r"W_{t+1}": Out("W"),
    },
)
@implements(
    "momentum.a.torch",
    symbols={
        r"g_t": In("g", Array()),
        r"a_t": In("a", Array()),
        r"\beta": In("beta", Scalar(0.5, 0.95)),
        r"\tau": In("dampening", Scalar(0.1, 0.6)),
        r"a_{t+1}": Out("a"),
    },
    fixed={"W": np.zeros((3, 5)), "lr": 0.1},
)
def momentum_step(
    W: np.ndarray,
    g: np.ndarray,
    a: np.ndarray | None,
    *,
    lr: float,
    beta: float,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> MomentumStep:
    r"""One momentum step (formulas ``momentum.a``, ``momentum.w``; ``momentum.a.torch`` with dampening).

    The new direction is $`\beta`$ times the old one plus the gradient (times $`1-\tau`$ with torch's
    dampening); the parameters move against it by ``lr``.

    Args:
        W: parameters $`W_t`$.
        g: gradient $`g_t`$ at $`W_t`$.
        a: accumulated direction $`a_t`$, or ``None`` before the first step. ``None`` follows torch: the
            first direction is the gradient itself, without dampening (the same as ``a = 0`` when
            ``dampening == 0``).
        lr: learning rate $`\eta \ge 0`$.
        beta: momentum $`\beta \ge 0`$ (torch's ``momentum``).
        dampening: torch's dampening $`\tau \in [0, 1]`$ (the lecture has none: 0).
        weight_decay: coupled weight decay $`\lambda \ge 0`$.
        maximize: ascend instead of descend.

    Returns:
        `MomentumStep` with the new parameters and direction (new arrays).

    Raises:
        ValueError: a hyper-parameter is out of range or an array has the wrong shape.

    Examples:
        >>> s = momentum_step(np.array([1.0]), np.array([0.5]), np.array([2.0]), lr=0.1, beta=0.9)
        >>> s.a, s.W
        (array([2.3]), array([0.77]))
    """
    check_non_negative("lr", lr)
    check_non_negative("beta", beta)
    check_unit_interval("dampening", dampening, closed=True)
    check_non_negative("weight_decay", weight_decay)
    W = np.asarray(W)
    g = effective_gradient(W, check_like("g", g, W), weight_decay=weight_decay, maximize=maximize)
    if a is None:
        a_next = g.copy()  # torch: the first buffer is g_1
    else:
        a_next = beta * check_like("a", a, W) + (1 - dampening) * g  # a_{t+1} = beta a_t + (1 - tau) g_t
    return MomentumStep(W=W - lr * a_next, a=a_next)  # W_{t+1} = W_t - eta a_{t+1}


class Momentum(SGD):
    r"""Momentum SGD: ``torch.optim.SGD(momentum=..., nesterov=False)`` with momentum on by default.

    Args:
        params: parameters or param groups.
        lr: learning rate (torch's default ``1e-3``).
        momentum: momentum $`\beta`$ (default 0.9; 0 makes it plain SGD).
        dampening: torch's dampening $`\tau`$ (0 is the lecture's rule).
        weight_decay: coupled weight decay $`\lambda`$.
        maximize: ascend instead of descend.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> import torch
        >>> w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        >>> opt = Momentum([w], lr=0.1, momentum=0.5)
        >>> for _ in range(2):
        ...     w.grad = torch.ones(1, dtype=torch.float64)
        ...     opt.step()
        >>> round(w.item(), 6)  # -0.1 * 1, then -0.1 * (0.5 * 1 + 1)
        -0.25
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.9,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, momentum, dampening, weight_decay, nesterov=False, maximize=maximize)
