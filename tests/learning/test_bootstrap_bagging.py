"""Bootstrap resampling and bagging: exact enumeration, scikit-learn models refitted on our samples."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

from studylog.learning import (
    bagging_mean,
    bootstrap_indices,
    expected_unique_fraction,
    fit_bagging,
    fit_nearest_neighbor,
    majority_vote,
    make_sine_data,
    out_of_bag,
    polynomial_fitter,
    predict_mean,
    predict_vote,
    simulate_unique_fraction,
)


def test_bootstrap_indices_are_in_range_and_reproducible():
    a = bootstrap_indices(50, seed=3)
    assert a.shape == (50,) and a.dtype == np.int64
    assert a.min() >= 0 and a.max() < 50
    np.testing.assert_array_equal(a, bootstrap_indices(50, seed=3))
    assert len(np.unique(a)) < 50  # with replacement: 50 distinct out of 50 has probability 50!/50^50


def test_bootstrap_counts_follow_binomial():
    # each index is drawn Binomial(n, 1/n) times; pooled over many samples, compare the count histogram
    n, reps = 20, 5000
    counts = np.stack([np.bincount(bootstrap_indices(n, seed=s), minlength=n) for s in range(reps)]).ravel()
    observed = np.bincount(counts, minlength=6)[:6] / counts.size
    expected = stats.binom.pmf(np.arange(6), n, 1 / n)
    # 100,000 pooled counts: standard error of each frequency < 0.0016
    np.testing.assert_allclose(observed, expected, atol=0.008)


def test_bootstrap_rejects_empty_population():
    with pytest.raises(ValueError, match="n=0"):
        bootstrap_indices(0, seed=0)


def test_out_of_bag_is_the_set_difference():
    idx = bootstrap_indices(30, seed=5)
    np.testing.assert_array_equal(out_of_bag(idx, 30), sorted(set(range(30)) - set(idx)))
    with pytest.raises(ValueError, match="range"):
        out_of_bag([0, 7], 5)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_expected_unique_fraction_by_exhaustive_enumeration(n):
    # average the distinct fraction over all n^n equally likely bootstrap samples
    total = sum(len(set(sample)) for sample in itertools.product(range(n), repeat=n))
    exact = total / (n * n**n)
    assert expected_unique_fraction(n) == pytest.approx(exact, rel=1e-14)


def test_expected_unique_fraction_tends_to_one_minus_one_over_e():
    values = expected_unique_fraction(np.array([10, 100, 10_000, 10**8]))
    assert np.all(np.diff(values) < 0)  # decreasing in n
    assert values[-1] == pytest.approx(1 - 1 / math.e, abs=1e-8)


def test_expected_unique_fraction_rejects_n_below_one():
    with pytest.raises(ValueError, match="n=0"):
        expected_unique_fraction(0)


@pytest.mark.parametrize("n", [3, 17, 60])
def test_simulated_unique_fraction_matches_the_closed_form(n):
    s = simulate_unique_fraction(n, n_draws=50_000, seed=n).unique_fraction
    standard_error = s.std() / np.sqrt(s.size)
    assert abs(s.mean() - expected_unique_fraction(n)) < 5 * standard_error


def test_bagging_mean_and_vote_by_hand():
    np.testing.assert_allclose(bagging_mean([[1.0, 4.0], [2.0, 0.0], [6.0, 2.0]]), [3.0, 2.0])
    votes = np.array([[1, -1, 1], [1, 1, -1], [-1, 1, -1]], dtype=float)
    np.testing.assert_array_equal(majority_vote(votes), [1, 1, -1])
    # odd number of ±1 voters: the vote is the sign of the sum
    rng = np.random.default_rng(0)
    votes = rng.choice([-1.0, 1.0], size=(7, 50))
    np.testing.assert_array_equal(majority_vote(votes), np.sign(votes.sum(axis=0)))


def test_majority_vote_matches_scipy_mode_for_several_classes():
    rng = np.random.default_rng(1)
    votes = rng.integers(0, 4, size=(6, 200)).astype(float)
    # scipy's mode also returns the smallest of tied values
    np.testing.assert_array_equal(majority_vote(votes), stats.mode(votes, axis=0).mode)


def test_bagged_polynomials_equal_sklearn_refits_on_the_same_samples():
    data = make_sine_data(30, sigma=0.3, seed=0)
    bag = fit_bagging(data.x, data.y, fit=polynomial_fitter(1), n_estimators=8, seed=10)
    assert bag.indices.shape == (8, 30)
    grid = np.linspace(0.0, 1.0, 9)
    ref = np.mean(
        [LinearRegression().fit(data.x[idx, None], data.y[idx]).predict(grid[:, None]) for idx in bag.indices],
        axis=0,
    )
    np.testing.assert_allclose(predict_mean(bag, grid), ref, rtol=1e-10, atol=1e-12)


def test_nearest_neighbor_matches_sklearn():
    rng = np.random.default_rng(2)
    x, y, query = rng.uniform(size=(25, 2)), rng.normal(size=25), rng.uniform(size=(40, 2))
    ref = KNeighborsRegressor(n_neighbors=1).fit(x, y).predict(query)
    np.testing.assert_array_equal(fit_nearest_neighbor(x, y)(query), ref)


def test_bagged_nearest_neighbor_equals_sklearn_refits_and_reduces_error():
    data = make_sine_data(30, sigma=0.3, seed=4)
    test = make_sine_data(2000, sigma=0.3, seed=5)
    bag = fit_bagging(data.x, data.y, fit=fit_nearest_neighbor, n_estimators=25, seed=0)
    ref = np.mean(
        [KNeighborsRegressor(1).fit(data.x[idx, None], data.y[idx]).predict(test.x[:, None]) for idx in bag.indices],
        axis=0,
    )
    np.testing.assert_allclose(predict_mean(bag, test.x), ref, rtol=1e-12)
    single = fit_nearest_neighbor(data.x, data.y)(test.x)
    assert np.mean((predict_mean(bag, test.x) - test.y) ** 2) < np.mean((single - test.y) ** 2)


def test_predict_vote_takes_the_majority_of_the_models():
    data_x = np.array([-2.0, -1.0, 1.0, 2.0])
    data_y = np.array([-1.0, -1.0, 1.0, 1.0])
    bag = fit_bagging(data_x, data_y, fit=fit_nearest_neighbor, n_estimators=5, seed=0)
    expected = np.sign(np.sum([model(data_x) for model in bag.predictors], axis=0))
    np.testing.assert_array_equal(predict_vote(bag, data_x), expected)


def test_fit_bagging_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_estimators=0"):
        fit_bagging(np.arange(5.0), np.arange(5.0), fit=fit_nearest_neighbor, n_estimators=0, seed=0)
    with pytest.raises(ValueError, match="same number of samples"):
        fit_bagging(np.arange(5.0), np.arange(4.0), fit=fit_nearest_neighbor, n_estimators=2, seed=0)
