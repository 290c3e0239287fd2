"""TF1's `tf.nn` array ops: bias_add, dropout, moments, embedding_lookup, conv/pool, ...

Formulas follow TF's kernels (e.g. `batch_normalization` computes
`x * inv + (offset - mean * inv)` as TF does), so values agree to rounding.
Randomness (`dropout`) draws a fresh key from the current trace, so `apply`
needs `rng=`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core import as_jax_array, get_default_graph, unwrap
from minitf.nn import conv_ops
from minitf.ops import tf_op


def _channels_axis(data_format: str | None, ndim: int) -> int:
    if data_format is None or not data_format.startswith("NC"):
        return ndim - 1
    return 1


@tf_op("BiasAdd")
def bias_add(value: Any, bias: Any, data_format: str | None = None) -> jax.Array:
    """Add the 1-D `bias` along the channel axis (last, or 1 for 'NC...' formats)."""
    value, bias = as_jax_array(value), as_jax_array(bias)
    if bias.ndim != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.ndim} for bias_add's bias")
    axis = _channels_axis(data_format, value.ndim)
    if value.shape[axis] != bias.shape[0]:
        raise ValueError(f"Dimensions must be equal, but are {value.shape[axis]} and "
                         f"{bias.shape[0]} for bias_add")
    return value + bias.reshape((-1,) + (1,) * (value.ndim - 1 - axis))


def _dropout_rate(keep_prob: Any, rate: Any) -> Any:
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'.")
    if keep_prob is None and rate is None:
        raise ValueError("You must provide a rate to dropout.")
    rate = 1 - unwrap(keep_prob) if rate is None else unwrap(rate)
    if isinstance(rate, (int, float)) and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    return rate


def _noise_shape(noise_shape: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Static ints; an entry that is None or a run-time value (e.g. `tf.shape(x)[0]`) is the
    input's own size there (Keras' rule; TF broadcasts the mask, so only 1s may differ)."""
    out = []
    for i, d in enumerate(noise_shape):
        try:
            out.append(shape[i] if d is None else int(unwrap(d)))
        except (TypeError, jax.errors.ConcretizationTypeError):
            out.append(shape[i])
    return tuple(out)


@tf_op("dropout", kind="random")
def dropout(x: Any, keep_prob: Any = None, noise_shape: Sequence[int] | None = None,
            seed: Any = None, rate: Any = None) -> jax.Array:
    """Zero each element with probability `rate` (or 1 - keep_prob), scale the rest by 1/(1-rate).

    Draws a fresh key from the trace's rng: `apply(..., rng=key)`.
    """
    rate = _dropout_rate(keep_prob, rate)
    x = as_jax_array(x)
    if isinstance(rate, (int, float)) and rate == 0:
        return x
    key = get_default_graph().next_rng_key()
    shape = x.shape if noise_shape is None else _noise_shape(noise_shape, x.shape)
    keep = jax.random.uniform(key, shape, x.dtype) >= rate
    return jnp.where(keep, x * (1.0 / (1.0 - rate)), jnp.zeros((), x.dtype))


@tf_op("moments")
def moments(x: Any, axes: Sequence[int], shift: Any = None, keep_dims: bool | None = None,
            keepdims: bool | None = None) -> tuple[jax.Array, jax.Array]:
    """Mean and (biased) variance over `axes`, computed as TF does."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    x = as_jax_array(x)
    axes = tuple(int(a) for a in axes)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - jax.lax.stop_gradient(mean)), axis=axes, keepdims=True)
    if not keep:
        mean, variance = jnp.squeeze(mean, axes), jnp.squeeze(variance, axes)
    return mean, variance


@tf_op("batchnorm")
def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        variance_epsilon: float) -> jax.Array:
    """(x - mean) / sqrt(variance + eps) * scale + offset, in TF's operation order."""
    inv = jax.lax.rsqrt(as_jax_array(variance) + variance_epsilon)
    if scale is not None:
        inv = inv * as_jax_array(scale)
    mean = as_jax_array(mean)
    shift = -mean * inv if offset is None else as_jax_array(offset) - mean * inv
    return as_jax_array(x) * inv + shift


@tf_op("l2_normalize")
def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, dim: Any = None) -> jax.Array:
    axis = dim if axis is None else axis
    x = as_jax_array(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jax.lax.rsqrt(jnp.maximum(square_sum, epsilon))


def _shards(params: Any) -> list[Any]:
    if isinstance(params, (list, tuple)):
        return [as_jax_array(p) for p in params]
    if hasattr(params, "__iter__") and type(params).__name__ == "PartitionedVariable":
        return [as_jax_array(p) for p in params]
    return [as_jax_array(params)]


@tf_op("embedding_lookup")
def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod",
                     validate_indices: bool = True, max_norm: float | None = None) -> jax.Array:
    """Rows of `params` at `ids`; a list of shards is split by TF's 'mod' or 'div' rule."""
    shards = _shards(params)
    ids = as_jax_array(ids).astype(jnp.int32)
    if len(shards) == 1:
        out = jnp.take(shards[0], ids, axis=0)
    else:
        n = len(shards)
        if partition_strategy == "mod":
            shard_of, row_of = ids % n, ids // n
        elif partition_strategy == "div":
            total = sum(s.shape[0] for s in shards)
            per, extras = divmod(total, n)
            big = extras * (per + 1)
            shard_of = jnp.where(ids < big, ids // (per + 1), extras + (ids - big) // max(per, 1))
            row_of = jnp.where(ids < big, ids % (per + 1), (ids - big) % max(per, 1))
        else:
            raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
        out = jnp.zeros(ids.shape + shards[0].shape[1:], shards[0].dtype)
        for i, shard in enumerate(shards):
            rows = jnp.take(shard, jnp.clip(row_of, 0, shard.shape[0] - 1), axis=0)
            mask = (shard_of == i).reshape(ids.shape + (1,) * (shard.ndim - 1))
            out = jnp.where(mask, rows, out)
    if max_norm is not None:
        axes = tuple(range(ids.ndim, out.ndim))
        norm = jnp.sqrt(jnp.sum(jnp.square(out), axis=axes, keepdims=True))
        out = out * jnp.minimum(1.0, max_norm / jnp.maximum(norm, 1e-30))
    return out


def _spatial(value: Any, ndim: int, what: str) -> tuple[int, ...]:
    """TF accepts an int, a per-spatial-dim list, or a full NHWC list of length ndim + 2."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * ndim
    value = tuple(int(v) for v in value)
    if len(value) == ndim + 2:
        return value[1:-1]
    if len(value) == ndim:
        return value
    if len(value) == 1:
        return value * ndim
    raise ValueError(f"{what} should be of length 1, {ndim} or {ndim + 2}; got {value}")


def _padding(padding: str) -> str:
    padding = padding.upper()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    return padding


@tf_op("Conv2D")
def conv2d(input: Any, filter: Any = None, strides: Any = None,
           padding: str | None = None, use_cudnn_on_gpu: bool = True,
           data_format: str = "NHWC", dilations: Any = 1, filters: Any = None) -> jax.Array:
    """2-D convolution; `filter` is (kh, kw, in, out) as in TF (see `conv_ops`)."""
    kernel = as_jax_array(filters if filters is not None else filter)
    if strides is None or padding is None:
        raise ValueError("conv2d needs `strides` and `padding`.")
    return conv_ops.conv(as_jax_array(input), kernel, 2, strides, padding, data_format, dilations)


def _pool_window(x: jax.Array, ksize: Any, strides: Any, data_format: str) -> tuple:
    k, s = _spatial(ksize, x.ndim - 2, "ksize"), _spatial(strides, x.ndim - 2, "strides")
    if data_format.startswith("NC"):
        return (1, 1, *k), (1, 1, *s)
    return (1, *k, 1), (1, *s, 1)


@tf_op("MaxPool")
def max_pool(value: Any, ksize: Any, strides: Any, padding: str,
             data_format: str = "NHWC", input: Any = None) -> jax.Array:
    x = as_jax_array(input if input is not None else value)
    window, stride = _pool_window(x, ksize, strides, data_format)
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, stride, _padding(padding))


@tf_op("AvgPool")
def avg_pool(value: Any, ksize: Any, strides: Any, padding: str,
             data_format: str = "NHWC", input: Any = None) -> jax.Array:
    """Average over each window's valid (unpadded) elements, as TF's AvgPool."""
    x = as_jax_array(input if input is not None else value)
    window, stride = _pool_window(x, ksize, strides, data_format)
    pad = _padding(padding)
    total = jax.lax.reduce_window(x, 0.0, jax.lax.add, window, stride, pad)
    count = jax.lax.reduce_window(jnp.ones(x.shape, x.dtype), 0.0, jax.lax.add, window,
                                  stride, pad)
    return total / count


max_pool2d = max_pool
avg_pool2d = avg_pool


@tf_op("xw_plus_b")
def xw_plus_b(x: Any, weights: Any, biases: Any) -> jax.Array:
    """matmul(x, weights) + biases (TF1's fully connected op)."""
    return bias_add.__wrapped__(jnp.matmul(as_jax_array(x), as_jax_array(weights)), biases)


@tf_op("LRN")
def local_response_normalization(input: Any, depth_radius: int = 5,
                                 bias: float = 1.0, alpha: float = 1.0,
                                 beta: float = 0.5) -> jax.Array:
    """x / (bias + alpha * sum of squares over channels d-r..d+r) ** beta (TF's LRN, NHWC)."""
    x = as_jax_array(input)
    r = int(depth_radius)
    window = (1,) * (x.ndim - 1) + (2 * r + 1,)
    pads = ((0, 0),) * (x.ndim - 1) + ((r, r),)
    sqr_sum = jax.lax.reduce_window(jnp.square(x), 0.0, jax.lax.add, window, (1,) * x.ndim, pads)
    return x / jnp.power(bias + alpha * sqr_sum, beta)


lrn = local_response_normalization


@tf_op("TopKV2")
def top_k(input: Any, k: int = 1, sorted: bool = True) -> tuple[jax.Array, jax.Array]:
    """The k largest entries of the last axis and their int32 indices (ties: lower index
    first, as TF)."""
    values, indices = jax.lax.top_k(as_jax_array(input), int(k))
    return values, indices.astype(jnp.int32)


@tf_op("InTopKV2")
def in_top_k(predictions: Any, targets: Any, k: int) -> jax.Array:
    """Whether each row's `targets` class is among its k largest predictions; classes tied
    at the boundary all count as in, and a non-finite target prediction is out (TF's rule)."""
    predictions = as_jax_array(predictions)
    targets = as_jax_array(targets).astype(jnp.int32)
    target = jnp.take_along_axis(predictions, targets[:, None], axis=1)
    larger = jnp.sum(predictions > target, axis=1)
    return (larger < k) & jnp.isfinite(target[:, 0])
