"""ReLU, GELU, argmax, cross-entropy and accuracy against torch (and scikit-learn for accuracy)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score

from studylog.cnn import accuracy, cross_entropy, gelu, gelu_parts, predict, relu

X = np.linspace(-4.0, 4.0, 81)


def test_relu_is_torch_relu() -> None:
    np.testing.assert_array_equal(relu(X), torch.relu(torch.tensor(X)).numpy())


def test_gelu_is_torch_exact_gelu_and_its_cdf_is_torchs_normal_cdf() -> None:
    t = torch.tensor(X)
    np.testing.assert_allclose(gelu(X), torch.nn.functional.gelu(t).numpy(), rtol=1e-14, atol=1e-15)
    normal = torch.distributions.Normal(torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))
    np.testing.assert_allclose(gelu_parts(X).cdf, normal.cdf(t).numpy(), rtol=1e-13, atol=1e-15)


def test_predict_is_torch_argmax() -> None:
    logits = np.random.default_rng(0).standard_normal((50, 7))
    np.testing.assert_array_equal(predict(logits), torch.argmax(torch.tensor(logits), dim=1).numpy())


def test_cross_entropy_of_softmax_is_torch_cross_entropy() -> None:
    rng = np.random.default_rng(1)
    logits, labels = rng.standard_normal((20, 5)), rng.integers(0, 5, 20)
    probs = torch.softmax(torch.tensor(logits), dim=1).numpy()
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels), reduction="none").numpy()
    np.testing.assert_allclose(cross_entropy(probs, labels), expected, rtol=1e-12, atol=1e-14)


def test_accuracy_is_sklearns() -> None:
    rng = np.random.default_rng(2)
    predicted, labels = rng.integers(0, 3, 40), rng.integers(0, 3, 40)
    assert accuracy(predicted, labels) == pytest.approx(accuracy_score(labels, predicted), abs=0)


def test_bad_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="class indices"):
        cross_entropy(np.full((2, 3), 0.5), np.array([0, 3]))
