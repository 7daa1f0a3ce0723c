r"""Constructs beyond arithmetic, each against a reference written here (a closed form or torch).

Floor/ceil, piecewise ``cases``, argmax, the indicator, products (with bounds that depend on an outer index),
and definite integrals evaluated by quadrature to the binding's tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from studylog.engine.binding import Array, Choice, Const, Fixed, In, Index, Int, Matrix, Out, Scalar, Var, bindings_of, implements
from studylog.engine.check import INVALID, MISMATCH, VERIFIED, check_binding
from tests.engine.test_strength import formulas


def status(binding, latex: str) -> tuple[str, str]:
    result = check_binding(binding, formulas(latex, ids=binding.formula_ids))[0]
    return result.status, result.message


def one(symbols, func, **kwargs):
    return bindings_of(implements("f", symbols=symbols, **kwargs)(func))[0]


OUTPUT_SIZE = one({"o": Out(), "n": In("n", Int(5, 40)), "k": In("k", Int(1, 7)), "p": In("p", Int(0, 3)), "s": In("s", Int(2, 4))},
                  lambda n, k, p, s: (n + 2 * p - k) // s + 1)  # fmt: skip


@pytest.mark.parametrize(
    ("latex", "expected"),
    [(r"o = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1", VERIFIED), (r"o = \lfloor (n + 2p - k)/s \rfloor + 1", VERIFIED),
     (r"o = \left\lceil \frac{n + 2p - k + 1}{s} \right\rceil", VERIFIED), (r"o = \left\lceil \frac{n + 2p - k}{s} \right\rceil + 1", MISMATCH),
     (r"o = \frac{n + 2p - k}{s} + 1", MISMATCH)],
)  # fmt: skip
def test_floor_and_ceil(latex: str, expected: str) -> None:
    assert status(OUTPUT_SIZE, latex)[0] == expected


LEAKY = one({r"f(x)": Out(), "x": In("x", Array(-1.0, 1.0)), r"\alpha": In("a", Scalar(0.05, 0.3))},
            lambda x, a: torch.nn.functional.leaky_relu(torch.tensor(x), a).numpy())  # fmt: skip


@pytest.mark.parametrize(
    ("latex", "expected", "message"),
    [(r"f(x) = \begin{cases} x & x \geq 0 \\ \alpha x & x < 0 \end{cases}", VERIFIED, ""),
     (r"f(x) = \begin{cases} x, & \text{if } x > 0, \\ \alpha x, & \text{otherwise.} \end{cases}", VERIFIED, ""),
     (r"f(x) = \begin{cases} \alpha x & x < 0 \\ x & \text{else} \end{cases}", VERIFIED, ""),
     (r"f(x) = \begin{cases} x & x \geq 0 \\ \alpha x & x \leq 0 \end{cases}", VERIFIED, ""),  # they agree at 0
     (r"f(x) = \begin{cases} x & x > 0 \\ x & x < 0 \end{cases}", MISMATCH, ""),
     (r"f(x) = \begin{cases} x & x \geq -0.5 \\ \alpha x & x < 0 \end{cases}", INVALID, "overlap"),
     (r"f(x) = \begin{cases} x & x > 0.5 \\ \alpha x & x < 0 \end{cases}", INVALID, "no row of the cases applies"),
     (r"f(x) = \max(x, \alpha x)", VERIFIED, "")],
)  # fmt: skip
def test_piecewise(latex: str, expected: str, message: str) -> None:
    got, text = status(LEAKY, latex)
    assert got == expected, text
    assert message in text


CE = one({r"\ell": Out(), r"p_k": In("p", Array(0.05, 1.0, shape=(6,))), r"y": In("y", Choice((0.0, 1.0, 2.0, 3.0, 4.0, 5.0), shape=())),
          r"k": Index(start=0), r"K": In(None, Fixed(6))},
         lambda p, y: float(torch.nn.functional.nll_loss(torch.log(torch.tensor(p))[None], torch.tensor([int(y)]))))  # fmt: skip


@pytest.mark.parametrize(
    ("latex", "expected"),
    [(r"\ell = -\sum_{k} \mathbb{1}[y = k] \log p_k", VERIFIED), (r"\ell = -\sum_{k=0}^{K-1} \mathbf{1}\{y = k\} \ln p_k", VERIFIED),
     (r"\ell = -\sum_{k} \mathbb{1}_{y = k} \log(p_k)", VERIFIED), (r"\ell = -\sum_{k} \mathbb{1}_{\{k = y\}} \log p_k", VERIFIED),
     (r"\ell = -\sum_{k} \mathbb{1}[y \neq k] \log p_k", MISMATCH), (r"\ell = -\sum_{k} \mathbb{1}[y \leq k, k \leq y] \log p_k", VERIFIED),
     (r"\ell = -\sum_{k=1}^{K} \mathbb{1}[y = k] \log p_k", INVALID), (r"\ell = -\log p_{y}", VERIFIED),
     (r"\ell = -\log_2 p_{y} \cdot \ln 2", VERIFIED)],
)  # fmt: skip
def test_indicator_and_a_zero_based_class_index(latex: str, expected: str) -> None:
    assert status(CE, latex)[0] == expected


def _field(k, s):
    size, jump = 1, 1
    for kk, ss in zip(k, s, strict=True):
        size, jump = size + (kk - 1) * jump, jump * ss
    return size


FIELD = one({"r_L": Out(), "k_l": In("k", Choice((1.0, 3.0, 5.0), shape=(4,))), "s_l": In("s", Choice((1.0, 2.0, 3.0), shape=(4,))),
             "l": Index(), "i": Index(), "L": In(None, Fixed(4))}, _field)  # fmt: skip


@pytest.mark.parametrize(
    ("latex", "expected"),
    [(r"r_L = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{l-1} s_i", VERIFIED),
     (r"r_L = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i < l} s_i", VERIFIED),
     (r"r_L = 1 + \sum_{l} (k_l - 1) \prod_{1 \leq i \leq l-1} s_i", VERIFIED),
     (r"r_L = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{l} s_i", MISMATCH),
     (r"r_L = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{L} s_i", MISMATCH)],
)  # fmt: skip
def test_products_with_bounds_that_depend_on_an_outer_index(latex: str, expected: str) -> None:
    assert status(FIELD, latex)[0] == expected


UNIFORM = one({r"\sigma^2": Out(), "a": In("a", Scalar(0.2, 2.0))}, lambda a: a * a / 3)
GELU = one({r"\mathrm{GELU}(x)": Out(), "x": In("x", Array(-3.0, 3.0)), r"\pi": Const(math.pi), "e": Const(math.e)},
           lambda x: torch.nn.functional.gelu(torch.tensor(x)).numpy())  # fmt: skip
ABS = one({"y": Out(), "x": In("x", Array(-2.0, 2.0))}, lambda x: np.abs(x))


@pytest.mark.parametrize(
    ("binding", "latex", "expected", "message"),
    [(UNIFORM, r"\sigma^2 = \int_{-a}^{a} \frac{w^2}{2a}\,dw", VERIFIED, ""),
     (UNIFORM, r"\sigma^2 = \frac{1}{2a} \int_{-a}^{a} w^2 \, \mathrm{d}w", VERIFIED, ""),
     (UNIFORM, r"\sigma^2 = -\int_{a}^{-a} \frac{w^2}{2a}\,dw", VERIFIED, ""),
     (UNIFORM, r"\sigma^2 = \int_{0}^{a} \frac{w^2}{2a}\,dw", MISMATCH, ""),
     (GELU, r"\mathrm{GELU}(x) = x \int_{-\infty}^{x} \frac{1}{\sqrt{2\pi}} e^{-t^2/2}\,dt", VERIFIED, ""),
     (GELU, r"\mathrm{GELU}(x) = x \left(1 - \int_{x}^{\infty} \frac{1}{\sqrt{2\pi}} e^{-t^2/2}\,dt\right)", VERIFIED, ""),
     (GELU, r"\mathrm{GELU}(x) = x \int_{-\infty}^{x} \frac{1}{\sqrt{2\pi}} e^{-t^2}\,dt", MISMATCH, ""),
     (ABS, r"y = \int_{0}^{x} \mathbb{1}[t > 0] - \mathbb{1}[t < 0] \, dt", VERIFIED, ""),
     (ABS, r"y = \int_{-2}^{2} \mathbb{1}[t < x] \, dt + x - 2 + \int_{-2}^{2} 0 \cdot t \, dt", INVALID, "did not converge")],
)  # fmt: skip
def test_definite_integrals_by_quadrature(binding, latex: str, expected: str, message: str) -> None:
    got, text = status(binding, latex)
    assert got == expected, text
    assert message in text


def test_an_integral_with_a_kink_needs_a_stated_tolerance() -> None:
    def kink(x):
        return 4 + x**2  # the integral of |t - x| over [-2, 2]

    strict = one({"y": Out(), "x": In("x", Array(-2.0, 2.0))}, lambda x: kink(x))
    loose = one({"y": Out(), "x": In("x", Array(-2.0, 2.0))}, lambda x: kink(x), rtol=1e-6, atol=1e-6,
                reason="composite Gauss-Legendre on a kinked integrand converges like the square of the panel width")  # fmt: skip
    latex = r"y = \int_{-2}^{2} |t - x| \, dt"
    got, message = status(strict, latex)
    assert got == INVALID and "did not converge to rtol=1e-12" in message and "State a looser tolerance" in message
    assert status(loose, latex)[0] == VERIFIED
    assert status(loose, r"y = \int_{-2}^{2} |t + x| \, dt + 0.001")[0] == MISMATCH


def _ridge(X, y, lam, factor=1.0):  # noqa: N803 - the notes' names
    return {"w": np.linalg.solve(X.T @ X + factor * lam * np.eye(X.shape[1]), X.T @ y)}


def _ridge_binding(factor: float):
    symbols = {"X": In("X", Matrix("n", "d")), "y": In("y", Matrix("n", 1)), r"\lambda": In("lam", Scalar(0.1, 1.0)),
               "w": Var("w", Matrix("d", 1)), r"\hat{w}": Out("w"), r"L^*": Out("loss")}  # fmt: skip

    def solve(X, y, lam):  # noqa: N803
        w = _ridge(X, y, lam, factor)["w"]
        return {"w": w, "loss": float(np.sum((y - X @ w) ** 2) + lam * np.sum(w**2))}

    return bindings_of(implements("ridge", symbols=symbols, dims={"n": (6, 9), "d": (2, 4)})(solve))[0]


@pytest.mark.parametrize(
    ("factor", "latex", "expected", "message"),
    [(1.0, r"\hat{w} = \arg\min_{w} \|y - Xw\|_2^2 + \lambda \|w\|_2^2", VERIFIED, ""),
     (1.0, r"\min_{w} \|y - Xw\|_2^2 + \lambda \|w\|_2^2", VERIFIED, ""),
     (1.0, r"L^* = \min_{w} \|y - Xw\|_2^2 + \lambda \|w\|_2^2", VERIFIED, ""),
     (1.0, r"\hat{w} = \arg\min_{w} \|y - Xw\|_2^2", MISMATCH, "does not solve"),
     (1.0, r"\hat{w} = \arg\max_{w} \|y - Xw\|_2^2 + \lambda \|w\|_2^2", MISMATCH, "the objective is larger at another w"),
     (2.0, r"\min_{w} \|y - Xw\|_2^2 + \lambda \|w\|_2^2", MISMATCH, "the objective is smaller at another w"),
     (1.0, r"\hat{w} = w", INVALID, "the variable of an optimization problem")],
)  # fmt: skip
def test_an_optimization_problem_is_checked_by_a_certificate(factor: float, latex: str, expected: str, message: str) -> None:
    """The code's solution must beat 32 values drawn for w and 12 small perturbations of itself."""
    got, text = status(_ridge_binding(factor), latex)
    assert got == expected, text
    assert message in text
