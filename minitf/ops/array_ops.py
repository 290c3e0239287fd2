"""TF-named array ops: construction, shape manipulation, indexing, casting."""
from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core import as_jax_array
from minitf.core import dtypes as _dtypes
from minitf.core.arraylike import ArrayLike, as_array, unwrap
from minitf.core.frame import is_tracing
from minitf.core.symbolic import graph_tensor
from minitf.ops.op import axis_arg, tf_op


@tf_op("Const")
def constant(value: Any, dtype: Any = None, shape: Sequence[int] | None = None) -> jax.Array:
    out = jnp.asarray(unwrap(value), dtype=None if dtype is None else _dtypes.as_dtype(dtype))
    if out.dtype == jnp.float64 and dtype is None:
        out = out.astype(jnp.float32)
    return jnp.broadcast_to(out, tuple(shape)) if shape is not None else out


@tf_op("Reshape")
def reshape(tensor: Any, shape: Sequence[int]) -> jax.Array:
    return jnp.reshape(unwrap(tensor), tuple(shape))


@tf_op("concat")
def concat(values: Sequence[Any], axis: int) -> jax.Array:
    return jnp.concatenate([unwrap(v) for v in values], axis=axis)


@tf_op("stack")
def stack(values: Sequence[Any], axis: int = 0) -> jax.Array:
    return jnp.stack([unwrap(v) for v in values], axis=axis)


@tf_op("unstack")
def unstack(value: Any, num: int | None = None, axis: int = 0) -> list[jax.Array]:
    value = jnp.moveaxis(unwrap(value), axis, 0)
    return [value[i] for i in range(value.shape[0])]


@tf_op("split")
def split(value: Any, num_or_size_splits: Any, axis: int = 0) -> list[jax.Array]:
    value = unwrap(value)
    if isinstance(num_or_size_splits, int):
        return jnp.split(value, num_or_size_splits, axis=axis)
    cuts = list(jnp.cumsum(jnp.asarray(num_or_size_splits))[:-1].tolist())
    return jnp.split(value, cuts, axis=axis)


@tf_op("ExpandDims")
def expand_dims(x: Any, axis: int) -> jax.Array:
    return jnp.expand_dims(unwrap(x), axis)


@tf_op("Squeeze")
def squeeze(x: Any, axis: Any = None) -> jax.Array:
    return jnp.squeeze(unwrap(x), axis=axis_arg(axis))


@tf_op("transpose")
def transpose(x: Any, perm: Sequence[int] | None = None) -> jax.Array:
    return jnp.transpose(unwrap(x), perm)


@tf_op("Cast")
def cast(x: Any, dtype: Any) -> jax.Array:
    return as_jax_array(x).astype(_dtypes.as_dtype(dtype))


@tf_op("zeros")
def zeros(shape: Sequence[int], dtype: Any = _dtypes.float32) -> jax.Array:
    return jnp.zeros(tuple(shape), _dtypes.as_dtype(dtype))


@tf_op("ones")
def ones(shape: Sequence[int], dtype: Any = _dtypes.float32) -> jax.Array:
    return jnp.ones(tuple(shape), _dtypes.as_dtype(dtype))


@tf_op("zeros_like")
def zeros_like(x: Any, dtype: Any = None) -> jax.Array:
    return jnp.zeros_like(unwrap(x), dtype=dtype)


@tf_op("ones_like")
def ones_like(x: Any, dtype: Any = None) -> jax.Array:
    return jnp.ones_like(unwrap(x), dtype=dtype)


@tf_op("Identity")
def identity(x: Any) -> jax.Array:
    return as_jax_array(x)


@tf_op("one_hot")
def one_hot(indices: Any, depth: int, on_value: Any = None, off_value: Any = None,
            axis: int | None = None, dtype: Any = None) -> jax.Array:
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.float32
    on = 1 if on_value is None else as_array(on_value)
    off = 0 if off_value is None else as_array(off_value)
    hot = jax.nn.one_hot(as_array(indices), depth, dtype=jnp.bool_,
                         axis=-1 if axis is None else axis)

    return jnp.where(hot, jnp.asarray(on, dtype), jnp.asarray(off, dtype))


@tf_op("GatherV2")
def gather(params: Any, indices: Any, validate_indices: Any = None, axis: int | None = None,
           batch_dims: int = 0) -> jax.Array:
    params, indices = as_array(params), jnp.asarray(as_array(indices))
    axis = batch_dims if axis is None else axis
    if batch_dims:
        gather_one = lambda p, i: jnp.take(p, i, axis=axis - batch_dims)  # noqa: E731
        for _ in range(batch_dims):
            gather_one = jax.vmap(gather_one)
        return gather_one(params, indices)
    return jnp.take(params, indices, axis=axis)


@tf_op("GatherNd")
def gather_nd(params: Any, indices: Any) -> jax.Array:
    params, indices = as_array(params), jnp.asarray(as_array(indices))
    return params[tuple(jnp.moveaxis(indices, -1, 0))]


@tf_op("Select")
def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """`tf.where`: select from x/y; with only `condition`, the [N, rank] indices of True.

    The indices form has a data-dependent shape: it works outside `jit` only.
    """
    condition = as_array(condition)
    if x is None and y is None:
        return jnp.argwhere(condition)  # int64 in TF; JAX's default int here
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = as_array(x), as_array(y)
    condition = jnp.asarray(condition)
    if condition.ndim == 1 and jnp.ndim(x) > 1:  # TF1: a vector condition picks rows
        condition = condition.reshape(condition.shape + (1,) * (jnp.ndim(x) - 1))
    return jnp.where(condition, x, y)


@tf_op("Tile")
def tile(x: Any, multiples: Sequence[int]) -> jax.Array:
    return jnp.tile(as_array(x), tuple(int(m) for m in multiples))


@tf_op("Pad")
def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0) -> jax.Array:
    pads = [tuple(int(p) for p in row) for row in np.asarray(unwrap(paddings))]
    mode = mode.upper()
    if mode == "CONSTANT":
        return jnp.pad(as_array(tensor), pads, constant_values=constant_values)
    if mode in ("REFLECT", "SYMMETRIC"):
        return jnp.pad(as_array(tensor), pads, mode=mode.lower())
    raise ValueError(f"Unknown padding mode: {mode}")


def _static_shape(x: Any) -> tuple[int, ...]:
    x = as_array(x)
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


@tf_op("Shape", shape_only=True)
def shape(input: Any, out_type: Any = _dtypes.int32) -> Any:
    """The static shape as an int32 NumPy vector (usable inside `jit`, e.g. in reshape)."""
    return np.asarray(_static_shape(input), dtype=_dtypes.as_dtype(out_type))


@tf_op("Size", shape_only=True)
def size(input: Any, out_type: Any = _dtypes.int32) -> Any:
    return np.asarray(np.prod(_static_shape(input), dtype=np.int64),
                      dtype=_dtypes.as_dtype(out_type))


@tf_op("Rank", shape_only=True)
def rank(input: Any) -> Any:
    return np.asarray(len(_static_shape(input)), dtype=np.int32)


@tf_op("range")
def range_(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None) -> jax.Array:
    if limit is None:
        start, limit = 0, start
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else None
    out = jnp.arange(as_array(start), as_array(limit), as_array(delta), dtype=dtype)
    if dtype is None and out.dtype == jnp.float64:
        out = out.astype(jnp.float32)
    return out


@tf_op("Fill")
def fill(dims: Sequence[int], value: Any) -> jax.Array:
    return jnp.full(tuple(int(d) for d in dims), as_array(value))


@tf_op("eye")
def eye(num_rows: int, num_columns: int | None = None, dtype: Any = _dtypes.float32) -> jax.Array:
    return jnp.eye(num_rows, num_columns, dtype=_dtypes.as_dtype(dtype))


@tf_op("linspace")
def linspace(start: Any, stop: Any, num: int) -> jax.Array:
    return jnp.linspace(as_array(start), as_array(stop), int(num))


@tf_op("ReverseV2")
def reverse(tensor: Any, axis: Any) -> jax.Array:
    return jnp.flip(as_array(tensor), axis_arg(axis))


@tf_op("Slice")
def slice_(input_: Any, begin: Sequence[int], size: Sequence[int]) -> jax.Array:
    x = as_array(input_)
    index = tuple(builtins.slice(int(b), None if int(s) == -1 else int(b) + int(s))
                  for b, s in zip(begin, size, strict=False))
    return x[index]


@tf_op("StopGradient")
def stop_gradient(x: Any) -> jax.Array:
    return jax.lax.stop_gradient(as_array(x))


@tf_op("ToFloat")
def to_float(x: Any) -> jax.Array:
    return jnp.asarray(as_array(x)).astype(jnp.float32)


@tf_op("ToInt32")
def to_int32(x: Any) -> jax.Array:
    return jnp.asarray(as_array(x)).astype(jnp.int32)


@tf_op("boolean_mask")
def boolean_mask(tensor: Any, mask: Any, axis: int | None = None) -> jax.Array:
    """Rows where `mask` is True; data-dependent shape, so outside `jit` only."""
    x, m = as_array(tensor), np.asarray(as_array(mask))
    axis = 0 if axis is None else axis
    flat = x.reshape((*x.shape[:axis], -1, *x.shape[axis + m.ndim:]))
    return jnp.compress(m.reshape(-1), flat, axis=axis)


@tf_op("SequenceMask")
def sequence_mask(lengths: Any, maxlen: int | None = None, dtype: Any = _dtypes.bool) -> jax.Array:
    lengths = jnp.asarray(as_array(lengths))
    if maxlen is None:
        maxlen = int(jnp.max(lengths))
    mask = jnp.arange(int(maxlen)) < lengths[..., None]
    return mask.astype(_dtypes.as_dtype(dtype))



@tf_op("StridedSlice")
def strided_slice(input_: Any, index: Any) -> jax.Array:
    """`x[index]` (what TF builds for Python indexing of a tensor, named strided_slice)."""
    return as_jax_array(input_)[index]


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      preferred_dtype: Any = None, dtype_hint: Any = None) -> Any:
    """TF's `tf.convert_to_tensor`: tensors pass through (a variable gives its value),
    anything else becomes a constant."""
    tensor = graph_tensor(value)
    if tensor is None and (isinstance(value, ArrayLike) or is_tracing()):
        tensor = as_jax_array(value)
    if tensor is not None:
        if dtype is not None and np.dtype(tensor.dtype) != _dtypes.storage_dtype(dtype):
            raise ValueError(f"Tensor conversion requested dtype {_dtypes.name_of(dtype)} for "
                             f"Tensor with dtype {np.dtype(tensor.dtype).name}: {value!r}")
        return tensor
    return constant(value, dtype=dtype if dtype is not None else preferred_dtype or dtype_hint,
                    name=name or "Const")
