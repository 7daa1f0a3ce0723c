r"""Bound and free indices, and norms that follow their operand's kind (issue 13, item 1).

The three wrong formulas that used to verify (``\mu=\frac1m\sum_{j=1}^m x_i``, a softmax edited to
``\frac{e^{x_i}}{\sum_j e^{x_i}}``, ``\sum_j (x_i-\mu_B)^2``) fail; the references are written here from the
textbook definitions.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pytest

from studylog.engine.binding import Array, Const, Fixed, In, Index, Matrix, Out, bindings_of, implements
from studylog.engine.check import INVALID, MISMATCH, VERIFIED, check_binding
from tests.engine.test_strength import formulas


def check(binding, *latex: str):
    return check_binding(binding, formulas(*latex, ids=binding.formula_ids))[0]


class Moments(NamedTuple):
    mean: float
    var: float


@implements("bn.mean", "bn.var", symbols={
    r"x_i": In("x", Array(-2.0, 2.0, shape=(6,))), r"m": In(None, Fixed(6)), r"i": Index(), r"j": Index(),
    r"\mu_B": Out("mean"), r"\sigma_B^2": Out("var")})  # fmt: skip
def batch_moments(x):
    return Moments(float(np.mean(x)), float(np.var(x)))


BN = bindings_of(batch_moments)[0]
MEAN, VAR = r"\mu_B = \frac{1}{m}\sum_{i=1}^{m} x_i", r"\sigma_B^2 = \frac{1}{m}\sum_{i} (x_i - \mu_B)^2"


@pytest.mark.parametrize(
    ("mean", "var", "status", "message"),
    [(MEAN, VAR, VERIFIED, ""),
     (r"\mu_B = \frac{1}{m}\sum_{j=1}^{m} x_j", r"\sigma_B^2 = \frac{1}{m}\sum_{j} (x_j - \mu_B)^2", VERIFIED, ""),
     (r"\mu_B=\frac1m\sum_{j=1}^m x_i", VAR, INVALID, "does not depend on j (it uses i)"),
     (MEAN, r"\sigma_B^2 = \frac{1}{m}\sum_{j} (x_i - \mu_B)^2", INVALID, "does not depend on j (it uses i)"),
     (MEAN, r"\sigma_B^2 = \frac{1}{m}\sum_{j} (x_j - \mu_B)^2 + x_i", INVALID, "index i is free on the right side"),
     (r"\mu_B = \frac{1}{m}\sum_{i=1}^{m-1} x_i", VAR, MISMATCH, "differs"),  # a partial sum is a real sum
     (r"\mu_B = \frac{1}{m}\sum_{i=0}^{m-1} x_i", VAR, INVALID, "subscript 0 of x_i is out of range: axis 1 runs over 1..6"),
     (MEAN, r"\sigma_B^2 = \frac{1}{2m^2}\sum_{i,j} (x_i - x_j)^2", VERIFIED, ""),
     (MEAN, r"\sigma_B^2 = \frac{1}{2m^2}\sum_{i} \sum_{j} (x_i - x_j)^2", VERIFIED, ""),
     (MEAN, r"\sigma_B^2 = \frac{1}{2m(m-1)}\sum_{i} \sum_{j \neq i} (x_i - x_j)^2 \cdot \frac{m-1}{m}", VERIFIED, ""),
     (MEAN, r"\sigma_B^2 = \frac{1}{2m^2}\sum_{i,i} (x_i - x_i)^2", INVALID, "binds the same index twice")],
)  # fmt: skip
def test_batch_moments(mean: str, var: str, status: str, message: str) -> None:
    result = check(BN, mean, var)
    assert result.status == status, result.message
    assert message in result.message


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


SOFTMAX = bindings_of(implements("sm", symbols={r"\mathrm{softmax}(x)_i": Out(), r"x_i": In("x", Array(shape=(6,))),
                                                r"i": Index(), r"j": Index(), r"e": Const(math.e)})(softmax))[0]  # fmt: skip


@pytest.mark.parametrize(
    ("latex", "status"),
    [(r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}", VERIFIED),
     (r"\mathrm{softmax}(x)_j = \frac{e^{x_j}}{\sum_i e^{x_i}}", VERIFIED),
     (r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{6} e^{x_j}}", VERIFIED),
     (r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_i}}", INVALID),
     (r"\mathrm{softmax}(x)_i = \frac{e^{x_j}}{\sum_j e^{x_j}}", INVALID),
     (r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{5} e^{x_j}}", MISMATCH),
     (r"\mathrm{softmax}(x)_i = \frac{e^{x_{i}}}{\sum_{j=2}^{7} e^{x_{j-1}}}", VERIFIED)],
)  # fmt: skip
def test_softmax(latex: str, status: str) -> None:
    assert check(SOFTMAX, latex).status == status


class Stats(NamedTuple):
    first: float
    argmax: float
    top: float


@implements("s", symbols={r"z_k": In("z", Array(shape=(7,))), r"k": Index(start=0), r"s": Out("first"), r"a": Out("argmax"),
                          r"t": Out("top")})  # fmt: skip
def zero_based(z):
    return Stats(float(z[0]), float(np.argmax(z)), float(np.max(z)))


@pytest.mark.parametrize(
    ("latex", "attr", "status"),
    [(r"s = z_0", "first", VERIFIED), (r"s = z_1", "first", MISMATCH),
     (r"a = \arg\max_k z_k", "argmax", VERIFIED), (r"a = \arg\max_k z_k - 1", "argmax", VERIFIED),  # the objective z_k - 1
     (r"a = \arg\max_k (z_k) - 1", "argmax", VERIFIED), (r"a = \arg\min_k -z_k", "argmax", VERIFIED),
     (r"a = \arg\max_k z_k + k", "argmax", MISMATCH),
     (r"t = \max_k z_k", "top", VERIFIED), (r"t = \min_k z_k", "top", MISMATCH),
     (r"t = z_{a}", "top", INVALID)],
)  # fmt: skip
def test_zero_based_index_and_its_argmax(latex: str, attr: str, status: str) -> None:
    b = bindings_of(implements("s", symbols={r"z_k": In("z", Array(shape=(7,))), r"k": Index(start=0),
                                              latex.split("=")[0].strip(): Out(attr)})(lambda z: zero_based(z)))[0]  # fmt: skip
    assert check(b, latex).status == status


def frobenius_squared(W):
    return float(np.sum(np.asarray(W) ** 2))


def spectral_squared(W):
    return float(np.linalg.norm(W, 2) ** 2)


@pytest.mark.parametrize(
    ("code", "sampler", "latex", "status", "hint"),
    [(frobenius_squared, Array(shape=(3, 5)), r"r = \|W\|_2^2", VERIFIED, ""),
     (frobenius_squared, Array(shape=(3, 5)), r"r = \lVert W \rVert^2", VERIFIED, ""),
     (frobenius_squared, Matrix(3, 5), r"r = \|W\|_F^2", VERIFIED, ""),
     (frobenius_squared, Matrix(3, 5), r"r = \|W\|_2^2", MISMATCH, r"the code matches the Frobenius norm: write \|W\|_F"),
     (frobenius_squared, Matrix(3, 5), r"r = \|W\|^2", INVALID, "ambiguous"),
     (spectral_squared, Matrix(3, 5), r"r = \|W\|_2^2", VERIFIED, ""),
     (spectral_squared, Matrix(3, 5), r"r = \|W\|_F^2", MISMATCH, r"the code matches the spectral norm of the matrix W: write \|W\|_2"),
     (spectral_squared, Array(shape=(3, 5)), r"r = \|W\|_2^2", MISMATCH, "declare W a Matrix"),
     (lambda W: float(np.sum(np.abs(W))), Array(shape=(3, 5)), r"r = \|W\|_1", VERIFIED, ""),
     (lambda W: float(np.max(np.abs(W))), Array(shape=(3, 5)), r"r = \|W\|_\infty", VERIFIED, "")],
)  # fmt: skip
def test_norms_follow_the_declared_kind(code, sampler, latex: str, status: str, hint: str) -> None:
    b = bindings_of(implements("n", symbols={"W": In("W", sampler), "r": Out()})(lambda W: code(W)))[0]
    result = check(b, latex)
    assert result.status == status, result.message
    assert hint in result.message


def test_an_indexed_vector_norm_is_per_row() -> None:
    @implements("rows", symbols={r"d_i": Out(), r"x_i": In("x", Array(shape=(4, 3))), r"c": In("c", Array(shape=(3,))),
                                 r"i": Index()})  # fmt: skip
    def distances(x, c):
        return np.linalg.norm(x - c, axis=1)

    assert check(bindings_of(distances)[0], r"d_i = \lVert x_i - c \rVert").status == VERIFIED
    assert check(bindings_of(distances)[0], r"d_i = \lVert x_i - c \rVert_1").status == MISMATCH
