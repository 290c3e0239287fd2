"""Partitioned variables (TF1 `partitioner=`): the parts `name/part_0`, `name/part_1`, ...

TF's rules for what a partitioner may return and how a dimension is sliced live
here; the store creates each part as an ordinary variable (so reuse rules and
errors are TF's) and hands back a `PartitionedVariable`, which reads as the
concatenation of its parts along the partitioned axis, as TF1's does.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from collections.abc import Sequence as _SequenceABC
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from minitf.core.shapes import format_shape

__all__ = [
    "PartitionInfo", "PartitionedVariable", "call_partitioner", "fixed_size_partitioner",
    "iter_slices",
]


class PartitionInfo(NamedTuple):
    """What an initializer of one part learns (TF's `partition_info`)."""

    full_shape: list[int]
    var_offset: list[int]

    @property
    def single_offset(self) -> int:
        return next((o for o in self.var_offset if o), 0)


class PartitionedVariable:
    """The parts of one logical variable, read as their concatenation."""

    def __init__(self, name: str, shape: tuple[int, ...], dtype: Any, parts: list[Any],
                 axis: int, partitions: list[int]) -> None:
        self.name, self.shape, self.dtype = name, shape, dtype
        self._parts, self._axis, self.partitions = parts, axis, partitions

    def __iter__(self) -> Iterator[Any]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def get_shape(self) -> tuple[int, ...]:
        return self.shape

    def value(self) -> jax.Array:
        return jnp.concatenate([p.value() for p in self._parts], axis=self._axis)

    def __jax_array__(self) -> jax.Array:
        return self.value()

    def as_tensor(self) -> jax.Array:
        return self.value()


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Callable[..., list[int]]:
    """TF1's fixed_size_partitioner: `num_shards` slices along `axis`."""

    def partitioner(shape: Sequence[int], dtype: Any = None) -> list[int]:
        parts = [1] * len(shape)
        parts[axis] = min(num_shards, shape[axis])
        return parts

    return partitioner


def call_partitioner(partitioner: Callable[..., Any], shape: Any, dtype: Any) -> list[int]:
    """Ask the partitioner for a slicing and check it as TF does."""
    if shape is None or any(d is None for d in shape):
        raise ValueError("Shape of a new partitioned variable must be fully defined, but "
                         "instead was %s." % format_shape(shape))
    if len(shape) < 1:
        raise ValueError("A partitioned Variable must have rank at least 1, shape: %s"
                         % format_shape(shape))
    slicing = partitioner(shape=tuple(shape), dtype=dtype)
    if not isinstance(slicing, _SequenceABC):
        raise ValueError("Partitioner must return a sequence, but saw: %s" % (slicing,))
    slicing = list(slicing)
    if len(slicing) != len(shape):
        raise ValueError("Partitioner returned a partition list that does not match the "
                         "Variable's rank: %s vs. %s" % (slicing, format_shape(shape)))
    if any(p < 1 for p in slicing):
        raise ValueError("Partitioner returned zero partitions for some axes: %s" % slicing)
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError("Can only slice a variable along one dimension: shape: %s, "
                         "partitioning: %s" % (format_shape(shape), slicing))
    return [int(p) for p in slicing]


def iter_slices(full_shape: list[int], count: int,
                axis: int) -> Iterator[tuple[list[int], list[int]]]:
    """(offset, shape) of each part: the first `dim % count` parts get one extra element.

    A part that would start at or past the end of the dimension is TF's error.
    """
    base, extra = divmod(full_shape[axis], count)
    offset = [0] * len(full_shape)
    for i in range(count):
        shape = list(full_shape)
        shape[axis] = base + (1 if i < extra else 0)
        if offset[axis] >= full_shape[axis]:
            raise ValueError(
                "Expected 0 <= offset < shape but found offset=%d, shape=%d for var_offset=%s, "
                "full_shape=%s" % (offset[axis], full_shape[axis], offset, full_shape))
        yield list(offset), shape
        offset[axis] += shape[axis]
