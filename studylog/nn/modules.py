r"""What ``nn.Module.modules()`` yields, and how to use it to initialize every ``nn.Linear`` (the Day-7 assignment).

``model.modules()`` walks the module tree **recursively in pre-order**: the model itself first, then each child
(in the order the attributes were assigned in ``__init__``) followed by that child's own sub-modules, and so on.
A module reachable twice (the same object registered under two names) is yielded **once**, at its first position.
``children()`` is the non-recursive version (direct children only); ``named_modules()`` yields the same modules
with dotted names.
"""

from __future__ import annotations

import torch
from torch import nn


class AssignmentModel(nn.Module):
    """A small MLP with a nested block and one ``nn.Linear`` shared by two parents.

    The tree (names as ``named_modules()`` gives them):

        ''          AssignmentModel
        encoder     Sequential(Linear(4, 8), ReLU, Linear(8, 8))
        shared      Linear(8, 8)          <- also head.0
        head        Sequential(shared, ReLU, Linear(8, 3))
    """

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8))
        self.shared = nn.Linear(8, 8)
        self.head = nn.Sequential(self.shared, nn.ReLU(), nn.Linear(8, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(N, 4)`` inputs to ``(N, 3)`` scores."""
        return self.head(self.encoder(x))


def build_assignment_model() -> AssignmentModel:
    """Build the assignment's small model (float32, torch's default initialization).

    Returns:
        A fresh ``AssignmentModel``.

    Examples:
        >>> [type(m).__name__ for m in build_assignment_model().modules()]
        ['AssignmentModel', 'Sequential', 'Linear', 'ReLU', 'Linear', 'Linear', 'Sequential', 'ReLU', 'Linear']
    """
    return AssignmentModel()


def init_linear_layers(model: nn.Module, *, generator: torch.Generator | None = None) -> int:
    """Xavier-uniform weights and zero biases for every ``nn.Linear`` that ``model.modules()`` yields.

    Because ``modules()`` yields a shared layer once, each layer is initialized exactly once.

    Args:
        model: any module (itself included if it is a Linear).
        generator: optional seeded generator for the weights.

    Returns:
        How many ``nn.Linear`` layers were initialized.

    Examples:
        >>> init_linear_layers(build_assignment_model(), generator=torch.Generator().manual_seed(0))
        4
    """
    count = 0
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight, generator=generator)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
            count += 1
    return count
