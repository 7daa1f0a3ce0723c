r"""The one table of the nine optimizers: what each is, what it must reproduce, how it is run and tested.

Everything that loops over "the optimizers" reads `METHODS`: `NumpyOptimizer` (which numpy step and
which defaults), the lecture-vs-torch tables of `compare` (the reference, the lecture's options and
learning rates), the Day-7 figures (labels and learning rates) and the tests (every config of every method
against its reference, every documented relation of a lecture form to it). Adding a method is adding one
`Method` here (after writing its numpy step, its torch class and its rule).

Examples:
    >>> [m.label for m in METHODS]
    ['SGD', 'Momentum', 'NAG', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam', 'RAdam', 'AdamP']
    >>> lookup("nag").reference.target, dict(lookup("nag").reference.fixed)
    ('torch.optim.SGD', {'nesterov': True, 'foreach': False})
    >>> lookup("adam").lecture.agreement
    <Agreement.WITHOUT_EPS: 'without-eps'>
"""

from __future__ import annotations

import enum
import importlib
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

from studylog.optim import _rules
from studylog.optim._torch import StudylogOptimizer
from studylog.optim._validation import check_choice
from studylog.optim.adadelta import Adadelta
from studylog.optim.adagrad import Adagrad
from studylog.optim.adam import Adam
from studylog.optim.adamp import AdamP
from studylog.optim.momentum import Momentum
from studylog.optim.nag import NAG
from studylog.optim.radam import RAdam
from studylog.optim.rmsprop import RMSprop
from studylog.optim.sgd import SGD

FORM_OPTIONS = ("convention", "variant", "degenerated_to_sgd")
"""Options of ours that select a form (the lecture's, the paper's, the authors'); no reference takes them."""


class Agreement(enum.Enum):
    """How a method's lecture form relates to its reference; ``tests/optim/test_lecture.py`` checks each claim."""

    IDENTICAL = "identical"
    """The same rule: the two trajectories agree to rounding."""
    WITHOUT_EPS = "without-eps"
    r"""The same rule once $`\epsilon = 0`$: the lecture puts $`\epsilon`$ inside the root, the reference after it."""
    LOOKAHEAD = "lookahead"
    r"""A change of variables: the reference's iterate is the lecture's look-ahead point $`\Phi_t`$."""
    DIFFERENT = "different"
    """A different algorithm (RAdam: the paper's Algorithm 2, which the lecture names, against torch's)."""


@dataclass(frozen=True, kw_only=True)
class Lecture:
    """The lecture's form of a method and how it relates to the reference."""

    options: Mapping[str, Any]
    """Options selecting the lecture's form; both sides of a comparison get them except `FORM_OPTIONS`."""
    agreement: Agreement


@dataclass(frozen=True, kw_only=True)
class Reference:
    """An independent implementation a method must reproduce: a ``torch.optim.Optimizer`` class by import path.

    ``target`` is imported only when `build` is called, so a test-only reference (the ``adamp`` package)
    is not a runtime dependency.
    """

    target: str
    """``module.Class``, e.g. ``"torch.optim.SGD"`` or ``"adamp.AdamP"``."""
    fixed: Mapping[str, Any] = field(default_factory=dict)
    """Always passed (``nesterov=True`` for NAG; ``foreach=False``, torch's single-tensor path)."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Passed unless given (momentum 0.9 where torch's default, 0, would turn the method off)."""

    @property
    def in_torch(self) -> bool:
        """Whether the reference is part of ``torch.optim``."""
        return self.target.startswith("torch.optim.")

    def build(self, params: Iterable[Any], **hyper: Any) -> torch.optim.Optimizer:
        """The reference optimizer over ``params`` with ``hyper`` (torch's names)."""
        module, _, name = self.target.rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        return cls(params, **{**self.defaults, **hyper, **self.fixed})


def _torch_optim(name: str, **fixed: Any) -> Reference:
    return Reference(target=f"torch.optim.{name}", fixed={**fixed, "foreach": False})


@dataclass(frozen=True, kw_only=True)
class Method:
    """One optimizer of the table."""

    name: str
    """The key used everywhere (``NumpyOptimizer("adam")``, ``lecture_vs_torch("adam")``)."""
    label: str
    """How figures and tables name it."""
    optimizer: type[StudylogOptimizer]
    """Our ``torch.optim.Optimizer`` subclass; its constructor's defaults are the numpy run's defaults."""
    rule: _rules.Rule
    """How `NumpyOptimizer` drives the numpy step (torch's state names)."""
    reference: Reference
    lecture: Lecture | None
    """The lecture's form, or ``None`` when the lecture has none (AdamP)."""
    reference_lrs: tuple[float, float, float]
    """Learning rates on ``quad``, ``quad_tiny`` and ``rosen`` (the reference sheet's runs)."""
    figure_lrs: tuple[float, float]
    """Learning rates on the 2-D quadratic and on Rosenbrock in the Day-7 optimizer figures."""
    configs: tuple[Mapping[str, Any], ...] = ()
    """Settings (torch's names) that, with the defaults, exercise every option; each must match the reference."""
    lecture_configs: tuple[Mapping[str, Any], ...] = ()
    """Settings selecting the lecture's (paper's, authors') forms; no reference computes them."""

    def defaults(self) -> dict[str, Any]:
        """The constructor defaults of `optimizer` (without ``params``).

        Examples:
            >>> lookup("adam").defaults()["betas"], lookup("adagrad").defaults()["eps"]
            ((0.9, 0.999), 1e-10)
        """
        sig = inspect.signature(self.optimizer.__init__)
        return {n: p.default for n, p in sig.parameters.items() if n not in ("self", "params")}


METHODS: tuple[Method, ...] = (
    Method(
        name="sgd", label="SGD", optimizer=SGD, rule=_rules.sgd_rule, reference=_torch_optim("SGD"),
        lecture=Lecture(options={}, agreement=Agreement.IDENTICAL),
        reference_lrs=(0.05, 0.05, 1e-3), figure_lrs=(0.1, 1e-3),
        configs=(
            {"weight_decay": 0.1},
            {"momentum": 0.9},
            {"momentum": 0.9, "dampening": 0.3},
            {"momentum": 0.9, "nesterov": True, "weight_decay": 0.05},
            {"momentum": 0.5, "maximize": True, "weight_decay": 0.1},
        ),
    ),
    Method(
        name="momentum", label="Momentum", optimizer=Momentum, rule=_rules.sgd_rule,
        reference=Reference(target="torch.optim.SGD", fixed={"nesterov": False, "foreach": False},
                            defaults={"momentum": 0.9}),
        lecture=Lecture(options={"momentum": 0.9}, agreement=Agreement.IDENTICAL),
        reference_lrs=(0.05, 0.05, 1e-3), figure_lrs=(0.01, 1e-3),
        configs=({"momentum": 0.5, "dampening": 0.5, "weight_decay": 0.01},),
    ),
    Method(
        name="nag", label="NAG", optimizer=NAG, rule=_rules.nag_rule,
        reference=Reference(target="torch.optim.SGD", fixed={"nesterov": True, "foreach": False},
                            defaults={"momentum": 0.9}),
        lecture=Lecture(options={"momentum": 0.9, "convention": "lecture"}, agreement=Agreement.LOOKAHEAD),
        reference_lrs=(0.05, 0.05, 1e-3), figure_lrs=(0.01, 1e-3),
        configs=({"momentum": 0.5, "weight_decay": 0.1, "maximize": True},),
        lecture_configs=({"convention": "lecture"},),
    ),
    Method(
        name="adagrad", label="Adagrad", optimizer=Adagrad, rule=_rules.adagrad_rule,
        reference=_torch_optim("Adagrad"),
        lecture=Lecture(options={"convention": "lecture"}, agreement=Agreement.WITHOUT_EPS),
        reference_lrs=(0.5, 0.5, 0.1), figure_lrs=(0.5, 0.3),
        configs=(
            {"lr_decay": 0.01},
            {"initial_accumulator_value": 0.1, "weight_decay": 0.1},
            {"eps": 1e-6, "maximize": True},
        ),
        lecture_configs=(
            {"convention": "lecture"},
            {"convention": "lecture", "lr_decay": 0.01, "weight_decay": 0.1},
        ),
    ),
    Method(
        name="adadelta", label="Adadelta", optimizer=Adadelta, rule=_rules.adadelta_rule,
        reference=_torch_optim("Adadelta"),
        lecture=Lecture(options={}, agreement=Agreement.IDENTICAL),  # at torch's default lr = 1
        reference_lrs=(1.0, 1.0, 1.0), figure_lrs=(1.0, 1.0),
        configs=({"lr": 0.5, "rho": 0.8}, {"weight_decay": 0.1, "eps": 1e-4, "maximize": True}),
    ),
    Method(
        name="rmsprop", label="RMSprop", optimizer=RMSprop, rule=_rules.rmsprop_rule,
        reference=_torch_optim("RMSprop"),
        lecture=Lecture(options={"convention": "lecture"}, agreement=Agreement.WITHOUT_EPS),
        reference_lrs=(0.01, 0.01, 0.01), figure_lrs=(0.03, 0.01),
        configs=(
            {"alpha": 0.9},
            {"centered": True},
            {"momentum": 0.9},
            {"centered": True, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
        ),
        lecture_configs=(
            {"convention": "lecture"},
            {"convention": "lecture", "centered": True, "momentum": 0.5},
        ),
    ),
    Method(
        name="adam", label="Adam", optimizer=Adam, rule=_rules.adam_rule, reference=_torch_optim("Adam"),
        lecture=Lecture(options={"convention": "lecture"}, agreement=Agreement.WITHOUT_EPS),
        reference_lrs=(0.05, 0.05, 0.01), figure_lrs=(0.1, 0.05),
        configs=(
            {"amsgrad": True},
            {"weight_decay": 0.1},
            {"weight_decay": 0.1, "decoupled_weight_decay": True},
            {"betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True, "maximize": True},
        ),
        lecture_configs=(
            {"convention": "lecture"},
            {"convention": "lecture", "amsgrad": True, "weight_decay": 0.1},
        ),
    ),
    Method(
        name="radam", label="RAdam", optimizer=RAdam, rule=_rules.radam_rule, reference=_torch_optim("RAdam"),
        lecture=Lecture(options={"variant": "paper"}, agreement=Agreement.DIFFERENT),  # the lecture only names it
        reference_lrs=(0.05, 0.05, 1e-3), figure_lrs=(0.1, 0.005),
        configs=(
            {"weight_decay": 0.1},
            {"weight_decay": 0.1, "decoupled_weight_decay": True},
            {"betas": (0.8, 0.99), "maximize": True},
        ),
        lecture_configs=(
            {"variant": "paper"},
            {"variant": "author"},
            {"variant": "author", "degenerated_to_sgd": True},
            {"variant": "author", "weight_decay": 0.1, "decoupled_weight_decay": True},
        ),
    ),
    Method(
        name="adamp", label="AdamP", optimizer=AdamP, rule=_rules.adamp_rule,
        reference=Reference(target="adamp.AdamP"),  # the authors' package: torch has no AdamP
        lecture=None,
        reference_lrs=(0.05, 0.05, 0.01), figure_lrs=(0.1, 0.05),
        configs=(
            {"weight_decay": 1e-2},
            {"weight_decay": 1e-2, "nesterov": True},
            {"delta": 0.2, "wd_ratio": 0.5, "betas": (0.8, 0.99)},
        ),
    ),
)  # fmt: skip
"""The nine optimizers, in the order of the Day-7 log."""

NAMES: tuple[str, ...] = tuple(m.name for m in METHODS)
_BY_NAME = {m.name: m for m in METHODS}


def lookup(name: str) -> Method:
    """The method called ``name``.

    Raises:
        ValueError: no method has that name (the message lists them).

    Examples:
        >>> lookup("radam").label
        'RAdam'
    """
    return _BY_NAME[check_choice("method", name, NAMES)]


def with_lecture(*agreements: Agreement) -> tuple[Method, ...]:
    """The methods whose lecture form relates to their reference by one of ``agreements`` (all with a lecture form
    if none is given).

    Examples:
        >>> [m.name for m in with_lecture(Agreement.WITHOUT_EPS)]
        ['adagrad', 'rmsprop', 'adam']
    """
    return tuple(m for m in METHODS if m.lecture and (not agreements or m.lecture.agreement in agreements))
