r"""The maths the adaptive optimizers share: moving averages, bias corrections, Adam's denominator.

Each idea is written once per backend: a pure numpy function (new arrays, for the step functions) and an
in-place torch function with a trailing underscore (for the ``torch.optim.Optimizer`` subclasses). The two
keep their own order of operations on purpose: the numpy form is the lecture's algebra, and the torch form
repeats ``torch.optim``'s exact kernel calls (``lerp_``, ``addcmul_``), which is what makes the subclasses'
trajectories bitwise equal to torch's.

Used by Adam, RAdam and AdamP (both moments, the bias corrections, torch's denominator), RMSprop (the
average of squared gradients and, when centered, of gradients) and Adadelta (both of its averages).
"""

from __future__ import annotations

import numpy as np
import torch

from studylog.optim._torch import new_step_counter


def ema(prev: np.ndarray, x: np.ndarray, decay: float) -> np.ndarray:
    r"""Exponential moving average $`\beta a + (1 - \beta) x`$ (a new array).

    Examples:
        >>> ema(np.array([1.0]), np.array([3.0]), 0.75)
        array([1.5])
    """
    return decay * prev + (1 - decay) * x


def ema_of_squares(prev: np.ndarray, x: np.ndarray, decay: float) -> np.ndarray:
    r"""Moving average of squares $`\beta a + (1 - \beta) x^2`$ (a new array; torch's ``addcmul`` order).

    Examples:
        >>> ema_of_squares(np.array([1.0]), np.array([3.0]), 0.75)
        array([3.])
    """
    return decay * prev + (1 - decay) * x * x


def ema_(avg: torch.Tensor, x: torch.Tensor, decay: float) -> torch.Tensor:
    r"""In place: ``avg`` becomes $`\beta\,\mathrm{avg} + (1 - \beta) x`$, as torch computes it (``lerp_``)."""
    return avg.lerp_(x, 1 - decay)


def ema_of_squares_(avg: torch.Tensor, x: torch.Tensor, decay: float) -> torch.Tensor:
    r"""In place: ``avg`` becomes $`\beta\,\mathrm{avg} + (1 - \beta) x^2`$ (``mul_`` then ``addcmul_``, as torch)."""
    return avg.mul_(decay).addcmul_(x, x, value=1 - decay)


def bias_correction(beta: float, t: float) -> float:
    r"""$`1 - \beta^t`$: how much of a zero-started moving average is real data after ``t`` steps.

    Examples:
        >>> bias_correction(0.5, 3)
        0.875
    """
    return 1 - beta**t


def adam_moments(
    m: np.ndarray, v: np.ndarray, g: np.ndarray, *, beta1: float, beta2: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""Adam's two moments $`m_t`$ and $`v_t`$ (formulas ``adam.m``, ``adam.v``), as new arrays.

    Examples:
        >>> adam_moments(np.zeros(1), np.zeros(1), np.array([2.0]), beta1=0.5, beta2=0.75)
        (array([1.]), array([1.]))
    """
    return ema(m, g, beta1), ema_of_squares(v, g, beta2)


def adam_moments_(state: dict, grad: torch.Tensor, *, beta1: float, beta2: float) -> None:
    """In place: torch's ``exp_avg`` and ``exp_avg_sq`` of ``state`` take the gradient ``grad``."""
    ema_(state["exp_avg"], grad, beta1)
    ema_of_squares_(state["exp_avg_sq"], grad, beta2)


def init_moments(p: torch.Tensor, state: dict) -> None:
    """Create torch's ``step`` (a 0-d counter), ``exp_avg`` and ``exp_avg_sq`` state for the parameter ``p``."""
    state["step"] = new_step_counter()
    state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
    state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)


def adam_denominator(v: np.ndarray, t: float, *, beta2: float, eps: float) -> np.ndarray:
    r"""torch's (and Kingma & Ba's) denominator $`\sqrt{\hat v_t} + \epsilon = \sqrt{v_t} / \sqrt{1 - \beta_2^t} + \epsilon`$.

    Examples:
        >>> adam_denominator(np.array([0.25]), 1, beta2=0.75, eps=0.0)
        array([1.])
    """
    return np.sqrt(v) / bias_correction(beta2, t) ** 0.5 + eps


def adam_denominator_(v: torch.Tensor, t: float, *, beta2: float, eps: float) -> torch.Tensor:
    r"""A new tensor $`\sqrt{v_t} / \sqrt{1 - \beta_2^t} + \epsilon`$, with torch Adam's operations."""
    return (v.sqrt() / bias_correction(beta2, t) ** 0.5).add_(eps)


def decoupled_decay(W: np.ndarray, *, lr: float, weight_decay: float) -> np.ndarray:
    r"""Decoupled weight decay (AdamW): $`W_t (1 - \eta\lambda)`$, a new array.

    Examples:
        >>> decoupled_decay(np.array([2.0]), lr=0.5, weight_decay=0.5)
        array([1.5])
    """
    return W * (1 - lr * weight_decay)


def decoupled_decay_(p: torch.Tensor, *, lr: float, weight_decay: float) -> None:
    r"""In place: $`p \leftarrow p (1 - \eta\lambda)`$, torch AdamW's decay."""
    p.mul_(1 - lr * weight_decay)
