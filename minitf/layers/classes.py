"""TF1's class-style layers, each bound to its functional form (see `base.Layer`).

`Dense(4)(x)` is `dense(x, 4)` in a scope captured at the first call and
reused afterwards; `BatchNormalization()(x, training=True)`,
`Dropout(0.3)(x, training=True)` take TF's call-time `training`.
"""
from __future__ import annotations

from minitf.layers import convolutional as _conv
from minitf.layers import core as _core
from minitf.layers import normalization as _norm
from minitf.layers import pooling as _pool
from minitf.layers.base import Layer

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BatchNormalization",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Convolution1D",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "SeparableConv2D",
]


class Dense(Layer):
    """`tf.layers.Dense(units, activation, ...)`: kernel [in, units], bias [units]."""

    function = _core.dense
    default_name = "dense"


class Dropout(Layer):
    """`tf.layers.Dropout(rate)`; call with `training=True` to drop."""

    function = _core.dropout
    default_name = "dropout"
    has_variables = False
    call_args = ("training",)


class Flatten(Layer):
    function = _core.flatten
    default_name = "flatten"
    has_variables = False


class Conv1D(Layer):
    function = _conv.conv1d
    default_name = "conv1d"


class Conv2D(Layer):
    function = _conv.conv2d
    default_name = "conv2d"


class Conv3D(Layer):
    function = _conv.conv3d
    default_name = "conv3d"


class Conv2DTranspose(Layer):
    function = _conv.conv2d_transpose
    default_name = "conv2d_transpose"


class Conv3DTranspose(Layer):
    function = _conv.conv3d_transpose
    default_name = "conv3d_transpose"


class SeparableConv2D(Layer):
    function = _conv.separable_conv2d
    default_name = "separable_conv2d"


class BatchNormalization(Layer):
    """`tf.layers.BatchNormalization(...)`; call with `training=` (default False)."""

    function = _norm.batch_normalization
    default_name = "batch_normalization"
    call_args = ("training",)


def _pooling(class_name: str, function: object, default_name: str) -> type:
    """A variable-free pooling layer class over its functional form."""
    return type(class_name, (Layer,), {"function": function, "default_name": default_name,
                                       "has_variables": False, "__module__": __name__,
                                       "__doc__": f"`tf.layers.{class_name}`."})


MaxPooling1D = _pooling("MaxPooling1D", _pool.max_pooling1d, "max_pooling1d")
MaxPooling2D = _pooling("MaxPooling2D", _pool.max_pooling2d, "max_pooling2d")
MaxPooling3D = _pooling("MaxPooling3D", _pool.max_pooling3d, "max_pooling3d")
AveragePooling1D = _pooling("AveragePooling1D", _pool.average_pooling1d, "average_pooling1d")
AveragePooling2D = _pooling("AveragePooling2D", _pool.average_pooling2d, "average_pooling2d")
AveragePooling3D = _pooling("AveragePooling3D", _pool.average_pooling3d, "average_pooling3d")
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, Convolution3DTranspose = Conv2DTranspose, Conv3DTranspose
