"""Early stopping: the patience rule on hand-made loss sequences, Prechelt's GL against numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studylog.regularization import (
    early_stopping,
    generalization_loss,
    generalization_loss_step,
    gl_stop_epoch,
    init_early_stopping,
    update_early_stopping,
)

# (losses, patience, min_delta, expected best_epoch, expected stop_epoch) — worked out by hand
HAND_CASES = [
    # improves until epoch 2, then two worse epochs: stop at 4
    ([1.0, 0.9, 0.8, 0.85, 0.86, 0.87], 2, 0.0, 2, 4),
    # same sequence, one more epoch of patience
    ([1.0, 0.9, 0.8, 0.85, 0.86, 0.87], 3, 0.0, 2, 5),
    # always improving: never stops, best is the last epoch
    ([5.0, 4.0, 3.0, 2.0, 1.0], 1, 0.0, 4, None),
    # an equal loss is not an improvement
    ([1.0, 1.0, 1.0], 2, 0.0, 0, 2),
    # min_delta=0.05: 0.79 and 0.78 are too small a gain over 0.8; 0.5 is a real one and resets the wait
    ([1.0, 0.8, 0.79, 0.78, 0.5], 3, 0.05, 4, None),
    # same, patience 2: stops at epoch 3 and keeps epoch 1 (0.8), not the slightly lower 0.78
    ([1.0, 0.8, 0.79, 0.78, 0.5], 2, 0.05, 1, 3),
    # a late improvement after a bump resets the counter
    ([1.0, 1.2, 0.7, 0.9, 0.95, 0.99], 2, 0.0, 2, 4),
    # patience 1 stops at the first non-improving epoch
    ([0.3, 0.2, 0.25, 0.1], 1, 0.0, 1, 2),
]


@pytest.mark.parametrize(("losses", "patience", "min_delta", "best", "stop"), HAND_CASES)
def test_patience_rule_on_hand_made_sequences(losses, patience, min_delta, best, stop):
    result = early_stopping(losses, patience=patience, min_delta=min_delta)
    assert result.best_epoch == best
    assert result.best_loss == losses[best]
    assert result.stop_epoch == stop


def _closed_form_delta0(losses: list[float], patience: int) -> tuple[int, int | None]:
    """Independent reference for min_delta=0: stop at the first t where the last `patience` losses are all >= the
    minimum before them; the best epoch is the first argmin of what was seen up to then."""
    for t in range(patience, len(losses)):
        if min(losses[t - patience + 1 : t + 1]) >= min(losses[: t - patience + 1]):
            return int(np.argmin(losses[: t + 1])), t
    return int(np.argmin(losses)), None


@pytest.mark.parametrize("seed", range(20))
def test_patience_rule_matches_closed_form_on_random_walks(seed):
    rng = np.random.default_rng(seed)
    losses = list(np.round(1.0 + np.cumsum(rng.normal(-0.02, 0.05, size=40)), 3))  # rounding makes ties happen
    patience = int(rng.integers(1, 6))
    best, stop = _closed_form_delta0(losses, patience)
    result = early_stopping(losses, patience=patience)
    assert (result.best_epoch, result.stop_epoch) == (best, stop)


def test_state_counts_wait_and_resets_on_improvement():
    state = init_early_stopping()
    waits = []
    for loss in [1.0, 1.1, 1.2, 0.5, 0.6]:
        state = update_early_stopping(state, loss, patience=10)
        waits.append(state.wait)
    assert waits == [0, 1, 2, 0, 1]
    assert state.epoch == 5
    assert state.best_epoch == 3


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"patience": 0}, "patience=0"),
        ({"patience": 1.5}, "patience=1.5"),
        ({"patience": 2, "min_delta": -0.1}, "min_delta=-0.1"),
    ],
)
def test_bad_rule_parameters_name_the_argument(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        early_stopping([1.0, 2.0], **kwargs)


def test_empty_and_nan_losses_are_rejected():
    with pytest.raises(ValueError, match="losses is empty"):
        early_stopping([], patience=2)
    with pytest.raises(ValueError, match="NaN at epoch 1"):
        early_stopping([1.0, math.nan], patience=2)


def test_generalization_loss_matches_numpy_running_minimum():
    rng = np.random.default_rng(3)
    losses = rng.uniform(0.2, 2.0, size=30)
    expected = 100.0 * (losses / np.minimum.accumulate(losses) - 1.0)
    np.testing.assert_allclose(generalization_loss(losses), expected, rtol=1e-13, atol=1e-13)


def test_generalization_loss_step_by_hand():
    step = generalization_loss_step(np.array([0.5, 0.5]), np.array([0.4, 0.55]))
    np.testing.assert_allclose(step.E_opt, [0.4, 0.5], rtol=0, atol=0)
    np.testing.assert_allclose(step.GL, [0.0, 10.0], rtol=1e-12, atol=1e-12)


def test_gl_stop_epoch_by_hand():
    # GL = [0, 0, 4, 10, 0]: the first epoch above 5 % is epoch 3; nothing is above 50 %
    losses = [1.0, 0.5, 0.52, 0.55, 0.4]
    assert gl_stop_epoch(losses, alpha=5.0) == 3
    assert gl_stop_epoch(losses, alpha=50.0) is None
    with pytest.raises(ValueError, match="alpha=0.0"):
        gl_stop_epoch(losses, alpha=0.0)


def test_generalization_loss_rejects_non_positive_errors():
    with pytest.raises(ValueError, match="E_va must be positive"):
        generalization_loss([1.0, 0.0])
