"""Softmax against torch.softmax, by hand, and on scores that overflow the naive formula."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studylog.nn import softmax


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_matches_torch_softmax(axis):
    x = torch.randn(4, 6, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 4
    np.testing.assert_allclose(softmax(x.numpy(), axis=axis), torch.softmax(x, dim=axis).numpy(), rtol=1e-14, atol=1e-15)


def test_by_hand_and_shift_invariance():
    got = softmax(np.array([[0.0, np.log(2.0), np.log(5.0)]]))
    np.testing.assert_allclose(got, [[0.125, 0.25, 0.625]], rtol=1e-14)
    np.testing.assert_allclose(softmax(np.array([1000.0, 1001.0])), softmax(np.array([0.0, 1.0])), rtol=1e-14)
    np.testing.assert_array_equal(softmax(np.array([1000.0, -1000.0])), [1.0, 0.0])  # naive exp(1000) = inf


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="x must have at least one axis"):
        softmax(np.float64(1.0))
    with pytest.raises(ValueError, match="axis=2"):
        softmax(np.zeros((2, 2)), axis=2)
