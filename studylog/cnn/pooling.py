r"""Max pooling (최대 풀링): the largest value of each window, a downsampling without parameters."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from studylog.cnn._checks import FloatArray, as_float_array, check_int
from studylog.engine.binding import Array, Dim, In, Index, Int, Out, implements


@implements(
    "pool.max",
    symbols={
        r"y_{ij}": Out(),
        r"x_{ij}": In("x", Array(shape=("H", "W"))),
        r"k": In("kernel_size", Dim("k")),
        r"s": In("stride", Int(1, 3)),
        r"i": Index(),
        r"j": Index(),
        r"m": Index(size="k"),
        r"n": Index(size="k"),
    },
    dims={"H": (7, 12), "W": (7, 12), "k": (2, 4)},
)
def max_pool2d(x: FloatArray, *, kernel_size: int, stride: int | None = None) -> FloatArray:
    r"""The maximum over each ``kernel_size × kernel_size`` window, windows ``stride`` apart, no padding.

    In LaTeX, as in the log (formula ``pool.max``; ``m`` and ``n`` run over ``1..k``):

        y_{ij} = \max_{m,n} x_{s(i-1)+m,\, s(j-1)+n}

    Args:
        x: the input, shape ``(H, W)`` (or ``(C, H, W)``: each channel on its own).
        kernel_size: the window's side ``k`` (>= 1).
        stride: the step ``s`` between windows (>= 1; default ``kernel_size``, as in torch).

    Returns:
        The pooled map, shape ``(…, ⌊(H-k)/s⌋+1, ⌊(W-k)/s⌋+1)``.

    Raises:
        ValueError: if ``x`` is not 2-d or 3-d, a size is invalid, or the window is larger than ``x``.

    Examples:
        >>> max_pool2d(np.arange(16.0).reshape(4, 4), kernel_size=2).tolist()
        [[5.0, 7.0], [13.0, 15.0]]
    """
    x = as_float_array("x", x)
    if x.ndim not in (2, 3):
        raise ValueError(f"x must have shape (H, W) or (C, H, W), got {x.shape}")
    k = check_int("kernel_size", kernel_size)
    s = k if stride is None else check_int("stride", stride)
    if k > x.shape[-2] or k > x.shape[-1]:
        raise ValueError(f"the window ({k}x{k}) is larger than the input {x.shape[-2:]}")
    windows = sliding_window_view(x, (k, k), axis=(-2, -1))[..., ::s, ::s, :, :]
    return np.max(windows, axis=(-2, -1))
