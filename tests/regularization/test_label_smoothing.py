"""Label smoothing: smoothed targets by hand, and the loss against torch.nn.CrossEntropyLoss(label_smoothing=α)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studylog.regularization import label_smoothing_cross_entropy, one_hot, smooth_labels, soft_cross_entropy


def test_smoothed_one_hot_by_hand():
    # K = 5, alpha = 0.1: the true class keeps 0.9 + 0.02, the others get 0.02
    got = smooth_labels(one_hot(np.array([2]), num_classes=5), alpha=0.1)
    np.testing.assert_allclose(got, [[0.02, 0.02, 0.92, 0.02, 0.02]], rtol=0, atol=1e-15)


def test_smoothed_rows_still_sum_to_one():
    rng = np.random.default_rng(0)
    y = rng.dirichlet(np.ones(7), size=4)
    np.testing.assert_allclose(smooth_labels(y, alpha=0.3).sum(axis=1), 1.0, rtol=0, atol=1e-14)


@pytest.mark.parametrize(("alpha", "num_classes"), [(0.0, 3), (0.1, 5), (0.25, 10), (1.0, 4)])
def test_loss_matches_torch_cross_entropy_with_label_smoothing(alpha, num_classes):
    gen = torch.Generator().manual_seed(num_classes)
    logits = torch.randn(8, num_classes, dtype=torch.float64, generator=gen) * 3
    labels = torch.randint(num_classes, (8,), generator=gen)
    expected = torch.nn.CrossEntropyLoss(label_smoothing=alpha)(logits, labels).item()
    got = label_smoothing_cross_entropy(logits.numpy(), labels.numpy(), alpha=alpha)
    assert got == pytest.approx(expected, rel=1e-13, abs=1e-13)


def test_soft_cross_entropy_matches_torch_with_probability_targets():
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(6, 4, dtype=torch.float64, generator=gen) * 10  # large logits: needs the stable form
    target = torch.softmax(torch.randn(6, 4, dtype=torch.float64, generator=gen), dim=1)
    expected = torch.nn.functional.cross_entropy(logits, target, reduction="none").numpy()
    np.testing.assert_allclose(soft_cross_entropy(logits.numpy(), target.numpy()), expected, rtol=1e-13, atol=1e-13)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="alpha=1.5"):
        smooth_labels(np.eye(3), alpha=1.5)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        label_smoothing_cross_entropy(np.zeros((2, 3)), np.array([0, 3]), alpha=0.1)
    with pytest.raises(ValueError, match=r"labels must have shape \(2,\)"):
        label_smoothing_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]), alpha=0.1)
    with pytest.raises(ValueError, match=r"target has shape \(3,\) but z has shape \(4,\)"):
        soft_cross_entropy(np.zeros(4), np.zeros(3))
