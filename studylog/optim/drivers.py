r"""Run the numpy step functions step after step, with the torch classes' hyper-parameter names.

`NumpyOptimizer` keeps the state between steps under torch's state names (``exp_avg``,
``momentum_buffer``, ...), so a numpy run can be compared entry by entry with a torch optimizer's
``state[p]``. Defaults are read from the matching ``torch.optim.Optimizer`` subclass, so both sides start
from the same hyper-parameters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from studylog.optim._validation import check_choice
from studylog.optim.adadelta import Adadelta, adadelta_step
from studylog.optim.adagrad import Adagrad, adagrad_step
from studylog.optim.adam import Adam, adam_step
from studylog.optim.adamp import AdamP, adamp_step
from studylog.optim.momentum import Momentum, momentum_step
from studylog.optim.nag import NAG, nag_step
from studylog.optim.radam import RAdam, radam_step
from studylog.optim.rmsprop import RMSprop, rmsprop_step
from studylog.optim.sgd import SGD, sgd_step

GradFn = Callable[[np.ndarray], np.ndarray]
State = dict[str, np.ndarray]

#: the torch class of each method (its constructor's defaults are the numpy run's defaults)
CLASSES: dict[str, type] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nag": NAG,
    "adagrad": Adagrad,
    "adadelta": Adadelta,
    "rmsprop": RMSprop,
    "adam": Adam,
    "radam": RAdam,
    "adamp": AdamP,
}


def defaults_of(method: str) -> dict[str, Any]:
    """The constructor defaults of ``method``'s torch class (without ``params``).

    Examples:
        >>> defaults_of("adam")["betas"], defaults_of("adagrad")["eps"]
        ((0.9, 0.999), 1e-10)
    """
    sig = inspect.signature(CLASSES[check_choice("method", method, tuple(CLASSES))].__init__)
    return {n: p.default for n, p in sig.parameters.items() if n not in ("self", "params")}


def _momentum_like(W: np.ndarray, g: np.ndarray, st: State, h: dict[str, Any], nesterov: bool) -> np.ndarray:
    common = {"lr": h["lr"], "beta": h["momentum"], "weight_decay": h["weight_decay"], "maximize": h["maximize"]}
    if nesterov:
        s = nag_step(W, st.get("momentum_buffer"), g, **common)
    else:
        s = momentum_step(W, g, st.get("momentum_buffer"), dampening=h["dampening"], **common)
    st["momentum_buffer"] = s.a
    return s.W


def _sgd(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    g = grad_fn(W)
    if h.get("momentum", 0) == 0:
        return sgd_step(W, g, lr=h["lr"], weight_decay=h["weight_decay"], maximize=h["maximize"]).W
    return _momentum_like(W, g, st, h, nesterov=h.get("nesterov", False))


def _nag(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    if h["convention"] == "torch":
        return _momentum_like(W, grad_fn(W), st, h, nesterov=True)
    s = nag_step(
        W, st.get("momentum_buffer"), lr=h["lr"], beta=h["momentum"], grad_fn=grad_fn,
        weight_decay=h["weight_decay"], maximize=h["maximize"], convention="lecture",
    )  # fmt: skip
    st["momentum_buffer"] = s.a
    return s.W


def _adagrad(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    G = st.get("sum", np.full_like(W, h["initial_accumulator_value"]))
    s = adagrad_step(
        W, grad_fn(W), G, lr=h["lr"], eps=h["eps"], t=t, lr_decay=h["lr_decay"],
        weight_decay=h["weight_decay"], maximize=h["maximize"], convention=h["convention"],
    )  # fmt: skip
    st["sum"] = s.G
    return s.W


def _adadelta(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    zeros = np.zeros_like(W)
    s = adadelta_step(
        W, grad_fn(W), st.get("square_avg", zeros), st.get("acc_delta", zeros), rho=h["rho"], eps=h["eps"],
        lr=h["lr"], weight_decay=h["weight_decay"], maximize=h["maximize"],
    )  # fmt: skip
    st["square_avg"], st["acc_delta"] = s.G, s.H
    return s.W


def _rmsprop(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
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


def _moments(W: np.ndarray, st: State) -> tuple[np.ndarray, np.ndarray]:
    zeros = np.zeros_like(W)
    return st.get("exp_avg", zeros), st.get("exp_avg_sq", zeros)


def _adam(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    beta1, beta2 = h["betas"]
    s = adam_step(
        W, grad_fn(W), *_moments(W, st), t, lr=h["lr"], beta1=beta1, beta2=beta2, eps=h["eps"],
        weight_decay=h["weight_decay"], decoupled_weight_decay=h["decoupled_weight_decay"], amsgrad=h["amsgrad"],
        v_max=st.get("max_exp_avg_sq"), maximize=h["maximize"], convention=h["convention"],
    )  # fmt: skip
    st["exp_avg"], st["exp_avg_sq"] = s.m, s.v
    if s.v_max is not None:
        st["max_exp_avg_sq"] = s.v_max
    return s.W


def _radam(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    beta1, beta2 = h["betas"]
    s = radam_step(
        W, grad_fn(W), *_moments(W, st), t, lr=h["lr"], beta1=beta1, beta2=beta2, eps=h["eps"],
        weight_decay=h["weight_decay"], decoupled_weight_decay=h["decoupled_weight_decay"], maximize=h["maximize"],
        variant=h["variant"], degenerated_to_sgd=h["degenerated_to_sgd"],
    )  # fmt: skip
    st["exp_avg"], st["exp_avg_sq"] = s.m, s.v
    return s.W


def _adamp(W: np.ndarray, grad_fn: GradFn, st: State, t: int, h: dict[str, Any]) -> np.ndarray:
    beta1, beta2 = h["betas"]
    s = adamp_step(
        W, grad_fn(W), *_moments(W, st), t, lr=h["lr"], beta1=beta1, beta2=beta2, eps=h["eps"],
        weight_decay=h["weight_decay"], delta=h["delta"], wd_ratio=h["wd_ratio"], nesterov=h["nesterov"],
        maximize=h["maximize"],
    )  # fmt: skip
    st["exp_avg"], st["exp_avg_sq"] = s.m, s.v
    st["view"] = np.array(s.view)
    return s.W


_RULES: dict[str, Callable[[np.ndarray, GradFn, State, int, dict[str, Any]], np.ndarray]] = {
    "sgd": _sgd,
    "momentum": _sgd,
    "nag": _nag,
    "adagrad": _adagrad,
    "adadelta": _adadelta,
    "rmsprop": _rmsprop,
    "adam": _adam,
    "radam": _radam,
    "adamp": _adamp,
}


class NumpyOptimizer:
    r"""A numpy optimizer with state: ``step(W, grad_fn)`` applies the method's numpy step function once.

    Args:
        method: ``"sgd"``, ``"momentum"``, ``"nag"``, ``"adagrad"``, ``"adadelta"``, ``"rmsprop"``,
            ``"adam"``, ``"radam"`` or ``"adamp"``.
        **hyper: hyper-parameters under the torch class's names (its defaults fill the rest).

    Raises:
        ValueError: unknown method or hyper-parameter name (values are checked by the step functions).

    Examples:
        >>> opt = NumpyOptimizer("adam", lr=0.1)
        >>> W = opt.step(np.ones(2), lambda w: 2 * w)
        >>> np.round(W, 6), opt.t, sorted(opt.state)
        (array([0.9, 0.9]), 1, ['exp_avg', 'exp_avg_sq'])
    """

    def __init__(self, method: str, **hyper: Any) -> None:
        defaults = defaults_of(method)
        unknown = sorted(set(hyper) - set(defaults))
        if unknown:
            raise ValueError(f"{unknown[0]}={hyper[unknown[0]]!r} is not a hyper-parameter of {method!r}")
        self.method = method
        self.hyper = {**defaults, **hyper}
        self.state: State = {}
        self.t = 0

    def step(self, W: np.ndarray, grad_fn: GradFn) -> np.ndarray:
        """Apply one step to ``W``; ``grad_fn`` gives the gradient at any point.

        Args:
            W: the current parameters.
            grad_fn: the gradient as a function of the parameters.

        Returns:
            The new parameters.
        """
        self.t += 1
        return _RULES[self.method](np.asarray(W), grad_fn, self.state, self.t, self.hyper)
