"""The one table of optimizers and configurations that drives the optimizer tests.

Each :class:`Case` is a method and a config in torch's hyper-parameter names. ``reference`` builds the
independent implementation it must reproduce: ``torch.optim`` (single-tensor path) for the seven methods
torch has, the ``adamp`` package for AdamP. Lecture-convention cases have no reference (they are checked
against the numpy steps and against the documented mappings in ``test_lecture.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import adamp
import numpy as np
import torch

from studylog.optim.compare import LEARNING_RATES, torch_optimizer
from studylog.optim.drivers import CLASSES, NumpyOptimizer
from studylog.optim.problems import PROBLEM_NAMES, Problem, problem

#: learning rates per problem for AdamP (torch has no AdamP: Adam's)
LRS = {**LEARNING_RATES, "adamp": LEARNING_RATES["adam"]}


@dataclass(frozen=True)
class Case:
    method: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    torch_form: bool = True  # whether torch.optim / adamp compute the same rule

    @property
    def id(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.kwargs.items())
        return f"{self.method}({args})"

    def lr(self, problem_name: str) -> float:
        return self.kwargs.get("lr", LRS[self.method][PROBLEM_NAMES.index(problem_name)])

    def config(self, problem_name: str) -> dict[str, Any]:
        return {**self.kwargs, "lr": self.lr(problem_name)}

    def ours(self, params: list[torch.Tensor], problem_name: str = "quad") -> torch.optim.Optimizer:
        return CLASSES[self.method](params, **self.config(problem_name))

    def reference(self, params: list[torch.Tensor], problem_name: str = "quad") -> torch.optim.Optimizer:
        cfg = self.config(problem_name)
        if self.method == "adamp":
            cfg.pop("maximize", None)
            return adamp.AdamP(params, **cfg)
        return torch_optimizer(self.method, params, **cfg)

    def numpy(self, problem_name: str = "quad") -> NumpyOptimizer:
        return NumpyOptimizer(self.method, **self.config(problem_name))


CASES = [
    Case("sgd"),
    Case("sgd", {"weight_decay": 0.1}),
    Case("sgd", {"momentum": 0.9}),
    Case("sgd", {"momentum": 0.9, "dampening": 0.3}),
    Case("sgd", {"momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    Case("sgd", {"momentum": 0.5, "maximize": True, "weight_decay": 0.1}),
    Case("momentum"),
    Case("momentum", {"momentum": 0.5, "dampening": 0.5, "weight_decay": 0.01}),
    Case("nag"),
    Case("nag", {"momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    Case("adagrad"),
    Case("adagrad", {"lr_decay": 0.01}),
    Case("adagrad", {"initial_accumulator_value": 0.1, "weight_decay": 0.1}),
    Case("adagrad", {"eps": 1e-6, "maximize": True}),
    Case("adadelta"),
    Case("adadelta", {"lr": 0.5, "rho": 0.8}),
    Case("adadelta", {"weight_decay": 0.1, "eps": 1e-4, "maximize": True}),
    Case("rmsprop"),
    Case("rmsprop", {"alpha": 0.9}),
    Case("rmsprop", {"centered": True}),
    Case("rmsprop", {"momentum": 0.9}),
    Case("rmsprop", {"centered": True, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    Case("adam"),
    Case("adam", {"amsgrad": True}),
    Case("adam", {"weight_decay": 0.1}),
    Case("adam", {"weight_decay": 0.1, "decoupled_weight_decay": True}),
    Case("adam", {"betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True, "maximize": True}),
    Case("radam"),
    Case("radam", {"weight_decay": 0.1}),
    Case("radam", {"weight_decay": 0.1, "decoupled_weight_decay": True}),
    Case("radam", {"betas": (0.8, 0.99), "maximize": True}),
    Case("adamp"),
    Case("adamp", {"weight_decay": 1e-2}),
    Case("adamp", {"weight_decay": 1e-2, "nesterov": True}),
    Case("adamp", {"delta": 0.2, "wd_ratio": 0.5, "betas": (0.8, 0.99)}),
]

LECTURE_CASES = [
    Case("nag", {"convention": "lecture"}, torch_form=False),
    Case("adagrad", {"convention": "lecture"}, torch_form=False),
    Case("adagrad", {"convention": "lecture", "lr_decay": 0.01, "weight_decay": 0.1}, torch_form=False),
    Case("rmsprop", {"convention": "lecture"}, torch_form=False),
    Case("rmsprop", {"convention": "lecture", "centered": True, "momentum": 0.5}, torch_form=False),
    Case("adam", {"convention": "lecture"}, torch_form=False),
    Case("adam", {"convention": "lecture", "amsgrad": True, "weight_decay": 0.1}, torch_form=False),
    Case("radam", {"variant": "paper"}, torch_form=False),
    Case("radam", {"variant": "author"}, torch_form=False),
    Case("radam", {"variant": "author", "degenerated_to_sgd": True}, torch_form=False),
    Case("radam", {"variant": "author", "weight_decay": 0.1, "decoupled_weight_decay": True}, torch_form=False),
]

ALL_CASES = CASES + LECTURE_CASES


def oracle(case: Case, problem_name: str) -> Problem:
    """The problem, with the gradient negated under ``maximize`` (so maximizing -f follows minimizing f)."""
    prob = problem(problem_name)
    if not case.kwargs.get("maximize", False):
        return prob
    grad: Callable[[np.ndarray], np.ndarray] = prob.grad
    return prob._replace(grad=lambda w: -grad(w))


def set_grad(p: torch.Tensor, grad: Callable[[np.ndarray], np.ndarray]) -> None:
    """``p.grad`` from a numpy gradient oracle evaluated at ``p`` (same dtype as ``p``)."""
    value = grad(p.detach().numpy().astype(np.float64))
    p.grad = torch.as_tensor(value, dtype=p.dtype).reshape(p.shape).clone()


def take_step(opt: torch.optim.Optimizer, params: list[torch.Tensor], grad: Callable[[np.ndarray], np.ndarray]) -> None:
    """One step with gradients from the oracle; NAG's lecture form gets them through a closure."""

    def closure() -> None:
        for p in params:
            set_grad(p, grad)

    if any(g.get("convention") == "lecture" for g in opt.param_groups) and isinstance(opt, CLASSES["nag"]):
        opt.step(closure)
    else:
        closure()
        opt.step()


def tensor_state(state: dict[str, Any]) -> dict[str, torch.Tensor]:
    """The tensor entries of one parameter's optimizer state, without the step counter."""
    return {k: v for k, v in state.items() if isinstance(v, torch.Tensor) and k != "step"}
