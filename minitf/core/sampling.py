"""Sampling of initial values: each variable's value is a pure function of (rng, name).

`init` hands every sampled variable's spec here. Variable `name` gets
`sampler.sample(fold_in(rng, name_hash(name)), shape, dtype)`, so values do not
depend on creation order or on which other variables exist.

How the values are computed depends on whether `init` runs eagerly or is
itself being traced (`jax.jit(model.init)`, `jax.eval_shape`):

* eagerly, each variable is one call of a jitted `(rng, name hash) -> value`
  function, compiled once per (initializer configuration, shape, dtype) and
  cached for the whole process. Its compile cost does not depend on how many
  variables share it, and its results are separate arrays. (Sampling a group
  stacked in one call and splitting it afterwards costs far more: XLA
  compiles the split per group size, about a second each, and a computation
  with one output per variable compiles in time growing with the count.)
* under a trace, every (configuration, shape, dtype) group is drawn stacked
  with `vmap` and sliced into rows: one random-number computation per group
  in the enclosing program instead of one per variable, which keeps the
  program (and XLA's compile time) small.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core.initializers import Initializer
from minitf.core.sources import InitSpec, name_hash

__all__ = ["sample_specs"]


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
        value: jax.Array = self.sampler.sample(key, shape, dtype)
        return value


def _sample_one(sampler: _SamplerKey, shape: tuple[int, ...], dtype: Any,
                rng: jax.Array, hashed: jax.Array) -> jax.Array:
    """The value of the variable whose name hashes to `hashed` (the definition of a value)."""
    return sampler.sample(jax.random.fold_in(rng, hashed), shape, dtype)


@functools.lru_cache(maxsize=1024)
def _variable_sampler(sampler: _SamplerKey, shape: tuple[int, ...],
                      dtype: np.dtype) -> Callable[[jax.Array, np.uint32], jax.Array]:
    """A jitted `(rng, name hash) -> value`, shared by every variable of this configuration."""
    return jax.jit(functools.partial(_sample_one, sampler, shape, dtype))


def _sample_group_traced(sampler: _SamplerKey, shape: tuple[int, ...], dtype: np.dtype,
                         rng: jax.Array, hashes: list[int]) -> list[jax.Array]:
    """Under a trace: the group drawn stacked (one vmapped computation), then its rows."""
    one = functools.partial(_sample_one, sampler, shape, dtype, rng)
    stacked = jax.vmap(one)(jnp.asarray(np.asarray(hashes, dtype=np.uint32)))
    return [stacked[i] for i in range(len(hashes))]


def sample_specs(rng: jax.Array, specs: list[InitSpec]) -> dict[str, jax.Array]:
    """`{name: initial value}` for every spec that has a sampler (others are skipped)."""
    groups: dict[tuple[_SamplerKey, tuple[int, ...], np.dtype], list[InitSpec]] = {}
    for spec in specs:
        if spec.sampler is not None:
            key = (_SamplerKey(spec.sampler), tuple(spec.shape), np.dtype(spec.dtype))
            groups.setdefault(key, []).append(spec)
    values: dict[str, jax.Array] = {}
    traced = isinstance(rng, jax.core.Tracer)
    for (sampler, shape, dtype), members in groups.items():
        hashes = [name_hash(s.name) for s in members]
        if traced:
            rows = _sample_group_traced(sampler, shape, dtype, rng, hashes)
        else:
            fn = _variable_sampler(sampler, shape, dtype)
            rows = [fn(rng, np.uint32(h)) for h in hashes]
        values.update(zip((s.name for s in members), rows, strict=True))
    return values
