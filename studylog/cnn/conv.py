r"""Convolution layers (합성곱): the operation, the output size and the parameter count.

What deep-learning libraries call convolution is cross-correlation: the kernel slides over the image without
being flipped. `correlate2d` is the single-channel definition, `conv2d` the layer (channels, stride, zero
padding, bias) as ``torch.nn.functional.conv2d`` computes it.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from studylog.cnn._checks import FloatArray, as_float_array, check_int
from studylog.engine.binding import Array, Dim, In, Index, Int, Out, implements


@implements(
    "conv.def",
    symbols={
        r"(I * K)_{ij}": Out(),
        r"I_{ij}": In("image", Array(shape=("H", "W"))),
        r"K_{mn}": In("kernel", Array(shape=("k", "k"))),
        r"k": In(None, Dim("k")),
        r"i": Index(),
        r"j": Index(),
        r"m": Index(size="k"),
        r"n": Index(size="k"),
    },
    dims={"H": (6, 11), "W": (6, 11), "k": (2, 5)},
)
def correlate2d(image: FloatArray, kernel: FloatArray) -> FloatArray:
    r"""Slide ``kernel`` over ``image`` without padding (stride 1): the "valid" cross-correlation.

    In LaTeX, as in the log (formula ``conv.def``; indices count from 1):

        (I * K)_{ij} = \sum_{m=1}^{k} \sum_{n=1}^{k} I_{i+m-1,\, j+n-1} K_{mn}

    Args:
        image: the input, shape ``(H, W)``.
        kernel: the kernel, shape ``(k_h, k_w)``, no larger than ``image``.

    Returns:
        The output, shape ``(H - k_h + 1, W - k_w + 1)``.

    Raises:
        ValueError: if an argument is not 2-d or the kernel is larger than the image.

    Examples:
        >>> correlate2d(np.arange(9.0).reshape(3, 3), np.array([[1.0, 0.0], [0.0, -1.0]])).tolist()
        [[-4.0, -4.0], [-4.0, -4.0]]
    """
    image = as_float_array("image", image, ndim=2)
    kernel = as_float_array("kernel", kernel, ndim=2)
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"kernel of shape {kernel.shape} is larger than the image of shape {image.shape}")
    windows = sliding_window_view(image, kernel.shape)
    return np.einsum("ijmn,mn->ij", windows, kernel)


def conv2d(
    x: FloatArray, weight: FloatArray, bias: FloatArray | None = None, *, stride: int = 1, padding: int = 0
) -> FloatArray:
    """A convolution layer: ``C_out`` kernels over ``C_in`` channels, with zero padding and a stride.

    Args:
        x: the input, shape ``(C_in, H, W)``.
        weight: the kernels, shape ``(C_out, C_in, k_h, k_w)``.
        bias: one number per output channel, shape ``(C_out,)`` (None: no bias).
        stride: the step between two windows (>= 1).
        padding: zeros added on every side (>= 0).

    Returns:
        The output, shape ``(C_out, H_out, W_out)`` with the sizes of `conv_output_size`.

    Raises:
        ValueError: if the shapes do not fit together or a size is invalid.

    Examples:
        >>> conv2d(np.ones((1, 4, 4)), np.ones((2, 1, 3, 3)), stride=1, padding=1)[0].tolist()
        [[4.0, 6.0, 6.0, 4.0], [6.0, 9.0, 9.0, 6.0], [6.0, 9.0, 9.0, 6.0], [4.0, 6.0, 6.0, 4.0]]
    """
    x = as_float_array("x", x, ndim=3)
    weight = as_float_array("weight", weight, ndim=4)
    stride = check_int("stride", stride)
    padding = check_int("padding", padding, minimum=0)
    if weight.shape[1] != x.shape[0]:
        raise ValueError(f"weight expects {weight.shape[1]} input channels, x has {x.shape[0]}")
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    if weight.shape[2] > padded.shape[1] or weight.shape[3] > padded.shape[2]:
        raise ValueError(f"kernel {weight.shape[2:]} is larger than the padded input {padded.shape[1:]}")
    windows = sliding_window_view(padded, weight.shape[2:], axis=(1, 2))[:, ::stride, ::stride]
    out = np.einsum("cijmn,ocmn->oij", windows, weight)
    if bias is not None:
        bias = as_float_array("bias", bias, ndim=1)
        if bias.shape[0] != weight.shape[0]:
            raise ValueError(f"bias has {bias.shape[0]} entries for {weight.shape[0]} output channels")
        out = out + bias[:, None, None]
    return out


@implements(
    "conv.size",
    symbols={
        r"o": Out(),
        r"n": In("n", Int(5, 64)),
        r"k": In("kernel_size", Int(1, 7)),
        r"p": In("padding", Int(0, 3)),
        r"s": In("stride", Int(1, 4)),
    },
)
def conv_output_size(n: int, *, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    r"""How many positions a kernel takes along one axis of length ``n``.

    In LaTeX, as in the log (formula ``conv.size``):

        o = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1

    Args:
        n: the input's length along the axis (>= 1).
        kernel_size: the kernel's length ``k`` (>= 1).
        stride: the step ``s`` (>= 1).
        padding: zeros ``p`` added on each side (>= 0).

    Returns:
        The output's length.

    Raises:
        ValueError: if a size is invalid or the padded input is shorter than the kernel.

    Examples:
        >>> conv_output_size(32, kernel_size=5), conv_output_size(7, kernel_size=3, stride=2, padding=1)
        (28, 4)
    """
    n = check_int("n", n)
    kernel_size = check_int("kernel_size", kernel_size)
    stride = check_int("stride", stride)
    padding = check_int("padding", padding, minimum=0)
    if n + 2 * padding < kernel_size:
        raise ValueError(f"the padded input ({n} + 2*{padding}) is shorter than the kernel ({kernel_size})")
    return (n + 2 * padding - kernel_size) // stride + 1


@implements(
    "conv.params",
    symbols={
        r"P": Out(),
        r"k": In("kernel_size", Int(1, 7)),
        r"C_{\mathrm{in}}": In("in_channels", Int(1, 64)),
        r"C_{\mathrm{out}}": In("out_channels", Int(1, 64)),
    },
)
def conv_parameter_count(*, kernel_size: int, in_channels: int, out_channels: int) -> int:
    r"""The weights and biases of a ``k × k`` convolution layer.

    In LaTeX, as in the log (formula ``conv.params``):

        P = (k^2 C_{\mathrm{in}} + 1) C_{\mathrm{out}}

    Args:
        kernel_size: ``k`` (>= 1).
        in_channels: ``C_in`` (>= 1).
        out_channels: ``C_out`` (>= 1).

    Returns:
        The number of parameters, biases included.

    Raises:
        ValueError: if a size is not a positive integer.

    Examples:
        >>> conv_parameter_count(kernel_size=3, in_channels=3, out_channels=64)
        1792
    """
    k = check_int("kernel_size", kernel_size)
    c_in = check_int("in_channels", in_channels)
    c_out = check_int("out_channels", out_channels)
    return (k * k * c_in + 1) * c_out
