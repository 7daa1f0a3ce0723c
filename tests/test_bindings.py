"""Every @implements declaration of the project fits the function it decorates.

Uses the engine's own discovery (not a second copy of it), so every implementation package is covered.
"""

from __future__ import annotations

import inspect

import pytest

from studylog.engine.binding import In
from studylog.engine.verify import discover, load_config
from tests.conftest import ROOT

BINDINGS = discover(load_config(ROOT).implementations, ROOT)


@pytest.mark.parametrize(("package", "count"), [("studylog.nn", 5), ("studylog.regularization", 25)])
def test_every_formula_id_is_declared_once(package: str, count: int) -> None:
    ids = [fid for b in BINDINGS if b.module.startswith(package + ".") for fid in b.formula_ids]
    assert len(ids) == len(set(ids)) == count


@pytest.mark.parametrize("binding", BINDINGS, ids=lambda b: f"{b.path}:{'+'.join(b.formula_ids)}")
def test_inputs_and_fixed_arguments_are_parameters(binding) -> None:
    params = inspect.signature(binding.func).parameters
    args = {role.arg for role in binding.symbols.values() if isinstance(role, In) and role.arg is not None}
    assert args | set(binding.fixed) <= set(params)
    required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
    assert required <= args | set(binding.fixed)
