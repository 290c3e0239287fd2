"""Batched sampling of initial values: one compiled call per (initializer, shape, dtype).

`init` hands every sampled variable's spec here. Specs with equal initializer
configuration, shape and dtype are drawn together: each variable's key is
`fold_in(rng, hash(name))`, so values do not depend on creation order or on
which other variables exist.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

from minitf.core.initializers import Initializer
from minitf.core.sources import InitSpec, name_hash

__all__ = ["sample_specs"]


@functools.cache
def _group_sampler(sampler: _SamplerKey, shape: tuple[int, ...], dtype: np.dtype,
                   bucket: int) -> Callable[[jax.Array, np.ndarray], jax.Array]:
    """One compiled call sampling up to `bucket` same-configured variables from name hashes.

    Counts are padded to a power of two so a handful of compiled samplers serve
    every model size.
    """

    def sample(rng: jax.Array, hashes: jax.Array) -> jax.Array:
        keys = jax.vmap(lambda h: jax.random.fold_in(rng, h))(hashes)
        stacked: jax.Array = jax.vmap(lambda k: sampler.sample(k, shape, dtype))(keys)
        return stacked

    return jax.jit(sample)


class _SamplerKey:
    """Hashable wrapper so equal initializer configurations share a compiled sampler."""

    __slots__ = ("key", "sampler")

    def __init__(self, sampler: Initializer) -> None:
        self.sampler, self.key = sampler, sampler.batch_key()

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _SamplerKey) and self.key == other.key

    def sample(self, key: jax.Array, shape: tuple[int, ...], dtype: Any) -> jax.Array:
        return self.sampler.sample(key, shape, dtype)


def _unstack(stacked: jax.Array, count: int) -> list[jax.Array]:
    """The first `count` rows as separate arrays (JAX's chunked iteration: ~10 us a row)."""
    if isinstance(stacked, jax.core.Tracer):  # init itself is being traced (jit/eval_shape)
        return [stacked[i] for i in range(count)]
    return list(stacked if count == stacked.shape[0] else stacked[:count])


def sample_specs(rng: jax.Array, specs: list[InitSpec]) -> dict[str, jax.Array]:
    """Sample every spec with a sampler, grouping equal configurations into one call."""
    groups: dict[tuple[_SamplerKey, tuple[int, ...], str], list[InitSpec]] = {}
    for spec in specs:
        if spec.sampler is not None:
            key = (_SamplerKey(spec.sampler), spec.shape, np.dtype(spec.dtype).name)
            groups.setdefault(key, []).append(spec)
    values: dict[str, jax.Array] = {}
    for (sampler, shape, dtype), members in groups.items():
        count = len(members)
        bucket = 1 << (count - 1).bit_length()
        hashes = np.zeros(bucket, dtype=np.uint32)
        hashes[:count] = [name_hash(s.name) for s in members]
        stacked = _group_sampler(sampler, shape, np.dtype(dtype), bucket)(rng, hashes)
        values.update(zip((s.name for s in members), _unstack(stacked, count), strict=True))
    return values
