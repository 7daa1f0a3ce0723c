"""What nn.Module.modules() yields: recursive, pre-order, the model first, a shared module once."""

from __future__ import annotations

import math

import torch
from torch import nn

from studylog.nn import build_assignment_model, init_linear_layers


def _preorder(module: nn.Module, seen: set[int] | None = None) -> list[nn.Module]:
    """Independent reference: depth-first pre-order over the registered children, skipping modules already seen."""
    seen = set() if seen is None else seen
    if id(module) in seen:
        return []
    seen.add(id(module))
    order = [module]
    for child in module._modules.values():  # noqa: SLF001 - the registry modules() walks
        if child is not None:
            order += _preorder(child, seen)
    return order


def test_modules_is_recursive_preorder_self_first():
    model = build_assignment_model()
    yielded = list(model.modules())
    assert yielded[0] is model
    assert [id(m) for m in yielded] == [id(m) for m in _preorder(model)]
    # by hand: model, encoder and its three layers, shared, head and its two non-shared layers
    expected = [
        model,
        model.encoder,
        model.encoder[0],
        model.encoder[1],
        model.encoder[2],
        model.shared,
        model.head,
        model.head[1],
        model.head[2],
    ]
    assert [id(m) for m in yielded] == [id(m) for m in expected]


def test_shared_module_is_yielded_once():
    model = build_assignment_model()
    assert model.head[0] is model.shared
    yielded = list(model.modules())
    assert len(yielded) == len({id(m) for m in yielded}) == 9
    names = [name for name, _ in model.named_modules()]
    assert "head.0" not in names  # reachable under two names, listed under the first one
    assert names[5] == "shared"


def test_children_is_not_recursive():
    model = build_assignment_model()
    assert [id(m) for m in model.children()] == [id(model.encoder), id(model.shared), id(model.head)]


def test_init_linear_layers_initializes_every_linear_once():
    model = build_assignment_model()
    count = init_linear_layers(model, generator=torch.Generator().manual_seed(0))
    linears = [model.encoder[0], model.encoder[2], model.shared, model.head[2]]
    assert count == len(linears) == 4
    for layer in linears:
        assert torch.count_nonzero(layer.bias) == 0
        bound = math.sqrt(6.0 / (layer.in_features + layer.out_features))  # Glorot & Bengio (2010)
        assert layer.weight.abs().max() <= bound


def test_init_linear_layers_draws_in_modules_order():
    model = build_assignment_model()
    init_linear_layers(model, generator=torch.Generator().manual_seed(1))
    reference = torch.Generator().manual_seed(1)
    for layer in [model.encoder[0], model.encoder[2], model.shared, model.head[2]]:  # pre-order, by hand
        expected = torch.empty_like(layer.weight)
        nn.init.xavier_uniform_(expected, generator=reference)
        assert torch.equal(layer.weight.detach(), expected)
