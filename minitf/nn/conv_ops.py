"""TF1's convolution family beyond `conv2d`: 1-D/3-D, transposed, atrous, depthwise, separable.

Every op is one `jax.lax.conv_general_dilated` call with TF's kernel layout
(spatial..., in, out) and TF's SAME/VALID padding. A transposed convolution is
computed as the exact linear transpose of the forward convolution with the
requested `output_shape` (TF's Conv2DBackpropInput), so odd sizes and SAME
padding's asymmetric split agree with TF.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

from minitf.core import as_jax_array, unwrap
from minitf.core.tensor import Tensor
from minitf.ops import tf_op

__all__ = [
    "atrous_conv2d",
    "atrous_conv2d_transpose",
    "conv",
    "conv1d",
    "conv1d_transpose",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "convolution",
    "depthwise_conv2d",
    "separable_conv2d",
]

_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
_KERNEL = {1: "WIO", 2: "HWIO", 3: "DHWIO"}




def _spatial(value: Any, rank: int, channels_first: bool, what: str) -> tuple[int, ...]:
    """TF's int, per-spatial-dim list, or full (N, ..., C) list of length rank + 2."""
    if value is None:
        return (1,) * rank
    if isinstance(value, (int, np.integer)):
        return (int(value),) * rank
    value = tuple(int(v) for v in value)
    if len(value) == rank + 2:
        return value[2:] if channels_first else value[1:-1]
    if len(value) == rank:
        return value
    if len(value) == 1:
        return value * rank
    raise ValueError(f"{what} should be of length 1, {rank} or {rank + 2}; got {value}")


def _padding(padding: Any) -> Any:
    if isinstance(padding, str):
        padding = padding.upper()
        if padding not in ("SAME", "VALID"):
            raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    return padding


def _channels_first(data_format: str | None, rank: int) -> bool:
    if data_format in (None, "channels_last", _FORMATS[rank][0]):
        return False
    if data_format in ("channels_first", _FORMATS[rank][1]):
        return True
    raise ValueError(f"data_format must be {_FORMATS[rank][0]!r} or {_FORMATS[rank][1]!r}; "
                     f"got {data_format!r}")


def conv(x: jax.Array, kernel: jax.Array, rank: int, strides: Any, padding: Any,
          data_format: str | None, dilations: Any, groups: int = 1) -> jax.Array:
    """The one N-D convolution behind every op here (TF's kernel layout and padding)."""
    first = _channels_first(data_format, rank)
    fmt = _FORMATS[rank][1 if first else 0]
    return jax.lax.conv_general_dilated(
        x, kernel, window_strides=_spatial(strides, rank, first, "strides"),
        padding=_padding(padding), rhs_dilation=_spatial(dilations, rank, first, "dilations"),
        dimension_numbers=(fmt, _KERNEL[rank], fmt), feature_group_count=groups)


@tf_op("convolution")
def convolution(input: Any, filter: Any = None, padding: str | None = None,
                strides: Any = None, dilation_rate: Any = None, data_format: str | None = None,
                filters: Any = None, dilations: Any = None) -> jax.Array:
    """N-D convolution (rank from the kernel): TF's `tf.nn.convolution`."""
    kernel = as_jax_array(filters if filters is not None else filter)
    return conv(as_jax_array(input), kernel, kernel.ndim - 2, strides, padding, data_format,
                 dilations if dilations is not None else dilation_rate)


@tf_op("conv1d")
def conv1d(value: Any = None, filters: Any = None, stride: Any = None, padding: str | None = None,
           use_cudnn_on_gpu: Any = None, data_format: str = "NWC", input: Any = None,
           dilations: Any = None) -> jax.Array:
    """1-D convolution; `filters` is (width, in, out)."""
    x = as_jax_array(input if input is not None else value)
    return conv(x, as_jax_array(filters), 1, stride, padding, data_format, dilations)


@tf_op("Conv3D")
def conv3d(input: Any, filter: Any = None, strides: Any = None,
           padding: str | None = None, data_format: str = "NDHWC", dilations: Any = None,
           filters: Any = None) -> jax.Array:
    """3-D convolution; `filter` is (d, h, w, in, out); `strides` has length 5."""
    kernel = as_jax_array(filters if filters is not None else filter)
    return conv(as_jax_array(input), kernel, 3, strides, padding, data_format, dilations)


def _static_shape(output_shape: Any, value: jax.Array) -> tuple[int, ...]:
    """`output_shape` as ints; a traced batch entry falls back to the input's batch size."""
    if hasattr(output_shape, "as_list"):
        output_shape = output_shape.as_list()
    items = list(output_shape) if not isinstance(output_shape, jax.Array) else None
    if items is None:
        try:
            return tuple(int(d) for d in np.asarray(output_shape))
        except jax.errors.ConcretizationTypeError:
            raise ValueError("conv transpose: `output_shape` must be known when tracing "
                             "(a list of ints)") from None
    out = []
    for i, d in enumerate(items):
        try:
            out.append(int(unwrap(d)))
        except (TypeError, jax.errors.ConcretizationTypeError):
            if i != 0:
                raise ValueError("conv transpose: `output_shape` must be known when tracing "
                                 "(only the batch entry may be a tensor)") from None
            out.append(value.shape[0])
    return tuple(out)


def _transpose(value: Any, kernel: Any, output_shape: Any, rank: int, strides: Any,
               padding: Any, data_format: str | None, dilations: Any) -> jax.Array:
    """The linear transpose of the forward conv from `output_shape` (kernel: spatial, out, in)."""
    value, kernel = as_jax_array(value), as_jax_array(kernel)
    shape = _static_shape(output_shape, value)
    forward_kernel = kernel  # (spatial..., out_channels, in_channels) is HWIO read backwards

    def forward(y: jax.Array) -> jax.Array:
        return conv(y, forward_kernel, rank, strides, padding, data_format, dilations)

    expected = jax.eval_shape(forward, jax.ShapeDtypeStruct(shape, value.dtype)).shape
    if tuple(expected) != tuple(value.shape):
        raise ValueError(f"conv transpose: the input's shape {tuple(value.shape)} is not what "
                         f"a convolution of output_shape {shape} gives ({tuple(expected)})")
    (out,) = jax.linear_transpose(forward, jax.ShapeDtypeStruct(shape, value.dtype))(value)
    return out


def _known_entries(output_shape: Any) -> Any:
    """A graph-tensor `output_shape` (e.g. `tf.stack([tf.shape(x)[0], 16, 16, 5])`) as a
    list: the entries known when the graph is built as ints, the rest as tensors (only the
    batch entry may be unknown: the op takes it from its input)."""
    if not isinstance(output_shape, Tensor) or output_shape.ndim != 1:
        return output_shape
    a, b = output_shape.probe_value(0), output_shape.probe_value(1)
    if a is None or b is None:
        return output_shape
    return [int(x) if x == y else output_shape[i]
            for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True))]


def _static_output_shape(op: Callable[..., Any]) -> Callable[..., Any]:
    """A transposed convolution whose `output_shape` (third argument) may be a graph tensor."""
    @functools.wraps(op)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > 2:
            args = (*args[:2], _known_entries(args[2]), *args[3:])
        elif "output_shape" in kwargs:
            kwargs["output_shape"] = _known_entries(kwargs["output_shape"])
        return op(*args, **kwargs)

    return wrapper


@_static_output_shape
@tf_op("conv2d_transpose")
def conv2d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NHWC",
                     input: Any = None, filters: Any = None,
                     dilations: Any = None) -> jax.Array:
    """TF's deconvolution: `filter` is (h, w, out_channels, in_channels)."""
    x = input if input is not None else value
    kernel = filters if filters is not None else filter
    return _transpose(x, kernel, output_shape, 2, strides, padding, data_format, dilations)


@_static_output_shape
@tf_op("conv1d_transpose")
def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                     padding: str = "SAME", data_format: str = "NWC",
                     dilations: Any = None) -> jax.Array:
    return _transpose(input, filters, output_shape, 1, strides, padding, data_format, dilations)


@_static_output_shape
@tf_op("conv3d_transpose")
def conv3d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NDHWC",
                     input: Any = None, filters: Any = None,
                     dilations: Any = None) -> jax.Array:
    x = input if input is not None else value
    kernel = filters if filters is not None else filter
    return _transpose(x, kernel, output_shape, 3, strides, padding, data_format, dilations)


@tf_op("atrous_conv2d")
def atrous_conv2d(value: Any, filters: Any, rate: int, padding: str) -> jax.Array:
    """Dilated 2-D convolution with stride 1 (`rate` - 1 zeros between kernel taps)."""
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv(as_jax_array(value), as_jax_array(filters), 2, 1, padding, "NHWC", int(rate))


@_static_output_shape
@tf_op("atrous_conv2d_transpose")
def atrous_conv2d_transpose(value: Any, filters: Any, output_shape: Any, rate: int,
                            padding: str) -> jax.Array:
    return _transpose(value, filters, output_shape, 2, 1, padding, "NHWC", int(rate))


def _depthwise(x: jax.Array, kernel: jax.Array, strides: Any, padding: Any,
               data_format: str | None, dilations: Any) -> jax.Array:
    """Each input channel convolved with its own `multiplier` filters (TF's channel order)."""
    kh, kw, channels, multiplier = kernel.shape
    grouped = kernel.reshape(kh, kw, 1, channels * multiplier)
    return conv(x, grouped, 2, strides, padding, data_format, dilations, groups=channels)


@tf_op("depthwise")
def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: str,
                     rate: Any = None, data_format: str | None = None,
                     dilations: Any = None) -> jax.Array:
    """`filter` (h, w, in, multiplier) -> in * multiplier output channels."""
    return _depthwise(as_jax_array(input), as_jax_array(filter), strides, padding, data_format,
                      dilations if dilations is not None else rate)


@tf_op("separable_conv2d")
def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any,
                     strides: Any, padding: str, rate: Any = None, data_format: str | None = None,
                     dilations: Any = None) -> jax.Array:
    """A depthwise conv followed by a 1x1 `pointwise_filter` (1, 1, in * multiplier, out)."""
    depthwise = _depthwise(as_jax_array(input), as_jax_array(depthwise_filter), strides,
                           padding, data_format, dilations if dilations is not None else rate)
    return conv(depthwise, as_jax_array(pointwise_filter), 2, 1, "VALID", data_format, 1)
