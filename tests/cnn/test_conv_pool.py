"""Convolution, output sizes, parameter counts and max pooling, against torch's layers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studylog.cnn import conv2d, conv_output_size, conv_parameter_count, correlate2d, max_pool2d


@pytest.mark.parametrize(("h", "w", "k"), [(5, 7, 3), (6, 6, 1), (8, 5, 5), (4, 4, 4)])
def test_correlate2d_is_torch_conv2d_with_one_channel(h: int, w: int, k: int) -> None:
    rng = np.random.default_rng(h * 100 + w * 10 + k)
    image, kernel = rng.standard_normal((h, w)), rng.standard_normal((k, k))
    expected = torch.nn.functional.conv2d(torch.tensor(image)[None, None], torch.tensor(kernel)[None, None])[0, 0]
    np.testing.assert_allclose(correlate2d(image, kernel), expected.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), (3, 2)])
def test_conv2d_matches_torch_with_channels_stride_padding_and_bias(stride: int, padding: int) -> None:
    rng = np.random.default_rng(stride * 10 + padding)
    x, weight, bias = rng.standard_normal((3, 9, 11)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    expected = torch.nn.functional.conv2d(torch.tensor(x)[None], torch.tensor(weight), torch.tensor(bias),
                                          stride=stride, padding=padding)[0]  # fmt: skip
    np.testing.assert_allclose(conv2d(x, weight, bias, stride=stride, padding=padding), expected.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n", [5, 8, 13, 28])
@pytest.mark.parametrize(("k", "s", "p"), [(1, 1, 0), (3, 1, 1), (3, 2, 1), (5, 2, 0), (4, 3, 2), (2, 2, 0)])
def test_output_size_is_torch_shape(n: int, k: int, s: int, p: int) -> None:
    layer = torch.nn.Conv2d(1, 1, k, stride=s, padding=p)
    assert conv_output_size(n, kernel_size=k, stride=s, padding=p) == layer(torch.zeros(1, 1, n, n)).shape[-1]


@pytest.mark.parametrize(("k", "c_in", "c_out"), [(1, 1, 1), (3, 3, 64), (5, 16, 7), (7, 64, 128)])
def test_parameter_count_is_torch_conv2d(k: int, c_in: int, c_out: int) -> None:
    layer = torch.nn.Conv2d(c_in, c_out, k)
    assert conv_parameter_count(kernel_size=k, in_channels=c_in, out_channels=c_out) == sum(q.numel() for q in layer.parameters())


@pytest.mark.parametrize(("k", "s"), [(2, 2), (3, 1), (3, 2), (2, 3)])
def test_max_pool_matches_torch(k: int, s: int) -> None:
    x = np.random.default_rng(k * 10 + s).standard_normal((2, 9, 10))
    expected = torch.nn.functional.max_pool2d(torch.tensor(x)[None], k, stride=s)[0]
    np.testing.assert_array_equal(max_pool2d(x, kernel_size=k, stride=s), expected.numpy())


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: correlate2d(np.zeros((2, 2)), np.zeros((3, 3))), "larger than the image"),
     (lambda: conv_output_size(2, kernel_size=5), "shorter than the kernel"),
     (lambda: conv2d(np.zeros((2, 4, 4)), np.zeros((1, 3, 2, 2))), "input channels"),
     (lambda: max_pool2d(np.zeros(4), kernel_size=2), "shape (H, W)"),
     (lambda: conv_output_size(8, kernel_size=3, stride=0), "stride=0")],
)  # fmt: skip
def test_bad_arguments_are_named(call, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
