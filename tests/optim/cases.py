"""The optimizer test cases, all derived from the one table of methods, `studylog.optim.registry.METHODS`.

Each :class:`Case` is a method and a config in torch's hyper-parameter names: every method's defaults and each
of its registry ``configs`` (which must reproduce the method's reference: ``torch.optim``'s single-tensor path,
or the ``adamp`` package for AdamP), then its ``lecture_configs`` (the lecture's, paper's or authors' forms, which
no reference computes: the numpy steps mirror them, and ``test_lecture.py`` checks their documented relation to
torch). A method added to the registry is tested by every test that uses these cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from studylog.optim.drivers import NumpyOptimizer
from studylog.optim.nag import NAG
from studylog.optim.problems import PROBLEM_NAMES, Problem, problem
from studylog.optim.registry import METHODS, Method, lookup


@dataclass(frozen=True)
class Case:
    method: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    torch_form: bool = True  # whether the reference (torch.optim / adamp) computes the same rule

    @property
    def id(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.kwargs.items())
        return f"{self.method}({args})"

    @property
    def entry(self) -> Method:
        return lookup(self.method)

    def lr(self, problem_name: str) -> float:
        return self.kwargs.get("lr", self.entry.reference_lrs[PROBLEM_NAMES.index(problem_name)])

    def config(self, problem_name: str) -> dict[str, Any]:
        return {**self.kwargs, "lr": self.lr(problem_name)}

    def ours(self, params: list[torch.Tensor], problem_name: str = "quad") -> torch.optim.Optimizer:
        return self.entry.optimizer(params, **self.config(problem_name))

    def reference(self, params: list[Any], problem_name: str = "quad") -> torch.optim.Optimizer:
        return self.entry.reference.build(params, **self.config(problem_name))

    def numpy(self, problem_name: str = "quad") -> NumpyOptimizer:
        return NumpyOptimizer(self.method, **self.config(problem_name))


CASES = [Case(m.name, dict(config)) for m in METHODS for config in ({}, *m.configs)]
LECTURE_CASES = [Case(m.name, dict(config), torch_form=False) for m in METHODS for config in m.lecture_configs]
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

    if any(g.get("convention") == "lecture" for g in opt.param_groups) and isinstance(opt, NAG):
        opt.step(closure)
    else:
        closure()
        opt.step()


def tensor_state(state: dict[str, Any]) -> dict[str, torch.Tensor]:
    """The tensor entries of one parameter's optimizer state, without the step counter."""
    return {k: v for k, v in state.items() if isinstance(v, torch.Tensor) and k != "step"}
