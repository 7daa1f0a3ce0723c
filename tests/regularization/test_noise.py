"""Noise robustness: statistical properties of the seeded Gaussian noise, and the ridge identity for a linear model."""

from __future__ import annotations

import numpy as np
import pytest

from studylog.regularization import add_gaussian_noise, input_noise, sample_input_noise, weight_noise

N = 200_000


@pytest.mark.parametrize("sigma", [0.1, 0.5, 2.0])
def test_input_noise_has_mean_zero_and_std_sigma(sigma):
    x = np.full(N, 3.0)
    noise = input_noise(x, sigma=sigma, rng=np.random.default_rng(0)) - x
    # tolerances: 5 standard errors; the std of a sample std is about sigma / sqrt(2N)
    assert abs(noise.mean()) < 5 * sigma / np.sqrt(N)
    assert abs(noise.std() - sigma) < 5 * sigma / np.sqrt(2 * N)


def test_noise_is_reproducible_from_the_seed_and_independent_across_entries():
    x = np.zeros((N // 2, 2))
    a = input_noise(x, sigma=1.0, rng=np.random.default_rng(7))
    b = input_noise(x, sigma=1.0, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    # the two columns are uncorrelated: |r| below 5 standard errors (1/sqrt(n))
    assert abs(np.corrcoef(a[:, 0], a[:, 1])[0, 1]) < 5 / np.sqrt(N // 2)


def test_weight_noise_statistics_and_originals_untouched():
    params = {"w1": np.ones((300, 300)), "b1": np.zeros(N)}
    noisy = weight_noise(params, sigma=0.3, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(params["w1"], 1.0)  # the input mapping is not modified
    for name, clean in params.items():
        noise = noisy[name] - clean
        n = noise.size
        assert abs(noise.mean()) < 5 * 0.3 / np.sqrt(n)
        assert abs(noise.std() - 0.3) < 5 * 0.3 / np.sqrt(2 * n)
    assert list(noisy) == ["w1", "b1"]


def test_add_gaussian_noise_by_hand():
    np.testing.assert_allclose(
        add_gaussian_noise(np.array([1.0, -1.0]), np.array([2.0, 0.5]), sigma=0.25), [1.5, -0.875], rtol=0, atol=1e-15
    )


def test_input_noise_on_a_linear_model_adds_a_ridge_penalty_in_expectation():
    # Bishop (1995): E[(y - w.(x + xi))^2] = (y - w.x)^2 + sigma^2 |w|^2, checked by Monte-Carlo (2 % tolerance:
    # the relative standard error with 200,000 draws is below 0.35 %)
    rng = np.random.default_rng(5)
    w, x, y, sigma = rng.normal(size=4), rng.normal(size=4), 0.7, 0.6
    xi = sample_input_noise(sigma=sigma, shape=(4,), n_samples=N, seed=11).xi  # (4, N): one draw per column
    lhs = np.mean((y - w @ (x[:, None] + xi)) ** 2)
    rhs = (y - x @ w) ** 2 + sigma**2 * np.sum(w**2)
    assert lhs == pytest.approx(rhs, rel=2e-2)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="sigma=-1.0"):
        input_noise(np.zeros(3), sigma=-1.0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"z has shape \(2,\) but x has shape \(3,\)"):
        add_gaussian_noise(np.zeros(3), np.zeros(2), sigma=1.0)
    with pytest.raises(ValueError, match="n_samples=0"):
        sample_input_noise(sigma=1.0, shape=(2,), n_samples=0, seed=0)
