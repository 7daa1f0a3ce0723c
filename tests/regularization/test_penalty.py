"""L2 penalty: one torch.optim.SGD step with coupled weight decay equals an SGD step on the penalized gradient."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studylog.regularization import l2_penalize, l2_penalty


def _loss_and_grad(W: torch.Tensor, A: torch.Tensor, b: torch.Tensor) -> tuple[float, np.ndarray]:  # noqa: N803
    W = W.detach().clone().requires_grad_(True)  # noqa: N806
    loss = 0.5 * ((A @ W - b) ** 2).sum()
    loss.backward()
    return float(loss.detach()), W.grad.numpy().copy()


@pytest.mark.parametrize(("lam", "lr"), [(0.1, 0.05), (0.5, 0.2), (0.0, 0.1)])
def test_sgd_step_with_weight_decay_equals_step_on_penalized_gradient(lam, lr):
    gen = torch.Generator().manual_seed(0)
    A = torch.randn(5, 12, dtype=torch.float64, generator=gen)  # noqa: N806
    b = torch.randn(5, dtype=torch.float64, generator=gen)
    W0 = torch.randn(12, dtype=torch.float64, generator=gen)  # noqa: N806

    param = torch.nn.Parameter(W0.clone())
    optimizer = torch.optim.SGD([param], lr=lr, weight_decay=lam)
    optimizer.zero_grad()
    (0.5 * ((A @ param - b) ** 2).sum()).backward()
    optimizer.step()

    loss, grad = _loss_and_grad(W0, A, b)
    ours = W0.numpy() - lr * l2_penalize(W0.numpy(), loss, grad, lam=lam).grad
    np.testing.assert_allclose(ours, param.detach().numpy(), rtol=0, atol=1e-14)


def test_penalized_loss_and_gradient_match_autograd_of_the_penalized_loss():
    gen = torch.Generator().manual_seed(1)
    A = torch.randn(6, 4, dtype=torch.float64, generator=gen)  # noqa: N806
    b = torch.randn(6, dtype=torch.float64, generator=gen)
    W = torch.randn(4, dtype=torch.float64, generator=gen, requires_grad=True)  # noqa: N806
    lam = 0.3
    penalized = 0.5 * ((A @ W - b) ** 2).sum() + lam / 2 * torch.linalg.vector_norm(W) ** 2
    penalized.backward()

    loss, grad = _loss_and_grad(W, A, b)
    result = l2_penalize(W.detach().numpy(), loss, grad, lam=lam)
    assert result.loss == pytest.approx(penalized.item(), rel=1e-14)
    np.testing.assert_allclose(result.grad, W.grad.numpy(), rtol=1e-14, atol=1e-14)


def test_penalty_value_by_hand_over_all_entries():
    # 1 + 4 + 9 + 16 = 30 -> 0.2 / 2 * 30 = 3
    assert l2_penalty(np.array([[1.0, -2.0], [3.0, 4.0]]), lam=0.2) == pytest.approx(3.0, rel=1e-15)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="lam=-0.1"):
        l2_penalize(np.ones(3), 1.0, np.ones(3), lam=-0.1)
    with pytest.raises(ValueError, match=r"grad has shape \(2,\) but W has shape \(3,\)"):
        l2_penalize(np.ones(3), 1.0, np.ones(2), lam=0.1)
