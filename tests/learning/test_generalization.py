"""Risk, polynomial least squares and the generalization gap, against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error as sk_mse
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

from studylog.learning import (
    Dataset,
    fit_polynomial,
    gap_by_degree,
    generalization_gap,
    make_sine_data,
    mean_squared_error,
    polynomial_gap,
    vandermonde,
)

RTOL = 1e-9  # least squares solved two different ways (lstsq vs sklearn's) agree to ~1e-12 here


def sk_poly(degree: int):
    return make_pipeline(PolynomialFeatures(degree), LinearRegression())


def test_mse_matches_sklearn():
    rng = np.random.default_rng(0)
    y, y_hat = rng.normal(size=11), rng.normal(size=11)
    assert mean_squared_error(y, y_hat) == pytest.approx(sk_mse(y, y_hat), rel=1e-14)


def test_mse_over_leading_axis_matches_sklearn_multioutput():
    rng = np.random.default_rng(1)
    y, y_hat = rng.normal(size=(9, 3)), rng.normal(size=(9, 3))
    expected = sk_mse(y, y_hat, multioutput="raw_values")
    np.testing.assert_allclose(mean_squared_error(y, y_hat), expected, rtol=1e-14)


def test_mse_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        mean_squared_error([1.0, 2.0], [1.0, 2.0, 3.0])


def test_vandermonde_is_polynomial_features():
    x = np.array([0.5, -1.0, 2.0, 3.0])
    np.testing.assert_array_equal(vandermonde(x, 3), PolynomialFeatures(3).fit_transform(x[:, None]))


@pytest.mark.parametrize("degree", [0, 1, 3, 6])
def test_polynomial_fit_matches_sklearn(degree):
    data = make_sine_data(25, sigma=0.3, seed=degree)
    grid = np.linspace(0.0, 1.0, 17)
    ours = fit_polynomial(data.x, data.y, degree=degree)(grid)
    ref = sk_poly(degree).fit(data.x[:, None], data.y).predict(grid[:, None])
    np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=1e-10)


def test_polynomial_fit_rejects_negative_degree():
    with pytest.raises(ValueError, match="degree=-1"):
        fit_polynomial([0.0, 1.0], [0.0, 1.0], degree=-1)


def test_sine_data_is_sine_plus_gaussian_noise():
    data = make_sine_data(20_000, sigma=0.5, seed=3)
    residual = data.y - np.sin(2 * np.pi * data.x)
    # mean 0 and std 0.5 within 5 standard errors (std error of the std ~ 0.5 / sqrt(2n))
    assert abs(residual.mean()) < 5 * 0.5 / np.sqrt(20_000)
    assert abs(residual.std() - 0.5) < 5 * 0.5 / np.sqrt(2 * 20_000)
    assert 0.0 <= data.x.min() and data.x.max() < 1.0


def test_generalization_gap_by_hand():
    train = Dataset(x=np.array([0.0, 1.0, 2.0]), y=np.array([0.0, 1.0, 4.0]))
    test = Dataset(x=np.array([3.0]), y=np.array([5.0]))
    result = generalization_gap(lambda x: 2.0 * x - 0.5, train, test)
    # training residuals: 0.5, -0.5, 0.5 -> 0.25; test residual 5 - 5.5 -> 0.25
    assert result.train_error == pytest.approx(0.25)
    assert result.test_error == pytest.approx(0.25)
    assert result.gap == pytest.approx(0.0)


@pytest.mark.parametrize("degree", [1, 3, 5])
def test_polynomial_gap_matches_sklearn_pipeline(degree):
    result = polynomial_gap(degree=degree, n_train=15, n_test=300, sigma=0.3, seed=4)
    train = make_sine_data(15, sigma=0.3, seed=4)
    test = make_sine_data(300, sigma=0.3, seed=5)
    model = sk_poly(degree).fit(train.x[:, None], train.y)
    train_error = sk_mse(train.y, model.predict(train.x[:, None]))
    test_error = sk_mse(test.y, model.predict(test.x[:, None]))
    assert result.train_error == pytest.approx(train_error, rel=1e-8)
    assert result.test_error == pytest.approx(test_error, rel=1e-8)
    assert result.gap == pytest.approx(test_error - train_error, rel=1e-8)


def test_degree_9_fit_matches_numpy_polynomial_fit():
    # On 15 points the degree-9 design is badly conditioned: sklearn's LinearRegression truncates small
    # singular values there and returns a worse fit (training MSE 0.111 vs 0.065), so the reference is
    # numpy's Polynomial.fit, which also works in the rescaled variable.
    result = polynomial_gap(degree=9, n_train=15, n_test=300, sigma=0.3, seed=4)
    train = make_sine_data(15, sigma=0.3, seed=4)
    test = make_sine_data(300, sigma=0.3, seed=5)
    ref = np.polynomial.Polynomial.fit(train.x, train.y, 9)
    assert result.train_error == pytest.approx(np.mean((train.y - ref(train.x)) ** 2), rel=1e-8)
    assert result.test_error == pytest.approx(np.mean((test.y - ref(test.x)) ** 2), rel=1e-8)


def test_gap_curve_shows_overfitting():
    curve = gap_by_degree([1, 3, 9], n_train=15, n_test=1000, sigma=0.3, seed=0)
    # nested least-squares models: more degrees never increase the training error
    assert np.all(np.diff(curve.train_error) <= 1e-12)
    # the degree-9 fit on 15 points overfits: its gap is the largest
    assert np.argmax(curve.gap) == 2
    np.testing.assert_allclose(curve.gap, curve.test_error - curve.train_error, rtol=0, atol=1e-15)


def test_gap_curve_rejects_empty_degrees():
    with pytest.raises(ValueError, match="degrees"):
        gap_by_degree([], n_train=10, n_test=10, sigma=0.1, seed=0)
