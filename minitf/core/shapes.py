"""TF1's shape rules for variables, without JAX: conversion, printing, compatibility.

Shapes are tuples whose dims are ints or None (unknown), or None for an
unknown rank, printed like TensorShape: `(3,)`, `(None, 3)`, `<unknown>`.
"""
from __future__ import annotations

from typing import Any

Shape = tuple  # of int | None


def as_shape(shape: Any) -> Shape | None:
    """Convert a user shape, raising TF's TypeError for dims that aren't integers."""
    if shape is None:
        return None
    if type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        return tuple(shape)  # the common case, fast
    if hasattr(shape, "__index__") and not hasattr(shape, "__len__"):
        shape = [shape]
    return tuple(_as_dim(d) for d in shape)


def _as_dim(dim: Any) -> int | None:
    if dim is None:
        return None
    if hasattr(dim, "__index__"):
        return int(dim.__index__())
    raise TypeError("Dimension value must be integer or None or have an __index__ method, "
                    f"got value '{dim!r}' with type '{type(dim)!r}'")


def format_shape(shape: Shape | None) -> str:
    if shape is None:
        return "<unknown>"
    return str(tuple(shape))


def is_fully_defined(shape: Shape | None) -> bool:
    return shape is not None and all(d is not None for d in shape)


def is_compatible(a: Shape | None, b: Shape | None) -> bool:
    """TensorShape.is_compatible_with: same rank, and each dim equal or unknown."""
    if a is None or b is None:
        return True
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))
