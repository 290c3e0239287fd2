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

from minitf.core import dtypes as _dtypes
from minitf.core.frame import get_default_graph, is_tracing


from minitf.core.arraylike import unwrap as _value


def tf_op(op_type: str) -> Callable[[Callable], Callable]:
    """Decorate a jnp implementation as a TF op named `op_type` (or `name=`)."""

    def decorate(impl: Callable) -> Callable:
        @functools.wraps(impl)
        def op(*args: Any, name: str | None = None, **kwargs: Any) -> Any:
            op_name = get_default_graph().unique_name(name or op_type)
            if not is_tracing():  # op-by-op: no jaxpr to annotate, skip the scope's cost
                return impl(*args, **kwargs)
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


# -- More TF math ops that model code commonly needs --------------------------------
# Ops whose TF names shadow Python builtins (abs, pow, round, range, slice) are
# defined with a trailing underscore and exported under the TF name through the
# module `__getattr__` at the end, so code in this module keeps the builtins.

import builtins as _builtins

import numpy as np


def _arr(x: Any) -> Any:
    """Like TF's convert_to_tensor for op inputs: values of variables, lists as arrays."""
    x = _value(x)
    return jnp.asarray(x) if isinstance(x, (list, tuple)) else x


@tf_op("AddN")
def add_n(inputs: Sequence[Any]) -> jax.Array:
    if not inputs:
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape")
    return functools.reduce(jnp.add, [_arr(v) for v in inputs])


@tf_op("Abs")
def abs_(x: Any) -> jax.Array:
    return jnp.abs(_arr(x))


@tf_op("Neg")
def negative(x: Any) -> jax.Array:
    return jnp.negative(_arr(x))


@tf_op("Sign")
def sign(x: Any) -> jax.Array:
    return jnp.sign(_arr(x))


@tf_op("Pow")
def pow_(x: Any, y: Any) -> jax.Array:
    return jnp.power(_arr(x), _arr(y))


@tf_op("Floor")
def floor(x: Any) -> jax.Array:
    return jnp.floor(_arr(x))


@tf_op("Ceil")
def ceil(x: Any) -> jax.Array:
    return jnp.ceil(_arr(x))


@tf_op("Round")
def round_(x: Any) -> jax.Array:  # banker's rounding, as TF
    return jnp.round(_arr(x))


@tf_op("Rsqrt")
def rsqrt(x: Any) -> jax.Array:
    return jax.lax.rsqrt(jnp.asarray(_arr(x)))


@tf_op("Reciprocal")
def reciprocal(x: Any) -> jax.Array:
    return jnp.reciprocal(_arr(x))


@tf_op("Log1p")
def log1p(x: Any) -> jax.Array:
    return jnp.log1p(_arr(x))


@tf_op("Expm1")
def expm1(x: Any) -> jax.Array:
    return jnp.expm1(_arr(x))


@tf_op("Sin")
def sin(x: Any) -> jax.Array:
    return jnp.sin(_arr(x))


@tf_op("Cos")
def cos(x: Any) -> jax.Array:
    return jnp.cos(_arr(x))


@tf_op("SquaredDifference")
def squared_difference(x: Any, y: Any) -> jax.Array:
    return jnp.square(_arr(x) - _arr(y))


@tf_op("floordiv")
def floordiv(x: Any, y: Any) -> jax.Array:
    return jnp.floor_divide(_arr(x), _arr(y))


@tf_op("FloorMod")
def mod(x: Any, y: Any) -> jax.Array:
    return jnp.mod(_arr(x), _arr(y))


floormod = mod


@tf_op("truediv")
def truediv(x: Any, y: Any) -> jax.Array:
    return jnp.true_divide(_arr(x), _arr(y))


@tf_op("div")
def div(x: Any, y: Any) -> jax.Array:
    """TF1's `tf.div`: floor division for integers, true division for floats."""
    x, y = _arr(x), _arr(y)
    if jnp.issubdtype(jnp.result_type(x, y), jnp.integer):
        return jnp.floor_divide(x, y)
    return jnp.true_divide(x, y)


@tf_op("Equal")
def equal(x: Any, y: Any) -> jax.Array:
    return jnp.equal(_arr(x), _arr(y))


@tf_op("NotEqual")
def not_equal(x: Any, y: Any) -> jax.Array:
    return jnp.not_equal(_arr(x), _arr(y))


@tf_op("Less")
def less(x: Any, y: Any) -> jax.Array:
    return jnp.less(_arr(x), _arr(y))


@tf_op("LessEqual")
def less_equal(x: Any, y: Any) -> jax.Array:
    return jnp.less_equal(_arr(x), _arr(y))


@tf_op("Greater")
def greater(x: Any, y: Any) -> jax.Array:
    return jnp.greater(_arr(x), _arr(y))


@tf_op("GreaterEqual")
def greater_equal(x: Any, y: Any) -> jax.Array:
    return jnp.greater_equal(_arr(x), _arr(y))


@tf_op("LogicalAnd")
def logical_and(x: Any, y: Any) -> jax.Array:
    return jnp.logical_and(_arr(x), _arr(y))


@tf_op("LogicalOr")
def logical_or(x: Any, y: Any) -> jax.Array:
    return jnp.logical_or(_arr(x), _arr(y))


@tf_op("LogicalNot")
def logical_not(x: Any) -> jax.Array:
    return jnp.logical_not(_arr(x))


@tf_op("Prod")
def reduce_prod(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.prod(_arr(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("Any")
def reduce_any(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.any(_arr(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("All")
def reduce_all(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jnp.all(_arr(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("ReduceLogSumExp")
def reduce_logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> jax.Array:
    return jax.nn.logsumexp(_arr(x), axis=_axis(axis), keepdims=keepdims)


@tf_op("ArgMin")
def argmin(x: Any, axis: int | None = None, output_type: Any = _dtypes.int64) -> jax.Array:
    return jnp.argmin(_arr(x), axis=axis)


@tf_op("Cumsum")
def cumsum(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False) -> jax.Array:
    x = _arr(x)
    if reverse:
        x = jnp.flip(x, axis)
    out = jnp.cumsum(x, axis=axis)
    if exclusive:
        out = out - x
    return jnp.flip(out, axis) if reverse else out


@tf_op("one_hot")
def one_hot(indices: Any, depth: int, on_value: Any = None, off_value: Any = None,
            axis: int | None = None, dtype: Any = None) -> jax.Array:
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.float32
    on = 1 if on_value is None else _arr(on_value)
    off = 0 if off_value is None else _arr(off_value)
    hot = jax.nn.one_hot(_arr(indices), depth, dtype=jnp.bool_, axis=-1 if axis is None else axis)
    return jnp.where(hot, jnp.asarray(on, dtype), jnp.asarray(off, dtype))


@tf_op("GatherV2")
def gather(params: Any, indices: Any, validate_indices: Any = None, axis: int | None = None,
           batch_dims: int = 0) -> jax.Array:
    params, indices = _arr(params), jnp.asarray(_arr(indices))
    axis = batch_dims if axis is None else axis
    if batch_dims:
        gather_one = lambda p, i: jnp.take(p, i, axis=axis - batch_dims)  # noqa: E731
        for _ in range(batch_dims):
            gather_one = jax.vmap(gather_one)
        return gather_one(params, indices)
    return jnp.take(params, indices, axis=axis)


@tf_op("GatherNd")
def gather_nd(params: Any, indices: Any) -> jax.Array:
    params, indices = _arr(params), jnp.asarray(_arr(indices))
    return params[tuple(jnp.moveaxis(indices, -1, 0))]


@tf_op("Select")
def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """`tf.where`: select from x/y; with only `condition`, the [N, rank] indices of True.

    The indices form has a data-dependent shape: it works outside `jit` only.
    """
    condition = _arr(condition)
    if x is None and y is None:
        return jnp.argwhere(condition)  # int64 in TF; JAX's default int here
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = _arr(x), _arr(y)
    condition = jnp.asarray(condition)
    if condition.ndim == 1 and jnp.ndim(x) > 1:  # TF1: a vector condition picks rows
        condition = condition.reshape(condition.shape + (1,) * (jnp.ndim(x) - 1))
    return jnp.where(condition, x, y)


@tf_op("Tile")
def tile(x: Any, multiples: Sequence[int]) -> jax.Array:
    return jnp.tile(_arr(x), tuple(int(m) for m in multiples))


@tf_op("Pad")
def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0) -> jax.Array:
    pads = [tuple(int(p) for p in row) for row in np.asarray(_value(paddings))]
    mode = mode.upper()
    if mode == "CONSTANT":
        return jnp.pad(_arr(tensor), pads, constant_values=constant_values)
    if mode in ("REFLECT", "SYMMETRIC"):
        return jnp.pad(_arr(tensor), pads, mode=mode.lower())
    raise ValueError(f"Unknown padding mode: {mode}")


@tf_op("clip_by_value")
def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> jax.Array:
    return jnp.clip(_arr(t), _arr(clip_value_min), _arr(clip_value_max))


@tf_op("clip_by_norm")
def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None) -> jax.Array:
    t = _arr(t)
    norm = jnp.sqrt(jnp.sum(jnp.square(t), axis=_axis(axes), keepdims=True))
    return t * clip_norm / jnp.maximum(norm, clip_norm)


@tf_op("clip_by_global_norm")
def clip_by_global_norm(t_list: Sequence[Any], clip_norm: Any,
                        use_norm: Any = None) -> tuple[list[Any], jax.Array]:
    """TF's `tf.clip_by_global_norm`: (clipped list, global norm); None entries stay None."""
    values = [None if t is None else _arr(t) for t in t_list]
    if use_norm is None:
        use_norm = global_norm(values)
    scale = clip_norm * jnp.minimum(1.0 / use_norm, 1.0 / clip_norm)
    return [None if v is None else v * scale for v in values], use_norm


@tf_op("global_norm")
def global_norm(t_list: Sequence[Any]) -> jax.Array:
    return jnp.sqrt(sum(jnp.sum(jnp.square(_arr(t))) for t in t_list if t is not None))


@tf_op("Shape")
def shape(input: Any, out_type: Any = _dtypes.int32) -> Any:  # noqa: A002 - TF spelling
    """The static shape as an int32 NumPy vector (usable inside `jit`, e.g. in reshape)."""
    return np.asarray(np.shape(_arr(input)), dtype=_dtypes.as_dtype(out_type))


@tf_op("Size")
def size(input: Any, out_type: Any = _dtypes.int32) -> Any:  # noqa: A002 - TF spelling
    return np.asarray(np.size(_arr(input)), dtype=_dtypes.as_dtype(out_type))


@tf_op("Rank")
def rank(input: Any) -> Any:  # noqa: A002 - TF spelling
    return np.asarray(np.ndim(_arr(input)), dtype=np.int32)


@tf_op("range")
def range_(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None) -> jax.Array:
    if limit is None:
        start, limit = 0, start
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else None
    out = jnp.arange(_arr(start), _arr(limit), _arr(delta), dtype=dtype)
    if dtype is None and out.dtype == jnp.float64:
        out = out.astype(jnp.float32)
    return out


@tf_op("Fill")
def fill(dims: Sequence[int], value: Any) -> jax.Array:
    return jnp.full(tuple(int(d) for d in dims), _arr(value))


@tf_op("eye")
def eye(num_rows: int, num_columns: int | None = None, dtype: Any = _dtypes.float32) -> jax.Array:
    return jnp.eye(num_rows, num_columns, dtype=_dtypes.as_dtype(dtype))


@tf_op("linspace")
def linspace(start: Any, stop: Any, num: int) -> jax.Array:
    return jnp.linspace(_arr(start), _arr(stop), int(num))


@tf_op("ReverseV2")
def reverse(tensor: Any, axis: Any) -> jax.Array:
    return jnp.flip(_arr(tensor), _axis(axis))


@tf_op("Slice")
def slice_(input_: Any, begin: Sequence[int], size: Sequence[int]) -> jax.Array:
    x = _arr(input_)
    index = tuple(_builtins.slice(int(b), None if int(s) == -1 else int(b) + int(s))
                  for b, s in zip(begin, size))
    return x[index]


@tf_op("Tensordot")
def tensordot(a: Any, b: Any, axes: Any) -> jax.Array:
    return jnp.tensordot(_arr(a), _arr(b), axes)


@tf_op("einsum")
def einsum(equation: str, *inputs: Any) -> jax.Array:
    return jnp.einsum(equation, *[_arr(x) for x in inputs])


@tf_op("norm")
def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None,  # noqa: A002
         keepdims: bool = False) -> jax.Array:
    x = _arr(tensor)
    if ord in ("euclidean", 2) and (axis is None or isinstance(axis, int)):
        return jnp.sqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=keepdims))
    return jnp.linalg.norm(x, ord=None if ord == "euclidean" else ord, axis=_axis(axis),
                           keepdims=keepdims)


@tf_op("StopGradient")
def stop_gradient(x: Any) -> jax.Array:
    return jax.lax.stop_gradient(_arr(x))


@tf_op("ToFloat")
def to_float(x: Any) -> jax.Array:
    return jnp.asarray(_arr(x)).astype(jnp.float32)


@tf_op("ToInt32")
def to_int32(x: Any) -> jax.Array:
    return jnp.asarray(_arr(x)).astype(jnp.int32)


@tf_op("boolean_mask")
def boolean_mask(tensor: Any, mask: Any, axis: int | None = None) -> jax.Array:
    """Rows where `mask` is True; data-dependent shape, so outside `jit` only."""
    x, m = _arr(tensor), np.asarray(_arr(mask))
    axis = 0 if axis is None else axis
    flat = x.reshape(x.shape[:axis] + (-1,) + x.shape[axis + m.ndim:])
    return jnp.compress(m.reshape(-1), flat, axis=axis)


@tf_op("SequenceMask")
def sequence_mask(lengths: Any, maxlen: int | None = None, dtype: Any = _dtypes.bool) -> jax.Array:
    lengths = jnp.asarray(_arr(lengths))
    if maxlen is None:
        maxlen = int(jnp.max(lengths))
    mask = jnp.arange(int(maxlen)) < lengths[..., None]
    return mask.astype(_dtypes.as_dtype(dtype))


@tf_op("multinomial")
def multinomial(logits: Any, num_samples: int, seed: Any = None,
                output_dtype: Any = _dtypes.int64) -> jax.Array:
    """`tf.multinomial` / `tf.random.categorical`: [batch, num_samples] class indices."""
    key = get_default_graph().next_init_key()
    logits = _arr(logits)
    draws = jax.random.categorical(key, logits[:, None, :], axis=-1,
                                   shape=(logits.shape[0], int(num_samples)))
    if _dtypes.as_dtype(output_dtype) == jnp.dtype("int64"):
        return draws  # JAX's default int (int64 only under jax_enable_x64)
    return draws.astype(_dtypes.as_dtype(output_dtype))


@tf_op("categorical")
def categorical(logits: Any, num_samples: int, dtype: Any = None, seed: Any = None) -> jax.Array:
    """`tf.random.categorical`: [batch, num_samples] class indices drawn from `logits`."""
    return multinomial(logits, num_samples, output_dtype=dtype or _dtypes.int64)


random_categorical = categorical


@tf_op("RandomShuffle")
def random_shuffle(value: Any, seed: Any = None) -> jax.Array:
    return jax.random.permutation(get_default_graph().next_init_key(), _arr(value), axis=0)


_SHADOWING_BUILTINS = {"abs": abs_, "pow": pow_, "round": round_, "range": range_,
                       "slice": slice_}


def __getattr__(name: str) -> Any:
    try:
        return _SHADOWING_BUILTINS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


__all__ = sorted([n for n, v in dict(globals()).items()
                  if _public(n, v) and n != "tf_op" and not n.endswith("_")]
                 + list(_SHADOWING_BUILTINS)) + ["tf_op"]
