"""Batch normalization against torch.nn.BatchNorm1d/2d in train and eval modes, running statistics included."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studylog.regularization import batch_norm_eval, batch_norm_folded, batch_norm_train

SHAPES = [
    (torch.nn.BatchNorm1d, (7, 3)),
    (torch.nn.BatchNorm1d, (5, 4, 6)),
    (torch.nn.BatchNorm2d, (4, 3, 5, 6)),
]
TOL = {"rtol": 1e-12, "atol": 1e-12}


def _layer(cls, channels: int, *, momentum: float, eps: float, seed: int) -> torch.nn.Module:
    gen = torch.Generator().manual_seed(seed)
    layer = cls(channels, eps=eps, momentum=momentum, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.rand(channels, dtype=torch.float64, generator=gen) + 0.5)
        layer.bias.copy_(torch.randn(channels, dtype=torch.float64, generator=gen))
        layer.running_mean.copy_(torch.randn(channels, dtype=torch.float64, generator=gen))
        layer.running_var.copy_(torch.rand(channels, dtype=torch.float64, generator=gen) + 0.5)
    return layer


def _params(layer: torch.nn.Module) -> dict[str, np.ndarray]:
    return {
        "gamma": layer.weight.detach().numpy().copy(),
        "beta": layer.bias.detach().numpy().copy(),
        "running_mean": layer.running_mean.numpy().copy(),
        "running_var": layer.running_var.numpy().copy(),
    }


@pytest.mark.parametrize(("cls", "shape"), SHAPES)
def test_train_mode_matches_torch_over_three_steps(cls, shape):
    layer = _layer(cls, shape[1], momentum=0.3, eps=1e-3, seed=1).train()
    params = _params(layer)
    gen = torch.Generator().manual_seed(2)
    for _ in range(3):  # the running statistics carry over from step to step
        x = torch.randn(*shape, dtype=torch.float64, generator=gen) * 2 + 1
        expected = layer(x).detach().numpy()
        ours = batch_norm_train(x.numpy(), momentum=0.3, eps=1e-3, **params)
        np.testing.assert_allclose(ours.y, expected, **TOL)
        np.testing.assert_allclose(ours.running_mean, layer.running_mean.numpy(), **TOL)
        np.testing.assert_allclose(ours.running_var, layer.running_var.numpy(), **TOL)
        params["running_mean"], params["running_var"] = ours.running_mean, ours.running_var


@pytest.mark.parametrize(("cls", "shape"), SHAPES)
def test_eval_mode_matches_torch_and_leaves_running_stats(cls, shape):
    layer = _layer(cls, shape[1], momentum=0.1, eps=1e-5, seed=3).eval()
    params = _params(layer)
    x = torch.randn(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    expected = layer(x).detach().numpy()
    np.testing.assert_allclose(batch_norm_eval(x.numpy(), eps=1e-5, **params), expected, **TOL)
    np.testing.assert_allclose(batch_norm_folded(x.numpy(), eps=1e-5, **params), expected, **TOL)
    np.testing.assert_array_equal(layer.running_mean.numpy(), params["running_mean"])  # eval does not update


def test_batch_statistics_against_numpy():
    x = np.random.default_rng(5).normal(size=(6, 2, 3, 3))
    ours = batch_norm_train(x, gamma=1.0, beta=0.0, running_mean=0.0, running_var=1.0, eps=1e-5)
    np.testing.assert_allclose(ours.mean, x.mean(axis=(0, 2, 3)), **TOL)
    np.testing.assert_allclose(ours.var, x.var(axis=(0, 2, 3), ddof=0), **TOL)
    # x_hat has mean 0 and (almost) variance 1 per channel
    np.testing.assert_allclose(ours.x_hat.mean(axis=(0, 2, 3)), 0.0, atol=1e-14)
    np.testing.assert_allclose(ours.x_hat.var(axis=(0, 2, 3)), ours.var / (ours.var + 1e-5), **TOL)
    # running variance uses the unbiased batch variance: m = 6 * 3 * 3 = 54
    np.testing.assert_allclose(ours.running_var, 0.9 + 0.1 * x.var(axis=(0, 2, 3), ddof=1), **TOL)


def test_one_channel_vector_matches_batchnorm1d_on_a_column():
    layer = _layer(torch.nn.BatchNorm1d, 1, momentum=0.2, eps=1e-4, seed=6).train()
    params = {k: float(v[0]) for k, v in _params(layer).items()}
    x = np.random.default_rng(7).normal(size=9)
    expected = layer(torch.from_numpy(x)[:, None]).detach().numpy()[:, 0]
    ours = batch_norm_train(x, momentum=0.2, eps=1e-4, **params)
    np.testing.assert_allclose(ours.y, expected, **TOL)
    np.testing.assert_allclose(ours.running_var, layer.running_var.numpy()[0], **TOL)


def test_bad_inputs_name_the_argument():
    ok = {"gamma": 1.0, "beta": 0.0, "running_mean": 0.0, "running_var": 1.0}
    with pytest.raises(ValueError, match="at least 2"):
        batch_norm_train(np.ones((1, 3)), **ok)
    with pytest.raises(ValueError, match=r"gamma must be a scalar or have shape \(3,\)"):
        batch_norm_train(np.ones((4, 3)), **{**ok, "gamma": np.ones(2)})
    with pytest.raises(ValueError, match=r"running_var must be a scalar or have shape \(3,\)"):
        batch_norm_eval(np.ones((4, 3)), **{**ok, "running_var": np.ones((3, 1))})
    with pytest.raises(ValueError, match="momentum=1.5"):
        batch_norm_train(np.ones((4, 3)), momentum=1.5, **ok)
    with pytest.raises(ValueError, match="eps=-1.0"):
        batch_norm_eval(np.ones((4, 3)), eps=-1.0, **ok)
