"""Receptive fields measured by back-propagation in torch; initializations sampled from torch.nn.init."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from studylog.cnn import (
    receptive_field,
    sample_kaiming_normal,
    sample_preactivations,
    sample_xavier_uniform,
    uniform_variance,
    xavier_uniform_bound,
)
from studylog.nn import measure_receptive_field


@pytest.mark.parametrize(("kernels", "strides"), [([3, 3, 3], [1, 1, 1]), ([7, 3, 3], [2, 2, 1]), ([5, 3], [3, 1]),
                                                  ([2, 3, 3, 1], [2, 1, 2, 1]), ([1], [2])])  # fmt: skip
def test_receptive_field_is_measured_by_backprop(kernels: list[int], strides: list[int]) -> None:
    torch.manual_seed(0)
    stack = torch.nn.Sequential(*(torch.nn.Conv2d(1, 1, k, stride=s) for k, s in zip(kernels, strides, strict=True)))
    expected = receptive_field(kernels, strides)
    measured = measure_receptive_field(stack, in_channels=1, size=expected.size + 4 * expected.jump + 8)
    assert measured.height == measured.width == expected.size
    assert expected.jump == math.prod(strides)


def test_xavier_bound_is_torchs_largest_sample() -> None:
    w = torch.empty(300, 200, dtype=torch.float64)
    torch.nn.init.xavier_uniform_(w, generator=torch.Generator().manual_seed(0))
    a = xavier_uniform_bound(200, 300)
    assert float(w.abs().max()) <= a < float(w.abs().max()) * 1.001


@pytest.mark.parametrize("a", [0.1, 0.7, 2.0])
def test_uniform_variance_is_the_sample_variance_of_torchs_uniform(a: float) -> None:
    w = torch.empty(2_000_000, dtype=torch.float64).uniform_(-a, a, generator=torch.Generator().manual_seed(1))
    assert float(w.var()) == pytest.approx(uniform_variance(a), rel=5e-3)


def test_simulators_draw_torchs_distributions() -> None:
    xavier = sample_xavier_uniform(20, 30, n_samples=120_000, seed=0).W
    assert np.var(xavier) == pytest.approx(2 / 50, rel=1e-2) and np.abs(xavier).max() <= math.sqrt(6 / 50)
    he = sample_kaiming_normal(40, 30, n_samples=120_000, seed=0).W
    assert np.var(he) == pytest.approx(2 / 40, rel=1.5e-2)
    x = sample_preactivations(1.5, n_samples=200_000, seed=0).x
    assert np.mean(np.maximum(x, 0) ** 2) == pytest.approx(1.5**2 / 2, rel=1.5e-2)
