"""TF1's `tf.layers.conv2d` (functional form): kernel (kh, kw, in, filters), bias (filters)."""
from __future__ import annotations

from typing import Any, Callable

import jax

from minitf.core.scopes import get_variable
from minitf.core.initializers import Zeros
from minitf.layers._scoping import (add_activity_regularization, as_input, layer_scope,
                                    variable_dtype)
from minitf.nn import ops as _nn


def normalize_tuple(value: Any, n: int, what: str) -> tuple[int, ...]:
    """Keras' rule: an int means the same for every spatial dim; else exactly n ints."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"The `{what}` argument must be a tuple of {n} integers. "
                         f"Received: {value}")
    return value


def data_format_code(data_format: str, ndim: int) -> str:
    if data_format == "channels_last":
        return "NHWC" if ndim == 4 else "NWC"
    if data_format == "channels_first":
        return "NCHW" if ndim == 4 else "NCW"
    raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                     f"\"channels_last\". Received: {data_format}")


def conv2d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1), activation: Callable | None = None,
           use_bias: bool = True, kernel_initializer: Any = None,
           bias_initializer: Any = Zeros(), kernel_regularizer: Any = None,
           bias_regularizer: Any = None, activity_regularizer: Any = None,
           trainable: bool = True, name: str | None = None, reuse: Any = None) -> jax.Array:
    """2-D convolution layer; `padding` 'valid' or 'same' (TF's SAME padding)."""
    x = as_input(inputs)
    if x.ndim != 4:
        raise ValueError(f"Input 0 of layer \"conv2d\" is incompatible with the layer: "
                         f"expected ndim=4, found ndim={x.ndim}. Full shape received: {x.shape}")
    kernel_size = normalize_tuple(kernel_size, 2, "kernel_size")
    strides = normalize_tuple(strides, 2, "strides")
    dilation_rate = normalize_tuple(dilation_rate, 2, "dilation_rate")
    code = data_format_code(data_format, 4)
    channels = x.shape[-1] if code == "NHWC" else x.shape[1]
    with layer_scope("conv2d", name, reuse):
        dtype = variable_dtype(x)
        kernel = get_variable("kernel", list(kernel_size) + [channels, filters], dtype=dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable)
        bias = (get_variable("bias", [filters], dtype=dtype, initializer=bias_initializer,
                             regularizer=bias_regularizer, trainable=trainable)
                if use_bias else None)
        outputs = _nn.conv2d(x.astype(dtype), kernel, strides=strides, padding=padding,
                             data_format=code, dilations=dilation_rate)
        if bias is not None:
            outputs = _nn.bias_add(outputs, bias, data_format=code)
        if activation is not None:
            outputs = activation(outputs)
        add_activity_regularization(activity_regularizer, outputs)
        return outputs
