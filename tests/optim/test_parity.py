"""Trajectory parity, float64, 100 steps on quad / quad_tiny / rosen.

* our ``torch.optim.Optimizer`` subclasses vs the reference (``torch.optim`` single-tensor path; the ``adamp``
  package for AdamP), every iterate to 1e-12 absolute, and the final state entries too;
* our numpy step functions vs our torch subclasses, step by step with the numpy state re-synced from torch
  before every step (PyTorch's ``TensorTracker`` idea: errors cannot compound), for every config including the
  lecture conventions; and free-running on ``quad``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.testing import assert_close

from studylog.optim.problems import PROBLEM_NAMES
from tests.optim.cases import ALL_CASES, CASES, Case, oracle, take_step, tensor_state

STEPS = 100


def _param(w0: np.ndarray) -> torch.Tensor:
    return torch.tensor(w0, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("problem_name", PROBLEM_NAMES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_subclass_trajectory_matches_reference(case: Case, problem_name: str) -> None:
    prob = oracle(case, problem_name)
    w, v = _param(prob.w0), _param(prob.w0)
    ours, ref = case.ours([w], problem_name), case.reference([v], problem_name)
    for _ in range(STEPS):
        take_step(ours, [w], prob.grad)
        take_step(ref, [v], prob.grad)
        assert_close(w, v, atol=1e-12, rtol=0)
    assert np.abs(w.detach().numpy() - prob.w0).max() > 0, "the run did not move: a vacuous comparison"
    expected = tensor_state(ref.state[v])
    assert set(tensor_state(ours.state[w])) == set(expected)
    for key, value in expected.items():
        assert_close(ours.state[w][key], value, atol=1e-12, rtol=0)
    if "step" in ours.state[w]:
        assert float(ours.state[w]["step"]) == float(ref.state[v]["step"]) == STEPS


@pytest.mark.parametrize("problem_name", PROBLEM_NAMES)
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_numpy_step_matches_subclass_step(case: Case, problem_name: str) -> None:
    prob = oracle(case, problem_name)
    w = _param(prob.w0)
    ours, mirror = case.ours([w], problem_name), case.numpy(problem_name)
    for step in range(STEPS):
        W = w.detach().numpy().copy()
        mirror.state = {k: t.numpy().copy() for k, t in tensor_state(ours.state[w]).items()}
        mirror.t = step
        W_next = mirror.step(W, prob.grad)
        take_step(ours, [w], prob.grad)
        assert_close(torch.from_numpy(np.asarray(W_next)), w.detach(), atol=1e-13, rtol=1e-12)
        for key, value in tensor_state(ours.state[w]).items():
            assert_close(torch.from_numpy(np.asarray(mirror.state[key])), value, atol=1e-13, rtol=1e-12)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_numpy_free_run_matches_subclass_on_quad(case: Case) -> None:
    prob = oracle(case, "quad")
    w = _param(prob.w0)
    ours, mirror = case.ours([w], "quad"), case.numpy("quad")
    W = prob.w0.copy()
    for _ in range(STEPS):
        W = mirror.step(W, prob.grad)
        take_step(ours, [w], prob.grad)
    assert_close(torch.from_numpy(W), w.detach(), atol=1e-12, rtol=0)


@pytest.mark.parametrize("shape", [(), (2, 3, 4)], ids=["0d", "3d"])
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_numpy_step_handles_any_shape(case: Case, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    W0 = rng.standard_normal(shape)
    target = rng.standard_normal(shape)
    prob = oracle(case, "quad")._replace(w0=W0, grad=lambda w: 2.0 * (w - target))
    prob = prob._replace(grad=(lambda w: -2.0 * (w - target))) if case.kwargs.get("maximize") else prob
    w = _param(W0)
    ours, mirror = case.ours([w]), case.numpy()
    W = W0.copy()
    for _ in range(10):
        W = mirror.step(W, prob.grad)
        take_step(ours, [w], prob.grad)
    assert np.shape(W) == shape
    assert_close(torch.from_numpy(np.asarray(W)), w.detach(), atol=1e-12, rtol=0)
