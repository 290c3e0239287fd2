"""Thin TF-named math ops over `jax.numpy`, so TF1 model code runs with few edits.

Each op takes TF's `name=` argument: like a TF op it claims a unique op name in
the current name scope (so later scopes are uniquified exactly as in TF), and
its computation carries that name in the jaxpr/HLO metadata. Inside `jit` the
naming is trace-time only; the compiled computation is the plain jnp call.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from minitf import dtypes as _dtypes
from minitf._graph import get_default_graph


from minitf._arraylike import unwrap as _value


def tf_op(op_type: str) -> Callable[[Callable], Callable]:
    """Decorate a jnp implementation as a TF op named `op_type` (or `name=`)."""

    def decorate(impl: Callable) -> Callable:
        @functools.wraps(impl)
        def op(*args: Any, name: str | None = None, **kwargs: Any) -> Any:
            op_name = get_default_graph().unique_name(name or op_type)
            with jax.named_scope(op_name.rsplit("/", 1)[-1]):
                return impl(*args, **kwargs)

        return op

    return decorate


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


@tf_op("Const")
def constant(value: Any, dtype: Any = None, shape: Sequence[int] | None = None) -> jax.Array:
    out = jnp.asarray(_value(value), dtype=None if dtype is None else _dtypes.as_dtype(dtype))
    if out.dtype == jnp.float64 and dtype is None:
        out = out.astype(jnp.float32)
    return jnp.broadcast_to(out, tuple(shape)) if shape is not None else out


@tf_op("Add")
def add(x: Any, y: Any) -> jax.Array:
    return jnp.add(_value(x), _value(y))


@tf_op("Sub")
def subtract(x: Any, y: Any) -> jax.Array:
    return jnp.subtract(_value(x), _value(y))


@tf_op("Mul")
def multiply(x: Any, y: Any) -> jax.Array:
    return jnp.multiply(_value(x), _value(y))


@tf_op("RealDiv")
def divide(x: Any, y: Any) -> jax.Array:
    return jnp.true_divide(_value(x), _value(y))


@tf_op("MatMul")
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False) -> jax.Array:
    a, b = _value(a), _value(b)
    if transpose_a:
        a = jnp.swapaxes(a, -1, -2)
    if transpose_b:
        b = jnp.swapaxes(b, -1, -2)
    return jnp.matmul(a, b)


@tf_op("Reshape")
def reshape(tensor: Any, shape: Sequence[int]) -> jax.Array:
    return jnp.reshape(_value(tensor), tuple(shape))


@tf_op("concat")
def concat(values: Sequence[Any], axis: int) -> jax.Array:
    return jnp.concatenate([_value(v) for v in values], axis=axis)


@tf_op("stack")
def stack(values: Sequence[Any], axis: int = 0) -> jax.Array:
    return jnp.stack([_value(v) for v in values], axis=axis)


@tf_op("unstack")
def unstack(value: Any, num: int | None = None, axis: int = 0) -> list[jax.Array]:
    value = jnp.moveaxis(_value(value), axis, 0)
    return [value[i] for i in range(value.shape[0])]


@tf_op("split")
def split(value: Any, num_or_size_splits: Any, axis: int = 0) -> list[jax.Array]:
    value = _value(value)
    if isinstance(num_or_size_splits, int):
        return jnp.split(value, num_or_size_splits, axis=axis)
    cuts = list(jnp.cumsum(jnp.asarray(num_or_size_splits))[:-1].tolist())
    return jnp.split(value, cuts, axis=axis)


@tf_op("Mean")
def reduce_mean(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.mean(_value(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("Sum")
def reduce_sum(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.sum(_value(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("Max")
def reduce_max(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.max(_value(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("Min")
def reduce_min(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.min(_value(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("Square")
def square(x: Any) -> jax.Array:
    return jnp.square(_value(x))


@tf_op("Sqrt")
def sqrt(x: Any) -> jax.Array:
    return jnp.sqrt(_value(x))


@tf_op("Exp")
def exp(x: Any) -> jax.Array:
    return jnp.exp(_value(x))


@tf_op("Log")
def log(x: Any) -> jax.Array:
    return jnp.log(_value(x))


@tf_op("ExpandDims")
def expand_dims(x: Any, axis: int) -> jax.Array:
    return jnp.expand_dims(_value(x), axis)


@tf_op("Squeeze")
def squeeze(x: Any, axis: Any = None) -> jax.Array:
    return jnp.squeeze(_value(x), axis=_axis(axis))


@tf_op("transpose")
def transpose(x: Any, perm: Sequence[int] | None = None) -> jax.Array:
    return jnp.transpose(_value(x), perm)


@tf_op("Cast")
def cast(x: Any, dtype: Any) -> jax.Array:
    return jnp.asarray(_value(x)).astype(_dtypes.as_dtype(dtype))


@tf_op("zeros")
def zeros(shape: Sequence[int], dtype: Any = _dtypes.float32) -> jax.Array:
    return jnp.zeros(tuple(shape), _dtypes.as_dtype(dtype))


@tf_op("ones")
def ones(shape: Sequence[int], dtype: Any = _dtypes.float32) -> jax.Array:
    return jnp.ones(tuple(shape), _dtypes.as_dtype(dtype))


@tf_op("zeros_like")
def zeros_like(x: Any, dtype: Any = None) -> jax.Array:
    return jnp.zeros_like(_value(x), dtype=dtype)


@tf_op("ones_like")
def ones_like(x: Any, dtype: Any = None) -> jax.Array:
    return jnp.ones_like(_value(x), dtype=dtype)


@tf_op("Tanh")
def tanh(x: Any) -> jax.Array:
    return jnp.tanh(_value(x))


@tf_op("Sigmoid")
def sigmoid(x: Any) -> jax.Array:
    return jax.nn.sigmoid(_value(x))


@tf_op("Maximum")
def maximum(x: Any, y: Any) -> jax.Array:
    return jnp.maximum(_value(x), _value(y))


@tf_op("Minimum")
def minimum(x: Any, y: Any) -> jax.Array:
    return jnp.minimum(_value(x), _value(y))


@tf_op("ArgMax")
def argmax(x: Any, axis: int | None = None, output_type: Any = _dtypes.int64) -> jax.Array:
    return jnp.argmax(_value(x), axis=axis)


@tf_op("Identity")
def identity(x: Any) -> jax.Array:
    return jnp.asarray(_value(x))


@tf_op("random_normal")
def random_normal(shape: Sequence[int], mean: float = 0.0, stddev: float = 1.0,
                  dtype: Any = _dtypes.float32, seed: Any = None) -> jax.Array:
    key = get_default_graph().next_init_key()
    return (mean + stddev * jax.random.normal(key, tuple(shape))).astype(_dtypes.as_dtype(dtype))


@tf_op("truncated_normal")
def truncated_normal(shape: Sequence[int], mean: float = 0.0, stddev: float = 1.0,
                     dtype: Any = _dtypes.float32, seed: Any = None) -> jax.Array:
    key = get_default_graph().next_init_key()
    draw = jax.random.truncated_normal(key, -2.0, 2.0, tuple(shape))
    return (mean + stddev * draw).astype(_dtypes.as_dtype(dtype))


@tf_op("random_uniform")
def random_uniform(shape: Sequence[int], minval: float = 0.0, maxval: float | None = None,
                   dtype: Any = _dtypes.float32, seed: Any = None) -> jax.Array:
    key = get_default_graph().next_init_key()
    hi = 1.0 if maxval is None else maxval
    return jax.random.uniform(key, tuple(shape), _dtypes.as_dtype(dtype), minval, hi)


def _public(name: str, value: Any) -> bool:
    return not name.startswith("_") and callable(value) and getattr(value, "__module__", "") == __name__


__all__ = sorted(n for n, v in dict(globals()).items() if _public(n, v) and n != "tf_op") + ["tf_op"]
