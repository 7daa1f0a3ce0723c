r"""Run the numpy step functions step after step, with the torch classes' hyper-parameter names.

`NumpyOptimizer` keeps the state between steps under torch's state names (``exp_avg``,
``momentum_buffer``, ...), so a numpy run can be compared entry by entry with a torch optimizer's
``state[p]``. Which step function runs, and with which defaults, comes from the method's entry in
`registry`: the defaults are those of the matching ``torch.optim.Optimizer`` subclass, so both sides start
from the same hyper-parameters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from studylog.optim._rules import GradFn, State
from studylog.optim.registry import METHODS, lookup

#: the torch class of each method (a view of the registry, kept for ``benchmarks/optim_step.py``)
CLASSES: dict[str, type] = {m.name: m.optimizer for m in METHODS}


class NumpyOptimizer:
    r"""A numpy optimizer with state: ``step(W, grad_fn)`` applies the method's numpy step function once.

    Args:
        method: the name of a method of the registry (``"sgd"``, ``"momentum"``, ..., ``"adamp"``).
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
        entry = lookup(method)
        defaults = entry.defaults()
        unknown = sorted(set(hyper) - set(defaults))
        if unknown:
            raise ValueError(f"{unknown[0]}={hyper[unknown[0]]!r} is not a hyper-parameter of {method!r}")
        self.method = method
        self._rule = entry.rule
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
        return self._rule(np.asarray(W), grad_fn, self.state, self.t, self.hyper)
