r"""Parameter norm penalty (파라미터 노름 페널티): the L2 penalty, a.k.a. weight decay (가중치 감쇠).

Adding ``\frac{\lambda}{2}\lVert W\rVert_2^2`` to the loss adds ``\lambda W`` to its gradient, which
pulls every weight towards zero in proportion to its size. This is what ``torch.optim.SGD(weight_decay=λ)`` does
(coupled weight decay).

References:
    Anders Krogh and John A. Hertz (1991), "A Simple Weight Decay Can Improve Generalization",
    Advances in Neural Information Processing Systems 4.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, In, Out, Scalar, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_positive, check_same_shape


class L2Penalized(NamedTuple):
    r"""The penalized loss and its gradient.

    Attributes:
        loss: ``\tilde L(W)``, the loss plus the penalty (a float).
        grad: ``\nabla \tilde L(W)``, the gradient plus ``\lambda W`` (same shape as ``W``).
    """

    loss: float
    grad: FloatArray


def l2_penalty(W: FloatArray, *, lam: float) -> float:  # noqa: N803
    r"""The L2 penalty value ``\frac{\lambda}{2}\lVert W\rVert_2^2`` (all entries of ``W`` together).

    Args:
        W: the weights, any shape.
        lam: the penalty strength ``\lambda >= 0``.

    Returns:
        Half of ``lam`` times the sum of squared entries of ``W``.

    Raises:
        ValueError: if ``lam < 0``.

    Examples:
        >>> l2_penalty(np.array([3.0, 4.0]), lam=0.1)
        1.25
    """
    check_positive("lam", lam, allow_zero=True)
    W = as_float_array("W", W)  # noqa: N806
    return float(0.5 * lam * np.sum(W * W))


@implements(
    "l2.loss",
    "l2.grad",
    symbols={
        r"W": In("W", Array(-1.0, 1.0, shape=(6,))),
        r"L(W)": In("loss", Scalar(0.2, 2.0)),
        r"\nabla L(W)": In("grad", Array(-1.0, 1.0, shape=(6,))),
        r"\lambda": In("lam", Scalar(0.05, 0.9)),
        r"\tilde L(W)": Out("loss"),
        r"\nabla \tilde L(W)": Out("grad"),
    },
)
def l2_penalize(W: FloatArray, loss: float, grad: FloatArray, *, lam: float) -> L2Penalized:  # noqa: N803
    r"""Add the L2 penalty to a loss and its gradient (formulas ``l2.loss`` and ``l2.grad``).

    In LaTeX, as in the log:

        \tilde L(W) = L(W) + \frac{\lambda}{2}\lVert W\rVert_2^2
        \nabla \tilde L(W) = \nabla L(W) + \lambda W

    Args:
        W: the weights, any shape.
        loss: the unpenalized loss ``L(W)``.
        grad: its gradient ``\nabla L(W)``, same shape as ``W``.
        lam: the penalty strength ``\lambda >= 0`` (torch's ``weight_decay``).

    Returns:
        The penalized loss and gradient.

    Raises:
        ValueError: if ``lam < 0`` or ``grad`` and ``W`` differ in shape.

    Examples:
        >>> r = l2_penalize(np.array([1.0, -2.0]), 0.5, np.array([0.1, 0.1]), lam=0.1)
        >>> round(r.loss, 6), r.grad.round(6).tolist()
        (0.75, [0.2, -0.1])
    """
    W = as_float_array("W", W)  # noqa: N806
    grad = as_float_array("grad", grad)
    check_same_shape("W", W, "grad", grad)
    return L2Penalized(loss=float(loss) + l2_penalty(W, lam=lam), grad=grad + lam * W)
