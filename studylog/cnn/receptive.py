r"""How much of the input one output of a stack of convolutions sees: its receptive field and jump."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from studylog.cnn._checks import check_int
from studylog.engine.binding import Choice, Dim, In, Index, Out, implements


class ReceptiveField(NamedTuple):
    """The receptive field of the last layer of a stack."""

    size: int
    r"""$`r_L`$: how many input pixels along one axis one output of layer $`L`$ depends on."""
    jump: int
    r"""$`j_L`$: how many input pixels apart two neighbouring outputs of layer $`L`$ are."""


@implements(
    "rf.jump",
    "rf.size",
    symbols={
        r"k_l": In("kernel_sizes", Choice((1.0, 2.0, 3.0, 5.0, 7.0), shape=("L",))),
        r"s_l": In("strides", Choice((1.0, 2.0, 3.0), shape=("L",))),
        r"L": In(None, Dim("L")),
        r"l": Index(),
        r"i": Index(),
        r"j_L": Out("jump"),
        r"r_L": Out("size"),
    },
    dims={"L": (1, 6)},
)
def receptive_field(kernel_sizes: list[int], strides: list[int]) -> ReceptiveField:
    r"""The receptive field of ``L`` stacked convolutions (kernel ``k_l``, stride ``s_l``, any padding).

    In LaTeX, as in the log (formulas ``rf.jump`` and ``rf.size``):

        j_L = \prod_{l=1}^{L} s_l, \qquad r_L = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{l-1} s_i

    computed here layer by layer: each layer widens the field by ``(k_l - 1)`` times the jump so far.

    Args:
        kernel_sizes: ``k_1, …, k_L`` (each >= 1).
        strides: ``s_1, …, s_L`` (each >= 1).

    Returns:
        The field's size and jump.

    Raises:
        ValueError: if the lists differ in length, are empty, or hold a non-positive integer.

    Examples:
        >>> receptive_field([3, 3, 3], [1, 1, 1])
        ReceptiveField(size=7, jump=1)
        >>> receptive_field([7, 3, 3], [2, 2, 1])
        ReceptiveField(size=19, jump=4)
    """
    ks = [check_int(f"kernel_sizes[{n}]", k) for n, k in enumerate(np.ravel(kernel_sizes).tolist())]
    ss = [check_int(f"strides[{n}]", s) for n, s in enumerate(np.ravel(strides).tolist())]
    if len(ks) != len(ss) or not ks:
        raise ValueError(f"need one stride per kernel size and at least one layer, got {len(ks)} and {len(ss)}")
    size, jump = 1, 1
    for k, s in zip(ks, ss, strict=True):
        size += (k - 1) * jump
        jump *= s
    return ReceptiveField(size=size, jump=jump)
