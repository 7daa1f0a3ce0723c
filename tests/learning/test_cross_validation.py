"""k-fold splitting and cross-validation, against scikit-learn's KFold and cross_val_score."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

from studylog.learning import (
    cross_validate,
    cv_by_degree,
    cv_estimate,
    fold_sizes,
    kfold_splits,
    make_sine_data,
    polynomial_fitter,
)

CASES = [(10, 2), (10, 3), (11, 4), (7, 7), (23, 5), (100, 10)]


@pytest.mark.parametrize(("n", "k"), CASES)
def test_unshuffled_splits_equal_sklearn_kfold(n, k):
    ours = kfold_splits(n, k)
    ref = list(KFold(n_splits=k, shuffle=False).split(np.zeros((n, 1))))
    assert len(ours) == len(ref) == k
    for fold, (train, test) in zip(ours, ref, strict=True):
        np.testing.assert_array_equal(fold.train, train)
        np.testing.assert_array_equal(fold.validation, test)


@pytest.mark.parametrize(("n", "k"), CASES)
@pytest.mark.parametrize("shuffle", [False, True])
def test_validation_folds_cover_every_sample_once(n, k, shuffle):
    folds = kfold_splits(n, k, shuffle=shuffle, seed=7)
    validation = np.concatenate([f.validation for f in folds])
    np.testing.assert_array_equal(np.sort(validation), np.arange(n))
    for fold in folds:
        # training part = the complement of the validation part
        assert set(fold.train) | set(fold.validation) == set(range(n))
        assert not set(fold.train) & set(fold.validation)


@pytest.mark.parametrize(("n", "k"), CASES)
def test_shuffled_fold_sizes_equal_sklearn(n, k):
    ours = [len(f.validation) for f in kfold_splits(n, k, shuffle=True, seed=0)]
    ref = [len(test) for _, test in KFold(n_splits=k, shuffle=True, random_state=0).split(np.zeros((n, 1)))]
    assert ours == ref
    assert list(fold_sizes(n, k)) == ref


def test_shuffle_is_deterministic_and_actually_shuffles():
    a = kfold_splits(30, 3, shuffle=True, seed=1)
    b = kfold_splits(30, 3, shuffle=True, seed=1)
    c = kfold_splits(30, 3, shuffle=True, seed=2)
    for fa, fb in zip(a, b, strict=True):
        np.testing.assert_array_equal(fa.validation, fb.validation)
    assert any(not np.array_equal(fa.validation, fc.validation) for fa, fc in zip(a, c, strict=True))
    assert not np.array_equal(a[0].validation, np.arange(10))


@pytest.mark.parametrize(
    ("n", "k", "message"),
    [
        (5, 10, "k=10 is larger than the number of samples n=5"),
        (5, 1, "k=1 must be at least 2"),
        (5, 0, "k=0 must be at least 2"),
        (5, 2.5, "k=2.5 must be an integer"),
    ],
)
def test_bad_k_raises_value_error_naming_k(n, k, message):
    with pytest.raises(ValueError, match=message):
        kfold_splits(n, k)


def test_cv_estimate_is_the_mean():
    errors = np.array([0.3, 1.2, 0.6, 0.9])
    assert cv_estimate(errors) == pytest.approx(np.sum(errors) / 4, rel=1e-15)


@pytest.mark.parametrize("degree", [1, 3, 5])
def test_cross_validate_matches_sklearn_cross_val_score(degree):
    data = make_sine_data(37, sigma=0.3, seed=degree)
    result = cross_validate(data.x, data.y, fit=polynomial_fitter(degree), k=5)
    model = make_pipeline(PolynomialFeatures(degree), LinearRegression())
    scores = cross_val_score(model, data.x[:, None], data.y, cv=KFold(5), scoring="neg_mean_squared_error")
    np.testing.assert_allclose(result.fold_errors, -scores, rtol=1e-8)
    assert result.estimate == pytest.approx(-scores.mean(), rel=1e-8)


def test_cross_validate_rejects_k_larger_than_n():
    with pytest.raises(ValueError, match="k=8 is larger than the number of samples n=4"):
        cross_validate(np.arange(4.0), np.arange(4.0), fit=polynomial_fitter(1), k=8)


def test_cv_by_degree_picks_the_sklearn_argmin():
    data = make_sine_data(40, sigma=0.3, seed=3)
    degrees = list(range(8))
    curve = cv_by_degree(data.x, data.y, degrees, k=4)
    ref = [
        -cross_val_score(
            make_pipeline(PolynomialFeatures(d), LinearRegression()),
            data.x[:, None],
            data.y,
            cv=KFold(4),
            scoring="neg_mean_squared_error",
        ).mean()
        for d in degrees
    ]
    np.testing.assert_allclose(curve.estimate, ref, rtol=1e-7)
    assert curve.best_degree == degrees[int(np.argmin(ref))]
    assert curve.fold_errors.shape == (8, 4)
