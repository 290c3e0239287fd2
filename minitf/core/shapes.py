"""TF1's shape rules for variables, without JAX: conversion, printing, compatibility.

Shapes are tuples whose dims are ints or None (unknown), or None for an
unknown rank, printed like TensorShape: `(3,)`, `(None, 3)`, `<unknown>`.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "Dimension", "TensorShape", "UnknownShape", "as_shape", "check_dims", "format_shape",
    "is_compatible", "is_fully_defined", "known_dims",
]

Shape = tuple[int | None, ...]


class Dimension(int):
    """TF1's `Dimension` of a known size: an int that also answers TF1's `.value`.

    Being an int, it works wherever TF2-style code (or JAX) expects a size; it prints
    as one too (`str`), while `repr` is TF's `Dimension(3)`. Arithmetic keeps TF1's
    type (`x.shape[1] * 2` is `Dimension(6)`; with an unknown dim, unknown); a negative
    result is a plain int (TF would raise, but JAX's own size arithmetic may need it).
    """

    __slots__ = ()

    @property
    def value(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return f"Dimension({int(self)})"

    __str__ = int.__repr__


def _dimension_arithmetic(name: str) -> Any:
    int_op = getattr(int, name)

    def op(self: Dimension, other: Any) -> Any:
        result = int_op(self, other)
        if type(result) is int and result >= 0:
            return Dimension(result)
        return result

    op.__name__ = name
    return op


_ARITHMETIC = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
               "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__")
for _name in _ARITHMETIC:
    setattr(Dimension, _name, _dimension_arithmetic(_name))


class _UnknownDimension:
    """TF1's `Dimension(None)`: an unknown size, whose `.value` is None. Arithmetic with
    it stays unknown and comparisons with it are None, as in TF1."""

    value = None

    def __repr__(self) -> str:
        return "Dimension(None)"

    def _unknown(self, other: Any) -> _UnknownDimension:
        return self

    def _undecided(self, other: Any) -> None:
        return None

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _unknown
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _unknown
    __lt__ = __le__ = __gt__ = __ge__ = _undecided

    def __eq__(self, other: Any) -> Any:
        return None

    def __ne__(self, other: Any) -> Any:
        return None

    def __hash__(self) -> int:
        return hash(None)


UNKNOWN_DIMENSION = _UnknownDimension()


class TensorShape(tuple[int | None, ...]):
    """A tuple of dims with TF1's API: `as_list()`, `ndims`, `dims`, and items that are
    `Dimension`s (`shape[1].value`, as TF1 code reads sizes). Iterating gives plain ints,
    so JAX takes it as a shape; it prints like TF (`(3,)`)."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        item = tuple.__getitem__(self, index)
        if type(item) is int:
            return Dimension(item)
        if item is None:
            return UNKNOWN_DIMENSION
        if isinstance(index, slice):
            return TensorShape(item)
        return item  # a symbolic dim (jax.export's shape polymorphism) stays JAX's

    @property
    def dims(self) -> list[Any]:
        return [self[i] for i in range(len(self))]

    def num_elements(self) -> int | None:
        """The number of elements, or None when a dim is unknown."""
        if None in self:
            return None
        total = 1
        for d in tuple.__iter__(self):
            total *= d  # type: ignore[operator]
        return total

    def as_list(self) -> list[int | None]:
        return list(self)

    @property
    def ndims(self) -> int:
        return len(self)

    @property
    def rank(self) -> int:
        return len(self)

    def is_fully_defined(self) -> bool:
        return all(d is not None for d in self)

    # -- TF1's compatibility checks (messages as TF's) ------------------------------------
    def is_compatible_with(self, other: Any) -> bool:
        """Same rank, and each pair of dims equal or one of them unknown."""
        return is_compatible(tuple(self), as_shape(other))

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {TensorShape(as_shape(other) or ())} are "
                             "incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        """The shape both describe: unknown dims filled from the other shape."""
        dims = as_shape(other)
        if dims is None:  # an unknown rank tells nothing more
            return self
        if not is_compatible(tuple(self), dims):
            raise ValueError(f"Shapes {self} and {TensorShape(dims)} are not compatible")
        return TensorShape(a if a is not None else b
                           for a, b in zip(tuple.__iter__(self), dims, strict=True))

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        """Each dim where both agree; unknown where they differ."""
        dims = as_shape(other) or ()
        return TensorShape(a if a == b else None
                           for a, b in zip(tuple.__iter__(self), dims, strict=True))

    def concatenate(self, other: Any) -> TensorShape:
        return TensorShape((*tuple.__iter__(self), *(as_shape(other) or ())))

    def assert_has_rank(self, rank: int) -> None:
        if len(self) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def with_rank(self, rank: int) -> TensorShape:
        self.assert_has_rank(rank)
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if len(self) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def assert_same_rank(self, other: Any) -> None:
        dims = as_shape(other)
        if dims is not None and len(dims) != len(self):
            raise ValueError(f"Shapes {self} and {TensorShape(dims)} must have the same rank")

    def __str__(self) -> str:
        """TF1's printing: `(?, 2)` for an unknown dim, `(3,)` for rank 1."""
        dims = ["?" if d is None else str(d) for d in tuple.__iter__(self)]
        return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


class UnknownShape:
    """TF1's `TensorShape(None)`: a shape of unknown rank (`tf.placeholder(tf.float32)`)."""

    ndims = rank = dims = None

    def as_list(self) -> list[int | None]:
        raise ValueError("as_list() is not defined on an unknown TensorShape.")

    def is_fully_defined(self) -> bool:
        return False

    def num_elements(self) -> None:
        return None

    def __len__(self) -> int:
        raise ValueError("Cannot take the length of shape with unknown rank.")

    def __repr__(self) -> str:
        return "TensorShape(None)"

    def __str__(self) -> str:
        return "<unknown>"


def as_shape(shape: Any) -> Shape | None:
    """Convert a user shape, raising TF's TypeError for dims that aren't integers."""
    if shape is None:
        return None
    if type(shape) in (list, tuple) and all(type(d) is int and d >= 0 for d in shape):
        return tuple(shape)  # the common case, fast
    if isinstance(shape, bool):
        raise TypeError("Value passed to parameter 'shape' has DataType bool not in list of "
                        "allowed values: int32, int64")
    if hasattr(shape, "__index__") and not hasattr(shape, "__len__"):
        shape = [shape]
    if any(isinstance(d, bool) for d in shape):
        raise TypeError(f"Error converting {shape!r} (arg name = shape) to a TensorShape: "
                        "Field tensorflow.TensorShapeProto.Dim.size: Expected an int, got a "
                        "boolean.")
    dims = tuple(_as_dim(d) for d in shape)
    for d in dims:
        if d is not None and d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    return dims


def check_dims(name: str, shape: tuple[int, ...], itemsize: int, limit_bytes: int) -> None:
    """Refuse a shape TF refuses (more than 2**63 - 1 entries) or one no machine here
    could hold, before anything is allocated (XLA would abort the process)."""
    entries = 1
    for d in shape:
        entries *= d
    if entries > 2**63 - 1:
        raise ValueError(f"Shape {list(shape)} is too large (more than 2**63 - 1 entries) "
                         f"for variable {name}.")
    if entries * itemsize > limit_bytes:
        raise ValueError(
            f"Variable {name} has shape {list(shape)}: {entries * itemsize} bytes, more than "
            f"this machine's memory ({limit_bytes} bytes). Check the shape (a unit mix-up?) "
            "or shard the variable (minitf.sharding).")


def _as_dim(dim: Any) -> int | None:
    if dim is None:
        return None
    if hasattr(dim, "__index__"):
        return int(dim.__index__())
    raise TypeError("Dimension value must be integer or None or have an __index__ method, "
                    f"got value '{dim!r}' with type '{type(dim)!r}'")


def known_dims(shape: Shape) -> tuple[int, ...]:
    """The dims of a fully defined shape (a variable's) as ints."""
    dims = tuple(d for d in shape if d is not None)
    if len(dims) != len(shape):
        raise ValueError(f"Shape {format_shape(shape)} is not fully defined.")
    return dims


def format_shape(shape: Shape | None) -> str:
    if shape is None:
        return "<unknown>"
    return str(tuple(shape))


def is_fully_defined(shape: Shape | None) -> bool:
    return shape is not None and None not in shape


def is_compatible(a: Shape | None, b: Shape | None) -> bool:
    """TensorShape.is_compatible_with: same rank, and each dim equal or unknown."""
    if a is None or b is None:
        return True
    return len(a) == len(b) and all(x is None or y is None or x == y
                                    for x, y in zip(a, b, strict=True))
