"""VGG's stacked 3x3 convolutions: parameter counts and receptive fields checked on real torch.nn.Conv2d modules."""

from __future__ import annotations

import pytest
import torch

from studylog.nn import (
    conv_stack,
    count_parameters,
    measure_receptive_field,
    receptive_field,
    stack_vs_single_params,
)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_receptive_field_of_n_stacked_3x3_layers_is_measured_by_backprop(n):
    torch.manual_seed(n)
    measured = measure_receptive_field(conv_stack(n, 2, relu=False), in_channels=2, size=4 * n + 5)
    assert (measured.height, measured.width) == (2 * n + 1, 2 * n + 1)
    assert receptive_field(n) == 2 * n + 1


def test_one_large_kernel_has_the_same_measured_field():
    torch.manual_seed(0)
    big = torch.nn.Conv2d(2, 2, 7, padding=3)
    assert measure_receptive_field(big, in_channels=2, size=15) == (7, 7)


@pytest.mark.parametrize("k", [1, 5])
def test_general_kernel_size(k):
    torch.manual_seed(k)
    measured = measure_receptive_field(conv_stack(3, 1, kernel_size=k, relu=False), in_channels=1, size=21)
    assert measured.height == receptive_field(3, kernel_size=k) == 1 + 3 * (k - 1)


@pytest.mark.parametrize(("n", "C"), [(1, 1), (2, 16), (3, 64), (4, 7)])
def test_parameter_counts_match_real_conv2d_modules(n, C):  # noqa: N803
    counts = stack_vs_single_params(n, C)
    assert counts.stack == count_parameters(conv_stack(n, C))
    single = torch.nn.Conv2d(C, C, kernel_size=2 * n + 1)
    assert counts.single == count_parameters(single)


def test_vgg_paper_numbers_by_hand():
    # the paper: three 3x3 layers use 27 C^2 weights, one 7x7 layer 49 C^2 (81 % more); biases add C per layer
    counts = stack_vs_single_params(3, 10)
    assert counts.stack == 27 * 100 + 3 * 10
    assert counts.single == 49 * 100 + 10


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="n=0"):
        receptive_field(0)
    with pytest.raises(ValueError, match="C=2.5"):
        stack_vs_single_params(2, 2.5)
    with pytest.raises(ValueError, match="size=-1"):
        measure_receptive_field(conv_stack(1, 1), in_channels=1, size=-1)
