r"""Discrete AdaBoost for two classes (Freund & Schapire 1997), labels $`y_i \in \{-1, +1\}`$.

Start with uniform weights $`w_i^{(1)} = 1/n`$. In round $`m`$, fit a weak learner
$`h_m`$ to the weighted data, then

* weighted error (``ada.error``): $`\epsilon_m = \frac{\sum_i w_i (1 - y_i h_m(x_i))}{2 \sum_i w_i}`$
  — for $`\pm 1`$ labels, $`(1 - y_i h_m(x_i))/2`$ is 1 on a mistake and 0 otherwise;
* learner weight (``ada.alpha``): $`\alpha_m = \frac12 \ln\frac{1 - \epsilon_m}{\epsilon_m}`$;
* re-weighting (``ada.w.tilde``, ``ada.w.next``): $`\tilde w_i = w_i \exp(-\alpha_m y_i h_m(x_i))`$,
  then normalize to sum 1 — mistakes gain weight, correct samples lose it;
* final classifier (``ada.final``): $`H(x) = \mathrm{sign}\left(\sum_m \alpha_m h_m(x)\right)`$.

Note:
    scikit-learn's ``AdaBoostClassifier`` (SAMME) uses
    $`\alpha^{\mathrm{SAMME}}_m = \ln\frac{1-\epsilon_m}{\epsilon_m} + \ln(K-1)`$, which for
    $`K = 2`$ classes is $`2\alpha_m`$, and multiplies only the misclassified weights by
    $`e^{\alpha^{\mathrm{SAMME}}_m}`$. After normalization the sample weights are the same, and
    scaling all $`\alpha_m`$ by 2 does not change the sign of the vote, so both give the same
    classifier; sklearn's ``decision_function`` is $`2 \sum_m \alpha_m h_m(x) / \sum_m \alpha_m`$.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from studylog.engine.binding import Array, Choice, In, Index, Op, Out, Scalar, implements
from studylog.learning._checks import as_float_array, as_labels, check_int
from studylog.learning.polynomial import Predictor
from studylog.learning.stump import fit_stump

WeakLearner = Callable[[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]], Predictor]
"""``(X, y, sample_weight) -> predictor`` returning labels in ``{-1, +1}``."""

_LABELS = Choice((-1.0, 1.0), shape=(8,))


@implements(
    "ada.error",
    symbols={
        r"\epsilon_m": Out(),
        r"w_i": In("w", Array(0.1, 1.0, shape=(8,))),
        r"y_i": In("y", _LABELS),
        r"h_m(x_i)": In("h", _LABELS),
        r"i": Index(),
    },
)
def weighted_error(w: ArrayLike, y: ArrayLike, h: ArrayLike) -> float:
    r"""Weighted misclassification error $`\epsilon_m`$ of the predictions ``h`` (labels $`\pm 1`$).

    Args:
        w: non-negative sample weights with a positive sum, shape ``(n,)``.
        y: true labels in ``{-1, +1}``.
        h: predicted labels in ``{-1, +1}``.

    Returns:
        The weighted fraction of mistakes, in ``[0, 1]``.

    Raises:
        ValueError: on invalid weights, labels or mismatched lengths.

    Examples:
        >>> print(weighted_error([0.5, 0.25, 0.25], [1, -1, 1], [1, 1, 1]))
        0.25
    """
    w = as_float_array("w", w, ndim=1)
    y = as_labels("y", y)
    h = as_labels("h", h)
    if not (w.shape == y.shape == h.shape):
        raise ValueError(f"w, y and h must have the same shape, got {w.shape}, {y.shape}, {h.shape}")
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("w must be non-negative with a positive sum")
    return float(np.sum(w * (1.0 - y * h)) / (2.0 * np.sum(w)))


@implements(
    "ada.alpha",
    symbols={r"\alpha_m": Out(), r"\epsilon_m": In("error", Scalar(0.05, 0.45))},
)
def learner_weight(error: float) -> float:
    r"""The weight $`\alpha_m = \frac12 \ln\frac{1-\epsilon_m}{\epsilon_m}`$ of a weak learner in the vote.

    Positive for $`\epsilon_m < 1/2`$ (better than chance), zero at $`1/2`$.

    Args:
        error: the learner's weighted error $`\epsilon_m`$, strictly between 0 and 1.

    Returns:
        $`\alpha_m`$.

    Raises:
        ValueError: if ``error`` is not in ``(0, 1)``.

    Examples:
        >>> print(round(learner_weight(0.25), 6), round(0.5 * np.log(3), 6))
        0.549306 0.549306
    """
    error = float(error)
    if not 0.0 < error < 1.0:
        raise ValueError(f"error={error} must lie strictly between 0 and 1")
    return 0.5 * float(np.log((1.0 - error) / error))


class Reweighted(NamedTuple):
    r"""The sample weights after one boosting round."""

    unnormalized: NDArray[np.float64]
    r"""$`\tilde w_i = w_i \exp(-\alpha_m y_i h_m(x_i))`$."""
    w: NDArray[np.float64]
    r"""$`w_i^{(m+1)}`$, the normalized weights (sum 1)."""


@implements(
    "ada.w.tilde",
    "ada.w.next",
    symbols={
        r"w_i^{(m)}": In("w", Array(0.1, 1.0, shape=(8,))),
        r"\alpha_m": In("alpha", Scalar(0.1, 1.5)),
        r"y_i": In("y", _LABELS),
        r"h_m(x_i)": In("h", _LABELS),
        r"\tilde{w}_i": Out("unnormalized"),
        r"w_i^{(m+1)}": Out("w"),
        r"i": Index(),
    },
)
def reweight(w: ArrayLike, y: ArrayLike, h: ArrayLike, *, alpha: float) -> Reweighted:
    r"""One AdaBoost weight update: $`w_i \exp(-\alpha_m y_i h_m(x_i))`$, normalized to sum 1.

    Args:
        w: current sample weights $`w_i^{(m)}`$, shape ``(n,)``.
        y: true labels in ``{-1, +1}``.
        h: the round's predictions in ``{-1, +1}``.
        alpha: the round's learner weight $`\alpha_m`$.

    Returns:
        The unnormalized and the normalized new weights.

    Raises:
        ValueError: on invalid weights, labels or mismatched lengths.

    Examples:
        >>> r = reweight([0.25] * 4, [1, 1, 1, -1], [1, 1, 1, 1], alpha=0.5 * np.log(3))
        >>> print(r.w.round(4))
        [0.1667 0.1667 0.1667 0.5   ]
    """
    w = as_float_array("w", w, ndim=1)
    y = as_labels("y", y)
    h = as_labels("h", h)
    if not (w.shape == y.shape == h.shape):
        raise ValueError(f"w, y and h must have the same shape, got {w.shape}, {y.shape}, {h.shape}")
    unnormalized = w * np.exp(-float(alpha) * y * h)
    return Reweighted(unnormalized=unnormalized, w=unnormalized / np.sum(unnormalized))


@implements(
    "ada.final",
    symbols={
        r"H(x)": Out(),
        r"\mathrm{sign}": Op(np.sign),
        r"\alpha_m": In("alpha", Array(0.1, 1.5, shape=(5,))),
        r"h_m(x)": In("h", Choice((-1.0, 1.0), shape=(5,))),  # the M = 5 votes at one input
        r"m": Index(),
    },
)
def strong_classifier(h: ArrayLike, alpha: ArrayLike, *, axis: int = 0) -> NDArray[np.float64]:
    r"""The boosted vote $`H(x) = \mathrm{sign}\left(\sum_m \alpha_m h_m(x)\right)`$ (0 on an exact tie).

    Args:
        h: the weak learners' predictions stacked along ``axis``.
        alpha: learner weights, shape ``(M,)``.
        axis: the learner axis of ``h``.

    Returns:
        $`H(x)`$ (``h`` without ``axis``).

    Raises:
        ValueError: if the number of learners in ``h`` and ``alpha`` differ.

    Examples:
        >>> print(strong_classifier([[1, 1], [-1, 1], [-1, -1]], [0.5, 0.4, 0.4]))
        [-1.  1.]
    """
    h = np.moveaxis(as_float_array("h", h), axis, -1)
    alpha = as_float_array("alpha", alpha, ndim=1)
    if h.shape[-1] != alpha.shape[0]:
        raise ValueError(f"h has {h.shape[-1]} learners along axis={axis} but alpha has {alpha.shape[0]}")
    return np.sign(h @ alpha)


class AdaBoostModel(NamedTuple):
    """A fitted AdaBoost ensemble and its training history."""

    learners: list[Predictor]
    r"""The weak learners $`h_m`$."""
    alphas: NDArray[np.float64]
    r"""Their weights $`\alpha_m`$, shape ``(M,)``."""
    errors: NDArray[np.float64]
    r"""Their weighted training errors $`\epsilon_m`$, shape ``(M,)``."""
    sample_weights: NDArray[np.float64]
    r"""The weights $`w^{(m)}`$ each learner was fitted with, shape ``(M, n)``."""


def fit_adaboost(
    X: ArrayLike, y: ArrayLike, *, n_rounds: int, weak_learner: WeakLearner = fit_stump
) -> AdaBoostModel:
    r"""Run discrete AdaBoost for up to ``n_rounds`` rounds.

    Stops early when a weak learner is no better than chance ($`\epsilon_m \ge 1/2`$, the learner is
    dropped) or perfect ($`\epsilon_m = 0`$: its weight would be infinite, so the ensemble becomes
    that learner alone with $`\alpha = 1`$).

    Args:
        X: inputs, shape ``(n, d)`` (or ``(n,)`` for one feature).
        y: labels in ``{-1, +1}``, shape ``(n,)``.
        n_rounds: maximum number of boosting rounds ``M`` (``>= 1``).
        weak_learner: ``(X, y, w) -> predictor``; default `fit_stump`.

    Returns:
        The ensemble with its per-round history.

    Raises:
        ValueError: on invalid inputs, or if the first weak learner is no better than chance.

    Examples:
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
        >>> y = np.array([1.0, 1.0, -1.0, -1.0, 1.0])
        >>> model = fit_adaboost(X, y, n_rounds=3)
        >>> print(model.alphas.round(4), predict_adaboost(model, X))
        [0.6931 0.5493 0.8047] [ 1.  1. -1. -1.  1.]
    """
    X = as_float_array("X", X)
    y = as_labels("y", y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, got {X.shape[0]} and {y.shape[0]}")
    n_rounds = check_int("n_rounds", n_rounds, minimum=1)
    w = np.full(y.shape[0], 1.0 / y.shape[0])
    learners: list[Predictor] = []
    alphas: list[float] = []
    errors: list[float] = []
    history: list[NDArray[np.float64]] = []
    for m in range(n_rounds):
        learner = weak_learner(X, y, w)
        h = np.asarray(learner(X), dtype=np.float64)
        error = weighted_error(w, y, h)
        if error >= 0.5:
            if m == 0:
                raise ValueError(
                    f"the first weak learner has weighted error {error:.3f} >= 0.5 (no better than chance)"
                )
            break
        if error == 0.0:
            learners, alphas, errors, history = [learner], [1.0], [0.0], [w]
            break
        alpha = learner_weight(error)
        learners.append(learner)
        alphas.append(alpha)
        errors.append(error)
        history.append(w)
        w = reweight(w, y, h, alpha=alpha).w
    return AdaBoostModel(
        learners=learners, alphas=np.array(alphas), errors=np.array(errors), sample_weights=np.stack(history)
    )


def first_rounds(model: AdaBoostModel, n_rounds: int) -> AdaBoostModel:
    """The ensemble after its first ``n_rounds`` rounds (to follow training and test error round by round).

    Args:
        model: a fitted ensemble.
        n_rounds: how many rounds to keep, ``1 <= n_rounds <= len(model.learners)``.

    Returns:
        The truncated ensemble.

    Raises:
        ValueError: if ``n_rounds`` is out of range.

    Examples:
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
        >>> model = fit_adaboost(X, np.array([1.0, 1.0, -1.0, -1.0, 1.0]), n_rounds=3)
        >>> print(predict_adaboost(first_rounds(model, 1), X))
        [ 1.  1. -1. -1. -1.]
    """
    n_rounds = check_int("n_rounds", n_rounds, minimum=1)
    if n_rounds > len(model.learners):
        raise ValueError(f"n_rounds={n_rounds} is larger than the number of fitted rounds {len(model.learners)}")
    return AdaBoostModel(
        learners=model.learners[:n_rounds],
        alphas=model.alphas[:n_rounds],
        errors=model.errors[:n_rounds],
        sample_weights=model.sample_weights[:n_rounds],
    )


def decision_function(model: AdaBoostModel, X: ArrayLike) -> NDArray[np.float64]:
    r"""The weighted vote $`F(x) = \sum_m \alpha_m h_m(x)`$ before taking its sign.

    Args:
        model: a fitted ensemble.
        X: inputs.

    Returns:
        $`F(x)`$ per input.

    Examples:
        >>> learners = [np.sign, lambda x: -np.sign(x)]
        >>> model = AdaBoostModel(learners, np.array([1.0, 0.25]), np.zeros(2), np.zeros((2, 1)))
        >>> print(decision_function(model, np.array([-3.0, 2.0])))
        [-0.75  0.75]
    """
    h = np.stack([np.asarray(learner(X), dtype=np.float64) for learner in model.learners])
    return np.tensordot(model.alphas, h, axes=1)


def predict_adaboost(model: AdaBoostModel, X: ArrayLike) -> NDArray[np.float64]:
    r"""Predicted labels $`H(x)`$; an exact tie $`F(x) = 0`$ is labelled $`-1`$ (as scikit-learn does).

    Args:
        model: a fitted ensemble.
        X: inputs.

    Returns:
        Labels in ``{-1, +1}``.

    Examples:
        >>> model = AdaBoostModel([np.sign], np.array([1.0]), np.zeros(1), np.zeros((1, 1)))
        >>> print(predict_adaboost(model, np.array([-2.0, 0.0, 2.0])))
        [-1. -1.  1.]
    """
    h = np.stack([np.asarray(learner(X), dtype=np.float64) for learner in model.learners])
    H = strong_classifier(h, model.alphas, axis=0)
    return np.where(H > 0, 1.0, -1.0)
