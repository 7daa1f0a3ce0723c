r"""From scores to a class, a loss and an accuracy: argmax, cross-entropy with an indicator, accuracy.

Classes are numbered from 0 (as in PyTorch): the formulas' class index $`k`$ runs over $`0, …, K-1`$.
"""

from __future__ import annotations

import numpy as np

from studylog.cnn._checks import FloatArray, as_float_array
from studylog.engine.binding import Array, Choice, Dim, Fixed, In, Index, Out, implements

_CLASSES = (0.0, 1.0, 2.0, 3.0, 4.0)


@implements(
    "pred.argmax",
    symbols={r"\hat{y}_i": Out(), r"z_{ik}": In("logits", Array(-3.0, 3.0, shape=("N", 5))), r"i": Index(),
             r"k": Index(start=0)},  # fmt: skip
    dims={"N": (3, 8)},
)
def predict(logits: FloatArray) -> FloatArray:
    r"""The predicted class of each row: the index of its largest score (the first one on ties).

    In LaTeX, as in the log (formula ``pred.argmax``):

        \hat{y}_i = \operatorname*{arg\,max}_{k} z_{ik}

    Args:
        logits: scores, shape ``(N, K)``.

    Returns:
        Class indices ``0..K-1`` as floats, shape ``(N,)``.

    Raises:
        ValueError: if ``logits`` is not 2-d.

    Examples:
        >>> predict(np.array([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0]])).tolist()
        [1.0, 0.0]
    """
    logits = as_float_array("logits", logits, ndim=2)
    return np.argmax(logits, axis=1).astype(np.float64)


@implements(
    "loss.ce",
    symbols={
        r"\ell_i": Out(),
        r"p_{ik}": In("probs", Array(0.05, 1.0, shape=("N", 5))),
        r"y_i": In("labels", Choice(_CLASSES, shape=("N",))),
        r"K": In(None, Fixed(5)),
        r"i": Index(),
        r"k": Index(start=0),
    },
    dims={"N": (3, 8)},
)
def cross_entropy(probs: FloatArray, labels: FloatArray) -> FloatArray:
    r"""The negative log-probability each row gives to its true class.

    In LaTeX, as in the log (formula ``loss.ce``):

        \ell_i = -\sum_{k=0}^{K-1} \mathbb{1}[y_i = k] \log p_{ik}

    Args:
        probs: predicted probabilities, shape ``(N, K)`` (rows need not be normalized here).
        labels: true classes ``0..K-1``, shape ``(N,)``.

    Returns:
        The losses, shape ``(N,)``.

    Raises:
        ValueError: if the shapes do not fit or a label is not a class index.

    Examples:
        >>> cross_entropy(np.array([[0.25, 0.75]]), np.array([1])).round(6).tolist()
        [0.287682]
    """
    probs = as_float_array("probs", probs, ndim=2)
    labels = as_float_array("labels", labels, ndim=1)
    if labels.shape[0] != probs.shape[0]:
        raise ValueError(f"{labels.shape[0]} labels for {probs.shape[0]} rows of probabilities")
    if not np.all((labels == np.round(labels)) & (labels >= 0) & (labels < probs.shape[1])):
        raise ValueError(f"labels must be class indices 0..{probs.shape[1] - 1}")
    return -np.log(probs[np.arange(probs.shape[0]), labels.astype(int)])


@implements(
    "acc.def",
    symbols={
        r"\mathrm{acc}": Out(),
        r"\hat{y}_i": In("predicted", Choice(_CLASSES, shape=("N",))),
        r"y_i": In("labels", Choice(_CLASSES, shape=("N",))),
        r"N": In(None, Dim("N")),
        r"i": Index(),
    },
    dims={"N": (4, 12)},
)
def accuracy(predicted: FloatArray, labels: FloatArray) -> float:
    r"""The share of predictions equal to their label.

    In LaTeX, as in the log (formula ``acc.def``):

        \mathrm{acc} = \frac{1}{N} \sum_{i=1}^{N} \mathbb{1}[\hat{y}_i = y_i]

    Args:
        predicted: predicted classes, shape ``(N,)``.
        labels: true classes, shape ``(N,)``.

    Returns:
        A number in ``[0, 1]``.

    Raises:
        ValueError: if the shapes differ or are empty.

    Examples:
        >>> accuracy(np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2]))
        0.75
    """
    predicted = as_float_array("predicted", predicted, ndim=1)
    labels = as_float_array("labels", labels, ndim=1)
    if predicted.shape != labels.shape or predicted.size == 0:
        raise ValueError(f"predicted {predicted.shape} and labels {labels.shape} must be non-empty and of one shape")
    return float(np.mean(predicted == labels))
