r"""Label smoothing (레이블 스무딩): train against softened one-hot targets.

Instead of asking for probability 1 on the true class, the target keeps ``1 - alpha`` of its mass and spreads
``alpha`` uniformly over all ``K`` classes (formula ``ls.target``). The loss is the cross-entropy against that soft
target (formula ``ls.ce``); ``torch.nn.CrossEntropyLoss(label_smoothing=alpha)`` computes the same thing.

References:
    Christian Szegedy, Vincent Vanhoucke, Sergey Ioffe, Jonathon Shlens and Zbigniew Wojna (2016), "Rethinking the
    Inception Architecture for Computer Vision", CVPR 2016, section 7. https://arxiv.org/abs/1512.00567
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from studylog.engine.binding import Array, Const, Fixed, In, Index, Out, Scalar, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_probability, check_same_shape


@implements(
    "ls.target",
    symbols={
        r"y": In("y", Array(0.0, 1.0, shape=(3, 5))),
        r"\alpha": In("alpha", Scalar(0.05, 0.5)),
        r"K": In(None, Fixed(5)),
        r"y^{LS}": Out(),
    },
    shape=(3, 5),
)
def smooth_labels(y: FloatArray, *, alpha: float) -> FloatArray:
    r"""Smooth targets over their last axis of ``K`` classes (formula ``ls.target``).

    In LaTeX, as in the log:

        y^{LS} = y(1-\alpha) + \frac{\alpha}{K}

    Args:
        y: targets (one-hot or already soft), shape ``(..., K)``; ``K`` is the size of the last axis.
        alpha: the smoothing weight, in ``[0, 1]``.

    Returns:
        The smoothed targets, same shape as ``y``; each row still sums to what it summed to before if that was 1.

    Raises:
        ValueError: if ``alpha`` is outside ``[0, 1]`` or ``y`` has no class axis.

    Examples:
        >>> smooth_labels(np.array([0.0, 1.0, 0.0, 0.0]), alpha=0.2).round(6).tolist()
        [0.05, 0.85, 0.05, 0.05]
    """
    check_probability("alpha", alpha, include_one=True)
    y = as_float_array("y", y)
    if y.ndim == 0 or y.shape[-1] < 1:
        raise ValueError(f"y must have a class axis (shape (..., K)), got shape {y.shape}")
    return y * (1.0 - alpha) + alpha / y.shape[-1]


def one_hot(labels: NDArray[np.integer], *, num_classes: int) -> FloatArray:
    """Encode integer class labels as one-hot float64 rows.

    Args:
        labels: class indices, shape ``(N,)``, each in ``[0, num_classes)``.
        num_classes: the number of classes ``K``.

    Returns:
        Shape ``(N, K)``.

    Raises:
        ValueError: if a label is out of range.

    Examples:
        >>> one_hot(np.array([1, 0]), num_classes=3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes}), got values from {labels.min()} to {labels.max()}")
    return np.eye(num_classes)[labels]


@implements(
    "ls.ce",
    symbols={
        r"z_k": In("z", Array(-3.0, 3.0, shape=(5,))),
        r"k": Index(),
        r"j": Index(),
        r"y^{LS}_k": In("target", Array(0.0, 1.0, shape=(5,))),
        r"e": Const(math.e),
        r"\ell": Out(),
    },
    shape=(5,),
)
def soft_cross_entropy(z: FloatArray, target: FloatArray) -> FloatArray:
    r"""Cross-entropy of logits ``z`` against soft targets, over the last axis (formula ``ls.ce``).

    In LaTeX, as in the log:

        \ell = -\sum_{k} y^{LS}_k \left(z_k - \log\left(\sum_{j} e^{z_j}\right)\right)

    The log-sum-exp is computed stably (shifted by the row maximum).

    Args:
        z: logits, shape ``(..., K)``.
        target: target distribution per row, same shape as ``z``.

    Returns:
        The loss per row, shape ``z.shape[:-1]`` (a 0-d array for one row).

    Raises:
        ValueError: if ``target`` and ``z`` differ in shape.

    Examples:
        >>> round(float(soft_cross_entropy(np.zeros(4), np.array([1.0, 0, 0, 0]))), 6)
        1.386294
    """
    z = as_float_array("z", z)
    target = as_float_array("target", target)
    check_same_shape("z", z, "target", target)
    shift = np.max(z, axis=-1, keepdims=True)
    log_sum_exp = shift + np.log(np.sum(np.exp(z - shift), axis=-1, keepdims=True))
    return -np.sum(target * (z - log_sum_exp), axis=-1)


def label_smoothing_cross_entropy(logits: FloatArray, labels: NDArray[np.integer], *, alpha: float) -> float:
    """Mean cross-entropy of a batch against label-smoothed one-hot targets (torch's ``CrossEntropyLoss``).

    Args:
        logits: shape ``(N, K)``.
        labels: integer classes, shape ``(N,)``.
        alpha: the smoothing weight, in ``[0, 1]``.

    Returns:
        The mean over the batch of ``soft_cross_entropy`` against ``smooth_labels(one_hot(labels))``.

    Raises:
        ValueError: if shapes disagree, a label is out of range, or ``alpha`` is outside ``[0, 1]``.

    Examples:
        >>> round(label_smoothing_cross_entropy(np.zeros((2, 3)), np.array([0, 2]), alpha=0.1), 6)
        1.098612
    """
    logits = as_float_array("logits", logits)
    labels = np.asarray(labels)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (N, K), got {logits.shape}")
    if labels.shape != logits.shape[:1]:
        raise ValueError(f"labels must have shape ({logits.shape[0]},) to match logits, got {labels.shape}")
    target = smooth_labels(one_hot(labels, num_classes=logits.shape[1]), alpha=alpha)
    return float(np.mean(soft_cross_entropy(logits, target)))
