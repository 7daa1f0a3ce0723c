r"""Nesterov accelerated gradient (네스테로프 가속 경사): the lecture's look-ahead form and torch's form.

Lecture (formulas ``nag.a.lecture``, ``nag.w.lecture``): take the gradient at the look-ahead point
$`\Phi_t`$ (formula ``nag.phi``), where the current momentum is about to carry the parameters.
torch (``SGD(nesterov=True)``, formulas ``nag.a.torch``, ``nag.w.torch``): take the gradient at the stored
parameters and add $`\beta a_{t+1}`$ to it. The two are the same algorithm seen through the change of
variables $`\Phi_t`$: torch's parameter *is* the lecture's look-ahead point (formula ``nag.phi.next``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch

from studylog.engine.binding import Array, Derived, Fn, In, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._torch import StudylogOptimizer, grad_for_update, scalar
from studylog.optim._validation import check_choice, check_like, check_non_negative
from studylog.optim.sgd import SGD, check_sgd_group

CONVENTIONS = ("torch", "lecture")


class NAGStep(NamedTuple):
    """The result of `nag_step`."""

    W: np.ndarray
    """$`W_{t+1}`$ (for ``convention="torch"``: torch's parameter, the lecture's $`\\Phi_{t+1}`$)."""
    a: np.ndarray
    """$`a_{t+1}`$, the accumulated direction (torch's ``momentum_buffer``)."""


@implements(
    "nag.phi",
    symbols={
        r"\Phi_t": Out(None),
        r"W_t": In("W", Array()),
        r"a_t": In("a", Array()),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"\beta": In("beta", Scalar(0.5, 0.95)),
    },
)
def lookahead_point(W: np.ndarray, a: np.ndarray, *, lr: float, beta: float) -> np.ndarray:
    r"""The look-ahead point $`\Phi_t`$ (formula ``nag.phi``): where momentum alone would take $`W_t`$.

    Args:
        W: parameters $`W_t`$.
        a: accumulated direction $`a_t`$.
        lr: learning rate $`\eta`$.
        beta: momentum $`\beta`$.

    Returns:
        $`\Phi_t`$, a new array.

    Examples:
        >>> lookahead_point(np.array([1.0]), np.array([2.0]), lr=0.1, beta=0.5)
        array([0.9])
    """
    return W - lr * beta * a  # Phi_t = W_t - eta beta a_t


_NAG_SYMBOLS = {
    r"W_t": In("W", Array()),
    r"a_t": In("a", Array()),
    r"\eta": In("lr", Scalar(0.01, 0.5)),
    r"\beta": In("beta", Scalar(0.5, 0.95)),
    r"a_{t+1}": Out("a"),
    r"W_{t+1}": Out("W"),
}


@implements(
    "nag.a.lecture",
    "nag.w.lecture",
    symbols={**_NAG_SYMBOLS, r"\nabla L": In("grad_fn", Fn())},
    fixed={"convention": "lecture"},
)
@implements("nag.a.torch", "nag.w.torch", symbols={**_NAG_SYMBOLS, r"g_t": In("g", Array())})
@implements(
    "nag.phi.next",
    symbols={
        r"\Phi_t": In("W", Array()),
        r"a_t": In("a", Array()),
        r"\nabla L": In("grad_fn", Fn()),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"\beta": In("beta", Scalar(0.5, 0.95)),
        r"a_{t+1}": Derived(r"\beta a_t + \nabla L(\Phi_t)"),
        r"\Phi_{t+1}": Out("W"),
    },
)
def nag_step(
    W: np.ndarray,
    a: np.ndarray | None,
    g: np.ndarray | None = None,
    *,
    lr: float,
    beta: float,
    grad_fn: Callable[[np.ndarray], np.ndarray] | None = None,
    weight_decay: float = 0.0,
    maximize: bool = False,
    convention: str = "torch",
) -> NAGStep:
    r"""One Nesterov step, in torch's form (default) or the lecture's look-ahead form.

    ``convention="torch"`` (formulas ``nag.a.torch``, ``nag.w.torch``): the gradient $`g_t`$ is taken at
    $`W_t`$ (pass ``g``, or ``grad_fn`` to have it evaluated there) and the step is
    $`\eta (g_t + \beta a_{t+1})`$. ``convention="lecture"`` (formulas ``nag.a.lecture``,
    ``nag.w.lecture``): ``grad_fn`` is evaluated at the look-ahead point $`\Phi_t`$
    (`lookahead_point`) and the step is $`\eta a_{t+1}`$.

    Args:
        W: parameters $`W_t`$ (torch: torch's parameter; lecture: the lecture's $`W_t`$).
        a: accumulated direction $`a_t`$, or ``None`` before the first step (the same as zeros).
        g: gradient at ``W`` (torch convention only).
        lr: learning rate $`\eta \ge 0`$.
        beta: momentum $`\beta > 0`$ (torch's ``momentum``).
        grad_fn: the gradient $`\nabla L`$ as a function of the parameters.
        weight_decay: coupled weight decay $`\lambda \ge 0`$, added at the point the gradient is taken.
        maximize: ascend instead of descend.
        convention: ``"torch"`` or ``"lecture"``.

    Returns:
        `NAGStep` with the new parameters and direction (new arrays).

    Raises:
        ValueError: a hyper-parameter is out of range, ``beta`` is 0, or the gradient is missing/ambiguous
            (torch: exactly one of ``g``/``grad_fn``; lecture: ``grad_fn`` and no ``g``).

    Examples:
        >>> grad = lambda w: 2.0 * w  # L(w) = w^2
        >>> W, a = np.array([1.0]), np.array([1.0])
        >>> nag_step(W, a, lr=0.1, beta=0.5, grad_fn=grad, convention="lecture")  # gradient at 0.95
        NAGStep(W=array([0.76]), a=array([2.4]))
        >>> Phi = lookahead_point(W, a, lr=0.1, beta=0.5)
        >>> nag_step(Phi, a, lr=0.1, beta=0.5, grad_fn=grad).W  # torch's form, started at Phi: Phi_{t+1}
        array([0.64])
    """
    check_choice("convention", convention, CONVENTIONS)
    check_non_negative("lr", lr)
    if not check_non_negative("beta", beta) > 0:
        raise ValueError(f"beta={beta!r} must be > 0 for Nesterov momentum")
    check_non_negative("weight_decay", weight_decay)
    W = np.asarray(W)
    a = np.zeros_like(W) if a is None else check_like("a", a, W)
    if convention == "lecture":
        if grad_fn is None or g is not None:
            raise ValueError("convention='lecture' takes grad_fn (evaluated at the look-ahead point), not g")
        at = lookahead_point(W, a, lr=lr, beta=beta)  # Phi_t = W_t - eta beta a_t
    else:
        if (g is None) == (grad_fn is None):
            raise ValueError("convention='torch' takes exactly one of g (the gradient at W) and grad_fn")
        at = W
    raw = check_like("g", grad_fn(at) if grad_fn is not None else g, W)
    g_at = effective_gradient(at, raw, weight_decay=weight_decay, maximize=maximize)
    a_next = beta * a + g_at  # a_{t+1} = beta a_t + grad L(.)
    if convention == "lecture":
        return NAGStep(W=W - lr * a_next, a=a_next)  # W_{t+1} = W_t - eta a_{t+1}
    return NAGStep(W=W - lr * (g_at + beta * a_next), a=a_next)  # torch: W_t - eta (g_t + beta a_{t+1})


class NAG(SGD):
    r"""Nesterov accelerated gradient: ``torch.optim.SGD(nesterov=True)``, or the lecture's look-ahead form.

    ``convention="torch"`` (default) reproduces torch exactly: the parameter is torch's $`\theta`$, which is
    the lecture's look-ahead point $`\Phi_t`$. ``convention="lecture"`` keeps the lecture's $`W_t`$ in
    the parameter and evaluates the gradient at $`\Phi_t`$: `step` then needs a ``closure``; it moves
    the parameters to $`\Phi_t`$, calls the closure there (which must zero the gradients, compute the loss
    and call ``backward``), moves them back and applies $`a_{t+1}`$.

    Args:
        params: parameters or param groups.
        lr: learning rate (torch's default ``1e-3``).
        momentum: momentum $`\beta > 0`$ (default 0.9).
        dampening: must be 0 (torch's rule for Nesterov momentum).
        weight_decay: coupled weight decay $`\lambda`$.
        maximize: ascend instead of descend.
        convention: ``"torch"`` or ``"lecture"``.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it), or ``convention="lecture"`` without a
            closure at `step`.

    Examples:
        >>> w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        >>> opt = NAG([w], lr=0.1, momentum=0.5, convention="lecture")
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = (w**2).sum()
        ...     loss.backward()
        ...     return loss
        >>> for _ in range(2):  # a = 2, W = 0.8; then Phi = 0.7, a = 0.5 * 2 + 1.4, W = 0.8 - 0.24
        ...     _ = opt.step(closure)
        >>> round(w.item(), 6), round(opt.state[w]["momentum_buffer"].item(), 6)
        (0.56, 2.4)
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
        convention: str = "torch",
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": True,
            "maximize": maximize,
            "convention": convention,
        }
        StudylogOptimizer.__init__(self, params, defaults)

    @staticmethod
    def _check(group: Mapping[str, Any]) -> None:
        check_sgd_group(group)
        check_choice("convention", group["convention"], CONVENTIONS)

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one Nesterov step (see the class docstring for the closure the lecture form needs).

        Args:
            closure: re-evaluates the model and returns the loss (required by ``convention="lecture"``).

        Returns:
            The closure's loss, or ``None``.

        Raises:
            ValueError: a group uses ``convention="lecture"`` and no closure was given.
        """
        lecture = [g for g in self.param_groups if g["convention"] == "lecture"]
        if not lecture:
            return super().step(closure)
        if closure is None:
            raise ValueError(
                "NAG(convention='lecture') needs step(closure): the gradient is taken at the look-ahead point"
            )
        saved: dict[torch.Tensor, torch.Tensor] = {}
        for group in lecture:
            shift = scalar(group["lr"]) * scalar(group["momentum"])
            for p in group["params"]:
                buf = self.state.get(p, {}).get("momentum_buffer")
                if buf is not None:
                    saved[p] = p.clone()
                    p.add_(buf, alpha=-shift)  # p = Phi_t = W_t - eta beta a_t
        with torch.enable_grad():
            loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if p.grad.is_sparse:
                        raise RuntimeError("NAG does not support sparse gradients")
                    self._nesterov_update(p, p.grad, group, saved.get(p))
                elif p in saved:
                    p.copy_(saved[p])
        return loss

    def _nesterov_update(
        self, p: torch.Tensor, grad: torch.Tensor, group: Mapping[str, Any], saved: torch.Tensor | None
    ) -> None:
        state = self.state[p]
        if group["convention"] == "torch":
            self._update(p, grad, state, group)
            return
        grad = grad_for_update(p, grad, group)  # at Phi_t: weight decay uses the look-ahead point
        if saved is not None:
            p.copy_(saved)  # back to W_t
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = torch.clone(grad).detach()
            state["momentum_buffer"] = buf
        else:
            buf.mul_(scalar(group["momentum"])).add_(grad)  # a_{t+1} = beta a_t + grad L(Phi_t)
        p.add_(buf, alpha=-scalar(group["lr"]))  # W_{t+1} = W_t - eta a_{t+1}
