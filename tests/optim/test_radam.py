"""RAdam: the rectification term and its threshold, the three variants, against hand-derived numbers.

Reference values (beta2 = 0.999) from the optimizer reference sheet: rho_1..rho_8 = 1.000, 1.9995, 2.9987,
3.9975, 4.9960, 5.9942, 6.9920, 7.9895; r_5 = 0.0173 (first rectified step of the paper, rho_t > 4),
r_6 = 0.0258 (first rectified step of torch, rho_t > 5); r_100 = 0.215.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from studylog.optim import RAdam, radam_step, rectification
from studylog.optim.compare import torch_trajectory
from studylog.optim.problems import problem

BETA1, BETA2, LR, EPS, G = 0.9, 0.999, 0.1, 1e-8, 2.0


def test_sma_lengths_match_the_reference_sheet() -> None:
    expected = [1.000, 1.9995, 2.9987, 3.9975, 4.9960, 5.9942, 6.9920, 7.9895]
    got = [rectification(t, beta2=BETA2).rho_t for t in range(1, 9)]
    np.testing.assert_allclose(got, expected, atol=5e-5, rtol=0)
    assert rectification(1, beta2=BETA2).rho_inf == pytest.approx(1999.0, abs=1e-9)


def test_rectification_terms_match_the_reference_sheet() -> None:
    assert rectification(5, beta2=BETA2).r == pytest.approx(0.0173, abs=5e-5)
    assert rectification(6, beta2=BETA2).r == pytest.approx(0.0258, abs=5e-5)
    assert rectification(100, beta2=BETA2).r == pytest.approx(0.215, abs=5e-4)
    assert math.isnan(rectification(4, beta2=BETA2).r)  # rho_t <= 4: undefined


@pytest.mark.parametrize(("variant", "first"), [("torch", 6), ("paper", 5), ("author", 6)])
def test_first_rectified_step(variant: str, first: int) -> None:
    z = np.zeros(1)
    rectified = [radam_step(np.ones(1), np.ones(1), z, z, t, lr=LR, variant=variant).rectified for t in range(1, 9)]
    assert rectified == [t >= first for t in range(1, 9)]


def _r(t: int) -> float:
    """r_t written out by hand from rho_inf = 2 / (1 - beta2) - 1 and rho_t."""
    rho_inf = 2 / (1 - BETA2) - 1
    rho = rho_inf - 2 * t * BETA2**t / (1 - BETA2**t)
    return math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))


def _run(steps: int, **options: object) -> list[float]:
    """theta_0 = 1, constant gradient G (linear loss); the iterates theta_1..theta_steps of our RAdam."""
    w = torch.ones(1, dtype=torch.float64, requires_grad=True)
    opt = RAdam([w], lr=LR, betas=(BETA1, BETA2), eps=EPS, **options)
    out = []
    for _ in range(steps):
        w.grad = torch.full((1,), G, dtype=torch.float64)
        opt.step()
        out.append(w.item())
    return out


def _adaptive_step(t: int) -> float:
    """lr r_t m_hat sqrt(1 - beta2^t) / (sqrt(v_t) + eps) for a constant gradient: m_hat = G, v_t = (1-beta2^t) G^2."""
    bias2 = 1 - BETA2**t
    return LR * _r(t) * G * math.sqrt(bias2) / (math.sqrt(bias2) * G + EPS)


def test_torch_variant_by_hand() -> None:
    theta = _run(6)
    np.testing.assert_allclose(theta[:5], [1 - LR * G * k for k in range(1, 6)], atol=1e-14, rtol=0)
    assert theta[5] == pytest.approx(theta[4] - _adaptive_step(6), abs=1e-14)


def test_paper_variant_by_hand() -> None:
    theta = _run(5, variant="paper")
    np.testing.assert_allclose(theta[:4], [1 - LR * G * k for k in range(1, 5)], atol=1e-14, rtol=0)
    # no eps: sqrt((1 - beta2^5) / v_5) = 1 / |G|, so the step is lr * r_5 * sign(G)
    assert theta[4] == pytest.approx(theta[3] - LR * _r(5), abs=1e-14)


def test_author_variant_does_not_move_before_the_threshold() -> None:
    theta = _run(6, variant="author")
    assert theta[:5] == [1.0] * 5
    assert theta[5] == pytest.approx(1.0 - _adaptive_step(6), abs=1e-14)


def test_author_variant_degenerated_to_sgd_is_torch() -> None:
    np.testing.assert_allclose(_run(12, variant="author", degenerated_to_sgd=True), _run(12), atol=1e-15, rtol=0)


def test_author_variant_decays_only_on_updating_steps() -> None:
    wd = 0.1
    author = _run(6, variant="author", weight_decay=wd, decoupled_weight_decay=True)
    assert author[:5] == [1.0] * 5
    assert author[5] == pytest.approx(1.0 * (1 - wd * LR) - _adaptive_step(6), abs=1e-14)
    torch_form = _run(1, weight_decay=wd, decoupled_weight_decay=True)
    assert torch_form[0] == pytest.approx(1.0 * (1 - wd * LR) - LR * G, abs=1e-15)


def test_unrectified_steps_make_torch_radam_diverge_where_the_author_default_does_not() -> None:
    # the reference sheet's hazard: Rosenbrock at lr = 0.01
    rosen = problem("rosen")
    torch_run = torch_trajectory(lambda ps: RAdam(ps, lr=0.01), rosen)
    author_run = torch_trajectory(lambda ps: RAdam(ps, lr=0.01, variant="author"), rosen)
    assert rosen.loss(torch_run[-1]) > 1e10
    assert rosen.loss(author_run[-1]) < rosen.loss(rosen.w0)


def test_numpy_step_reports_the_rectification() -> None:
    z = np.zeros(2)
    s = radam_step(np.ones(2), np.ones(2), z, z, 6, lr=LR)
    assert s.rho_t == pytest.approx(5.9942, abs=5e-5)
    assert s.r == pytest.approx(_r(6), rel=1e-12)
    assert s.rho_inf == pytest.approx(1999.0)
