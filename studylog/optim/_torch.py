r"""The shared skeleton of the ``torch.optim.Optimizer`` subclasses: a per-parameter for-loop.

Like torch's single-tensor path (``foreach=False``), `step` visits every parameter
that has a gradient, creates its state lazily on its first update and applies the rule in place. Parameters
whose ``grad`` is ``None`` are skipped and get no state. Subclasses provide three small hooks:
``_check(group)`` (validate hyper-parameters), ``_init_state(p, state, group)`` and
``_update(p, grad, state, group)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import torch

from studylog.optim._validation import as_float


def scalar(value: Any) -> float:
    """A hyper-parameter as a Python float (torch allows a 1-element tensor ``lr``)."""
    return float(value.item()) if isinstance(value, torch.Tensor) else float(value)


def new_step_counter() -> torch.Tensor:
    """A 0-d CPU step counter in the default float dtype, as torch's for-loop optimizers keep it."""
    return torch.zeros((), dtype=torch.get_default_dtype())


def grad_for_update(p: torch.Tensor, grad: torch.Tensor, group: Mapping[str, Any]) -> torch.Tensor:
    """``-grad`` under ``maximize``, then plus coupled weight decay ``λ p`` (a new tensor when either applies)."""
    if group.get("maximize", False):
        grad = -grad
    weight_decay = scalar(group.get("weight_decay", 0.0))
    if weight_decay != 0 and not group.get("decoupled_weight_decay", False):
        grad = grad.add(p, alpha=weight_decay)
    return grad


class StudylogOptimizer(torch.optim.Optimizer):
    """Base class: validated hyper-parameters (per param group too) and the per-parameter step loop."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self._check(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check(group: Mapping[str, Any]) -> None:  # pragma: no cover - every subclass overrides it
        """Raise ``ValueError`` naming the first invalid hyper-parameter of ``group``."""
        as_float("lr", group["lr"])

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a param group, validating its hyper-parameters (torch only validates the defaults).

        Raises:
            ValueError: a hyper-parameter of the group is invalid.
        """
        super().add_param_group(param_group)
        try:
            self._check(self.param_groups[-1])
        except ValueError:
            self.param_groups.pop()
            raise
        for p in self.param_groups[-1]["params"]:
            if torch.is_complex(p):
                self.param_groups.pop()
                raise ValueError(f"{type(self).__name__} does not support complex parameters (got dtype {p.dtype})")

    def _init_state(self, p: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        """Create the state of ``p`` before its first update (default: nothing)."""

    def _update(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        raise NotImplementedError  # pragma: no cover

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one optimization step on every parameter that has a gradient.

        Args:
            closure: optional callable that re-evaluates the model and returns the loss.

        Returns:
            The loss returned by ``closure``, or ``None``.

        Raises:
            RuntimeError: a gradient is sparse (not supported).
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")
                state = self.state[p]
                if len(state) == 0:
                    self._init_state(p, state, group)
                self._update(p, p.grad, state, group)
        return loss
