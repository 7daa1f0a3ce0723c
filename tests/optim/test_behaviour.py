"""Behaviour every optimizer must have, driven by the one table of cases (PyTorch's optimizer-test habits).

state_dict round trip (continues bitwise-equal), parameters without gradients skipped (no state created),
any shape (0-d, empty, 3-d, non-contiguous) against the reference, param groups, float32, the direction of
the steps (and ``maximize``), zero gradients as a no-op, and error messages that name the argument.
"""

from __future__ import annotations

import copy
import io

import numpy as np
import pytest
import torch
from torch.testing import assert_close

from studylog.optim import (
    NAG,
    SGD,
    Adagrad,
    Adam,
    NumpyOptimizer,
    RAdam,
    adadelta_step,
    adagrad_step,
    adam_step,
    adamp_step,
    momentum_step,
    nag_step,
    radam_step,
    rmsprop_step,
    sgd_step,
)
from studylog.optim.registry import METHODS, Method, lookup
from tests.optim.cases import ALL_CASES, CASES, Case, oracle, set_grad, take_step, tensor_state


def _without_maximize(case: Case) -> dict:
    return {k: v for k, v in case.kwargs.items() if k != "maximize"}


# ------------------------------------------------------------------------------------------ state_dict


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_state_dict_round_trip_continues_bitwise(case: Case) -> None:
    prob = oracle(case, "quad")
    w = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
    opt = case.ours([w])
    for _ in range(10):
        take_step(opt, [w], prob.grad)
    saved = io.BytesIO()
    torch.save(opt.state_dict(), saved)
    saved.seek(0)
    w2 = w.detach().clone().requires_grad_()
    opt2 = case.ours([w2])
    opt2.load_state_dict(torch.load(saved, weights_only=True))
    assert opt2.param_groups[0] == {**opt.param_groups[0], "params": opt2.param_groups[0]["params"]}
    for _ in range(10):
        take_step(opt, [w], prob.grad)
        take_step(opt2, [w2], prob.grad)
        assert torch.equal(w, w2)
    for key, value in tensor_state(opt.state[w]).items():
        assert torch.equal(opt2.state[w2][key], value)


def test_loading_a_torch_adam_state_dict_continues_like_torch() -> None:
    prob = oracle(Case("adam"), "quad")
    w = torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True)
    ref = torch.optim.Adam([w], lr=0.05, foreach=False)
    for _ in range(5):
        take_step(ref, [w], prob.grad)
    w2 = w.detach().clone().requires_grad_()
    ours = Adam([w2], lr=0.05)
    state = copy.deepcopy(ref.state_dict())
    state["param_groups"][0]["convention"] = "torch"
    ours.load_state_dict(state)
    for _ in range(5):
        take_step(ref, [w], prob.grad)
        take_step(ours, [w2], prob.grad)
    assert torch.equal(w, w2)


# ------------------------------------------------------------------------------------------ params


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_params_without_grad_are_skipped_and_get_no_state(case: Case) -> None:
    w = torch.ones(3, dtype=torch.float64, requires_grad=True)
    u = torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt = case.ours([w, u])
    grad = oracle(case, "quad").grad
    for _ in range(6):  # RAdam's author variant makes its first update at step 6
        take_step(opt, [w], lambda x: grad(np.resize(x, 10))[:3])
    assert u.grad is None
    assert torch.equal(u, torch.ones(3, dtype=torch.float64))
    assert u not in opt.state
    assert not torch.equal(w, torch.ones(3, dtype=torch.float64))


def _shaped_params(method: str) -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    base = torch.randn(5, 4, 3, generator=gen, dtype=torch.float64)
    strided = base if method == "adamp" else base.transpose(0, 2)  # the adamp package needs contiguous
    return [
        torch.randn((), generator=gen, dtype=torch.float64),
        strided.detach().clone() if method == "adamp" else strided.detach(),
        torch.zeros(0, dtype=torch.float64),
        torch.randn(7, generator=gen, dtype=torch.float64),
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_any_shape_matches_the_reference(case: Case) -> None:
    ours_params = [p.clone().requires_grad_() for p in _shaped_params(case.method)]
    ref_params = [p.clone().requires_grad_() for p in _shaped_params(case.method)]
    if case.method != "adamp":
        ours_params[1] = _shaped_params(case.method)[1].requires_grad_()
        ref_params[1] = _shaped_params(case.method)[1].requires_grad_()
        assert not ours_params[1].is_contiguous()
    ours, ref = case.ours(ours_params), case.reference(ref_params)
    gen = torch.Generator().manual_seed(1)
    for step in range(7):
        grads = [torch.randn(p.shape, generator=gen, dtype=torch.float64) for p in ours_params]
        for params in (ours_params, ref_params):
            for i, (p, g) in enumerate(zip(params, grads, strict=True)):
                p.grad = None if (step == 2 and i == 3) else g.clone()
        ours.step()
        ref.step()
        for p, q in zip(ours_params, ref_params, strict=True):
            assert_close(p, q, atol=1e-12, rtol=0)
            assert p.shape == q.shape


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_param_groups_match_the_reference(case: Case) -> None:
    prob = oracle(case, "quad")
    lr = case.lr("quad")

    def groups(ws: list[torch.Tensor]) -> list[dict]:
        return [{"params": [ws[0]]}, {"params": [ws[1]], "lr": lr / 10, "weight_decay": 0.1}]

    ws = [torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True) for _ in range(2)]
    vs = [torch.tensor(prob.w0, dtype=torch.float64, requires_grad=True) for _ in range(2)]
    cfg = case.config("quad")
    ours = case.entry.optimizer(groups(ws), **cfg)
    ref = case.reference(groups(vs))
    for _ in range(20):
        take_step(ours, ws, prob.grad)
        take_step(ref, vs, prob.grad)
    for w, v in zip(ws, vs, strict=True):
        assert_close(w, v, atol=1e-12, rtol=0)
    assert not torch.equal(ws[0], ws[1])


# ------------------------------------------------------------------------------------------ float32


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_float32_matches_the_reference_and_numpy_keeps_float32(case: Case) -> None:
    prob = oracle(case, "quad")
    w = torch.tensor(prob.w0, dtype=torch.float32, requires_grad=True)
    v = torch.tensor(prob.w0, dtype=torch.float32, requires_grad=True)
    ours, ref = case.ours([w]), case.reference([v])
    mirror = case.numpy()
    W = prob.w0.astype(np.float32)
    for _ in range(50):
        take_step(ours, [w], prob.grad)
        take_step(ref, [v], prob.grad)
        W = mirror.step(W, lambda x: prob.grad(x.astype(np.float64)).astype(np.float32))
    assert w.dtype == torch.float32
    assert_close(w, v)  # torch's float32 tolerances
    assert W.dtype == np.float32
    assert all(s.dtype == np.float32 for s in mirror.state.values() if s.dtype.kind == "f")
    assert_close(torch.from_numpy(W), w.detach(), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------------------------------ direction


def _linear_loss() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(2)
    W = torch.randn(10, 5, generator=gen, dtype=torch.float64)
    x = torch.randn(5, generator=gen, dtype=torch.float64)
    b = torch.randn(10, generator=gen, dtype=torch.float64)
    return W, x, b


@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_steps_go_the_right_direction(case: Case, maximize: bool) -> None:
    # without weight decay, which pulls towards 0 whatever the sign (its effect is covered by the parity tests)
    W0, x, b = _linear_loss()
    W = W0.clone().requires_grad_()
    kwargs = {**_without_maximize(case), "lr": 1e-2, "maximize": maximize, "weight_decay": 0.0}
    opt = case.entry.optimizer([W], **kwargs)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = (W @ x + b).pow(2).sum()
        loss.backward()
        return loss

    first = closure().item()
    for _ in range(20):
        opt.step(closure)
    last = closure().item()
    assert (last > first) if maximize else (last < first)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_zero_gradients_leave_params_unchanged(case: Case) -> None:
    kwargs = {k: v for k, v in case.config("quad").items() if k != "weight_decay"}
    w = torch.ones(4, dtype=torch.float64, requires_grad=True)
    opt = case.entry.optimizer([w], **kwargs)
    for _ in range(3):
        take_step(opt, [w], lambda x: np.zeros_like(x))
    assert torch.equal(w, torch.ones(4, dtype=torch.float64))


# ------------------------------------------------------------------------------------------ errors

CONSTRUCTOR_ERRORS = [
    ("sgd", {"lr": -0.1}, "lr=-0.1 must be >= 0"),
    ("sgd", {"momentum": -0.5}, "momentum=-0.5"),
    ("sgd", {"weight_decay": -1.0}, "weight_decay=-1.0"),
    ("sgd", {"dampening": 1.5}, r"dampening=1.5 must be in \[0, 1\]"),
    ("sgd", {"nesterov": True}, "nesterov=True needs momentum > 0"),
    ("sgd", {"momentum": 0.9, "dampening": 0.1, "nesterov": True}, "dampening=0"),
    ("sgd", {"lr": "0.1"}, "lr='0.1' must be a real number"),
    ("momentum", {"lr": float("nan")}, "lr=nan"),
    ("nag", {"momentum": 0.0}, "nesterov=True needs momentum > 0"),
    ("nag", {"dampening": 0.2}, "dampening=0.2"),
    ("nag", {"convention": "sutskever"}, "convention='sutskever'"),
    ("adagrad", {"lr_decay": -0.1}, "lr_decay=-0.1"),
    ("adagrad", {"initial_accumulator_value": -1.0}, "initial_accumulator_value=-1.0"),
    ("adagrad", {"eps": -1e-10}, "eps=-1e-10"),
    ("adadelta", {"rho": 1.5}, r"rho=1.5 must be in \[0, 1\]"),
    ("adadelta", {"lr": -1.0}, "lr=-1.0"),
    ("rmsprop", {"alpha": -0.5}, "alpha=-0.5"),
    ("rmsprop", {"momentum": -0.1}, "momentum=-0.1"),
    ("rmsprop", {"convention": "hinton"}, "convention='hinton'"),
    ("adam", {"betas": (1.0, 0.999)}, r"betas\[0\]=1.0 must be in \[0, 1\)"),
    ("adam", {"betas": (0.9, -0.1)}, r"betas\[1\]=-0.1"),
    ("adam", {"betas": 0.9}, "betas=0.9 must be a pair"),
    ("adam", {"eps": -1e-8}, "eps=-1e-08"),
    ("adam", {"weight_decay": -0.01}, "weight_decay=-0.01"),
    ("radam", {"variant": "liu"}, "variant='liu'"),
    ("radam", {"degenerated_to_sgd": True}, "degenerated_to_sgd=True only applies to variant='author'"),
    ("radam", {"variant": "author", "weight_decay": 0.1}, "pass decoupled_weight_decay=True"),
    ("adamp", {"delta": -0.1}, "delta=-0.1"),
    ("adamp", {"wd_ratio": 1.5}, r"wd_ratio=1.5 must be in \[0, 1\]"),
    ("adamp", {"betas": (0.9, 1.0)}, r"betas\[1\]=1.0"),
]


@pytest.mark.parametrize(("method", "kwargs", "match"), CONSTRUCTOR_ERRORS, ids=lambda x: str(x))
def test_invalid_hyper_parameters_raise_value_error_naming_them(method: str, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        lookup(method).optimizer([torch.zeros(2, requires_grad=True)], **kwargs)


def test_invalid_param_group_is_rejected_and_not_added() -> None:
    opt = Adam([torch.zeros(2, requires_grad=True)])
    with pytest.raises(ValueError, match="lr=-1"):
        opt.add_param_group({"params": [torch.zeros(2, requires_grad=True)], "lr": -1})
    assert len(opt.param_groups) == 1


def test_complex_params_are_rejected() -> None:
    with pytest.raises(ValueError, match="complex"):
        SGD([torch.zeros(2, dtype=torch.complex128, requires_grad=True)])


def test_sparse_gradients_are_rejected() -> None:
    w = torch.zeros(3, requires_grad=True)
    opt = Adagrad([w])
    w.grad = torch.zeros(3).to_sparse()
    with pytest.raises(RuntimeError, match="sparse"):
        opt.step()


def test_nag_lecture_form_needs_a_closure() -> None:
    w = torch.zeros(2, requires_grad=True)
    opt = NAG([w], convention="lecture")
    w.grad = torch.ones(2)
    with pytest.raises(ValueError, match="needs step\\(closure\\)"):
        opt.step()


NUMPY_ERRORS = [
    (lambda: sgd_step(np.ones(2), np.ones(3), lr=0.1), "g has shape \\(3,\\) but W has shape \\(2,\\)"),
    (lambda: sgd_step(np.ones(2), np.ones(2), lr=-1.0), "lr=-1.0"),
    (lambda: momentum_step(np.ones(2), np.ones(2), np.ones(3), lr=0.1, beta=0.9), "a has shape"),
    (lambda: nag_step(np.ones(2), None, np.ones(2), lr=0.1, beta=0.9, convention="lecture"), "takes grad_fn"),
    (lambda: nag_step(np.ones(2), None, lr=0.1, beta=0.9), "exactly one of g"),
    (lambda: nag_step(np.ones(2), None, np.ones(2), lr=0.1, beta=0.0), "beta=0.0 must be > 0"),
    (lambda: adagrad_step(np.ones(2), np.ones(2), np.zeros(2), lr=0.1, eps=0.0, lr_decay=0.1), "needs t"),
    (lambda: adadelta_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), rho=2.0), "rho=2.0"),
    (lambda: rmsprop_step(np.ones(2), np.ones(2), np.zeros(2), lr=0.1, convention="x"), "convention='x'"),
    (lambda: adam_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 0, lr=0.1), "t=0 must be an integer"),
    (lambda: adam_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1, lr=0.1, beta2=1.0), "beta2=1.0"),
    (lambda: radam_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1, lr=0.1, variant="x"), "variant='x'"),
    (lambda: adamp_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1, lr=0.1, delta=-1.0), "delta=-1.0"),
    (lambda: NumpyOptimizer("adam", momentum=0.9), "momentum=0.9 is not a hyper-parameter of 'adam'"),
    (lambda: NumpyOptimizer("lion"), "method='lion'"),
]


@pytest.mark.parametrize(("call", "match"), NUMPY_ERRORS, ids=lambda x: x if isinstance(x, str) else "")
def test_numpy_steps_raise_value_error_naming_the_argument(call, match: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=match):
        call()


def test_numpy_steps_do_not_modify_their_inputs() -> None:
    W, g, m, v = np.ones(3), np.full(3, 0.5), np.full(3, 0.1), np.full(3, 0.2)
    before = [x.copy() for x in (W, g, m, v)]
    adam_step(W, g, m, v, 3, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)
    radam_step(W, g, m, v, 7, lr=0.1, variant="author", weight_decay=0.1, decoupled_weight_decay=True)
    for x, y in zip((W, g, m, v), before, strict=True):
        assert np.array_equal(x, y)


def test_radam_author_variant_is_selectable_per_group() -> None:
    w = torch.ones(1, dtype=torch.float64, requires_grad=True)
    u = torch.ones(1, dtype=torch.float64, requires_grad=True)
    opt = RAdam([{"params": [w]}, {"params": [u], "variant": "author"}], lr=0.1)
    for _ in range(3):
        for p in (w, u):
            set_grad(p, lambda x: np.ones_like(x))
        opt.step()
    assert w.item() == pytest.approx(0.7, abs=1e-14)
    assert u.item() == 1.0


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_defaults_are_the_references(method: Method) -> None:
    # every hyper-parameter the reference also has starts at the reference's value (torch.optim's, adamp's)
    ours = method.optimizer([torch.zeros(2, requires_grad=True)]).defaults
    ref = method.reference.build([torch.zeros(2, requires_grad=True)]).defaults
    shared = set(ours) & set(ref)
    assert {"lr", "weight_decay"} <= shared
    assert {k: ours[k] for k in shared} == {k: ref[k] for k in shared}
