"""`tf.contrib.slim`: slim's layers, `arg_scope`, `repeat`/`stack`, variables and utils.

Networks written with slim (VGG, ResNet, Inception) build with slim's exact
variable names (`vgg_16/conv1/conv1_1/weights`, `.../BatchNorm/moving_mean`) and
MODEL_VARIABLES, so TF checkpoints of them load by name. `slim.losses` is
`tf.losses`; end points come from `slim.utils.convert_collection_to_dict`.
"""

from minitf import losses
from minitf.contrib.arg_scope import add_arg_scope, arg_scope, arg_scoped_arguments, has_arg_scope
from minitf.contrib.layers import (
    apply_regularization,
    avg_pool2d,
    batch_norm,
    bias_add,
    conv2d,
    conv2d_transpose,
    convolution,
    convolution2d,
    convolution2d_transpose,
    dropout,
    flatten,
    fully_connected,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    layer_norm,
    linear,
    max_pool2d,
    one_hot_encoding,
    repeat,
    softmax,
    stack,
    sum_regularizer,
    utils,
    variance_scaling_initializer,
    xavier_initializer,
)
from minitf.contrib.variables import (
    get_model_variables,
    get_trainable_variables,
    get_variables,
    get_variables_by_name,
    get_variables_to_restore,
    model_variable,
    variable,
)
from minitf.train.global_step import create_global_step, get_global_step, get_or_create_global_step

__all__ = [
    "add_arg_scope",
    "apply_regularization",
    "arg_scope",
    "arg_scoped_arguments",
    "avg_pool2d",
    "batch_norm",
    "bias_add",
    "conv2d",
    "conv2d_transpose",
    "convolution",
    "convolution2d",
    "convolution2d_transpose",
    "create_global_step",
    "dropout",
    "flatten",
    "fully_connected",
    "get_global_step",
    "get_model_variables",
    "get_or_create_global_step",
    "get_trainable_variables",
    "get_variables",
    "get_variables_by_name",
    "get_variables_to_restore",
    "has_arg_scope",
    "l1_l2_regularizer",
    "l1_regularizer",
    "l2_regularizer",
    "layer_norm",
    "linear",
    "losses",
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
]
