"""TF-named math ops: arithmetic, reductions, comparisons, clipping, contractions."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core import dtypes as _dtypes
from minitf.core.arraylike import as_array, unwrap
from minitf.ops.op import axis_arg, tf_op


@tf_op("Add")
def add(x: Any, y: Any) -> jax.Array:
    return jnp.add(unwrap(x), unwrap(y))


@tf_op("Sub")
def subtract(x: Any, y: Any) -> jax.Array:
    return jnp.subtract(unwrap(x), unwrap(y))


@tf_op("Mul")
def multiply(x: Any, y: Any) -> jax.Array:
    return jnp.multiply(unwrap(x), unwrap(y))


@tf_op("RealDiv")
def divide(x: Any, y: Any) -> jax.Array:
    return jnp.true_divide(unwrap(x), unwrap(y))


@tf_op("MatMul")
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False) -> jax.Array:
    a, b = unwrap(a), unwrap(b)
    if transpose_a:
        a = jnp.swapaxes(a, -1, -2)
    if transpose_b:
        b = jnp.swapaxes(b, -1, -2)
    return jnp.matmul(a, b)


def _reduction_args(axis: Any, keepdims: bool | None, reduction_indices: Any,
                   keep_dims: bool | None) -> tuple[Any, bool]:
    """TF1's reduction arguments: `reduction_indices` and `keep_dims` are the old names
    of `axis` and `keepdims`; giving both spellings is TF's ValueError."""
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'reduction_indices' and 'axis'.")
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    axis = axis if axis is not None else reduction_indices
    return axis_arg(axis), bool(keepdims if keepdims is not None else keep_dims)


@tf_op("Mean")
def reduce_mean(x: Any, axis: Any = None, keepdims: bool | None = None,
                reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.mean(unwrap(x), axis=axis, keepdims=keep)


@tf_op("Sum")
def reduce_sum(x: Any, axis: Any = None, keepdims: bool | None = None,
               reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.sum(unwrap(x), axis=axis, keepdims=keep)


@tf_op("Max")
def reduce_max(x: Any, axis: Any = None, keepdims: bool | None = None,
               reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.max(unwrap(x), axis=axis, keepdims=keep)


@tf_op("Min")
def reduce_min(x: Any, axis: Any = None, keepdims: bool | None = None,
               reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.min(unwrap(x), axis=axis, keepdims=keep)


@tf_op("Square")
def square(x: Any) -> jax.Array:
    return jnp.square(unwrap(x))


@tf_op("Sqrt")
def sqrt(x: Any) -> jax.Array:
    return jnp.sqrt(unwrap(x))


@tf_op("Exp")
def exp(x: Any) -> jax.Array:
    return jnp.exp(unwrap(x))


@tf_op("Log")
def log(x: Any) -> jax.Array:
    return jnp.log(unwrap(x))


@tf_op("Tanh")
def tanh(x: Any) -> jax.Array:
    return jnp.tanh(unwrap(x))


@tf_op("Sigmoid")
def sigmoid(x: Any) -> jax.Array:
    return jax.nn.sigmoid(unwrap(x))


@tf_op("Maximum")
def maximum(x: Any, y: Any) -> jax.Array:
    return jnp.maximum(unwrap(x), unwrap(y))


@tf_op("Minimum")
def minimum(x: Any, y: Any) -> jax.Array:
    return jnp.minimum(unwrap(x), unwrap(y))


@tf_op("ArgMax")
def argmax(x: Any, axis: int | None = None, output_type: Any = _dtypes.int64) -> jax.Array:
    return jnp.argmax(unwrap(x), axis=axis)


@tf_op("AddN")
def add_n(inputs: Sequence[Any]) -> jax.Array:
    if not inputs:
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape")
    return functools.reduce(jnp.add, [as_array(v) for v in inputs])


@tf_op("Abs")
def abs_(x: Any) -> jax.Array:
    return jnp.abs(as_array(x))


@tf_op("Neg")
def negative(x: Any) -> jax.Array:
    return jnp.negative(as_array(x))


@tf_op("Sign")
def sign(x: Any) -> jax.Array:
    return jnp.sign(as_array(x))


@tf_op("Pow")
def pow_(x: Any, y: Any) -> jax.Array:
    return jnp.power(as_array(x), as_array(y))


@tf_op("Floor")
def floor(x: Any) -> jax.Array:
    return jnp.floor(as_array(x))


@tf_op("Ceil")
def ceil(x: Any) -> jax.Array:
    return jnp.ceil(as_array(x))


@tf_op("Round")
def round_(x: Any) -> jax.Array:  # banker's rounding, as TF
    return jnp.round(as_array(x))


@tf_op("Rsqrt")
def rsqrt(x: Any) -> jax.Array:
    return jax.lax.rsqrt(jnp.asarray(as_array(x)))


@tf_op("Reciprocal")
def reciprocal(x: Any) -> jax.Array:
    return jnp.reciprocal(as_array(x))


@tf_op("Log1p")
def log1p(x: Any) -> jax.Array:
    return jnp.log1p(as_array(x))


@tf_op("Expm1")
def expm1(x: Any) -> jax.Array:
    return jnp.expm1(as_array(x))


@tf_op("Sin")
def sin(x: Any) -> jax.Array:
    return jnp.sin(as_array(x))


@tf_op("Cos")
def cos(x: Any) -> jax.Array:
    return jnp.cos(as_array(x))


@tf_op("SquaredDifference")
def squared_difference(x: Any, y: Any) -> jax.Array:
    return jnp.square(as_array(x) - as_array(y))


@tf_op("floordiv")
def floordiv(x: Any, y: Any) -> jax.Array:
    return jnp.floor_divide(as_array(x), as_array(y))


@tf_op("FloorMod")
def mod(x: Any, y: Any) -> jax.Array:
    return jnp.mod(as_array(x), as_array(y))


floormod = mod


@tf_op("truediv")
def truediv(x: Any, y: Any) -> jax.Array:
    return jnp.true_divide(as_array(x), as_array(y))


@tf_op("DivNoNan")
def div_no_nan(x: Any, y: Any) -> jax.Array:
    """TF's `tf.div_no_nan`: `x / y`, and 0 where `y` is 0."""
    x, y = as_array(x), as_array(y)
    safe = jnp.where(y == 0, jnp.ones_like(y), y)
    return jnp.where(y == 0, jnp.zeros_like(jnp.true_divide(x, safe)), jnp.true_divide(x, safe))


@tf_op("div")
def div(x: Any, y: Any) -> jax.Array:
    """TF1's `tf.div`: floor division for integers, true division for floats."""
    x, y = as_array(x), as_array(y)
    if jnp.issubdtype(jnp.result_type(x, y), jnp.integer):
        return jnp.floor_divide(x, y)
    return jnp.true_divide(x, y)


@tf_op("Equal")
def equal(x: Any, y: Any) -> jax.Array:
    return jnp.equal(as_array(x), as_array(y))


@tf_op("NotEqual")
def not_equal(x: Any, y: Any) -> jax.Array:
    return jnp.not_equal(as_array(x), as_array(y))


@tf_op("Less")
def less(x: Any, y: Any) -> jax.Array:
    return jnp.less(as_array(x), as_array(y))


@tf_op("LessEqual")
def less_equal(x: Any, y: Any) -> jax.Array:
    return jnp.less_equal(as_array(x), as_array(y))


@tf_op("Greater")
def greater(x: Any, y: Any) -> jax.Array:
    return jnp.greater(as_array(x), as_array(y))


@tf_op("GreaterEqual")
def greater_equal(x: Any, y: Any) -> jax.Array:
    return jnp.greater_equal(as_array(x), as_array(y))


@tf_op("LogicalAnd")
def logical_and(x: Any, y: Any) -> jax.Array:
    return jnp.logical_and(as_array(x), as_array(y))


@tf_op("LogicalOr")
def logical_or(x: Any, y: Any) -> jax.Array:
    return jnp.logical_or(as_array(x), as_array(y))


@tf_op("LogicalNot")
def logical_not(x: Any) -> jax.Array:
    return jnp.logical_not(as_array(x))


@tf_op("Prod")
def reduce_prod(x: Any, axis: Any = None, keepdims: bool | None = None,
                reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.prod(as_array(x), axis=axis, keepdims=keep)


@tf_op("Any")
def reduce_any(x: Any, axis: Any = None, keepdims: bool | None = None,
               reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.any(as_array(x), axis=axis, keepdims=keep)


@tf_op("All")
def reduce_all(x: Any, axis: Any = None, keepdims: bool | None = None,
               reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jnp.all(as_array(x), axis=axis, keepdims=keep)


@tf_op("ReduceLogSumExp")
def reduce_logsumexp(x: Any, axis: Any = None, keepdims: bool | None = None,
                     reduction_indices: Any = None, keep_dims: bool | None = None) -> jax.Array:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    return jax.nn.logsumexp(as_array(x), axis=axis, keepdims=keep)


@tf_op("ArgMin")
def argmin(x: Any, axis: int | None = None, output_type: Any = _dtypes.int64) -> jax.Array:
    return jnp.argmin(as_array(x), axis=axis)


@tf_op("Cumsum")
def cumsum(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False) -> jax.Array:
    x = as_array(x)
    if reverse:
        x = jnp.flip(x, axis)
    out = jnp.cumsum(x, axis=axis)
    if exclusive:
        out = out - x
    return jnp.flip(out, axis) if reverse else out


@tf_op("clip_by_value")
def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> jax.Array:
    return jnp.clip(as_array(t), as_array(clip_value_min), as_array(clip_value_max))


@tf_op("clip_by_norm")
def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None) -> jax.Array:
    t = as_array(t)
    norm = jnp.sqrt(jnp.sum(jnp.square(t), axis=axis_arg(axes), keepdims=True))
    return t * clip_norm / jnp.maximum(norm, clip_norm)


@tf_op("clip_by_global_norm")
def clip_by_global_norm(t_list: Sequence[Any], clip_norm: Any,
                        use_norm: Any = None) -> tuple[list[Any], jax.Array]:
    """TF's `tf.clip_by_global_norm`: (clipped list, global norm); None entries stay None."""
    values = [None if t is None else as_array(t) for t in t_list]
    if use_norm is None:
        use_norm = global_norm(values)
    scale = clip_norm * jnp.minimum(1.0 / use_norm, 1.0 / clip_norm)
    return [None if v is None else v * scale for v in values], use_norm


@tf_op("global_norm")
def global_norm(t_list: Sequence[Any]) -> jax.Array:
    return jnp.sqrt(sum(jnp.sum(jnp.square(as_array(t))) for t in t_list if t is not None))


@tf_op("Tensordot")
def tensordot(a: Any, b: Any, axes: Any) -> jax.Array:
    return jnp.tensordot(as_array(a), as_array(b), axes)


@tf_op("einsum")
def einsum(equation: str, *inputs: Any) -> jax.Array:
    return jnp.einsum(equation, *[as_array(x) for x in inputs])


@tf_op("norm")
def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None,
         keepdims: bool = False) -> jax.Array:
    x = as_array(tensor)
    if ord in ("euclidean", 2) and (axis is None or isinstance(axis, int)):
        return jnp.sqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=keepdims))
    return jnp.linalg.norm(x, ord=None if ord == "euclidean" else ord, axis=axis_arg(axis),
                           keepdims=keepdims)



@tf_op("count_nonzero")
def count_nonzero(input_tensor: Any = None, axis: Any = None, keepdims: bool | None = None,
                  dtype: Any = _dtypes.int64, reduction_indices: Any = None,
                  keep_dims: bool | None = None, input: Any = None) -> jax.Array:
    """TF1's `tf.count_nonzero`: how many entries along `axis` are not zero (int64 by
    default, stored as JAX's default int unless `jax_enable_x64`)."""
    if input_tensor is not None and input is not None:
        raise ValueError("Cannot specify both 'input' and 'input_tensor'.")
    x = as_array(input_tensor if input_tensor is not None else input)
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    counts = jnp.sum(jnp.not_equal(x, jnp.zeros([], jnp.asarray(x).dtype)), axis=axis,
                     keepdims=keep)
    return counts.astype(_dtypes.storage_dtype(dtype))


def _segment_layout(data: Any, segment_ids: Any) -> tuple[jax.Array, jax.Array]:
    """Data with the ids' leading dimensions flattened into one, and the ids flattened."""
    data, ids = jnp.asarray(as_array(data)), jnp.asarray(as_array(segment_ids))
    if data.shape[:ids.ndim] != ids.shape:
        raise ValueError(f"segment_ids.shape {list(ids.shape)} must be a prefix of "
                         f"data.shape {list(data.shape)}")
    return data.reshape((-1, *data.shape[ids.ndim:])), ids.reshape(-1)


def _segment_reduce(kind: str, data: Any, segment_ids: Any, num_segments: int,
                    empty: str) -> jax.Array:
    """Reduce rows of `data` by segment id; ids outside [0, num_segments) are dropped and
    empty segments hold `empty`: "zero", "one" or "extreme" (the dtype's lowest for max,
    its highest for min, as TF's unsorted ops)."""
    data, ids = _segment_layout(data, segment_ids)
    n = int(num_segments)
    if kind in ("sum", "mean"):
        out = jax.ops.segment_sum(data, ids, n)
        if kind == "sum":
            return out
        counts = jax.ops.segment_sum(jnp.ones(ids.shape, data.dtype), ids, n)
        counts = counts.reshape((n,) + (1,) * (data.ndim - 1))
        return out / jnp.maximum(counts, jnp.ones([], data.dtype))
    if kind == "prod":
        return jax.ops.segment_prod(data, ids, n)
    reduce = jax.ops.segment_max if kind == "max" else jax.ops.segment_min
    out = reduce(data, ids, n)
    present = jax.ops.segment_sum(jnp.ones(ids.shape, jnp.int32), ids, n) > 0
    present = present.reshape((n,) + (1,) * (data.ndim - 1))
    if empty == "zero":
        fill = jnp.zeros([], data.dtype)
    else:
        info = (jnp.finfo if jnp.issubdtype(data.dtype, jnp.floating) else jnp.iinfo)(data.dtype)
        fill = jnp.asarray(info.min if kind == "max" else info.max, data.dtype)
    return jnp.where(present, out, fill)


@tf_op("UnsortedSegmentSum")
def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any) -> jax.Array:
    """Sums of the rows of `data` with each segment id (ids may be in any order)."""
    return _segment_reduce("sum", data, segment_ids, _static_int(num_segments), "zero")


@tf_op("UnsortedSegmentMax")
def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any) -> jax.Array:
    """Maxima per segment id; an empty segment holds the dtype's lowest value (TF's rule)."""
    return _segment_reduce("max", data, segment_ids, _static_int(num_segments), "extreme")


@tf_op("UnsortedSegmentMin")
def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any) -> jax.Array:
    """Minima per segment id; an empty segment holds the dtype's highest value (TF's rule)."""
    return _segment_reduce("min", data, segment_ids, _static_int(num_segments), "extreme")


@tf_op("UnsortedSegmentProd")
def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any) -> jax.Array:
    """Products per segment id; an empty segment holds 1."""
    return _segment_reduce("prod", data, segment_ids, _static_int(num_segments), "one")


@tf_op("UnsortedSegmentMean")
def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any) -> jax.Array:
    """Means per segment id (`tf.math.unsorted_segment_mean`); an empty segment holds 0."""
    return _segment_reduce("mean", data, segment_ids, _static_int(num_segments), "zero")


def _static_int(value: Any) -> int:
    """A count that fixes an output shape: a Python/NumPy number or a constant tensor."""
    value = unwrap(value)
    if isinstance(value, jax.core.Tracer):
        raise TypeError("minitf needs this count (an output dimension) as a constant: a "
                        "Python int or a tensor computed from constants only; JAX arrays "
                        "have static shapes.")
    return int(np.asarray(value))


def _sorted_num_segments(segment_ids: Any) -> int:
    """max(segment_ids) + 1, which is the output's size for TF's sorted segment ops."""
    ids = unwrap(segment_ids)
    if isinstance(ids, jax.core.Tracer):
        raise TypeError("tf.segment_* output sizes depend on the values of segment_ids, so "
                        "minitf needs them as constants here; with computed ids use "
                        "tf.unsorted_segment_* with num_segments.")
    ids = np.asarray(ids)
    return int(ids.max()) + 1 if ids.size else 0


@tf_op("SegmentSum")
def segment_sum(data: Any, segment_ids: Any) -> jax.Array:
    """Sums over runs of sorted segment ids; max(ids) + 1 rows, empty ones 0."""
    return _segment_reduce("sum", data, segment_ids, _sorted_num_segments(segment_ids), "zero")


@tf_op("SegmentMean")
def segment_mean(data: Any, segment_ids: Any) -> jax.Array:
    """Means over runs of sorted segment ids; max(ids) + 1 rows, empty ones 0."""
    return _segment_reduce("mean", data, segment_ids, _sorted_num_segments(segment_ids), "zero")


@tf_op("SegmentMax")
def segment_max(data: Any, segment_ids: Any) -> jax.Array:
    """Maxima over runs of sorted segment ids; max(ids) + 1 rows, empty ones 0."""
    return _segment_reduce("max", data, segment_ids, _sorted_num_segments(segment_ids), "zero")


@tf_op("SegmentMin")
def segment_min(data: Any, segment_ids: Any) -> jax.Array:
    """Minima over runs of sorted segment ids; max(ids) + 1 rows, empty ones 0."""
    return _segment_reduce("min", data, segment_ids, _sorted_num_segments(segment_ids), "zero")


@tf_op("SegmentProd")
def segment_prod(data: Any, segment_ids: Any) -> jax.Array:
    """Products over runs of sorted segment ids; max(ids) + 1 rows, empty ones 1."""
    return _segment_reduce("prod", data, segment_ids, _sorted_num_segments(segment_ids), "one")
