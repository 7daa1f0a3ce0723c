r"""Day 8: convolutional networks and weight initialization.

Convolution (`correlate2d`, `conv2d`, `conv_output_size`, `conv_parameter_count`), pooling (`max_pool2d`),
activations (`relu`, `gelu`), classification (`predict`, `cross_entropy`, `accuracy`), receptive fields
(`receptive_field`) and initialization (`xavier_uniform_bound`, `uniform_variance` and torch-backed simulators).
"""

from studylog.cnn.activations import GeluParts, gelu, gelu_parts, relu
from studylog.cnn.classification import accuracy, cross_entropy, predict
from studylog.cnn.conv import conv2d, conv_output_size, conv_parameter_count, correlate2d
from studylog.cnn.init import (
    PreActivations,
    WeightSamples,
    sample_kaiming_normal,
    sample_preactivations,
    sample_xavier_uniform,
    uniform_variance,
    xavier_uniform_bound,
)
from studylog.cnn.pooling import max_pool2d
from studylog.cnn.receptive import ReceptiveField, receptive_field

__all__ = [
    "GeluParts",
    "PreActivations",
    "ReceptiveField",
    "WeightSamples",
    "accuracy",
    "conv2d",
    "conv_output_size",
    "conv_parameter_count",
    "correlate2d",
    "cross_entropy",
    "gelu",
    "gelu_parts",
    "max_pool2d",
    "predict",
    "receptive_field",
    "relu",
    "sample_kaiming_normal",
    "sample_preactivations",
    "sample_xavier_uniform",
    "uniform_variance",
    "xavier_uniform_bound",
]
