r"""Identities checked by simulation: every tolerance must be shown able to fail (issue 13, item 2).

The reference simulation draws Xavier-uniform weights with numpy (the bound written here from Glorot and
Bengio's paper), so the identity ``\mathrm{Var}[W] = \frac{2}{n_{in} + n_{out}}`` holds up to Monte-Carlo error.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

from studylog.engine.binding import Expectation, In, Int, Op, Out, bindings_of, implements
from studylog.engine.check import INVALID, MISMATCH, VERIFIED, check_binding
from studylog.engine.power import perturbation
from tests.engine.test_strength import formulas


class Weights(NamedTuple):
    W: np.ndarray


def glorot(fan_in: int, fan_out: int) -> Weights:
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return Weights(np.random.default_rng(fan_in * 1000 + fan_out).uniform(-a, a, 400_000))


SYMBOLS = {r"\mathrm{Var}": Op(np.var, brackets="[]"), r"W": Out("W"), r"n_{in}": In("fan_in", Int(16, 64)),
           r"n_{out}": In("fan_out", Int(16, 64))}  # fmt: skip
RIGHT = r"\mathrm{Var}[W] = \frac{2}{n_{in} + n_{out}}"
WRONG = r"\mathrm{Var}[W] = \frac{2}{n_{in} + n_{out} + 5}"


def binding(rtol: float, atol: float):
    return bindings_of(implements("xavier", symbols=SYMBOLS, identity=True, rtol=rtol, atol=atol, reason="Monte-Carlo variance")(
        lambda fan_in, fan_out: glorot(fan_in, fan_out)))[0]  # fmt: skip


def check(b, latex: str):
    return check_binding(b, formulas(latex, ids=("xavier",)))[0]


def test_a_loose_absolute_tolerance_is_refused_and_the_needed_one_named() -> None:
    loose = binding(rtol=5e-2, atol=2e-2)  # atol as large as the variance itself: nothing could fail
    result = check(loose, RIGHT)
    assert result.status == INVALID
    assert "the tolerance cannot fail: rtol=0.05, atol=0.02 also accept the identity with «" in result.message
    assert "scaled by 1.1" in result.message and "atol=0.0002 would reject it" in result.message
    assert check(loose, WRONG).status == INVALID  # the wrong variant no longer passes either


def test_a_tolerance_that_can_fail_verifies_the_identity_and_rejects_the_wrong_variant() -> None:
    good = binding(rtol=1e-2, atol=1e-9)
    assert check(good, RIGHT).status == VERIFIED
    wrong = check(good, WRONG)
    assert wrong.status == MISMATCH and "rtol=0.01 of the smallest term" in wrong.message
    for factor in (1 + 2e-2, 1 - 2e-2):  # each term scaled by 1 ± 2·rtol, written as a student would
        assert check(good, rf"{factor} \cdot \mathrm{{Var}}[W] = \frac{{2}}{{n_{{in}} + n_{{out}}}}").status == MISMATCH
        assert check(good, rf"\mathrm{{Var}}[W] = {factor} \cdot \frac{{2}}{{n_{{in}} + n_{{out}}}}").status == MISMATCH


def test_a_term_that_is_zero_on_every_draw_cannot_be_checked() -> None:
    @implements("zero", symbols={r"\mathbb{E}": Expectation(), "h": Out("h"), "z": Out("z")}, identity=True, rtol=1e-2,
                atol=1e-9, reason="Monte-Carlo mean")  # fmt: skip
    def draws():
        rng = np.random.default_rng(0)
        return {"h": rng.uniform(1, 2, 100_000), "z": np.zeros(100_000)}

    result = check_binding(bindings_of(draws)[0], formulas(r"\mathbb{E}[h] = \mathbb{E}[h] + \mathbb{E}[z]", ids=("zero",)))[0]
    assert result.status == INVALID and "the term «" in result.message and "is 0 on every draw" in result.message


def test_terms_are_compared_relative_to_the_smallest_one() -> None:
    """Relative to the whole side, a term of a few percent of it could be dropped; relative to itself, it cannot."""

    @implements("sum", symbols={r"\mathbb{E}": Expectation(), "a": Out("a"), "b": Out("b")}, identity=True, rtol=2e-2,
                atol=1e-9, reason="Monte-Carlo means of 1,000,000 samples: standard error ~0.1% of b")  # fmt: skip
    def draws():
        rng = np.random.default_rng(1)
        return {"a": rng.normal(10.0, 0.01, 1_000_000), "b": rng.normal(0.3, 0.01, 1_000_000)}

    b = bindings_of(draws)[0]
    assert check_binding(b, formulas(r"\mathbb{E}[a + b] = \mathbb{E}[a] + \mathbb{E}[b]", ids=("sum",)))[0].status == VERIFIED
    dropped = check_binding(b, formulas(r"\mathbb{E}[a + b] = \mathbb{E}[a] + 0.97 \cdot \mathbb{E}[b]", ids=("sum",)))[0]
    assert dropped.status == MISMATCH  # 3% of b is 0.09% of the side: inside 2% of the side, outside 2% of b


@pytest.mark.parametrize(("rtol", "delta"), [(1e-12, 1e-6), (1e-9, 1e-6), (1e-2, 2e-2), (3e-2, 6e-2)])
def test_the_perturbation_is_twice_the_tolerance_or_one_in_a_million(rtol: float, delta: float) -> None:
    assert perturbation(rtol) == pytest.approx(delta)
