"""Decision stumps and discrete AdaBoost, against brute force and scikit-learn's AdaBoostClassifier (SAMME)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from studylog.learning import (
    Stump,
    decision_function,
    first_rounds,
    fit_adaboost,
    fit_stump,
    learner_weight,
    predict_adaboost,
    reweight,
    strong_classifier,
    stump_error,
    weighted_error,
)


def two_class_data(n: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.where(X[:, 0] ** 2 + X[:, 1] ** 2 < 0.5, 1.0, -1.0)
    flip = rng.uniform(size=n) < 0.1  # label noise, so that no stump or short ensemble is perfect
    return X, np.where(flip, -y, y)


# ---------------------------------------------------------------------------------------- stumps


def brute_force_stump_error(X, y, w):
    """Smallest weighted error over every feature, every threshold between data values, both polarities."""
    w = w / w.sum()
    best = np.inf
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        thresholds = np.concatenate(([values[0] - 1.0], (values[1:] + values[:-1]) / 2))
        for t, s in itertools.product(thresholds, (1.0, -1.0)):
            pred = np.where(X[:, j] > t, s, -s)
            best = min(best, np.sum(w[pred != y]))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_fit_stump_finds_the_minimum_weighted_error(seed):
    X, y = two_class_data(40, seed)
    w = np.random.default_rng(seed + 100).uniform(0.1, 1.0, size=40)
    stump = fit_stump(X, y, w)
    assert stump_error(stump, X, y, w) == pytest.approx(brute_force_stump_error(X, y, w), abs=1e-12)


def test_fit_stump_handles_tied_feature_values():
    X = np.array([[0.0], [0.0], [1.0], [1.0], [2.0]])
    y = np.array([-1.0, -1.0, 1.0, 1.0, 1.0])
    stump = fit_stump(X, y, np.ones(5))
    assert stump == Stump(feature=0, threshold=0.5, polarity=1.0)
    np.testing.assert_array_equal(stump(X), y)


def test_fit_stump_rejects_bad_input():
    with pytest.raises(ValueError, match="labels -1 and \\+1"):
        fit_stump([[0.0], [1.0]], [0, 1], [1.0, 1.0])
    with pytest.raises(ValueError, match="sample_weight"):
        fit_stump([[0.0], [1.0]], [-1, 1], [-1.0, 1.0])


# ---------------------------------------------------------------------------------------- formulas


def test_weighted_error_is_the_weighted_fraction_of_mistakes():
    rng = np.random.default_rng(0)
    w = rng.uniform(0.1, 1.0, size=30)
    y, h = rng.choice([-1.0, 1.0], size=30), rng.choice([-1.0, 1.0], size=30)
    # the formulation of scikit-learn's SAMME: np.average of the mistake indicator
    assert weighted_error(w, y, h) == pytest.approx(np.average(h != y, weights=w), rel=1e-14)


def test_learner_weight_closed_form_and_domain():
    assert learner_weight(0.5) == 0.0
    assert learner_weight(0.1) == pytest.approx(0.5 * np.log(9.0), rel=1e-15)
    assert learner_weight(0.9) == pytest.approx(-0.5 * np.log(9.0), rel=1e-15)
    for bad in (0.0, 1.0, -0.2):
        with pytest.raises(ValueError, match="error="):
            learner_weight(bad)


def test_reweight_equals_samme_update_after_normalization():
    rng = np.random.default_rng(1)
    w = rng.uniform(0.1, 1.0, size=20)
    w /= w.sum()
    y, h = rng.choice([-1.0, 1.0], size=20), rng.choice([-1.0, 1.0], size=20)
    eps = np.average(h != y, weights=w)
    alpha_samme = np.log((1 - eps) / eps)  # + ln(K - 1) = 0 for two classes
    samme = w * np.exp(alpha_samme * (h != y))
    ours = reweight(w, y, h, alpha=learner_weight(eps))
    np.testing.assert_allclose(ours.w, samme / samme.sum(), rtol=1e-13)
    assert ours.w.sum() == pytest.approx(1.0, rel=1e-15)
    # after the update the previous learner has weighted error exactly 1/2
    assert weighted_error(ours.w, y, h) == pytest.approx(0.5, rel=1e-12)


def test_strong_classifier_by_hand():
    h = np.array([[1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])  # 3 learners, 2 inputs
    np.testing.assert_array_equal(strong_classifier(h, np.array([1.0, 0.3, 0.4])), [1.0, -1.0])
    with pytest.raises(ValueError, match="learners"):
        strong_classifier(h, np.array([1.0, 0.3]))


# ---------------------------------------------------------------------------- against scikit-learn


class RecordingStump(DecisionTreeClassifier):
    """sklearn's default weak learner, recording the sample weights it is fitted with."""

    calls: list[np.ndarray] = []

    def fit(self, X, y, sample_weight=None, check_input=True):
        RecordingStump.calls.append(np.array(sample_weight, dtype=float))
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


def sklearn_stump(X, y, w):
    """The same weak learner for our AdaBoost: sklearn's depth-1 tree fitted with our weights."""
    return DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y, sample_weight=w).predict


@pytest.mark.parametrize("seed", [0, 1])
def test_adaboost_matches_sklearn_samme(seed):
    X, y = two_class_data(120, seed)
    n_rounds = 12
    RecordingStump.calls = []
    # scikit-learn >= 1.6 has only the SAMME algorithm (its `algorithm` argument is gone in 1.9)
    ref = AdaBoostClassifier(RecordingStump(max_depth=1), n_estimators=n_rounds, random_state=seed).fit(X, y)
    ours = fit_adaboost(X, y, n_rounds=n_rounds, weak_learner=sklearn_stump)

    assert len(ours.learners) == len(ref.estimators_) == n_rounds
    # SAMME's learner weight ln((1-eps)/eps) + ln(K-1) is twice ours for K = 2
    np.testing.assert_allclose(2.0 * ours.alphas, ref.estimator_weights_, rtol=1e-10)
    np.testing.assert_allclose(ours.errors, ref.estimator_errors_, rtol=1e-10)
    np.testing.assert_allclose(ours.sample_weights, np.stack(RecordingStump.calls), rtol=1e-10)
    X_test, _ = two_class_data(500, seed + 10)
    np.testing.assert_array_equal(predict_adaboost(ours, X_test), ref.predict(X_test))
    # sklearn's decision function (SAMME's symmetric class scores +w / -w, summed over the two
    # columns) is twice our vote divided by the sum of the learner weights
    np.testing.assert_allclose(
        2.0 * decision_function(ours, X_test) / ours.alphas.sum(),
        ref.decision_function(X_test),
        rtol=1e-10,
        atol=1e-12,
    )


def test_adaboost_with_our_stumps_reduces_training_error():
    X, y = two_class_data(200, 3)
    model = fit_adaboost(X, y, n_rounds=60)
    errors = [np.mean(predict_adaboost(first_rounds(model, m), X) != y) for m in (1, 10, 60)]
    assert errors[0] > errors[1] > errors[2]
    assert np.all(model.errors < 0.5) and np.all(model.alphas > 0)
    np.testing.assert_allclose(model.sample_weights.sum(axis=1), 1.0, rtol=1e-12)


def test_adaboost_stops_at_a_perfect_learner():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([-1.0, -1.0, 1.0, 1.0])
    model = fit_adaboost(X, y, n_rounds=10)
    assert len(model.learners) == 1 and model.alphas.tolist() == [1.0]
    assert model.errors.tolist() == [0.0]
    np.testing.assert_array_equal(predict_adaboost(model, X), y)


def test_a_perfect_learner_in_a_later_round_replaces_the_ensemble():
    X = np.arange(6.0)[:, None]
    y = np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
    calls = []

    def learner(X_, y_, w):
        calls.append(w.copy())
        if len(calls) == 1:
            return lambda Z: np.where(Z[:, 0] > 3.5, 1.0, -1.0)  # wrong on sample 3 only
        return lambda Z: np.where(Z[:, 0] > 2.5, 1.0, -1.0)  # perfect

    model = fit_adaboost(X, y, n_rounds=5, weak_learner=learner)
    assert len(calls) == 2
    assert len(model.learners) == 1 and model.alphas.tolist() == [1.0] and model.errors.tolist() == [0.0]
    np.testing.assert_array_equal(model.sample_weights, calls[1][None, :])
    # round 1 had error 1/6: the misclassified sample now carries half of the weight
    assert calls[1][3] == pytest.approx(0.5, rel=1e-12)
    np.testing.assert_array_equal(predict_adaboost(model, X), y)


def test_adaboost_rejects_a_useless_first_learner():
    def always_wrong(X, y, w):
        return lambda Z: -y if len(Z) == len(y) else np.ones(len(Z))

    with pytest.raises(ValueError, match="no better than chance"):
        fit_adaboost(np.arange(4.0)[:, None], np.array([1.0, -1.0, 1.0, -1.0]), n_rounds=3, weak_learner=always_wrong)


def test_first_rounds_rejects_too_many_rounds():
    X, y = two_class_data(50, 0)
    model = fit_adaboost(X, y, n_rounds=3)
    with pytest.raises(ValueError, match="n_rounds=4"):
        first_rounds(model, 4)
