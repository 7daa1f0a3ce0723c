"""Mixup: the mixing formulas on hand-computable cases, and a batch rebuilt from its lambda and permutation."""

from __future__ import annotations

import numpy as np
import pytest

from studylog.regularization import mix_pair, mixup_batch, sample_mixing_weight


def test_mix_pair_by_hand():
    mixed = mix_pair(np.array([2.0, 0.0]), np.array([0.0, 4.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0]), lam=0.25)
    np.testing.assert_allclose(mixed.x, [0.5, 3.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(mixed.y, [0.25, 0.75], rtol=0, atol=1e-15)


def test_lambda_one_and_zero_return_one_partner():
    a, b = np.arange(4.0), -np.arange(4.0)
    np.testing.assert_array_equal(mix_pair(a, b, a, b, lam=1.0).x, a)
    np.testing.assert_array_equal(mix_pair(a, b, a, b, lam=0.0).x, b)


def test_batch_is_lambda_mix_with_the_permuted_batch():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3, 2, 2))
    y = np.eye(6)[rng.integers(0, 6, size=6)]
    batch = mixup_batch(x, y, alpha=0.4, rng=np.random.default_rng(42))
    # the same draws, made independently with numpy: lambda first, then the permutation
    reference = np.random.default_rng(42)
    lam, perm = reference.beta(0.4, 0.4), reference.permutation(6)
    assert batch.lam == pytest.approx(lam, rel=0, abs=0)
    np.testing.assert_array_equal(batch.perm, perm)
    np.testing.assert_allclose(batch.x, lam * x + (1 - lam) * x[perm], rtol=0, atol=1e-15)
    np.testing.assert_allclose(batch.y.sum(axis=1), 1.0, rtol=0, atol=1e-15)


def test_mixing_weight_follows_beta_mean_and_variance():
    rng = np.random.default_rng(3)
    alpha, n = 0.5, 50_000
    draws = np.array([sample_mixing_weight(alpha=alpha, rng=rng) for _ in range(n)])
    # Beta(a, a): mean 1/2, variance 1 / (4 (2a + 1)) = 1/8 here; 5 standard errors
    assert abs(draws.mean() - 0.5) < 5 * np.sqrt(1 / 8 / n)
    assert abs(draws.var() - 1 / 8) < 0.01
    assert sample_mixing_weight(alpha=0.0, rng=rng) == 1.0


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match=r"x_j has shape \(3,\) but x_i has shape \(2,\)"):
        mix_pair(np.zeros(2), np.zeros(3), np.zeros(2), np.zeros(2), lam=0.5)
    with pytest.raises(ValueError, match=r"y_j has shape \(1, 2\) but y_i has shape \(2,\)"):
        mix_pair(np.zeros(2), np.zeros(2), np.zeros(2), np.zeros((1, 2)), lam=0.5)
    with pytest.raises(ValueError, match="lam=1.2"):
        mix_pair(np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2), lam=1.2)
    with pytest.raises(ValueError, match="alpha=-1.0"):
        mixup_batch(np.zeros((2, 2)), np.eye(2), alpha=-1.0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="y has 3 rows but x has 2"):
        mixup_batch(np.zeros((2, 2)), np.eye(3), alpha=1.0, rng=np.random.default_rng(0))
