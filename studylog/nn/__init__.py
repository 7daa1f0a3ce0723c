"""The Day-7 reading list and assignment: softmax, scaled dot-product attention, VGG's stacked 3x3 convolutions and
``nn.Module.modules()``.
"""

from studylog.nn.attention import causal_mask, scaled_dot_product_attention
from studylog.nn.modules import AssignmentModel, build_assignment_model, init_linear_layers
from studylog.nn.softmax import softmax
from studylog.nn.vgg import (
    MeasuredField,
    StackVsSingle,
    conv_params,
    conv_stack,
    count_parameters,
    measure_receptive_field,
    receptive_field,
    stack_vs_single_params,
)

__all__ = [
    "AssignmentModel",
    "MeasuredField",
    "StackVsSingle",
    "build_assignment_model",
    "causal_mask",
    "conv_params",
    "conv_stack",
    "count_parameters",
    "init_linear_layers",
    "measure_receptive_field",
    "receptive_field",
    "scaled_dot_product_attention",
    "softmax",
    "stack_vs_single_params",
]
