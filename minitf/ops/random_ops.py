"""TF-named random ops; each draw takes a fresh key from the current frame's rng."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from minitf.core import dtypes as _dtypes
from minitf.core.arraylike import as_array
from minitf.core.frame import get_default_graph
from minitf.ops.op import tf_op


@tf_op("random_normal", kind="random")
def random_normal(shape: Sequence[int], mean: float = 0.0, stddev: float = 1.0,
                  dtype: Any = _dtypes.float32, seed: Any = None) -> jax.Array:
    key = get_default_graph().next_rng_key()
    return (mean + stddev * jax.random.normal(key, tuple(shape))).astype(_dtypes.as_dtype(dtype))


@tf_op("truncated_normal", kind="random")
def truncated_normal(shape: Sequence[int], mean: float = 0.0, stddev: float = 1.0,
                     dtype: Any = _dtypes.float32, seed: Any = None) -> jax.Array:
    key = get_default_graph().next_rng_key()
    draw = jax.random.truncated_normal(key, -2.0, 2.0, tuple(shape))
    return (mean + stddev * draw).astype(_dtypes.as_dtype(dtype))


@tf_op("random_uniform", kind="random")
def random_uniform(shape: Sequence[int], minval: float = 0.0, maxval: float | None = None,
                   dtype: Any = _dtypes.float32, seed: Any = None) -> jax.Array:
    key = get_default_graph().next_rng_key()
    hi = 1.0 if maxval is None else maxval
    return jax.random.uniform(key, tuple(shape), _dtypes.as_dtype(dtype), minval, hi)


@tf_op("multinomial", kind="random")
def multinomial(logits: Any, num_samples: int, seed: Any = None,
                output_dtype: Any = _dtypes.int64) -> jax.Array:
    """`tf.multinomial` / `tf.random.categorical`: [batch, num_samples] class indices."""
    key = get_default_graph().next_rng_key()
    logits = as_array(logits)
    draws = jax.random.categorical(key, logits[:, None, :], axis=-1,
                                   shape=(logits.shape[0], int(num_samples)))
    if _dtypes.as_dtype(output_dtype) == jnp.dtype("int64"):
        return draws  # JAX's default int (int64 only under jax_enable_x64)
    return draws.astype(_dtypes.as_dtype(output_dtype))


def categorical(logits: Any, num_samples: int, dtype: Any = None, seed: Any = None,
                name: str | None = None) -> jax.Array:
    """`tf.random.categorical`: `tf.multinomial` with `dtype` for `output_dtype`."""
    return multinomial(logits, num_samples, seed=seed, output_dtype=dtype or _dtypes.int64,
                       name=name)


random_categorical = categorical


@tf_op("RandomShuffle", kind="random")
def random_shuffle(value: Any, seed: Any = None) -> jax.Array:
    return jax.random.permutation(get_default_graph().next_rng_key(), as_array(value), axis=0)

