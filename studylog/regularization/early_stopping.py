r"""Early stopping (조기 종료): stop training when the validation loss stops improving.

Two rules live here:

* the **patience rule** used by Keras and PyTorch Lightning: an epoch *improves* when its validation loss is
  lower than the best loss so far by more than ``min_delta``; training stops after ``patience`` epochs in a
  row without improvement, and the best epoch's weights are the ones to keep;
* Prechelt's **generalization loss** ``GL(t)`` (formulas ``es.opt`` and ``es.gl``), the relative
  excess of the current validation error over the best one so far, in percent.

References:
    Lutz Prechelt (1998), "Early Stopping — But When?", in *Neural Networks: Tricks of the Trade*, LNCS 1524,
    pp. 55–69. https://doi.org/10.1007/3-540-49430-8_3
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, In, Out, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_positive


class EarlyStoppingState(NamedTuple):
    """State of the patience rule after some epochs.

    Attributes:
        best_loss: the lowest validation loss that counted as an improvement (``inf`` before the first epoch).
        best_epoch: the epoch (0-based) of ``best_loss``; ``-1`` before the first epoch.
        wait: epochs in a row without improvement since ``best_epoch``.
        epoch: how many epochs have been seen.
        stop: whether the rule says to stop now.
    """

    best_loss: float
    best_epoch: int
    wait: int
    epoch: int
    stop: bool


class EarlyStoppingResult(NamedTuple):
    """Outcome of the patience rule over a whole sequence of validation losses.

    Attributes:
        best_epoch: the epoch (0-based) whose weights to keep.
        best_loss: its validation loss.
        stop_epoch: the epoch at which training stops, or ``None`` if the sequence ran out first.
    """

    best_epoch: int
    best_loss: float
    stop_epoch: int | None


def init_early_stopping() -> EarlyStoppingState:
    """The state before the first epoch.

    Returns:
        A state with an infinite best loss, so that the first epoch always improves.

    Examples:
        >>> init_early_stopping()
        EarlyStoppingState(best_loss=inf, best_epoch=-1, wait=0, epoch=0, stop=False)
    """
    return EarlyStoppingState(best_loss=math.inf, best_epoch=-1, wait=0, epoch=0, stop=False)


def update_early_stopping(
    state: EarlyStoppingState, loss: float, *, patience: int, min_delta: float = 0.0
) -> EarlyStoppingState:
    r"""Feed one epoch's validation loss to the patience rule.

    The epoch improves when ``loss < best_loss - min_delta``; then ``best_loss`` and ``best_epoch`` move to it and
    ``wait`` resets to 0. Otherwise ``wait`` grows by one, and ``stop`` becomes true once ``wait >= patience``.

    Args:
        state: the state after the previous epoch (see ``init_early_stopping``).
        loss: this epoch's validation loss.
        patience: how many epochs without improvement are tolerated (>= 1).
        min_delta: the smallest decrease that counts as an improvement (>= 0).

    Returns:
        The state after this epoch.

    Raises:
        ValueError: if ``patience < 1``, ``min_delta < 0`` or ``loss`` is NaN.

    Examples:
        >>> s = init_early_stopping()
        >>> for loss in [1.0, 0.9, 0.95, 0.97]:
        ...     s = update_early_stopping(s, loss, patience=2)
        >>> s.best_epoch, s.wait, s.stop
        (1, 2, True)
    """
    _check_rule(patience, min_delta)
    loss = float(loss)
    if math.isnan(loss):
        raise ValueError(f"loss is NaN at epoch {state.epoch}")
    epoch = state.epoch
    if loss < state.best_loss - min_delta:
        return EarlyStoppingState(best_loss=loss, best_epoch=epoch, wait=0, epoch=epoch + 1, stop=False)
    wait = state.wait + 1
    return EarlyStoppingState(
        best_loss=state.best_loss, best_epoch=state.best_epoch, wait=wait, epoch=epoch + 1, stop=wait >= patience
    )


def early_stopping(losses: Iterable[float], *, patience: int, min_delta: float = 0.0) -> EarlyStoppingResult:
    """Run the patience rule over a sequence of validation losses, stopping where it says to.

    Args:
        losses: validation loss per epoch, in order.
        patience: how many epochs without improvement are tolerated (>= 1).
        min_delta: the smallest decrease that counts as an improvement (>= 0).

    Returns:
        The best epoch, its loss, and the epoch at which training stops (``None`` if it never does).

    Raises:
        ValueError: if ``losses`` is empty, ``patience < 1``, ``min_delta < 0`` or a loss is NaN.

    Examples:
        >>> early_stopping([1.0, 0.8, 0.79, 0.85, 0.9], patience=2, min_delta=0.05)
        EarlyStoppingResult(best_epoch=1, best_loss=0.8, stop_epoch=3)
    """
    _check_rule(patience, min_delta)
    state = init_early_stopping()
    for loss in losses:
        state = update_early_stopping(state, loss, patience=patience, min_delta=min_delta)
        if state.stop:
            return EarlyStoppingResult(state.best_epoch, state.best_loss, state.epoch - 1)
    if state.epoch == 0:
        raise ValueError("losses is empty; early stopping needs at least one validation loss")
    return EarlyStoppingResult(state.best_epoch, state.best_loss, None)


def _check_rule(patience: int, min_delta: float) -> None:
    if isinstance(patience, bool) or int(patience) != patience or patience < 1:
        raise ValueError(f"patience={patience} must be an integer >= 1")
    check_positive("min_delta", min_delta, allow_zero=True)


class GeneralizationLoss(NamedTuple):
    r"""Prechelt's quantities at epoch ``t``.

    Attributes:
        E_opt: ``E_{\mathrm{opt}}(t)``, the lowest validation error up to epoch ``t``.
        GL: ``\mathrm{GL}(t)``, the generalization loss in percent.
    """

    E_opt: FloatArray
    GL: FloatArray


@implements(
    "es.opt",
    "es.gl",
    symbols={
        r"E_{\mathrm{opt}}(t-1)": In("E_opt", Array(0.2, 2.0)),
        r"E_{\mathrm{va}}(t)": In("E_va", Array(0.2, 2.0)),
        r"E_{\mathrm{opt}}(t)": Out("E_opt"),
        r"\mathrm{GL}(t)": Out("GL"),
    },
)
def generalization_loss_step(E_opt: FloatArray | float, E_va: FloatArray | float) -> GeneralizationLoss:  # noqa: N803
    r"""One epoch of Prechelt's generalization loss (formulas ``es.opt`` and ``es.gl``).

    In LaTeX, as in the log:

        E_{\mathrm{opt}}(t) = \min(E_{\mathrm{opt}}(t-1), E_{\mathrm{va}}(t))
        \mathrm{GL}(t) = 100 \left(\frac{E_{\mathrm{va}}(t)}{E_{\mathrm{opt}}(t)} - 1\right)

    Args:
        E_opt: the lowest validation error before this epoch (``inf`` at the first epoch); positive.
        E_va: this epoch's validation error; positive.

    Returns:
        The updated lowest error and the generalization loss (0 when this epoch is the best so far).

    Raises:
        ValueError: if an error is not positive (the ratio needs ``E_opt > 0``).

    Examples:
        >>> r = generalization_loss_step(0.5, 0.6)
        >>> float(r.E_opt), round(float(r.GL), 6)
        (0.5, 20.0)
    """
    E_opt = as_float_array("E_opt", E_opt)  # noqa: N806
    E_va = as_float_array("E_va", E_va)  # noqa: N806
    if np.any(~(E_va > 0)):
        raise ValueError("E_va must be positive (validation errors), got a value <= 0 or NaN")
    if np.any(~(E_opt > 0)):
        raise ValueError("E_opt must be positive (validation errors), got a value <= 0 or NaN")
    best = np.minimum(E_opt, E_va)
    return GeneralizationLoss(E_opt=best, GL=100.0 * (E_va / best - 1.0))


def generalization_loss(losses: Iterable[float]) -> FloatArray:
    r"""Prechelt's generalization loss ``GL(t)`` for every epoch of a validation-error sequence.

    Args:
        losses: validation error per epoch (positive), in order.

    Returns:
        ``GL`` per epoch, in percent.

    Raises:
        ValueError: if ``losses`` is empty or holds a value that is not positive.

    Examples:
        >>> generalization_loss([1.0, 0.5, 0.6, 0.4]).round(6).tolist()
        [0.0, 0.0, 20.0, 0.0]
    """
    values = as_float_array("losses", list(losses))
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"losses must be a non-empty 1-D sequence, got shape {values.shape}")
    out = np.empty_like(values)
    best: FloatArray | float = math.inf
    for t, value in enumerate(values):
        step = generalization_loss_step(best, value)
        best, out[t] = step.E_opt, step.GL
    return out


def gl_stop_epoch(losses: Iterable[float], *, alpha: float) -> int | None:
    r"""Prechelt's ``GL_alpha`` criterion: the first epoch whose generalization loss exceeds ``alpha``.

    Args:
        losses: validation error per epoch (positive), in order.
        alpha: the threshold in percent (> 0).

    Returns:
        The first epoch (0-based) with ``GL > alpha``, or ``None``.

    Raises:
        ValueError: if ``alpha <= 0`` or ``losses`` is invalid.

    Examples:
        >>> gl_stop_epoch([1.0, 0.5, 0.52, 0.6], alpha=5.0)
        3
    """
    check_positive("alpha", alpha)
    above = np.flatnonzero(generalization_loss(losses) > alpha)
    return int(above[0]) if above.size else None
