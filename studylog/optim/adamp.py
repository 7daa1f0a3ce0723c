r"""AdamP: Adam whose step loses its radial part for scale-invariant weights (formulas ``adamp.*``).

For a weight followed by a normalisation layer (BatchNorm, LayerNorm) the loss does not change when the
weight is scaled, so its gradient is orthogonal to the weight. The component of Adam's step along the weight
then only makes $`\lVert W \rVert`$ grow, which shrinks the effective step size. AdamP detects such
weights (gradient and weight almost orthogonal, per output channel or for the whole layer) and removes that
radial component; weight decay is then scaled by ``wd_ratio``. Heo et al., ICLR 2021; reference code
``clovaai/AdamP`` (the ``adamp`` package), whose hyper-parameter names and defaults are used here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from studylog.engine.binding import Array, In, Index, Int, Out, Scalar, implements
from studylog.optim._common import effective_gradient
from studylog.optim._moments import (
    adam_denominator,
    adam_denominator_,
    adam_moments,
    adam_moments_,
    bias_correction,
    decoupled_decay_,
    ema,
    init_moments,
)
from studylog.optim._torch import StudylogOptimizer, scalar
from studylog.optim._validation import check_like, check_non_negative, check_unit_interval
from studylog.optim.adam import check_adam_args, check_adam_group

#: the views tried, in order: one row per output channel, then one row for the whole tensor
VIEWS = ("channel", "layer")


def _rows(x: np.ndarray, view: str) -> np.ndarray:
    return x.reshape(x.shape[0] if view == "channel" else 1, -1)


def cosine_similarity(x: np.ndarray, y: np.ndarray, eps: float) -> np.ndarray:
    r"""Row-wise cosine similarity as torch 2.13 computes it: each norm is clamped below by ``eps``.

    Args:
        x: 2-D array (rows are vectors).
        y: 2-D array of the same shape.
        eps: lower bound of each row norm.

    Returns:
        One cosine per row.

    Examples:
        >>> cosine_similarity(np.array([[3.0, 4.0], [0.0, 0.0]]), np.array([[4.0, 3.0], [1.0, 0.0]]), 1e-8)
        array([0.96, 0.  ])
    """
    nx = np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)
    ny = np.maximum(np.linalg.norm(y, axis=1, keepdims=True), eps)
    return np.sum((x / nx) * (y / ny), axis=1)


def projection_view(W: np.ndarray, g: np.ndarray, *, delta: float, eps: float) -> str:
    r"""Which view (if any) detects ``W`` as scale-invariant: ``"channel"``, ``"layer"`` or ``"none"``.

    A view with rows of length $`d`$ fires when $`\max_i |\cos(g_i, w_i)| < \delta / \sqrt{d}`$ (a
    random direction has $`|\cos| \sim 1/\sqrt{d}`$). 0-d and 1-d tensors are never projected.

    Args:
        W: parameters.
        g: gradient (same shape).
        delta: the threshold $`\delta`$.
        eps: the cosine's norm clamp.

    Returns:
        The first view that fires, or ``"none"``.

    Examples:
        >>> W = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> projection_view(W, np.array([[0.0, 1.0], [1.0, 0.0]]), delta=0.1, eps=1e-8)
        'channel'
        >>> projection_view(W, W, delta=0.1, eps=1e-8)
        'none'
    """
    if W.ndim < 2:
        return "none"
    for view in VIEWS:
        w_rows = _rows(W, view)
        cos = np.abs(cosine_similarity(_rows(g, view), w_rows, eps))
        if cos.max() < delta / math.sqrt(w_rows.shape[1]):
            return view
    return "none"


class Projection(NamedTuple):
    """The result of `project_radial`."""

    p: np.ndarray
    r"""$`\tilde p_t`$, the step without its radial component."""
    w_hat: np.ndarray
    r"""$`\hat w`$, the unit direction of the weight (row-wise)."""


@implements(
    "adamp.what",
    "adamp.proj",
    symbols={
        r"w": In("W", Array(shape=(7,))),
        r"p_t": In("p", Array(shape=(7,))),
        r"\epsilon": In("eps", Scalar(0.05, 0.5)),
        r"\hat{w}": Out("w_hat"),
        r"\hat{w}_i": Out("w_hat"),  # the same output as \hat{w}, entry by entry
        r"p_{t,i}": In("p", Array(shape=(7,))),  # the same input as p_t, entry by entry
        r"i": Index(),
        r"\tilde{p}_t": Out("p"),
    },
    fixed={"view": "layer"},
)
def project_radial(p: np.ndarray, W: np.ndarray, *, eps: float, view: str) -> Projection:
    r"""Remove the component of the step ``p`` along the weight, row-wise (formulas ``adamp.what``, ``adamp.proj``).

    Args:
        p: the Adam direction $`p_t`$ (shape of ``W``).
        W: the weight; rows per ``view``.
        eps: added to each row norm.
        view: ``"channel"`` (one row per output channel) or ``"layer"`` (one row).

    Returns:
        `Projection` with the projected step and the unit weight rows (both in the shape of ``W``).

    Examples:
        >>> project_radial(np.array([1.0, 1.0]), np.array([2.0, 0.0]), eps=0.0, view="layer").p
        array([0., 1.])
    """
    expand = (-1,) + (1,) * (W.ndim - 1)
    w_hat = W / (np.linalg.norm(_rows(W, view), axis=1).reshape(expand) + eps)  # w / (||w|| + eps)
    radial = np.sum(_rows(w_hat * p, view), axis=1).reshape(expand)  # <w_hat, p> per row
    return Projection(p=p - w_hat * radial, w_hat=w_hat)


@implements(
    "adamp.p",
    symbols={
        r"m_t": In("m", Array()),
        r"v_t": In("v", Array(0.1, 2.0)),
        r"\beta_2": In("beta2", Scalar(0.6, 0.99)),
        r"\epsilon": In("eps", Scalar(0.05, 0.5)),
        r"t": In("t", Int(2, 12)),
        r"p_t": Out(None),
    },
)
def adam_direction(m: np.ndarray, v: np.ndarray, t: int, *, beta2: float, eps: float) -> np.ndarray:
    r"""Adam's direction before the step size (formula ``adamp.p``), with torch's $`\epsilon`$ placement.

    Args:
        m: first moment $`m_t`$ (for ``nesterov``: $`\beta_1 m_t + (1-\beta_1) g_t`$).
        v: second moment $`v_t`$.
        t: the number of this step, from 1.
        beta2: $`\beta_2`$.
        eps: $`\epsilon`$.

    Returns:
        $`p_t`$, a new array.

    Examples:
        >>> adam_direction(np.array([1.0]), np.array([1.0]), 1, beta2=0.75, eps=0.0)  # 1 / (1 / sqrt(0.25))
        array([0.5])
    """
    return m / adam_denominator(v, t, beta2=beta2, eps=eps)  # m_t / (sqrt(v_t) / sqrt(1 - beta2^t) + eps)


@implements(
    "adamp.w",
    symbols={
        r"W_t": In("W", Array()),
        r"\tilde{p}_t": In("p", Array()),
        r"\eta": In("lr", Scalar(0.01, 0.5)),
        r"\lambda": In("weight_decay", Scalar(0.01, 0.5)),
        r"r": In("ratio", Scalar(0.05, 1.0)),
        r"\beta_1": In("beta1", Scalar(0.5, 0.95)),
        r"t": In("t", Int(2, 12)),
        r"W_{t+1}": Out(None),
    },
)
def adamp_update(
    W: np.ndarray, p: np.ndarray, t: int, *, lr: float, beta1: float, weight_decay: float, ratio: float
) -> np.ndarray:
    r"""AdamP's decoupled decay and step (formula ``adamp.w``): shrink by $`1 - \eta\lambda r`$, then step.

    Args:
        W: parameters $`W_t`$.
        p: the (projected) direction $`\tilde p_t`$.
        t: the number of this step, from 1.
        lr: learning rate $`\eta`$.
        beta1: $`\beta_1`$ (bias correction of the step size).
        weight_decay: $`\lambda`$.
        ratio: $`r`$: ``wd_ratio`` after a projection, else 1.

    Returns:
        $`W_{t+1}`$, a new array.

    Examples:
        >>> adamp_update(np.ones(1), np.ones(1), 1, lr=0.1, beta1=0.5, weight_decay=1.0, ratio=0.5)  # 0.95 - 0.2
        array([0.75])
    """
    if weight_decay > 0:
        W = W * (1 - lr * weight_decay * ratio)  # W_t (1 - eta lambda r)
    return W - lr / bias_correction(beta1, t) * p  # ... - eta / (1 - beta1^t) p_t


class AdamPStep(NamedTuple):
    """The result of `adamp_step`."""

    W: np.ndarray
    """$`W_{t+1}`$, the updated parameters."""
    m: np.ndarray
    """$`m_t`$, first moment (``exp_avg``)."""
    v: np.ndarray
    """$`v_t`$, second moment (``exp_avg_sq``)."""
    view: str
    """The projection that fired: ``"channel"``, ``"layer"`` or ``"none"``."""


def adamp_step(
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
    delta: float = 0.1,
    wd_ratio: float = 0.1,
    nesterov: bool = False,
    maximize: bool = False,
) -> AdamPStep:
    r"""One AdamP step: Adam's moments, the scale-invariance test, the projection and the decayed update.

    Args:
        W: parameters $`W_t`$ (projection only for 2-d or higher; rows are output channels).
        g: gradient $`g_t`$.
        m: first moment $`m_{t-1}`$ (zeros before the first step).
        v: second moment $`v_{t-1}`$ (zeros before the first step).
        t: the number of this step, from 1.
        lr: learning rate $`\eta \ge 0`$.
        beta1: $`\beta_1 \in [0, 1)`$.
        beta2: $`\beta_2 \in [0, 1)`$.
        eps: $`\epsilon \ge 0`$ (denominator, cosine clamp and norm offset, as in ``adamp``).
        weight_decay: decoupled decay $`\lambda \ge 0`$.
        delta: the detection threshold $`\delta \ge 0`$.
        wd_ratio: decay multiplier after a projection, in ``[0, 1]``.
        nesterov: Nesterov-style direction.
        maximize: ascend instead of descend (not in ``adamp``; sign flip of the gradient).

    Returns:
        `AdamPStep` with the new parameters, moments and the view that fired.

    Raises:
        ValueError: a hyper-parameter is out of range, ``t < 1`` or an array has the wrong shape.

    Examples:
        >>> W = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> g = np.array([[0.0, 1.0], [1.0, 0.0]])  # orthogonal to every row of W
        >>> s = adamp_step(W, g, np.zeros_like(W), np.zeros_like(W), 1, lr=0.1)
        >>> s.view, np.round(s.W, 6)  # the step is orthogonal to each row: no radial part
        ('channel', array([[ 1. , -0.1],
               [-0.1,  1. ]]))
    """
    t = check_adam_args(t, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)
    check_non_negative("delta", delta)
    check_unit_interval("wd_ratio", wd_ratio, closed=True)
    W = np.asarray(W)
    g = effective_gradient(W, check_like("g", g, W), weight_decay=0.0, maximize=maximize)
    m_t, v_t = adam_moments(check_like("m", m, W), check_like("v", v, W), g, beta1=beta1, beta2=beta2)
    numerator = ema(m_t, g, beta1) if nesterov else m_t  # nesterov: beta1 m_t + (1 - beta1) g_t
    p = adam_direction(numerator, v_t, t, beta2=beta2, eps=eps)  # p_t
    view = projection_view(W, g, delta=delta, eps=eps)
    ratio = 1.0
    if view != "none":
        p = project_radial(p, W, eps=eps, view=view).p  # p_t minus its radial part
        ratio = wd_ratio
    W_next = adamp_update(W, p, t, lr=lr, beta1=beta1, weight_decay=weight_decay, ratio=ratio)
    return AdamPStep(W=W_next, m=m_t, v=v_t, view=view)


def _check(group: Mapping[str, Any]) -> None:
    check_adam_group(group)
    check_non_negative("delta", group["delta"])
    check_unit_interval("wd_ratio", group["wd_ratio"], closed=True)


def _torch_view(p: torch.Tensor, grad: torch.Tensor, delta: float, eps: float) -> str:
    for view in VIEWS:
        rows = p.size(0) if view == "channel" else 1
        w_rows, g_rows = p.reshape(rows, -1), grad.reshape(rows, -1)
        cos = F.cosine_similarity(g_rows, w_rows, dim=1, eps=eps).abs_()
        if cos.max() < delta / math.sqrt(w_rows.size(1)):
            return view
    return "none"


class AdamP(StudylogOptimizer):
    r"""AdamP with the ``adamp`` package's hyper-parameters; equal to ``torch.optim.AdamW`` when no
    projection fires.

    The view that fired at a parameter's last step is kept in ``state[p]["view"]`` (``"channel"``,
    ``"layer"`` or ``"none"``).

    Args:
        params: parameters or param groups.
        lr: learning rate (default ``1e-3``).
        betas: $`(\beta_1, \beta_2)`$ (default ``(0.9, 0.999)``).
        eps: $`\epsilon`$ (default ``1e-8``).
        weight_decay: decoupled decay $`\lambda`$ (default 0).
        delta: detection threshold $`\delta`$ (default 0.1).
        wd_ratio: decay multiplier after a projection (default 0.1).
        nesterov: Nesterov-style direction (default ``False``).
        maximize: ascend instead of descend.

    Raises:
        ValueError: an invalid hyper-parameter (the message names it).

    Examples:
        >>> w = torch.eye(2, dtype=torch.float64, requires_grad=True)
        >>> opt = AdamP([w], lr=0.1)
        >>> w.grad = torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
        >>> opt.step()
        >>> opt.state[w]["view"], w.detach().numpy().round(6)
        ('channel', array([[ 1. , -0.1],
               [-0.1,  1. ]]))
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        delta: float = 0.1,
        wd_ratio: float = 0.1,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "delta": delta,
            "wd_ratio": wd_ratio,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    _check = staticmethod(_check)

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        init_moments(p, state)

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        state["step"] += 1
        step = state["step"].item()
        lr, eps = scalar(group["lr"]), scalar(group["eps"])
        beta1, beta2 = (scalar(b) for b in group["betas"])
        weight_decay = scalar(group["weight_decay"])
        if group["maximize"]:
            grad = -grad  # (the decay is decoupled: it never enters the gradient)
        adam_moments_(state, grad, beta1=beta1, beta2=beta2)  # m_t, v_t
        exp_avg = state["exp_avg"]
        bias1 = bias_correction(beta1, step)
        denom = adam_denominator_(state["exp_avg_sq"], step, beta2=beta2, eps=eps)
        direction = exp_avg.mul(beta1).add_(grad, alpha=1 - beta1) if group["nesterov"] else exp_avg
        view = _torch_view(p, grad, scalar(group["delta"]), eps) if p.dim() > 1 else "none"
        state["view"] = view
        if view == "none":  # AdamW's exact operations
            if weight_decay != 0:
                decoupled_decay_(p, lr=lr, weight_decay=weight_decay)
            p.addcdiv_(direction, denom, value=-lr / bias1)
            return
        perturb = direction / denom
        rows = p.size(0) if view == "channel" else 1
        expand = [-1] + [1] * (p.dim() - 1)
        w_hat = p / p.reshape(rows, -1).norm(dim=1).view(expand).add_(eps)
        perturb -= w_hat * (w_hat * perturb).reshape(rows, -1).sum(dim=1).view(expand)
        if weight_decay != 0:
            p.mul_(1 - lr * weight_decay * scalar(group["wd_ratio"]))
        p.add_(perturb, alpha=-lr / bias1)
