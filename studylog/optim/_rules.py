r"""How `NumpyOptimizer` drives each numpy step function: torch's hyper-parameter and state names.

A rule takes the parameters, a gradient oracle, the state (a dict of arrays under the names torch keeps in
``optimizer.state[p]``: ``exp_avg``, ``momentum_buffer``, ...), the step number and the hyper-parameters
(the torch class's names, defaults filled in), calls the method's numpy step once, stores the new state and
returns the new parameters. Keeping torch's state names lets a numpy run be compared entry by entry with a
torch optimizer (the parity tests re-sync one from the other). The registry names each method's rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from studylog.optim.adadelta import adadelta_step
from studylog.optim.adagrad import adagrad_step
from studylog.optim.adam import adam_step
from studylog.optim.adamp import adamp_step
from studylog.optim.momentum import momentum_step
from studylog.optim.nag import nag_step
from studylog.optim.radam import radam_step
from studylog.optim.rmsprop import rmsprop_step
from studylog.optim.sgd import sgd_step

GradFn = Callable[[np.ndarray], np.ndarray]
State = dict[str, np.ndarray]
Rule = Callable[[np.ndarray, GradFn, State, int, dict[str, Any]], np.ndarray]
"""``rule(W, grad_fn, state, t, hyper) -> W_next``; ``state`` is updated in place."""


def _momentum_like(W: np.ndarray, g: np.ndarray, st: State, h: dict[str, Any], nesterov: bool) -> np.ndarray:
    common = {"lr": h["lr"], "beta": h["momentum"], "weight_decay": h["weight_decay"], "maximize": h["maximize"]}
    if nesterov:
        s = nag_step(W, st.get("momentum_buffer"), g, **common)
    else:
        s = momentum_step(W, g, st.get("momentum_buffer"), dampening=h["dampening"], **common)
    st["momentum_buffer"] = s.a
    return s.W


def sgd_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    g = grad_fn(W)
    if h.get("momentum", 0) == 0:
        return sgd_step(W, g, lr=h["lr"], weight_decay=h["weight_decay"], maximize=h["maximize"]).W
    return _momentum_like(W, g, st, h, nesterov=h.get("nesterov", False))


def nag_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    if h["convention"] == "torch":
        return _momentum_like(W, grad_fn(W), st, h, nesterov=True)
    s = nag_step(
        W, st.get("momentum_buffer"), lr=h["lr"], beta=h["momentum"], grad_fn=grad_fn,
        weight_decay=h["weight_decay"], maximize=h["maximize"], convention="lecture",
    )  # fmt: skip
    st["momentum_buffer"] = s.a
    return s.W


def adagrad_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    G = st.get("sum", np.full_like(W, h["initial_accumulator_value"]))
    s = adagrad_step(
        W, grad_fn(W), G, lr=h["lr"], eps=h["eps"], t=t, lr_decay=h["lr_decay"],
        weight_decay=h["weight_decay"], maximize=h["maximize"], convention=h["convention"],
    )  # fmt: skip
    st["sum"] = s.G
    return s.W


def adadelta_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    zeros = np.zeros_like(W)
    s = adadelta_step(
        W, grad_fn(W), st.get("square_avg", zeros), st.get("acc_delta", zeros), rho=h["rho"], eps=h["eps"],
        lr=h["lr"], weight_decay=h["weight_decay"], maximize=h["maximize"],
    )  # fmt: skip
    st["square_avg"], st["acc_delta"] = s.G, s.H
    return s.W


def rmsprop_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    s = rmsprop_step(
        W, grad_fn(W), st.get("square_avg", np.zeros_like(W)), lr=h["lr"], alpha=h["alpha"], eps=h["eps"],
        weight_decay=h["weight_decay"], momentum=h["momentum"], centered=h["centered"],
        g_avg=st.get("grad_avg"), b=st.get("momentum_buffer"), maximize=h["maximize"], convention=h["convention"],
    )  # fmt: skip
    st["square_avg"] = s.G
    if s.g_avg is not None:
        st["grad_avg"] = s.g_avg
    if s.b is not None:
        st["momentum_buffer"] = s.b
    return s.W


def _adam_state(W: np.ndarray, st: State) -> tuple[np.ndarray, np.ndarray]:
    zeros = np.zeros_like(W)
    return st.get("exp_avg", zeros), st.get("exp_avg_sq", zeros)


def adam_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    beta1, beta2 = h["betas"]
    s = adam_step(
        W, grad_fn(W), *_adam_state(W, st), t, lr=h["lr"], beta1=beta1, beta2=beta2, eps=h["eps"],
        weight_decay=h["weight_decay"], decoupled_weight_decay=h["decoupled_weight_decay"], amsgrad=h["amsgrad"],
        v_max=st.get("max_exp_avg_sq"), maximize=h["maximize"], convention=h["convention"],
    )  # fmt: skip
    st["exp_avg"], st["exp_avg_sq"] = s.m, s.v
    if s.v_max is not None:
        st["max_exp_avg_sq"] = s.v_max
    return s.W


def radam_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    beta1, beta2 = h["betas"]
    s = radam_step(
        W, grad_fn(W), *_adam_state(W, st), t, lr=h["lr"], beta1=beta1, beta2=beta2, eps=h["eps"],
        weight_decay=h["weight_decay"], decoupled_weight_decay=h["decoupled_weight_decay"], maximize=h["maximize"],
        variant=h["variant"], degenerated_to_sgd=h["degenerated_to_sgd"],
    )  # fmt: skip
    st["exp_avg"], st["exp_avg_sq"] = s.m, s.v
    return s.W


def adamp_rule(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    beta1, beta2 = h["betas"]
    s = adamp_step(
        W, grad_fn(W), *_adam_state(W, st), t, lr=h["lr"], beta1=beta1, beta2=beta2, eps=h["eps"],
        weight_decay=h["weight_decay"], delta=h["delta"], wd_ratio=h["wd_ratio"], nesterov=h["nesterov"],
        maximize=h["maximize"],
    )  # fmt: skip
    st["exp_avg"], st["exp_avg_sq"] = s.m, s.v
    st["view"] = np.array(s.view)
    return s.W
