"""Mini-batch SGD against torch.optim.SGD, the MLP's gradients against autograd, and the sharpness measure."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from studylog.learning import (
    batch_size_experiment,
    box_radius,
    init_mlp,
    keskar_sharpness,
    maximize_in_box,
    minibatch_step,
    minibatches,
    mlp_grad,
    mlp_loss,
    mlp_per_sample_grads,
    mlp_predict,
    relative_sharpness,
    train_sgd,
)

torch.set_default_dtype(torch.float64)

# --------------------------------------------------------------------------------- mini-batch SGD


def test_minibatch_step_equals_torch_sgd_on_the_batch_mean_loss():
    rng = np.random.default_rng(0)
    A, b, W0 = rng.normal(size=(6, 4)), rng.normal(size=6), rng.normal(size=4)
    batch = np.array([4, 1, 3])
    per_sample = (A[batch] @ W0 - b[batch])[:, None] * A[batch]  # grad of (a_i.W - b_i)^2 / 2
    ours = minibatch_step(W0, per_sample, lr=0.3)

    W = torch.tensor(W0, requires_grad=True)
    opt = torch.optim.SGD([W], lr=0.3)
    loss = 0.5 * ((torch.tensor(A[batch]) @ W - torch.tensor(b[batch])) ** 2).mean()
    loss.backward()
    opt.step()
    np.testing.assert_allclose(ours, W.detach().numpy(), rtol=1e-14, atol=1e-15)


def test_minibatch_step_rejects_mismatched_gradients_and_bad_lr():
    with pytest.raises(ValueError, match="shape"):
        minibatch_step(np.zeros(3), np.zeros((2, 4)), lr=0.1)
    with pytest.raises(ValueError, match="lr=0.0"):
        minibatch_step(np.zeros(3), np.zeros((2, 3)), lr=0.0)


@pytest.mark.parametrize(("n", "batch_size"), [(10, 3), (10, 10), (7, 1)])
def test_minibatches_partition_the_samples(n, batch_size):
    batches = minibatches(n, batch_size, seed=4)
    assert [len(b) for b in batches[:-1]] == [batch_size] * (len(batches) - 1)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    with pytest.raises(ValueError, match=f"batch_size={n + 1} is larger than the number of samples n={n}"):
        minibatches(n, n + 1, seed=0)


@pytest.mark.parametrize("batch_size", [1, 4, 12])
def test_train_sgd_matches_a_torch_loop_over_the_same_batches(batch_size):
    rng = np.random.default_rng(1)
    n, d, steps, lr = 12, 3, 25, 0.05
    A, b, W0 = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)

    def per_sample(W, idx):
        return (A[idx] @ W - b[idx])[:, None] * A[idx]

    ours = train_sgd(W0, per_sample, n, lr=lr, batch_size=batch_size, steps=steps, seed=9)

    W = torch.tensor(W0, requires_grad=True)
    opt = torch.optim.SGD([W], lr=lr)
    batches = itertools.chain.from_iterable(minibatches(n, batch_size, seed=9 + e) for e in itertools.count())
    for idx in itertools.islice(batches, steps):
        opt.zero_grad()
        loss = 0.5 * ((torch.tensor(A[idx]) @ W - torch.tensor(b[idx])) ** 2).mean()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(ours.W, W.detach().numpy(), rtol=1e-12, atol=1e-13)
    assert ours.epochs == -(-steps * batch_size // n)  # ceil(steps * B / n) epochs started


def test_full_batch_sgd_is_gradient_descent():
    rng = np.random.default_rng(2)
    A, b, W0 = rng.normal(size=(8, 2)), rng.normal(size=8), np.zeros(2)
    def per_sample(W, idx):
        return (A[idx] @ W - b[idx])[:, None] * A[idx]

    run = train_sgd(W0, per_sample, 8, lr=0.1, batch_size=8, steps=50, seed=0)
    W = W0.copy()
    for _ in range(50):
        W = W - 0.1 * A.T @ (A @ W - b) / 8
    np.testing.assert_allclose(run.W, W, rtol=1e-13)


# --------------------------------------------------------------------------------------------- MLP


def torch_mlp_loss(W, x, y, hidden):
    a, bias, v, c = W[:hidden], W[hidden : 2 * hidden], W[2 * hidden : 3 * hidden], W[3 * hidden]
    pred = torch.tanh(x[:, None] * a + bias) @ v + c
    return (pred - y) ** 2


def test_mlp_loss_and_gradients_match_torch_autograd():
    hidden = 5
    rng = np.random.default_rng(3)
    W0, x, y = init_mlp(hidden, seed=3), rng.uniform(size=7), rng.normal(size=7)
    W = torch.tensor(W0, requires_grad=True)
    per_sample = torch_mlp_loss(W, torch.tensor(x), torch.tensor(y), hidden)
    assert mlp_loss(W0, x, y, hidden=hidden) == pytest.approx(per_sample.mean().item(), rel=1e-14)
    jac = np.stack([torch.autograd.grad(per_sample[i], W, retain_graph=True)[0].numpy() for i in range(7)])
    np.testing.assert_allclose(mlp_per_sample_grads(W0, x, y, hidden=hidden), jac, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mlp_grad(W0, x, y, hidden=hidden), jac.mean(axis=0), rtol=1e-12, atol=1e-14)


def test_mlp_rejects_wrong_parameter_size():
    with pytest.raises(ValueError, match="hidden=4"):
        mlp_predict(np.zeros(10), np.zeros(3), hidden=4)


# --------------------------------------------------------------------------------------- sharpness


def test_box_radius_and_relative_sharpness_by_hand():
    np.testing.assert_allclose(box_radius(np.array([0.0, -2.0, 0.5]), eps=1e-3), [1e-3, 3e-3, 1.5e-3], rtol=1e-15)
    assert relative_sharpness(0.9, 0.5) == pytest.approx(100 * 0.4 / 1.5, rel=1e-15)
    with pytest.raises(ValueError, match="eps"):
        box_radius(np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match="larger than -1"):
        relative_sharpness(0.0, -1.0)


def test_maximum_of_a_linear_loss_is_the_signed_corner():
    rng = np.random.default_rng(4)
    g, W, r = rng.normal(size=6), rng.normal(size=6), rng.uniform(0.01, 0.1, size=6)
    best = maximize_in_box(lambda w: float(g @ w), lambda w: g, W, r, n_starts=2, steps=3)
    np.testing.assert_allclose(best.delta, r * np.sign(g), rtol=1e-15)
    assert best.max_loss == pytest.approx(g @ W + np.abs(g) @ r, rel=1e-13)


@pytest.mark.parametrize("seed", range(4))
def test_maximum_of_a_convex_quadratic_is_the_best_vertex(seed):
    # a convex function attains its maximum over a box at a vertex: enumerate all 2^d of them
    d = 4
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(d, d))
    H = M @ M.T + 0.1 * np.eye(d)
    c = rng.normal(size=d)

    def loss(w):
        return float(0.5 * (w - c) @ H @ (w - c))

    def grad(w):
        return H @ (w - c)

    W = c + rng.normal(scale=0.05, size=d)
    r = box_radius(W, eps=0.05)
    vertices = [W + r * np.array(s) for s in itertools.product((-1.0, 1.0), repeat=d)]
    exact = max(loss(v) for v in vertices)
    best = maximize_in_box(loss, grad, W, r, n_starts=8, steps=30, seed=seed)
    assert best.max_loss == pytest.approx(exact, rel=1e-12)
    assert np.all(np.abs(best.delta) <= r + 1e-15)


def test_keskar_sharpness_of_a_quadratic_bowl():
    # L(W) = 0.5 * k * ||W||^2 at its minimizer W = 0: box [-eps, eps]^d, maximum 0.5 * k * d * eps^2
    k, d, eps = 40.0, 3, 1e-2
    s = keskar_sharpness(lambda w: float(0.5 * k * w @ w), lambda w: k * w, np.zeros(d), eps=eps, seed=1)
    expected = 100 * 0.5 * k * d * eps**2
    assert s.loss == 0.0
    assert s.phi == pytest.approx(expected, rel=1e-12)


def test_sharpness_is_deterministic_for_a_seed():
    rng = np.random.default_rng(6)
    M = rng.normal(size=(5, 5))

    def loss(w):
        return float(np.sum(np.sin(M @ w) ** 2))

    def grad(w):
        return M.T @ (2 * np.sin(M @ w) * np.cos(M @ w))

    W = rng.normal(size=5)
    a = keskar_sharpness(loss, grad, W, eps=0.05, seed=3)
    b = keskar_sharpness(loss, grad, W, eps=0.05, seed=3)
    assert a.phi == b.phi
    np.testing.assert_array_equal(a.delta, b.delta)


# ------------------------------------------------------------------------------ batch-size experiment


def test_batch_size_experiment_outputs_are_consistent():
    r = batch_size_experiment((2, 16), n_train=16, hidden=8, steps=600, polish_steps=200, seed=0)
    np.testing.assert_array_equal(r.batch_sizes, [2, 16])
    np.testing.assert_allclose(r.gap, r.test_loss - r.train_loss, rtol=0, atol=1e-15)
    # the loss slice passes through both solutions (alpha = 0: small batch, alpha = 1: large batch)
    i0, i1 = int(np.argmin(np.abs(r.line_alpha))), int(np.argmin(np.abs(r.line_alpha - 1)))
    assert r.line_train_loss[i0] == pytest.approx(r.train_loss[0], rel=1e-12)
    assert r.line_train_loss[i1] == pytest.approx(r.train_loss[1], rel=1e-12)
    assert np.all(r.sharpness >= 0)


def test_batch_size_experiment_supports_the_note_claim():
    # the note says: in this toy, sharpness grows with the batch size for each of seeds 0-2,
    # while the generalization gaps stay within a few thousandths of each other
    for seed in range(3):
        r = batch_size_experiment((2, 8, 32), seed=seed)
        assert np.all(np.diff(r.sharpness) > 0), r.sharpness
        assert np.ptp(r.gap) < 0.01, r.gap
        assert np.all(r.grad_norm < 0.01), r.grad_norm  # the solutions are (nearly) stationary


def test_batch_size_experiment_rejects_bad_arguments():
    with pytest.raises(ValueError, match="batch_sizes"):
        batch_size_experiment(())
    with pytest.raises(ValueError, match="batch_size=64 is larger than the number of samples n=32"):
        batch_size_experiment((64,), steps=1, polish_steps=0)
