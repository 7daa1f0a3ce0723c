r"""The engine's strength: meaning-changing edits of a formula fail, equivalent rewrites pass.

Each case is a reference implementation written here from the textbook (independent of studylog's
topic code), a binding, the formula as the notes write it, rewrites that render the same maths, and
mutants of many kinds (swapped symbols, dropped roots, moved constants, shifted time indices, flipped
signs, changed exponents). A mutant must never verify; a rewrite must always verify.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pytest

from studylog.engine.binding import (
    Array, Binding, Const, Dim, Expectation, Fn, In, Index, Int, Matrix, Op, Out, Scalar, bindings_of, implements,
)  # fmt: skip
from studylog.engine.check import INVALID, MISMATCH, VERIFIED, check_binding
from studylog.engine.scan import Formula


def formulas(*latex: str, ids: tuple[str, ...]) -> list[Formula]:
    return [Formula(latex=tex, path="case.md", line=i + 1, display=True, id=fid, content_line=i + 1)
            for i, (tex, fid) in enumerate(zip(latex, ids, strict=True))]  # fmt: skip


def run(binding: Binding, *latex: str) -> str:
    results = check_binding(binding, formulas(*latex, ids=binding.formula_ids))
    return results[0].status


# ---------------------------------------------------------------- reference implementations


@implements("sgd", symbols={"W_t": In("W"), r"\eta": In("lr", Scalar()), "g_t": In("g"), "W_{t+1}": Out()})
def sgd(W, g, lr):
    return W - lr * g


class Mom(NamedTuple):
    a: Any
    W: Any


@implements("mom.a", "mom.w", symbols={
    "a_t": In("a"), "g_t": In("g"), "W_t": In("W"), r"\beta": In("beta", Scalar(0.5, 0.95)),
    r"\eta": In("lr", Scalar(0.01, 0.4)), "a_{t+1}": Out("a"), "W_{t+1}": Out("W")})  # fmt: skip
def momentum(a, g, W, beta, lr):
    a = beta * a + g
    return Mom(a, W - lr * a)


class AdamOut(NamedTuple):
    m: Any
    v: Any
    W: Any


ADAM_SYMBOLS = {
    "W_t": In("W"), "g_t": In("g"), "m_{t-1}": In("m"), "v_{t-1}": In("v", Array(0.1, 2.0)),
    r"\eta": In("lr", Scalar(0.01, 0.5)), r"\beta_1": In("b1", Scalar(0.5, 0.95)),
    r"\beta_2": In("b2", Scalar(0.6, 0.99)), r"\epsilon": In("eps", Scalar(0.05, 0.5)), "t": In("t", Int(2, 12)),
    "m_t": Out("m"), "v_t": Out("v"), "W_{t+1}": Out("W"),
}  # fmt: skip


@implements("adam.m", "adam.v", "adam.w", symbols=ADAM_SYMBOLS)
def adam(W, g, m, v, t, lr, b1, b2, eps):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    return AdamOut(m, v, W - lr / np.sqrt(v + eps) * np.sqrt(1 - b2**t) / (1 - b1**t) * m)


def softmax_rows(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@implements("attn", symbols={
    r"\mathrm{Attention}(Q,K,V)": Out(), "Q": In("Q", Matrix("n", "d_k")), "K": In("K", Matrix("m", "d_k")),
    "V": In("V", Matrix("m", "d_v")), "d_k": In(None, Dim("d_k")), r"\mathrm{softmax}": Op(softmax_rows)},
    dims={"n": (2, 7), "m": (2, 7), "d_k": (2, 7), "d_v": (2, 7)})  # fmt: skip
def attention(Q, K, V):
    return softmax_rows(Q @ K.T / math.sqrt(K.shape[1])) @ V


@implements("ls", symbols={"y^{LS}": Out(), "y": In("y"), r"\alpha": In("alpha", Scalar()), "K": In("K", Int(2, 9))})
def label_smoothing(y, alpha, K):
    return y * (1 - alpha) + alpha / K


@implements("nag", symbols={"a_t": In("a"), "W_t": In("W"), r"\eta": In("lr", Scalar()),
                            r"\beta": In("beta", Scalar()), r"\nabla L": In("grad", Fn()), "a_{t+1}": Out()})  # fmt: skip
def nag(a, W, lr, beta, grad):
    return beta * a + grad(W - lr * beta * a)


@implements("sm", symbols={r"\mathrm{softmax}(x)_i": Out(), "x_i": In("x", Array(shape=(6,))),
                           "i": Index(), "j": Index(), "e": Const(math.e)})  # fmt: skip
def softmax_vec(x):
    return softmax_rows(x)


def _bv_sim(rng=np.random.default_rng(0)):
    """Many training sets: predictions f_hat at one point, targets y = f + noise."""
    f, sigma = 1.3, 0.4
    f_hat = f + 0.5 + 0.5 * rng.standard_normal(200_000)  # biased, noisy estimator: bias² 0.25, variance 0.25
    y = f + sigma * rng.standard_normal(200_000)
    return {"f": f, "f_hat": f_hat, "y": y, "s2": sigma**2}


@implements("bv", identity=True, rtol=3e-2, atol=1e-9, draws=1,
            reason="Monte-Carlo estimate with 200,000 samples: standard error ~0.6% of the smallest term (σ² = 0.16)",
            symbols={"y": Out("y"), r"\hat f": Out("f_hat"), "f": Out("f"), r"\sigma^2": Out("s2"),
                     r"\mathbb{E}": Expectation()})  # fmt: skip
def bias_variance_simulation():
    return _bv_sim()


# ---------------------------------------------------------------- the table


@dataclass
class Case:
    binding: Binding
    formula: tuple[str, ...]
    rewrites: list[tuple[str, ...]] = field(default_factory=list)
    mutants: list[tuple[str, ...]] = field(default_factory=list)


def one(f):
    return bindings_of(f)[0]


ADAM_M = r"m_t = \beta_1 m_{t-1} + (1-\beta_1)g_t"
ADAM_V = r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2"
ADAM_W = r"W_{t+1} = W_t - \frac{\eta}{\sqrt{v_t + \epsilon}} \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} m_t"

CASES = {
    "sgd": Case(one(sgd), (r"W_{t+1} \leftarrow W_t - \eta g_t",),
        rewrites=[(r"W_{t+1} = -\eta g_t + W_t",), (r"W_{t+1} \gets W_t - \eta \cdot g_t",),
                  (r"W_{t+1} := W_{t} - \left(\eta\right) {g_{t}}",), (r"W_{t+1} \leftarrow W_t - g_t \eta",)],
        mutants=[(r"W_{t+1} \leftarrow W_t + \eta g_t",), (r"W_{t+1} \leftarrow W_t - g_t",),
                 (r"W_{t+1} \leftarrow W_t - \eta^2 g_t",), (r"W_{t+1} \leftarrow W_t - \eta g_t^2",),
                 (r"W_{t+1} \leftarrow W_t - \frac{g_t}{\eta}",), (r"W_{t+1} \leftarrow - \eta g_t",)]),
    "momentum": Case(one(momentum), (r"a_{t+1} \leftarrow \beta a_t + g_t", r"W_{t+1} \leftarrow W_t - \eta a_{t+1}"),
        rewrites=[(r"a_{t+1} = g_t + \beta a_t", r"W_{t+1} = W_t - a_{t+1} \eta")],
        mutants=[(r"a_{t+1} \leftarrow \beta a_t + g_t", r"W_{t+1} \leftarrow W_t - \eta a_t"),
                 (r"a_{t+1} \leftarrow \beta g_t + a_t", r"W_{t+1} \leftarrow W_t - \eta a_{t+1}"),
                 (r"a_{t+1} \leftarrow \beta a_t - g_t", r"W_{t+1} \leftarrow W_t - \eta a_{t+1}"),
                 (r"a_{t+1} \leftarrow (1-\beta) a_t + g_t", r"W_{t+1} \leftarrow W_t - \eta a_{t+1}")]),
    "adam": Case(one(adam), (ADAM_M, ADAM_V, ADAM_W),
        rewrites=[
            (r"m_t = (1-\beta_1)g_t + \beta_1 m_{t-1}", r"v_t = \beta_{2} v_{t-1} + (1 - \beta_{2}) (g_t)^{2}",
             r"W_{t+1} = W_t - \dfrac{\eta \sqrt{1 - \beta_2^t}}{\left(1 - \beta_1^t\right)\sqrt{v_t + \epsilon}} m_t"),
            (ADAM_M, ADAM_V, r"W_{t+1} = W_t - \eta (v_t + \epsilon)^{-1/2} (1 - \beta_2^t)^{1/2} / (1 - \beta_1^t) \cdot m_t"),
            (ADAM_M, ADAM_V, r"W_{t+1} = W_t - \frac{\eta}{(v_t + \epsilon)^{1/2}} \cdot \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} \cdot m_t"),
        ],
        mutants=[
            (ADAM_M, ADAM_V, ADAM_W.replace(r"\sqrt{1 - \beta_2^t}", r"{1 - \beta_2^t}")),  # dropped root
            (ADAM_M, ADAM_V, ADAM_W.replace(r"\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}", r"\sqrt{1 - \beta_1^t}}{1 - \beta_2^t}")),
            (ADAM_M, ADAM_V, ADAM_W.replace(r"\frac{\eta}{\sqrt{v_t + \epsilon}}", r"\frac{\eta}{\sqrt{v_t} + \epsilon}")),  # moved ε
            (ADAM_M, ADAM_V, ADAM_W.replace("m_t", "m_{t-1}")),  # shifted time index
            (ADAM_M, ADAM_V, ADAM_W.replace("W_t -", "W_t +")),  # flipped sign
            (ADAM_M, ADAM_V, ADAM_W.replace(r"\beta_2^t", r"\beta_2^{t-1}")),  # changed exponent
            (ADAM_M.replace("g_t", "g_t^2"), ADAM_V, ADAM_W),
            (ADAM_M.replace(r"(1-\beta_1)", r"(1-\beta_2)"), ADAM_V, ADAM_W),  # swapped symbols
            (ADAM_M, ADAM_V.replace("v_{t-1}", "v_t"), ADAM_W),  # undeclared-as-input LHS used on RHS
            (ADAM_M, ADAM_V, ADAM_W.replace(r"\epsilon", r"2\epsilon")),  # moved constant
        ]),
    "attention": Case(one(attention), (r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",),
        rewrites=[(r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^{T}}{d_k^{1/2}}\right) V",),
                  (r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{1}{\sqrt{d_k}} Q K^{\intercal}\right)V",)],
        mutants=[(r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{d_k}\right)V",),
                 (r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{KQ^\top}{\sqrt{d_k}}\right)V",),
                 (r"\mathrm{Attention}(Q,K,V) = \frac{\mathrm{softmax}(QK^\top)}{\sqrt{d_k}}V",)]),
    "label smoothing": Case(one(label_smoothing), (r"y^{LS} = y(1-\alpha) + \frac{\alpha}{K}",),
        rewrites=[(r"y^{LS} = (1-\alpha) y + \alpha/K",), (r"y^{LS} = y - \alpha y + \frac{\alpha}{K}",)],
        mutants=[(r"y^{LS} = y(1-\alpha) + \frac{\alpha}{K-1}",), (r"y^{LS} = y(1-\alpha) + \frac{1}{K}",),
                 (r"y^{LS} = y(1+\alpha) + \frac{\alpha}{K}",)]),
    "nag": Case(one(nag), (r"a_{t+1} \leftarrow \beta a_t + \nabla L(W_t - \eta \beta a_t)",),
        rewrites=[(r"a_{t+1} \leftarrow \nabla L\left(W_t - \beta \eta a_t\right) + \beta a_t",)],
        mutants=[(r"a_{t+1} \leftarrow \beta a_t + \nabla L(W_t)",), (r"a_{t+1} \leftarrow \beta a_t + \nabla L(W_t - \eta a_t)",),
                 (r"a_{t+1} \leftarrow \beta a_t + \nabla L(W_t + \eta \beta a_t)",)]),
    "softmax": Case(one(softmax_vec), (r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_{j} e^{x_j}}",),
        rewrites=[(r"\mathrm{softmax}(x)_i = \frac{\exp(x_i)}{\sum_{j} \exp(x_j)}",)],
        mutants=[(r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_{j} x_j}",), (r"\mathrm{softmax}(x)_i = \frac{x_i}{\sum_{j} e^{x_j}}",)]),
    "bias-variance": Case(one(bias_variance_simulation),
        (r"\mathbb{E}[(y - \hat f)^2] = (f - \mathbb{E}[\hat f])^2 + \mathbb{E}[(\hat f - \mathbb{E}[\hat f])^2] + \sigma^2",),
        rewrites=[(r"\mathbb{E}\left[\left(\hat f - y\right)^2\right] = \sigma^2 + \mathbb{E}[(\hat f - \mathbb{E}[\hat f])^2] + (\mathbb{E}[\hat f] - f)^2",)],
        mutants=[(r"\mathbb{E}[(y - \hat f)^2] = (f - \mathbb{E}[\hat f])^2 + \mathbb{E}[(\hat f - \mathbb{E}[\hat f])^2]",),
                 (r"\mathbb{E}[(y - \hat f)^2] = (f - \mathbb{E}[\hat f]) + \mathbb{E}[(\hat f - \mathbb{E}[\hat f])^2] + \sigma^2",),
                 (r"\mathbb{E}[(y - \hat f)^2] = (f - \mathbb{E}[\hat f])^2 + \mathbb{E}[\hat f - \mathbb{E}[\hat f]]^2 + \sigma^2",)]),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_formula_as_written_verifies(name: str) -> None:
    case = CASES[name]
    assert run(case.binding, *case.formula) == VERIFIED


@pytest.mark.parametrize(("name", "k"), [(n, k) for n, c in CASES.items() for k in range(len(c.rewrites))])
def test_equivalent_rewrite_verifies(name: str, k: int) -> None:
    case = CASES[name]
    results = check_binding(case.binding, formulas(*case.rewrites[k], ids=case.binding.formula_ids))
    assert results[0].status == VERIFIED, results[0].message


@pytest.mark.parametrize(("name", "k"), [(n, k) for n, c in CASES.items() for k in range(len(c.mutants))])
def test_meaning_changing_edit_fails(name: str, k: int) -> None:
    case = CASES[name]
    assert run(case.binding, *case.mutants[k]) in (MISMATCH, INVALID)


def test_a_wrong_implementation_fails() -> None:
    @implements("adam.m", "adam.v", "adam.w", symbols=ADAM_SYMBOLS)
    def adam_eps_outside(W, g, m, v, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        return AdamOut(m, v, W - lr / (np.sqrt(v) + eps) * np.sqrt(1 - b2**t) / (1 - b1**t) * m)

    result = check_binding(one(adam_eps_outside), formulas(ADAM_M, ADAM_V, ADAM_W, ids=("adam.m", "adam.v", "adam.w")))[0]
    assert result.status == MISMATCH
    assert result.formula_id == "adam.w"
    assert "max abs diff" in result.message and "t=" in result.message


@pytest.mark.parametrize(
    ("latex", "name"),
    [(r"W_{t+1} \leftarrow W_t - \eta g_t + \varepsilon", r"\varepsilon"),
     (r"W_{t+1} \leftarrow W_t - \eta \hat{g}_t", r"\hat"),
     (r"W_{t+1} \leftarrow W_t - \eta g_{t+1}", "g_{t+1}"),
     (r"W_{t+1} \leftarrow W_t - \eta G_t", "G_{t}")],
)  # fmt: skip
def test_undeclared_symbol_is_rejected_by_name(latex: str, name: str) -> None:
    result = check_binding(one(sgd), formulas(latex, ids=("sgd",)))[0]
    assert result.status == INVALID
    assert "undeclared symbol" in result.message and name in result.message, result.message


def test_blind_spot_rules_are_in_force() -> None:
    """Scalars are drawn pairwise distinct and t >= 2, so β1/β2 swaps and dropped powers show."""
    mutant = (ADAM_M, ADAM_V, ADAM_W.replace(r"\beta_1^t", r"\beta_1"))
    assert run(one(adam), *mutant) == MISMATCH


def test_ambiguous_division_is_rejected() -> None:
    result = check_binding(one(label_smoothing), formulas(r"y^{LS} = y(1-\alpha) + \alpha / K y", ids=("ls",)))[0]
    assert result.status == INVALID and "ambiguous" in result.message


def test_matrix_times_elementwise_array_is_rejected() -> None:
    @implements("mix", symbols={"Z": Out(), "Q": In("Q", Matrix(3, 4)), "x": In("x", Array(shape=(3, 4)))})
    def mix(Q, x):
        return Q * x

    result = check_binding(one(mix), formulas("Z = Q x", ids=("mix",)))[0]
    assert result.status == INVALID and "mixes a matrix" in result.message


@implements("l2", symbols={r"\tilde L(W)": Out(), "L(W)": In("L", Scalar()), r"\lambda": In("lam", Scalar()), "W": In("W")})
def l2_penalized(L, lam, W):
    return L + lam / 2 * float(np.sum(W**2))


@pytest.mark.parametrize(
    ("latex", "status"),
    [(r"\tilde L(W) = L(W) + \frac{\lambda}{2}\lVert W\rVert_2^2", VERIFIED),
     (r"\tilde L(W) = L(W) + \frac{\lambda}{2}\|W\|_2^2", VERIFIED),
     (r"\tilde L(W) = L(W) + \frac{\lambda}{2} \lVert W \rVert^2", VERIFIED),
     (r"\tilde L(W) = L(W) + \frac{\lambda}{2}\lVert W\rVert_2", MISMATCH),
     (r"\tilde L(W) = L(W) + \lambda\lVert W\rVert_2^2", MISMATCH)],
)  # fmt: skip
def test_norms_parse_and_are_checked(latex: str, status: str) -> None:
    assert run(one(l2_penalized), latex) == status


@implements("abs", symbols={"y": Out(), "x": In("x"), "a": In("a", Scalar())})
def abs_scaled(x, a):
    return a * np.abs(x)


@pytest.mark.parametrize(("latex", "status"), [(r"y = a|x|", VERIFIED), (r"y = a \left| x \right|", VERIFIED),
                                               (r"y = a\lvert x\rvert", VERIFIED), (r"y = a x", MISMATCH)])  # fmt: skip
def test_absolute_values(latex: str, status: str) -> None:
    assert run(one(abs_scaled), latex) == status
