"""TF1's convolution layers (functional forms): `conv1d`, `conv2d`, `conv3d`,
`conv2d_transpose`, `conv3d_transpose`, `separable_conv2d`, with Keras' names.

One builder per kind: `_convolution` makes `kernel` (spatial..., in, filters) and
`bias` (filters) in scope `conv<N>d`, `conv2d_1`, ... (or `name`);
`_convolution_transpose` makes `kernel` (spatial..., filters, in) and computes
Keras' output size; `separable_conv2d` makes `depthwise_kernel`,
`pointwise_kernel` and `bias`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax

from minitf.core import as_jax_array, get_variable, initializers
from minitf.layers._scoping import (
    add_activity_regularization,
    layer_scope,
    variable_dtype,
)
from minitf.nn import conv_ops as _conv_ops
from minitf.nn import ops as _nn
from minitf.ops import array_ops as _array_ops

__all__ = [
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "data_format_code",
    "normalize_tuple",
    "separable_conv2d",
]


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
    """Keras' channels_last/channels_first as TF's NWC/NHWC/NDHWC (or NC... ) code."""
    spatial = "DHW"[3 - (ndim - 2):]
    if data_format == "channels_last":
        return "N" + spatial + "C"
    if data_format == "channels_first":
        return "NC" + spatial
    raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                     f"\"channels_last\". Received: {data_format}")


def _dim(d: Any) -> int | None:
    """A static dimension as an int, or None where unknown (graph tensors' `Dimension(None)`)."""
    value = getattr(d, "value", d)
    return None if value is None else int(value)


def _cast(x: Any, dtype: Any) -> Any:
    """`x` in the variables' dtype (a Cast op only where the dtype changes)."""
    return x if x.dtype == dtype else _array_ops.cast(x, dtype)


def _check_rank(x: Any, rank: int, layer: str) -> None:
    if x.ndim != rank + 2:
        raise ValueError(f"Input 0 of layer \"{layer}\" is incompatible with the layer: "
                         f"expected ndim={rank + 2}, found ndim={x.ndim}. "
                         f"Full shape received: {x.shape}")


def _finish(outputs: Any, bias: Any, code: str, activation: Callable | None,
            activity_regularizer: Any) -> jax.Array:
    if bias is not None:
        outputs = _nn.bias_add(outputs, bias, data_format=code)
    if activation is not None:
        outputs = activation(outputs)
    add_activity_regularization(activity_regularizer, outputs)
    return outputs


def _bias(use_bias: bool, filters: int, dtype: Any, initializer: Any, regularizer: Any,
          trainable: bool) -> Any:
    if not use_bias:
        return None
    return get_variable("bias", [filters], dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=trainable)


def _convolution(rank: int, inputs: Any, filters: int, kernel_size: Any, strides: Any,
                 padding: str, data_format: str, dilation_rate: Any, activation: Any,
                 use_bias: bool, kernel_initializer: Any, bias_initializer: Any,
                 kernel_regularizer: Any, bias_regularizer: Any, activity_regularizer: Any,
                 trainable: bool, name: Any, reuse: Any) -> jax.Array:
    """The shared body of conv1d/2d/3d."""
    x = as_jax_array(inputs)
    default = f"conv{rank}d"
    _check_rank(x, rank, default)
    kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
    strides = normalize_tuple(strides, rank, "strides")
    dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
    code = data_format_code(data_format, rank + 2)
    channels = x.shape[1] if code.startswith("NC") else x.shape[-1]
    with layer_scope(default, name, reuse):
        dtype = variable_dtype(x)
        kernel = get_variable("kernel", [*kernel_size, channels, filters], dtype=dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable)
        bias = _bias(use_bias, filters, dtype, bias_initializer, bias_regularizer, trainable)
        outputs = _conv_ops.convolution(
            _cast(x, dtype), kernel, padding=padding, strides=strides,
            dilations=dilation_rate, data_format=code, name=f"Conv{rank}D")
        return _finish(outputs, bias, code, activation, activity_regularizer)


def conv1d(inputs: Any, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
           data_format: str = "channels_last", dilation_rate: Any = 1,
           activation: Callable | None = None, use_bias: bool = True,
           kernel_initializer: Any = None, bias_initializer: Any = initializers.Zeros(),
           kernel_regularizer: Any = None, bias_regularizer: Any = None,
           activity_regularizer: Any = None, trainable: bool = True, name: Any = None,
           reuse: Any = None) -> jax.Array:
    """1-D convolution layer over [batch, width, channels]."""
    return _convolution(1, inputs, filters, kernel_size, strides, padding, data_format,
                        dilation_rate, activation, use_bias, kernel_initializer,
                        bias_initializer, kernel_regularizer, bias_regularizer,
                        activity_regularizer, trainable, name, reuse)


def conv2d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1), activation: Callable | None = None,
           use_bias: bool = True, kernel_initializer: Any = None,
           bias_initializer: Any = initializers.Zeros(), kernel_regularizer: Any = None,
           bias_regularizer: Any = None, activity_regularizer: Any = None,
           trainable: bool = True, name: Any = None, reuse: Any = None) -> jax.Array:
    """2-D convolution layer; `padding` 'valid' or 'same' (TF's SAME padding)."""
    return _convolution(2, inputs, filters, kernel_size, strides, padding, data_format,
                        dilation_rate, activation, use_bias, kernel_initializer,
                        bias_initializer, kernel_regularizer, bias_regularizer,
                        activity_regularizer, trainable, name, reuse)


def conv3d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1, 1), activation: Callable | None = None,
           use_bias: bool = True, kernel_initializer: Any = None,
           bias_initializer: Any = initializers.Zeros(), kernel_regularizer: Any = None,
           bias_regularizer: Any = None, activity_regularizer: Any = None,
           trainable: bool = True, name: Any = None, reuse: Any = None) -> jax.Array:
    """3-D convolution layer over [batch, depth, height, width, channels]."""
    return _convolution(3, inputs, filters, kernel_size, strides, padding, data_format,
                        dilation_rate, activation, use_bias, kernel_initializer,
                        bias_initializer, kernel_regularizer, bias_regularizer,
                        activity_regularizer, trainable, name, reuse)


def deconv_output_length(length: int, kernel: int, padding: str, stride: int,
                         dilation: int = 1) -> int:
    """Keras' transposed-convolution output length (no output_padding)."""
    kernel = kernel + (kernel - 1) * (dilation - 1)
    padding = padding.lower()
    if padding == "valid":
        return length * stride + max(kernel - stride, 0)
    if padding == "same":
        return length * stride
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")


def _convolution_transpose(rank: int, inputs: Any, filters: int, kernel_size: Any,
                           strides: Any, padding: str, data_format: str, activation: Any,
                           use_bias: bool, kernel_initializer: Any, bias_initializer: Any,
                           kernel_regularizer: Any, bias_regularizer: Any,
                           activity_regularizer: Any, trainable: bool, name: Any,
                           reuse: Any) -> jax.Array:
    x = as_jax_array(inputs)
    default = f"conv{rank}d_transpose"
    _check_rank(x, rank, default)
    kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
    strides = normalize_tuple(strides, rank, "strides")
    code = data_format_code(data_format, rank + 2)
    first = code.startswith("NC")
    spatial = x.shape[2:] if first else x.shape[1:-1]
    channels = x.shape[1] if first else x.shape[-1]
    out_spatial = [deconv_output_length(n, k, padding, s)
                   for n, k, s in zip(spatial, kernel_size, strides, strict=False)]
    batch = _dim(x.shape[0])
    if batch is None:  # an unknown batch: the output's is the input's, at run time
        batch = _array_ops.shape(x)[0]
    output_shape = ([batch, filters, *out_spatial] if first
                    else [batch, *out_spatial, filters])
    with layer_scope(default, name, reuse):
        dtype = variable_dtype(x)
        kernel = get_variable("kernel", [*kernel_size, filters, channels], dtype=dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable)
        bias = _bias(use_bias, filters, dtype, bias_initializer, bias_regularizer, trainable)
        op = _conv_ops.conv2d_transpose if rank == 2 else _conv_ops.conv3d_transpose
        outputs = op(_cast(x, dtype), kernel, output_shape, strides=strides,
                     padding=padding.upper(), data_format=code,
                     name=f"conv{rank}d_transpose")
        return _finish(outputs, bias, code, activation, activity_regularizer)


def conv2d_transpose(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     activation: Callable | None = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = initializers.Zeros(),
                     kernel_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, trainable: bool = True,
                     name: Any = None, reuse: Any = None) -> jax.Array:
    """Transposed 2-D convolution ("deconvolution"); kernel (kh, kw, filters, in)."""
    return _convolution_transpose(2, inputs, filters, kernel_size, strides, padding,
                                  data_format, activation, use_bias, kernel_initializer,
                                  bias_initializer, kernel_regularizer, bias_regularizer,
                                  activity_regularizer, trainable, name, reuse)


def conv3d_transpose(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     activation: Callable | None = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = initializers.Zeros(),
                     kernel_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, trainable: bool = True,
                     name: Any = None, reuse: Any = None) -> jax.Array:
    """Transposed 3-D convolution; kernel (kd, kh, kw, filters, in)."""
    return _convolution_transpose(3, inputs, filters, kernel_size, strides, padding,
                                  data_format, activation, use_bias, kernel_initializer,
                                  bias_initializer, kernel_regularizer, bias_regularizer,
                                  activity_regularizer, trainable, name, reuse)


def separable_conv2d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     dilation_rate: Any = (1, 1), depth_multiplier: int = 1,
                     activation: Callable | None = None, use_bias: bool = True,
                     depthwise_initializer: Any = None, pointwise_initializer: Any = None,
                     bias_initializer: Any = initializers.Zeros(),
                     depthwise_regularizer: Any = None,
                     pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, trainable: bool = True,
                     name: Any = None, reuse: Any = None) -> jax.Array:
    """Depthwise (kh, kw, in, depth_multiplier) then pointwise (1, 1, in * mult, filters)."""
    x = as_jax_array(inputs)
    _check_rank(x, 2, "separable_conv2d")
    kernel_size = normalize_tuple(kernel_size, 2, "kernel_size")
    strides = normalize_tuple(strides, 2, "strides")
    dilation_rate = normalize_tuple(dilation_rate, 2, "dilation_rate")
    code = data_format_code(data_format, 4)
    channels = x.shape[1] if code.startswith("NC") else x.shape[-1]
    with layer_scope("separable_conv2d", name, reuse):
        dtype = variable_dtype(x)
        depthwise = get_variable("depthwise_kernel",
                                 [*kernel_size, channels, depth_multiplier], dtype=dtype,
                                 initializer=depthwise_initializer,
                                 regularizer=depthwise_regularizer, trainable=trainable)
        pointwise = get_variable("pointwise_kernel", [1, 1, channels * depth_multiplier, filters],
                                 dtype=dtype, initializer=pointwise_initializer,
                                 regularizer=pointwise_regularizer, trainable=trainable)
        bias = _bias(use_bias, filters, dtype, bias_initializer, bias_regularizer, trainable)
        outputs = _conv_ops.separable_conv2d(
            _cast(x, dtype), depthwise, pointwise, strides=strides, padding=padding,
            data_format=code, dilations=dilation_rate, name="separable_conv2d")
        return _finish(outputs, bias, code, activation, activity_regularizer)
