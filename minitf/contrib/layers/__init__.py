"""`tf.contrib.layers`: slim's layers, initializers and regularizers (see `layers.layers`)."""

from minitf.contrib.arg_scope import add_arg_scope, arg_scope
from minitf.contrib.layers import utils
from minitf.contrib.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from minitf.contrib.layers.layers import (
    avg_pool2d,
    batch_norm,
    bias_add,
    conv2d,
    conv2d_transpose,
    convolution,
    convolution2d,
    convolution2d_transpose,
    dropout,
    embed_sequence,
    flatten,
    fully_connected,
    layer_norm,
    max_pool2d,
    one_hot_encoding,
    repeat,
    softmax,
    stack,
)
from minitf.contrib.layers.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)
from minitf.contrib.variables import model_variable, variable

linear = fully_connected

__all__ = [
    "add_arg_scope",
    "apply_regularization",
    "arg_scope",
    "avg_pool2d",
    "batch_norm",
    "bias_add",
    "conv2d",
    "conv2d_transpose",
    "convolution",
    "convolution2d",
    "convolution2d_transpose",
    "dropout",
    "embed_sequence",
    "flatten",
    "fully_connected",
    "l1_l2_regularizer",
    "l1_regularizer",
    "l2_regularizer",
    "layer_norm",
    "linear",
    "max_pool2d",
    "model_variable",
    "one_hot_encoding",
    "repeat",
    "softmax",
    "stack",
    "sum_regularizer",
    "utils",
    "variable",
    "variance_scaling_initializer",
    "xavier_initializer",
    "xavier_initializer_conv2d",
]
