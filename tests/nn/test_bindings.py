"""The @implements declarations of studylog.nn fit the functions they decorate."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import studylog.nn as package
from studylog.engine.binding import In, bindings_of

BINDINGS = [
    binding
    for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}.")
    for value in vars(importlib.import_module(info.name)).values()
    if getattr(value, "__module__", None) == info.name
    for binding in bindings_of(value)
]


def test_every_formula_id_is_declared_once():
    ids = [fid for b in BINDINGS for fid in b.formula_ids]
    assert len(ids) == len(set(ids)) == 5


@pytest.mark.parametrize("binding", BINDINGS, ids=lambda b: "+".join(b.formula_ids))
def test_inputs_and_fixed_arguments_are_parameters(binding):
    params = inspect.signature(binding.func).parameters
    args = {role.arg for role in binding.symbols.values() if isinstance(role, In) and role.arg is not None}
    assert args | set(binding.fixed) <= set(params)
    required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
    assert required <= args | set(binding.fixed)
