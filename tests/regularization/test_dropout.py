"""Dropout: inverted scaling against torch.nn.functional.dropout, preserved expectation, bad p."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from studylog.regularization import dropout, dropout_with_mask, sample_dropout, sample_keep_mask


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_matches_torch_dropout_given_torchs_mask(p):
    torch.manual_seed(0)
    h = torch.rand(40, 30, dtype=torch.float64) + 0.5  # no zeros, so a zero output means "dropped"
    out = torch.nn.functional.dropout(h, p=p, training=True)
    mask = (out != 0).double()
    ours = dropout_with_mask(h.numpy(), mask.numpy(), p=p)
    # same zeros, and the kept entries scaled by 1/(1-p); torch multiplies by the precomputed 1/(1-p): 1 ulp apart
    np.testing.assert_array_equal(ours == 0, out.numpy() == 0)
    np.testing.assert_allclose(ours, out.numpy(), rtol=4e-16, atol=0)
    kept = mask.bool()
    np.testing.assert_allclose((out[kept] / h[kept]).numpy(), 1 / (1 - p), rtol=4e-16)


def test_expectation_is_preserved_within_five_standard_errors():
    h = np.array([0.5, 1.0, 2.0, -3.0])
    p, n = 0.4, 200_000
    samples = sample_dropout(h, p=p, n_samples=n, seed=1).h_tilde
    # each sample is h/(1-p) with prob 1-p, else 0: std = |h| sqrt(p/(1-p))
    stderr = np.abs(h) * math.sqrt(p / (1 - p)) / math.sqrt(n)
    assert np.all(np.abs(samples.mean(axis=0) - h) < 5 * stderr)


def test_keep_rate_is_one_minus_p():
    p, n = 0.3, 100_000
    mask = sample_keep_mask((n,), p=p, rng=np.random.default_rng(2))
    assert set(np.unique(mask).tolist()) == {0.0, 1.0}
    assert abs(mask.mean() - (1 - p)) < 5 * math.sqrt(p * (1 - p) / n)


def test_eval_mode_and_p_zero_are_the_identity():
    h = np.random.default_rng(0).normal(size=(3, 4))
    np.testing.assert_array_equal(dropout(h, p=0.5, rng=np.random.default_rng(0), training=False), h)
    np.testing.assert_array_equal(dropout(h, p=0.0, rng=np.random.default_rng(0)), h)


def test_dropout_by_hand():
    np.testing.assert_allclose(
        dropout_with_mask(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, 0.0, 1.0]), p=0.75),
        [4.0, 0.0, 0.0, 16.0],
        rtol=0,
        atol=1e-15,
    )


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, math.nan])
def test_p_outside_zero_one_raises_naming_p(p):
    with pytest.raises(ValueError, match=r"p=.* must lie in \[0, 1\)"):
        dropout(np.ones(3), p=p, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"p=.* must lie in \[0, 1\)"):
        dropout_with_mask(np.ones(3), np.ones(3), p=p)


def test_mask_shape_mismatch_names_m():
    with pytest.raises(ValueError, match=r"m has shape \(2,\) but h has shape \(3,\)"):
        dropout_with_mask(np.ones(3), np.ones(2), p=0.5)
