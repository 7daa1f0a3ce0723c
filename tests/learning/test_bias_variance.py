"""Bias–variance simulation against the closed form of a linear smoother."""

from __future__ import annotations

import numpy as np
import pytest

from studylog.learning import (
    bias_variance_curve,
    bias_variance_terms,
    polynomial_fitter,
    simulate_bias_variance,
    smoother_matrix,
)
from studylog.learning.bias_variance import DEFAULT_X_TEST


def closed_form(degree: int, n_train: int, sigma: float, x_test=DEFAULT_X_TEST):
    """Exact bias² and variance of least squares with fixed inputs: prediction = h(x0)^T y.

    Computed with numpy's pseudo-inverse of the design matrix (independent of our fitter).
    """
    x_train = np.linspace(0.0, 1.0, n_train)
    X = np.vander(x_train, degree + 1, increasing=True)
    X0 = np.vander(x_test, degree + 1, increasing=True)
    H = X0 @ np.linalg.pinv(X)
    f_train, f_test = np.sin(2 * np.pi * x_train), np.sin(2 * np.pi * x_test)
    bias2 = (f_test - H @ f_train) ** 2
    variance = sigma**2 * np.sum(H**2, axis=1)
    return bias2, variance


@pytest.mark.parametrize("degree", [0, 2, 5])
def test_smoother_matrix_equals_hat_matrix(degree):
    x_train = np.linspace(0.0, 1.0, 12)
    X = np.vander(x_train, degree + 1, increasing=True)
    X0 = np.vander(DEFAULT_X_TEST, degree + 1, increasing=True)
    H = smoother_matrix(polynomial_fitter(degree), x_train, DEFAULT_X_TEST)
    np.testing.assert_allclose(H, X0 @ np.linalg.pinv(X), rtol=1e-9, atol=1e-11)


def test_terms_by_hand():
    f_hat = np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 2.0]])
    terms = bias_variance_terms(f_hat, np.array([0.0, 1.0]), sigma=0.25)
    np.testing.assert_allclose(terms.bias2, [9.0, 1.0])  # means 3 and 2
    np.testing.assert_allclose(terms.variance, [8.0 / 3.0, 0.0])  # population variance (ddof=0)
    np.testing.assert_allclose(terms.noise, [0.0625, 0.0625])


def test_terms_reject_a_single_training_set():
    with pytest.raises(ValueError, match="at least two rows"):
        bias_variance_terms(np.ones((1, 3)), np.zeros(3), sigma=0.1)


@pytest.mark.parametrize("degree", [1, 3, 6])
def test_simulated_terms_match_closed_form(degree):
    n_sims, sigma = 40_000, 0.4
    s = simulate_bias_variance(sigma=sigma, degree=degree, n_train=15, n_sims=n_sims, seed=degree)
    terms = bias_variance_terms(s.f_hat, s.f, sigma=sigma)
    bias2, variance = closed_form(degree, 15, sigma)
    # Monte Carlo: the sample variance has relative std sqrt(2 / n_sims) = 0.7%; 5e-2 is > 6 std
    np.testing.assert_allclose(terms.variance, variance, rtol=5e-2)
    # the sample mean of f_hat has std sqrt(variance / n_sims); bias² moves by ~2 |bias| that std
    tol = 6 * (2 * np.sqrt(bias2) * np.sqrt(variance / n_sims) + variance / n_sims)
    assert np.all(np.abs(terms.bias2 - bias2) <= tol)


def test_decomposition_holds_on_simulated_samples():
    sigma = 0.5
    s = simulate_bias_variance(sigma=sigma, degree=3, n_train=20, n_sims=100_000, seed=11)
    lhs = np.mean((s.y - s.f_hat) ** 2, axis=0)
    terms = bias_variance_terms(s.f_hat, s.f, sigma=sigma)
    # relative Monte-Carlo error about sqrt(2 / 1e5) = 0.45%
    np.testing.assert_allclose(lhs, terms.bias2 + terms.variance + terms.noise, rtol=3e-2)


def test_test_targets_carry_fresh_noise_of_the_right_size():
    s = simulate_bias_variance(sigma=0.7, degree=1, n_train=10, n_sims=50_000, seed=2)
    noise = s.y - s.f
    assert abs(noise.std() - 0.7) < 0.01
    # test noise is independent of the fitted models
    assert abs(np.corrcoef(noise[:, 0], s.f_hat[:, 0])[0, 1]) < 0.02


def test_simulation_rejects_too_few_training_points():
    with pytest.raises(ValueError, match="n_train=4 must be larger than degree=4"):
        simulate_bias_variance(sigma=0.1, degree=4, n_train=4, n_sims=10, seed=0)


def test_curve_matches_closed_form_and_shows_the_trade_off():
    degrees = [0, 1, 3, 5, 7]
    sigma = 0.3
    c = bias_variance_curve(degrees, sigma=sigma, n_train=15, n_sims=40_000, seed=0)
    exact = [closed_form(d, 15, sigma) for d in degrees]
    exact_bias2 = np.array([b.mean() for b, _ in exact])
    exact_var = np.array([v.mean() for _, v in exact])
    np.testing.assert_allclose(c.variance, exact_var, rtol=5e-2)
    np.testing.assert_allclose(c.bias2, exact_bias2, rtol=5e-2, atol=2e-4)
    np.testing.assert_allclose(c.noise, sigma**2)
    # the trade-off, from the closed form: variance grows with the degree (nested models), bias falls
    assert np.all(np.diff(exact_var) > 0)
    assert exact_bias2[0] > exact_bias2[2] > exact_bias2[4]
    np.testing.assert_allclose(c.expected_error, c.bias2 + c.variance + c.noise, rtol=3e-2)
