"""TF-named array ops: construction, shape manipulation, indexing, casting."""
from __future__ import annotations

import builtins
import functools
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core import as_jax_array
from minitf.core import dtypes as _dtypes
from minitf.core.arraylike import ArrayLike, as_array, unwrap
from minitf.core.frame import is_tracing
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import PROBES
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


@tf_op("ScatterNd")
def scatter_nd(indices: Any, updates: Any, shape: Any) -> jax.Array:
    """Zeros of `shape` with `updates` added at `indices` (duplicates sum, as TF)."""
    indices, updates = jnp.asarray(as_array(indices)), jnp.asarray(as_array(updates))
    dims = tuple(int(d) for d in np.asarray(unwrap(shape)).reshape(-1))
    index = tuple(jnp.moveaxis(indices, -1, 0))
    return jnp.zeros(dims, updates.dtype).at[index].add(updates)


@tf_op("meshgrid")
def meshgrid(*args: Any, indexing: str = "xy") -> list[jax.Array]:
    """N-D coordinate grids from 1-D vectors (`indexing` "xy" or "ij", as NumPy)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing parameter must be either 'xy' or 'ij', got {indexing!r}")
    return list(jnp.meshgrid(*[jnp.asarray(as_array(a)) for a in args], indexing=indexing))


def _raise_if_not_finite(message: str, has_nan: Any, has_inf: Any) -> None:
    if bool(has_nan) or bool(has_inf):
        what = " and ".join(w for w, bad in (("NaN", has_nan), ("Inf", has_inf)) if bool(bad))
        raise FloatingPointError(f"CheckNumerics: {message} : Tensor had {what} values")


@tf_op("CheckNumerics", kind="stateful")
def check_numerics(tensor: Any, message: str) -> jax.Array:
    """The tensor unchanged; running it raises (`FloatingPointError`, wrapped in JAX's runtime
    error under `jit` and in `Session.run`) when it holds a NaN or Inf."""
    x = as_jax_array(tensor)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        raise TypeError(f"check_numerics needs a floating-point tensor, got {x.dtype}")
    has_nan, has_inf = jnp.any(jnp.isnan(x)), jnp.any(jnp.isinf(x))
    if is_tracing():  # only two booleans leave the device
        jax.debug.callback(functools.partial(_raise_if_not_finite, message), has_nan, has_inf)
    else:
        _raise_if_not_finite(message, has_nan, has_inf)
    return x


def _summarized(value: Any, summarize: int) -> str:
    flat = np.asarray(value).reshape(-1)
    shown = " ".join(f"{v:g}" if isinstance(v, np.floating) else str(v)
                     for v in flat[:summarize])
    return f"[{shown}{'...' if flat.size > summarize else ''}]"


@tf_op("Print", kind="stateful")
def Print(input_: Any, data: Sequence[Any], message: str | None = None,
          first_n: int | None = None, summarize: int | None = None) -> jax.Array:
    """TF1's `tf.Print`: `input_` unchanged; each run prints `message` and the first
    `summarize` (default 3) entries of each of `data` to stderr, at most `first_n` times
    (counted per traced computation) when `first_n` is positive."""
    value = as_jax_array(input_)
    values = [as_jax_array(d) for d in data]
    limit = 3 if summarize is None else (np.iinfo(np.int64).max if summarize < 0 else summarize)
    printed = [0]

    def show(*arrays: Any) -> None:
        if first_n is not None and first_n >= 0 and printed[0] >= first_n:
            return
        printed[0] += 1
        print((message or "") + "".join(_summarized(a, limit) for a in arrays),
              file=sys.stderr, flush=True)

    if is_tracing():
        jax.debug.callback(show, *values, ordered=True)
    else:
        show(*values)
    return value


#: Output shapes and dtypes of py_func functions, by function and input shapes/dtypes.
_PY_FUNC_SHAPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _py_func_outputs(func: Callable[..., Any], inputs: list[Any], dtypes: list[np.dtype],
                     single: bool) -> list[np.ndarray]:
    out = func(*inputs)
    results = [out] if single else list(out)
    if len(results) != len(dtypes):
        raise ValueError(f"py_func's function returned {len(results)} values for "
                         f"{len(dtypes)} Tout dtypes")
    return [np.asarray(r).astype(d, copy=False) for r, d in zip(results, dtypes, strict=True)]


def _py_func_signature(func: Callable[..., Any], inputs: list[Any], dtypes: list[np.dtype],
                       single: bool) -> list[jax.ShapeDtypeStruct]:
    """The result shapes: from one call of `func` on ones of the inputs' shapes and dtypes
    (cached by function and input signature)."""
    key = tuple((tuple(x.shape), np.dtype(x.dtype)) for x in inputs)
    try:
        cache = _PY_FUNC_SHAPES.setdefault(func, {})
    except TypeError:  # not weakly referenceable: no cache
        cache = {}
    if key not in cache:
        # A graph's shape inference gives unknown dims a probe size (millions): the call
        # gets a small stand-in instead, and output dims of that size map back to the
        # probe (so they come out unknown, as TF reports every py_func dim).
        stand_ins: dict[int, int] = {}
        dummies = []
        for shape, dtype in key:
            small = [_PROBE_STAND_INS.get(d, d) for d in shape]
            stand_ins.update({s: d for s, d in zip(small, shape, strict=True) if s != d})
            dummies.append(np.ones(small, dtype))
        cache[key] = [jax.ShapeDtypeStruct(tuple(stand_ins.get(d, d) for d in r.shape),
                                           r.dtype)
                      for r in _py_func_outputs(func, dummies, dtypes, single)]
    return cache[key]


_PROBE_STAND_INS = {PROBES[0]: 5, PROBES[1]: 7}  # an unknown dim's size in the dummy call


@tf_op("PyFunc", kind="stateful")
def py_func(func: Callable[..., Any], inp: Sequence[Any], Tout: Any,
            stateful: bool = True) -> Any:
    """TF1's `tf.py_func`: `func` on the inputs' NumPy values, its results as tensors of
    dtypes `Tout` (a list gives a list). Under `jit` (and in a session) it is a
    `jax.pure_callback` whose result shapes come from calling `func` once on ones of the
    inputs' shapes and dtypes, so they must depend on the input shapes only. No gradient."""
    single = not isinstance(Tout, (list, tuple))
    dtypes = [_dtypes.storage_dtype(t) for t in ([Tout] if single else Tout)]
    inputs = [as_jax_array(x) for x in inp]
    if not is_tracing():
        results = [jnp.asarray(r) for r in
                   _py_func_outputs(func, [np.asarray(x) for x in inputs], dtypes, single)]
    else:
        signature = _py_func_signature(func, inputs, dtypes, single)
        results = list(jax.pure_callback(
            lambda *xs: _py_func_outputs(func, list(xs), dtypes, single), signature, *inputs,
            vmap_method="sequential"))
    return results[0] if single else results


numpy_function = py_func
