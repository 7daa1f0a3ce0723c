r"""VGG's stacked 3x3 convolutions (VGG의 3x3 합성곱 쌓기): a large receptive field from small kernels.

``n`` stacked 3x3 convolutions with stride 1 see a ``(2n+1) x (2n+1)`` patch of their input (formula ``vgg.rf``),
the same as one ``(2n+1) x (2n+1)`` convolution, but with ``n`` non-linearities in between and fewer parameters:
``n (3^2 C^2 + C)`` against ``(2n+1)^2 C^2 + C`` for ``C`` channels in and out (formulas ``vgg.params.stack`` and
``vgg.params.single``).

References:
    Karen Simonyan and Andrew Zisserman (2015), "Very Deep Convolutional Networks for Large-Scale Image Recognition",
    ICLR 2015. https://arxiv.org/abs/1409.1556
"""

from __future__ import annotations

import copy
from typing import NamedTuple

import torch
from torch import nn

from studylog.engine.binding import In, Int, Out, implements
from studylog.nn._checks import check_positive_int


@implements("vgg.rf", symbols={r"n": In("n", Int(1, 12)), r"r_n": Out()})
def receptive_field(n: int, *, kernel_size: int = 3) -> int:
    r"""Receptive field of ``n`` stacked ``k x k`` convolutions with stride 1 (formula ``vgg.rf`` for ``k = 3``).

    Each layer widens the field by ``k - 1`` pixels, so it is ``1 + n (k - 1)``; for ``k = 3`` (LaTeX, as in the
    log):

        r_n = 2n + 1

    Args:
        n: the number of stacked layers (>= 1).
        kernel_size: the (odd or even) kernel size ``k`` (>= 1).

    Returns:
        The side of the square input patch one output pixel depends on.

    Raises:
        ValueError: if ``n`` or ``kernel_size`` is not a positive integer.

    Examples:
        >>> [receptive_field(n) for n in (1, 2, 3)]
        [3, 5, 7]
    """
    n = check_positive_int("n", n)
    kernel_size = check_positive_int("kernel_size", kernel_size)
    return 1 + n * (kernel_size - 1)


def conv_params(*, kernel_size: int, in_channels: int, out_channels: int, bias: bool = True) -> int:
    """Parameters of one 2-D convolution: ``k^2 C_in C_out`` weights plus ``C_out`` biases.

    Args:
        kernel_size: the kernel size ``k``.
        in_channels: input channels.
        out_channels: output channels.
        bias: whether the layer has a bias.

    Returns:
        The parameter count, as ``torch.nn.Conv2d`` has it.

    Raises:
        ValueError: if a size is not a positive integer.

    Examples:
        >>> conv_params(kernel_size=3, in_channels=64, out_channels=64)
        36928
    """
    k = check_positive_int("kernel_size", kernel_size)
    c_in = check_positive_int("in_channels", in_channels)
    c_out = check_positive_int("out_channels", out_channels)
    return k * k * c_in * c_out + (c_out if bias else 0)


class StackVsSingle(NamedTuple):
    """Parameter counts of ``n`` stacked 3x3 layers and of the single layer with the same receptive field.

    Attributes:
        stack: ``n`` 3x3 convolutions, ``C`` channels in and out, with biases.
        single: one ``(2n+1) x (2n+1)`` convolution, ``C`` channels in and out, with a bias.
    """

    stack: int
    single: int


@implements(
    "vgg.params.stack",
    "vgg.params.single",
    symbols={
        r"n": In("n", Int(1, 6)),
        r"C": In("C", Int(1, 64)),
        r"P_{\mathrm{stack}}": Out("stack"),
        r"P_{\mathrm{single}}": Out("single"),
    },
)
def stack_vs_single_params(n: int, C: int) -> StackVsSingle:  # noqa: N803
    r"""Compare the parameters of ``n`` stacked 3x3 layers with one layer of the same receptive field.

    In LaTeX, as in the log (formulas ``vgg.params.stack`` and ``vgg.params.single``):

        P_{\mathrm{stack}} = n(3^2 C^2 + C)
        P_{\mathrm{single}} = (2n+1)^2 C^2 + C

    Args:
        n: the number of stacked layers (>= 1).
        C: channels in and out of every layer (>= 1).

    Returns:
        Both counts, biases included.

    Raises:
        ValueError: if ``n`` or ``C`` is not a positive integer.

    Examples:
        >>> stack_vs_single_params(3, 64)
        StackVsSingle(stack=110784, single=200768)
    """
    n = check_positive_int("n", n)
    C = check_positive_int("C", C)  # noqa: N806
    layer = conv_params(kernel_size=3, in_channels=C, out_channels=C)
    single = conv_params(kernel_size=receptive_field(n), in_channels=C, out_channels=C)
    return StackVsSingle(stack=n * layer, single=single)


def conv_stack(n: int, C: int, *, kernel_size: int = 3, relu: bool = True) -> nn.Sequential:  # noqa: N803
    """``n`` ``Conv2d(C, C, kernel_size, stride=1, padding=kernel_size // 2)`` layers, as in a VGG block.

    Args:
        n: the number of layers (>= 1).
        C: channels in and out of every layer (>= 1).
        kernel_size: the kernel size.
        relu: whether a ReLU follows every convolution (VGG's choice).

    Returns:
        The stack as a ``torch.nn.Sequential`` (default float32 parameters, torch's default initialization).

    Raises:
        ValueError: if a size is not a positive integer.

    Examples:
        >>> len(conv_stack(2, 4)), len(conv_stack(2, 4, relu=False))
        (4, 2)
    """
    n = check_positive_int("n", n)
    C = check_positive_int("C", C)  # noqa: N806
    kernel_size = check_positive_int("kernel_size", kernel_size)
    layers: list[nn.Module] = []
    for _ in range(n):
        layers.append(nn.Conv2d(C, C, kernel_size, stride=1, padding=kernel_size // 2))
        if relu:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class MeasuredField(NamedTuple):
    """The input region one output pixel depends on, measured by back-propagation.

    Attributes:
        height: rows of the smallest box holding every input pixel with a non-zero gradient.
        width: columns of that box.
    """

    height: int
    width: int


def measure_receptive_field(module: nn.Module, *, in_channels: int, size: int, seed: int = 0) -> MeasuredField:
    """Back-propagate from the centre output pixel and measure the box of input pixels with non-zero gradient.

    The input is standard normal (seeded); the measurement runs in float64 on a copy of ``module``, leaving the
    original untouched. Non-linearities such as ReLU can zero some gradients for a particular input, so measure a
    linear stack (``relu=False``) to see the full field.

    Args:
        module: a module mapping ``(1, in_channels, size, size)`` to ``(1, C_out, H_out, W_out)``.
        in_channels: the module's input channels.
        size: the input's height and width (large enough that the field does not reach the border).
        seed: seed of the input.

    Returns:
        Height and width of the measured field.

    Raises:
        ValueError: if ``size`` or ``in_channels`` is not a positive integer.

    Examples:
        >>> measure_receptive_field(conv_stack(2, 1, relu=False), in_channels=1, size=11)
        MeasuredField(height=5, width=5)
    """
    in_channels = check_positive_int("in_channels", in_channels)
    size = check_positive_int("size", size)
    probe = _float64_copy(module)
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(1, in_channels, size, size, dtype=torch.float64, generator=generator, requires_grad=True)
    out = probe(x)
    out[0, :, out.shape[2] // 2, out.shape[3] // 2].sum().backward()
    grad = x.grad if x.grad is not None else torch.zeros_like(x)
    touched = grad[0].abs().sum(dim=0) != 0
    rows = torch.nonzero(touched.any(dim=1)).flatten()
    cols = torch.nonzero(touched.any(dim=0)).flatten()
    if rows.numel() == 0:
        return MeasuredField(height=0, width=0)
    return MeasuredField(height=int(rows[-1] - rows[0] + 1), width=int(cols[-1] - cols[0] + 1))


def _float64_copy(module: nn.Module) -> nn.Module:
    return copy.deepcopy(module).to(torch.float64)


def count_parameters(module: nn.Module) -> int:
    """The number of scalar parameters of ``module`` (each shared tensor counted once).

    Args:
        module: any module.

    Returns:
        ``sum(p.numel() for p in module.parameters())``.

    Examples:
        >>> count_parameters(nn.Conv2d(2, 3, 3))
        57
    """
    return sum(p.numel() for p in module.parameters())
