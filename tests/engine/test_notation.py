r"""Notation as students write it (issue 13, item 3): what renders alike verifies, what could hide meaning is refused,
and every construct the engine does not support says so by name.

The binding is an optimizer post's AdaGrad in θ/J(θ)/r_t notation, written here from the paper's definition.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

from studylog.engine.binding import Array, Fn, In, Int, Out, Scalar, bindings_of, implements
from studylog.engine.check import INVALID, VERIFIED, check_binding
from tests.engine.conftest import record
from tests.engine.test_strength import formulas


class AdaGradStep(NamedTuple):
    r: np.ndarray
    theta: np.ndarray


@implements("post.r", "post.theta", symbols={
    r"\theta_t": In("theta", Array()), r"r_{t-1}": In("r", Array(0.1, 2.0)), r"g_t": In("g", Array()),
    r"\eta": In("lr", Scalar(0.01, 0.5)), r"\epsilon": In("eps", Scalar(0.05, 0.5)), r"\beta_1": In("b1", Scalar(0.5, 0.95)),
    r"t": In("t", Int(2, 9)), r"n_{\mathrm{in}}": In("n_in", Int(2, 9)), r"r_t": Out("r"), r"\theta_{t+1}": Out("theta")})  # fmt: skip
def adagrad(theta, r, g, lr, eps, b1, t, n_in):
    r = r + g**2
    return AdaGradStep(r, theta - lr / np.sqrt(r + eps) * g * (1 - b1**t) * n_in)


ADAGRAD = bindings_of(adagrad)[0]
R = r"r_t = r_{t-1} + g_t^2"
THETA = r"\theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{r_t + \epsilon}} g_t (1 - \beta_1^t) n_{\mathrm{in}}"

REWRITES = {
    "trailing period": (R + ".", THETA + "."),
    "trailing comma": (R + ",", THETA + ","),
    "annotation": (R + r" \quad\text{(AdaGrad)}", THETA + r"\qquad \textrm{(the update)}"),
    "bold symbols": (R, THETA.replace(r"\theta_t", r"\mathbf{\theta}_t").replace(r"\eta", r"\boldsymbol{\eta}").replace("g_t", r"\bm{g}_t")),
    "bold on the left": (R, THETA.replace(r"\theta_{t+1}", r"\boldsymbol\theta_{t+1}")),
    r"\operatorname{exp}": (R, THETA.replace(r"(1 - \beta_1^t)", r"(1 - \operatorname{exp}(t \log \beta_1))")),
    "superscript first": (r"r_t = r_{t-1} + g^2_t", THETA.replace(r"\beta_1^t", r"\beta^t_1")),
    "output on the right": (r"r_{t-1} + g_t^2 = r_t", THETA),
    "percent comments": ("r_t = r_{t-1} % the running sum\n + g_t^2", THETA + " % AdaGrad's step"),
    r"\text vs \mathrm": (R, THETA.replace(r"n_{\mathrm{in}}", r"n_{\text{in}}")),
    "unicode": ("r_t = r_{t-1} + g_t^2", THETA.replace(r"\theta_t", "θ_t").replace(r"\eta", "η")),
    "dfrac, left/right, cdot": (R, r"\theta_{t+1} = \theta_t - \dfrac{\eta}{\sqrt{r_t + \epsilon}} \cdot g_t \left(1 - \beta_1^{t}\right) n_{\mathrm{in}}"),
}  # fmt: skip


@pytest.mark.parametrize("kind", REWRITES)
def test_rewrite_of_a_post_verifies(kind: str) -> None:
    result = check_binding(ADAGRAD, formulas(*REWRITES[kind], ids=ADAGRAD.formula_ids))[0]
    record("rewrites (by hand)", kind, result.status == VERIFIED)
    assert result.status == VERIFIED, result.message


def test_gradient_with_respect_to_a_named_variable() -> None:
    @implements("gd", symbols={r"\theta_t": In("theta", Array()), r"\eta": In("lr", Scalar()), r"\nabla J": In("grad", Fn()),
                               r"\theta_{t+1}": Out()})  # fmt: skip
    def gd(theta, lr, grad):
        return theta - lr * grad(theta)

    b = bindings_of(gd)[0]
    for latex in (r"\theta_{t+1} = \theta_t - \eta \nabla J(\theta_t)", r"\theta_{t+1} = \theta_t - \eta \nabla_\theta J(\theta_t)",
                  r"\theta_{t+1} = \theta_t - \eta \nabla_{\theta} J(\theta_t)"):  # fmt: skip
        assert check_binding(b, formulas(latex, ids=("gd",)))[0].status == VERIFIED, latex
    wrong = check_binding(b, formulas(r"\theta_{t+1} = \theta_t - \eta \nabla_x J(\theta_t)", ids=("gd",)))[0]
    assert wrong.status == INVALID and "with respect to x" in wrong.message


@pytest.mark.parametrize(
    ("latex", "message"),
    [(r"r_t = r_{t-1} + g_t^2 \phantom{+ 1}", r"\phantom can hide or disguise part of a formula"),
     (r"r_t = r_{t-1} + {\color{white} 2} g_t^2", r"\color can hide"),
     (r"\newcommand{\g}{g_t} r_t = r_{t-1} + g_t^2", r"\newcommand can hide"),
     (r"\def\g{g_t} r_t = r_{t-1} + g_t^2", r"\def can hide"),
     (r"r_t = r_{t-1} + \textcolor{white}{2} g_t^2", r"\textcolor can hide"),
     (r"r_t = r_{t-1} + \hspace{-1em} g_t^2", r"\hspace can hide")],
)  # fmt: skip
def test_what_could_hide_meaning_stays_refused(latex: str, message: str) -> None:
    result = check_binding(ADAGRAD, formulas(latex, THETA, ids=ADAGRAD.formula_ids))[0]
    record("refused", message.split(" ")[0], result.status == INVALID and message in result.message)
    assert result.status == INVALID and message in result.message, result.message
    assert result.line == 1


UNSUPPORTED = [
    ('\\lim', r"r_t = \lim_{n} g_t", r"\lim is not supported: exempt the formula or declare an Op"),
    ('\\frac{\\partial}{\\partial}', r"r_t = \frac{\partial J}{\partial \theta_t}", "derivatives (\\frac{d}{dx}) are not supported"),
    ('\\partial', r"r_t = \partial g_t", r"\partial is not supported: exempt the formula or declare an Op"),
    ('\\frac{d}{dt}', r"r_t = \frac{d}{dt} g_t", "derivatives (\\frac{d}{dx}) are not supported: exempt the formula or declare an Op"),
    ('\\int without bounds', r"r_t = \int g_t \, dt", r"\int without bounds (an indefinite integral) is not supported"),
    ('\\iint', r"r_t = \iint_{0}^{1} g_t \, dt", r"\iint is not supported: exempt the formula or declare an Op"),
    ('\\det', r"r_t = \det(g_t)", r"\det is not supported: exempt the formula or declare an Op"),
    ('\\binom', r"r_t = \binom{t}{2}", r"\binom is not supported: exempt the formula or declare an Op"),
    ('\\sup', r"r_t = \sup_{t} g_t", r"\sup is not supported: exempt the formula or declare an Op"),
    ('\\dots', r"r_t = g_t + \dots + g_t", r"\dots (an elided list) cannot be checked"),
    ('pmatrix', r"r_t = \begin{pmatrix} g_t \\ g_t \end{pmatrix}", "the pmatrix environment is not supported: exempt the formula or declare an Op"),
    ('\\sum_{t \\in S}', r"r_t = \sum_{t \in S} g_t", r"(a set of values) is not supported"),
    ('no differential', r"r_t = \int_0^1 g_t", "cannot find the integral's differential (dx)"),
    ('\\min_\\theta problem (no Var)', r"\min_\theta J(\theta)", "states an optimization problem, not an equation"),
    ('\\sum without index', r"r_t = \sum g_t", r"\sum needs an index"),
    ('\\pm', r"r_t = r_{t-1} \pm g_t^2", r"'\pm' is two formulas in one"),
    ('undeclared symbol', r"r_t = \varepsilon g_t", r"undeclared symbol '\varepsilon'"),
]


@pytest.mark.parametrize(("construct", "latex", "message"), UNSUPPORTED)
def test_each_unsupported_construct_says_so(construct: str, latex: str, message: str) -> None:
    result = check_binding(ADAGRAD, formulas(latex, THETA, ids=ADAGRAD.formula_ids))[0]
    record("unsupported", construct, result.status == INVALID and message in result.message)
    assert result.status == INVALID, result.message
    assert message in result.message, result.message
    assert (result.formula_id, result.line) == ("post.r", 1)
