"""AdamP against the ``adamp`` package (the authors' code) and against ``torch.optim.AdamW``.

Three losses on an 8x16 weight select the three branches: row-wise scale-invariant (channel projection),
tensor-wise scale-invariant (layer projection) and a plain quadratic (no projection). Which branch fired is
read from the package itself (a subclass records what its ``_projection`` did) and from our state.
"""

from __future__ import annotations

import adamp
import numpy as np
import pytest
import torch
from torch.testing import assert_close

from studylog.optim import AdamP, adamp_step, project_radial
from studylog.optim.problems import Problem, matrix_quadratic, scale_invariant

CONFIGS = [{}, {"weight_decay": 1e-2}, {"weight_decay": 1e-2, "nesterov": True}]
BRANCHES = [(scale_invariant("row"), "channel"), (scale_invariant("tensor"), "layer"), (matrix_quadratic(), "none")]


class RecordingAdamP(adamp.AdamP):
    """The package's AdamP, recording which view its projection used at each call."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fired: list[str] = []
        self._tried: list[str] = []

    def _cosine_similarity(self, x, y, eps, view_func):  # noqa: ANN001, ANN202 - the package's signature
        self._tried.append("channel" if view_func == self._channel_view else "layer")
        return super()._cosine_similarity(x, y, eps, view_func)

    def _projection(self, p, grad, perturb, delta, wd_ratio, eps):  # noqa: ANN001, ANN202
        self._tried = []
        perturb, wd = super()._projection(p, grad, perturb, delta, wd_ratio, eps)
        self.fired.append(self._tried[-1] if wd != 1 else "none")
        return perturb, wd


def _param(prob: Problem) -> torch.Tensor:
    return torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)


def _set_grad(p: torch.Tensor, prob: Problem) -> None:
    p.grad = torch.from_numpy(prob.grad(p.detach().numpy().copy()))


@pytest.mark.parametrize("config", CONFIGS, ids=str)
@pytest.mark.parametrize(("prob", "branch"), BRANCHES, ids=lambda x: getattr(x, "name", x))
def test_matches_the_adamp_package(prob: Problem, branch: str, config: dict) -> None:
    w, v = _param(prob), _param(prob)
    ours, ref = AdamP([w], lr=1e-2, **config), RecordingAdamP([v], lr=1e-2, **config)
    views = []
    for _ in range(100):
        _set_grad(w, prob)
        _set_grad(v, prob)
        ours.step()
        ref.step()
        views.append(ours.state[w]["view"])
        assert_close(w, v, atol=1e-12, rtol=0)
    assert ref.fired == [branch] * 100
    assert views == [branch] * 100
    assert_close(ours.state[w]["exp_avg"], ref.state[v]["exp_avg"], atol=1e-12, rtol=0)
    assert_close(ours.state[w]["exp_avg_sq"], ref.state[v]["exp_avg_sq"], atol=1e-12, rtol=0)


@pytest.mark.parametrize(("prob", "branch"), BRANCHES, ids=lambda x: getattr(x, "name", x))
def test_numpy_step_matches_the_subclass(prob: Problem, branch: str) -> None:
    w = _param(prob)
    ours = AdamP([w], lr=1e-2, weight_decay=1e-2)
    m = v = np.zeros_like(prob.w0)
    for t in range(1, 51):
        W = w.detach().numpy().copy()
        s = adamp_step(W, prob.grad(W), m, v, t, lr=1e-2, weight_decay=1e-2)
        _set_grad(w, prob)
        ours.step()
        assert s.view == ours.state[w]["view"] == branch
        assert_close(torch.from_numpy(s.W), w.detach(), atol=1e-13, rtol=1e-12)
        m, v = ours.state[w]["exp_avg"].numpy().copy(), ours.state[w]["exp_avg_sq"].numpy().copy()


@pytest.mark.parametrize("prob", [matrix_quadratic(), scale_invariant("row")._replace(w0=np.ones(5))],
                         ids=["matrix_quadratic", "vector"])  # fmt: skip
def test_without_projection_it_is_adamw_exactly(prob: Problem) -> None:
    if prob.w0.ndim == 1:  # a 1-d weight with a gradient orthogonal to it: still never projected
        prob = prob._replace(grad=lambda w: np.array([1.0, -1.0, 0.0, 0.0, 0.0]) * 1e-3)
    w, v = _param(prob), _param(prob)
    ours = AdamP([w], lr=1e-2, weight_decay=0.05)
    ref = torch.optim.AdamW([v], lr=1e-2, weight_decay=0.05, foreach=False)
    for _ in range(100):
        _set_grad(w, prob)
        _set_grad(v, prob)
        ours.step()
        ref.step()
        assert ours.state[w]["view"] == "none"
        assert torch.equal(w, v)  # bitwise: the same operations as torch's AdamW


def test_projection_removes_the_radial_component_row_by_row() -> None:
    rng = np.random.default_rng(0)
    W, p = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    proj = project_radial(p, W, eps=0.0, view="channel")
    np.testing.assert_allclose(np.sum(proj.p * W, axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(proj.w_hat, axis=1), 1.0, atol=1e-14)
    layer = project_radial(p, W, eps=0.0, view="layer")
    assert abs(np.sum(layer.p * W)) < 1e-12
    assert np.abs(np.sum(layer.p * W, axis=1)).max() > 1e-3  # layer-wise only
    # with eps > 0 the unit vector is w / (|w| + eps): orthogonal up to O(eps / |w|)
    eps_proj = project_radial(p, W, eps=1e-8, view="channel")
    assert np.abs(np.sum(eps_proj.p * W, axis=1)).max() < 1e-6


@pytest.mark.parametrize("kind", ["row", "tensor"])
def test_norm_grows_more_slowly_than_under_adamw(kind: str) -> None:
    prob = scale_invariant(kind)
    w, v = _param(prob), _param(prob)
    ours, ref = AdamP([w], lr=1e-2), torch.optim.AdamW([v], lr=1e-2, weight_decay=0.0, foreach=False)
    for _ in range(100):
        _set_grad(w, prob)
        _set_grad(v, prob)
        ours.step()
        ref.step()
    norm0 = np.linalg.norm(prob.w0)
    growth_adamp, growth_adamw = float(w.detach().norm()) - norm0, float(v.detach().norm()) - norm0
    assert 0 < growth_adamp < 0.5 * growth_adamw


def test_zero_rows_match_the_package_without_nan() -> None:
    # a zero weight row: its cosine is 0 (norms clamped by eps), the channel view fires
    W0 = np.random.default_rng(3).standard_normal((3, 4))
    W0[1] = 0.0
    g = np.random.default_rng(4).standard_normal((3, 4))
    g -= W0 * (np.sum(g * W0, axis=1, keepdims=True) / np.maximum(np.sum(W0 * W0, axis=1, keepdims=True), 1e-30))
    w = torch.tensor(W0, requires_grad=True)
    v = torch.tensor(W0, requires_grad=True)
    ours, ref = AdamP([w], lr=0.1, weight_decay=0.1), RecordingAdamP([v], lr=0.1, weight_decay=0.1)
    for p, opt in ((w, ours), (v, ref)):
        p.grad = torch.from_numpy(g.copy())
        opt.step()
    assert ours.state[w]["view"] == ref.fired[0] == "channel"
    assert torch.isfinite(w).all()
    assert_close(w, v, atol=1e-14, rtol=0)
    s = adamp_step(W0, g, np.zeros_like(W0), np.zeros_like(W0), 1, lr=0.1, weight_decay=0.1)
    np.testing.assert_allclose(s.W, v.detach().numpy(), atol=1e-14, rtol=0)


def test_three_dimensional_weights_use_output_channels_as_rows() -> None:
    rng = np.random.default_rng(5)
    W0 = rng.standard_normal((2, 3, 4))
    g = rng.standard_normal((2, 3, 4))
    rows = W0.reshape(2, -1)
    g = (g.reshape(2, -1) - rows * np.sum(g.reshape(2, -1) * rows, axis=1, keepdims=True)
         / np.sum(rows * rows, axis=1, keepdims=True)).reshape(2, 3, 4)  # fmt: skip
    w, v = torch.tensor(W0, requires_grad=True), torch.tensor(W0, requires_grad=True)
    ours, ref = AdamP([w], lr=0.1), RecordingAdamP([v], lr=0.1)
    for p, opt in ((w, ours), (v, ref)):
        p.grad = torch.from_numpy(g.copy())
        opt.step()
    assert ours.state[w]["view"] == ref.fired[0] == "channel"
    assert_close(w, v, atol=1e-14, rtol=0)
