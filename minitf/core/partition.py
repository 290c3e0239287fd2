"""Partitioned variables (TF1 `partitioner=`): `name/part_0`, `name/part_1`, ...

Each part is an ordinary variable created through the store (so reuse rules and
errors are TF's); the caller gets a `PartitionedVariable` that concatenates the
parts along the partitioned axis when read, as TF1's does.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax.numpy as jnp

from minitf.core import naming as _naming


class PartitionedVariable:
    """The parts of one logical variable, read as their concatenation."""

    def __init__(self, name: str, shape: tuple[int, ...], dtype: Any, parts: list[Any],
                 axis: int) -> None:
        self.name, self.shape, self.dtype = name, shape, dtype
        self._parts, self._axis = parts, axis

    def __iter__(self):
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def value(self) -> Any:
        return jnp.concatenate([p.value() for p in self._parts], axis=self._axis)

    def __jax_array__(self) -> Any:
        return self.value()

    def as_tensor(self) -> Any:
        return self.value()


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Callable:
    """TF1's fixed_size_partitioner: `num_shards` slices along `axis`."""

    def partitioner(shape: Sequence[int], dtype: Any = None) -> list[int]:
        parts = [1] * len(shape)
        parts[axis] = min(num_shards, shape[axis])
        return parts

    return partitioner


def _slices(dim: int, count: int) -> list[int]:
    """TF's split: the first `dim % count` parts get one extra element."""
    base, extra = divmod(dim, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def get_partitioned_variable(graph: Any, name: str, shape: Any, dtype: Any, initializer: Any,
                             regularizer: Any, reuse: Any, trainable: Any, collections: Any,
                             partitioner: Callable, sharding: Any = None) -> PartitionedVariable:
    from minitf.core.store import _get_single_variable

    if shape is None:
        raise ValueError(f"Partitioned variable {name} needs a fully defined shape.")
    shape = tuple(int(d) for d in shape)
    parts = list(partitioner(shape=shape, dtype=dtype))
    axes = [i for i, p in enumerate(parts) if p > 1]
    if len(axes) > 1:
        raise ValueError(f"Can only slice a variable along one dimension: shape: {shape}, "
                         f"partitioning: {parts}")
    if not axes:
        return _get_single_variable(graph, name, shape, dtype, initializer, regularizer, reuse,
                                    trainable, collections, sharding)
    axis = axes[0]
    pieces = []
    for i, size in enumerate(_slices(shape[axis], parts[axis])):
        part_shape = shape[:axis] + (size,) + shape[axis + 1:]
        pieces.append(_get_single_variable(graph, _naming.join(name, f"part_{i}"), part_shape,
                                           dtype, initializer, regularizer, reuse, trainable,
                                           collections, sharding))
    return PartitionedVariable(name, shape, dtype, pieces, axis)
