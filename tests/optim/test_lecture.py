"""The lecture's forms against torch: the documented exact mappings and the documented differences.

The engine checks each lecture formula against its ``convention="lecture"`` implementation; here the
lecture forms are run for 100 steps against ``torch.optim`` (the independent reference). Which claim holds
for which method is the registry's ``Lecture.agreement``, so each test runs over the methods that claim it:

* exact mappings (to 1e-12): ``IDENTICAL`` (plain SGD and momentum; Adadelta at lr = 1), ``WITHOUT_EPS``
  (Adagrad/RMSprop/Adam with eps = 0), ``LOOKAHEAD`` (torch's Nesterov iterate equals the lecture's
  look-ahead point Phi_t = W_t - eta beta a_t);
* documented differences: ``DIFFERENT`` (RAdam's paper form), eps on ``quad_tiny`` (where it decides how far
  the run moves), dampening, the lr factor of Adadelta, and NAG's W vs Phi.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.testing import assert_close

from studylog.optim import NAG, Adadelta, Adam
from studylog.optim.compare import lecture_vs_torch, nag_lookahead_gap, numpy_trajectory, torch_trajectory
from studylog.optim.drivers import NumpyOptimizer
from studylog.optim.nag import lookahead_point
from studylog.optim.problems import PROBLEM_NAMES, problem
from studylog.optim.registry import FORM_OPTIONS, Agreement, Method, lookup, with_lecture
from tests.optim.cases import take_step


def NAMES(method: Method) -> str:  # noqa: N802 - pytest ids
    return method.name


def test_the_lookahead_comparison_covers_every_method_that_claims_it() -> None:
    assert with_lecture(Agreement.LOOKAHEAD) == (lookup("nag"),)  # nag_lookahead_gap is NAG's


@pytest.mark.parametrize("method", with_lecture(Agreement.IDENTICAL), ids=NAMES)
def test_lecture_equals_torch_where_the_forms_agree(method: Method) -> None:
    # sgd: identical rules; momentum with dampening 0; adadelta at its default lr = 1
    for name, gap in lecture_vs_torch(method.name).items():
        assert gap.diff <= 1e-12, name
        assert gap.scale > 0, name


@pytest.mark.parametrize("method", with_lecture(Agreement.WITHOUT_EPS), ids=NAMES)
def test_eps_zero_makes_lecture_equal_torch(method: Method) -> None:
    for name, gap in lecture_vs_torch(method.name, eps=0.0).items():
        tol = 1e-9 if (method.name, name) == ("rmsprop", "rosen") else 1e-12  # rounding amplified on Rosenbrock
        assert gap.diff <= tol, name


EPS_ZERO_CASES = [
    (m, config)
    for m in with_lecture(Agreement.WITHOUT_EPS)
    for config in ([m.lecture.options] + [c for c in m.lecture_configs if c != m.lecture.options])
]


@pytest.mark.parametrize(("method", "config"), EPS_ZERO_CASES, ids=lambda x: getattr(x, "name", None) or str(x))
def test_every_lecture_config_with_eps_zero_equals_torch(method: Method, config: dict) -> None:
    # the lecture forms' only difference is where eps sits: with eps = 0 every lecture config (also with
    # lr_decay, weight decay, centered, momentum, amsgrad) is torch's rule with the same options
    prob = problem("quad")
    options = {**config, "lr": method.reference_lrs[0], "eps": 0.0}
    torch_options = {k: v for k, v in options.items() if k not in FORM_OPTIONS}
    ref = torch_trajectory(lambda ps: method.reference.build(ps, **torch_options), prob)
    ours = torch_trajectory(lambda ps: method.optimizer(ps, **options), prob)
    mirror = numpy_trajectory(NumpyOptimizer(method.name, **options), prob)
    assert np.abs(ours - ref).max() <= 1e-12
    assert np.abs(mirror - ref).max() <= 1e-12
    assert np.abs(ref - prob.w0).max() > 0.1  # the run moved


@pytest.mark.parametrize(("method", "fraction", "stalls"), [("adagrad", 0.25, False), ("rmsprop", 0.5, True),
                                                         ("adam", 0.5, True)])  # fmt: skip
def test_eps_inside_the_root_changes_the_run_on_tiny_gradients(method: str, fraction: float, stalls: bool) -> None:
    # eps inside the root floors the denominator at sqrt(eps) (1e-5 for Adagrad's 1e-10, 1e-4 for 1e-8), the
    # size of |g| ~ 1e-6 or above: the lecture's form moves much less than torch's, which moves ~lr per step.
    # (Adagrad's G keeps growing, so its lecture form catches up partly: it differs without stalling.)
    gap = lecture_vs_torch(method)["quad_tiny"]
    assert gap.diff > fraction * gap.scale
    if not stalls:
        return
    prob = problem("quad_tiny")
    lecture = numpy_trajectory(NumpyOptimizer(method, lr=lookup(method).reference_lrs[1], convention="lecture"), prob)
    assert np.abs(lecture - prob.w0).max() < 0.1 * gap.scale


def test_eps_placement_hardly_matters_for_large_gradients() -> None:
    # on Rosenbrock (|g| ~ 100) eps = 1e-8 is negligible either way
    assert lecture_vs_torch("adam")["rosen"].diff < 1e-8


def test_torch_nesterov_iterate_is_the_lecture_lookahead_point() -> None:
    for name, gap in nag_lookahead_gap().items():
        assert gap.diff <= 1e-12, name
    # ... and not the lecture's W_t itself
    gaps = lecture_vs_torch("nag")
    assert gaps["quad"].diff > 0.01 * gaps["quad"].scale
    assert gaps["quad_tiny"].diff > 1e-7


@pytest.mark.parametrize("problem_name", PROBLEM_NAMES)
def test_nag_lecture_subclass_lookahead_equals_torch(problem_name: str) -> None:
    """NAG(convention="lecture") keeps W_t in the parameter; its Phi_t is torch SGD(nesterov)'s iterate."""
    prob = problem(problem_name)
    lr, beta = lookup("nag").reference_lrs[PROBLEM_NAMES.index(problem_name)], 0.9
    w = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
    theta = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
    ours = NAG([w], lr=lr, momentum=beta, convention="lecture")
    ref = torch.optim.SGD([theta], lr=lr, momentum=beta, nesterov=True, foreach=False)
    for _ in range(100):
        take_step(ours, [w], prob.grad)
        take_step(ref, [theta], prob.grad)
        phi = lookahead_point(w.detach().numpy(), ours.state[w]["momentum_buffer"].numpy(), lr=lr, beta=beta)
        assert np.abs(phi - theta.detach().numpy()).max() <= 1e-12


def test_nag_lecture_form_evaluates_the_gradient_at_the_lookahead_point() -> None:
    # hand computation on L(w) = w^2 with W = 1, a = 1, eta = 0.1, beta = 0.5: Phi = 0.95, grad 1.9
    w = torch.ones(1, dtype=torch.float64, requires_grad=True)
    opt = NAG([w], lr=0.1, momentum=0.5, convention="lecture")
    opt.state[w]["momentum_buffer"] = torch.ones(1, dtype=torch.float64)
    seen = []

    def closure() -> torch.Tensor:
        opt.zero_grad()
        seen.append(w.item())
        loss = (w**2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    assert seen == [pytest.approx(0.95, abs=1e-15)]
    assert w.item() == pytest.approx(1 - 0.1 * (0.5 + 1.9), abs=1e-15)


def test_momentum_dampening_differs_from_the_lecture() -> None:
    prob = problem("quad")
    lecture = numpy_trajectory(NumpyOptimizer("momentum", lr=0.05), prob)
    damped = torch_trajectory(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.5), prob)
    assert np.abs(damped - lecture).max() > 0.1


def _adadelta_lecture_times(lr: float, steps: int, *, h_tracks_applied_step: bool) -> np.ndarray:
    """Hand-written lecture Adadelta with a factor lr on the step; H accumulates the applied or the raw step."""
    prob = problem("quad")
    rho, eps = 0.9, 1e-6
    W, G, H = prob.w0.copy(), np.zeros(10), np.zeros(10)
    out = [W]
    for _ in range(steps):
        g = prob.grad(W)
        G = rho * G + (1 - rho) * g**2
        dW = -np.sqrt(H + eps) / np.sqrt(G + eps) * g
        W = W + lr * dW
        applied = lr * dW if h_tracks_applied_step else dW
        H = rho * H + (1 - rho) * applied**2
        out.append(W)
    return np.array(out)


def test_adadelta_lr_scales_the_step_but_not_the_accumulated_update() -> None:
    prob = problem("quad")
    torch_run = torch_trajectory(lambda ps: torch.optim.Adadelta(ps, lr=0.5, foreach=False), prob)
    ours = torch_trajectory(lambda ps: Adadelta(ps, lr=0.5), prob)
    raw = _adadelta_lecture_times(0.5, 100, h_tracks_applied_step=False)
    applied = _adadelta_lecture_times(0.5, 100, h_tracks_applied_step=True)
    assert np.abs(torch_run - raw).max() <= 1e-12
    assert np.abs(ours - raw).max() <= 1e-12
    assert np.abs(torch_run - applied).max() > 0.1


@pytest.mark.parametrize("method", with_lecture(Agreement.DIFFERENT), ids=NAMES)
def test_a_different_lecture_form_differs_from_torch(method: Method) -> None:
    # RAdam: the paper's Algorithm 2 (rho_t > 4, no eps) against torch's (rho_t > 5, eps on sqrt(v_t))
    gaps = lecture_vs_torch(method.name)
    assert all(g.diff > 1e-3 for g in gaps.values())


def test_convention_changes_the_subclass_only_where_eps_matters() -> None:
    w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    v = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    a, b = Adam([w], lr=0.1), Adam([v], lr=0.1, convention="lecture")
    for p, opt in ((w, a), (v, b)):
        p.grad = torch.tensor([1e-6, 1e-3, 1.0], dtype=torch.float64)
        opt.step()
    # torch: every coordinate moves by about lr; lecture: lr * g / sqrt(g^2 + 1e-8 / (1 - beta2)) at t = 1
    assert_close(w, torch.full((3,), -0.1, dtype=torch.float64), atol=1e-3, rtol=0)
    g = np.array([1e-6, 1e-3, 1.0])
    expected = -0.1 * np.sqrt(1 - 0.999) / 0.1 * 0.1 * g / np.sqrt(0.001 * g**2 + 1e-8)
    assert_close(v.detach(), torch.from_numpy(expected), atol=1e-15, rtol=1e-12)
