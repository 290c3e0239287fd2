"""slim's layer utilities: named outputs (end points) and shape helpers.

A layer called with `outputs_collections` adds its output to those collections
under an alias (its scope name). JAX arrays carry no attributes, so the
collection holds `NamedOutputs(name, outputs)` pairs; `convert_collection_to_dict`
turns a collection into slim's `{alias: output}` end-points dict. Shape helpers
accept a tuple shape or anything with `.as_list()`.
"""
from __future__ import annotations

import collections
from typing import Any

from minitf.core import add_to_collections, get_collection, get_collection_ref

__all__ = [
    "NamedOutputs",
    "append_tensor_alias",
    "collect_named_outputs",
    "convert_collection_to_dict",
    "get_variable_collections",
    "last_dimension",
    "n_positive_integers",
    "two_element_tuple",
]

NamedOutputs = collections.namedtuple("NamedOutputs", ["name", "outputs"])


def _alias(alias: str) -> str:
    return alias[:-1] if alias.endswith("/") else alias


def append_tensor_alias(tensor: Any, alias: str) -> NamedOutputs:
    """`tensor` tagged with `alias` (a trailing '/' of a name scope is dropped)."""
    return NamedOutputs(_alias(alias), tensor)


def collect_named_outputs(collections_: Any, alias: str, outputs: Any) -> Any:
    """Add `outputs` to `collections_` (if any) under `alias`; returns `outputs`."""
    if collections_:
        add_to_collections(collections_, append_tensor_alias(outputs, alias))
    return outputs


def convert_collection_to_dict(collection: str, clear_collection: bool = False) -> dict:
    """{alias: output} for the items of `collection`, in order (slim's end points)."""
    end_points = collections.OrderedDict()
    for item in get_collection(collection):
        if isinstance(item, NamedOutputs):
            end_points[item.name] = item.outputs
        elif hasattr(item, "aliases"):
            for alias in item.aliases:
                end_points[alias] = item
        else:
            end_points[getattr(item, "alias", getattr(item, "name", str(item)))] = item
    if clear_collection:
        del get_collection_ref(collection)[:]
    return end_points


def _dims(shape: Any) -> list[Any]:
    if hasattr(shape, "as_list"):
        return shape.as_list()
    return [getattr(d, "value", d) for d in shape]


def last_dimension(shape: Any, min_rank: int = 1) -> int:
    """The last dimension of `shape` (a tuple or a TensorShape), which must be known."""
    dims = _dims(shape)
    if len(dims) < min_rank:
        raise ValueError(f"rank of shape must be at least {min_rank} not: {len(dims)}")
    if dims[-1] is None:
        raise ValueError("last dimension shape must be known but is None")
    return int(dims[-1])


def n_positive_integers(n: int, value: Any) -> tuple[int, ...]:
    """`value` as n positive ints (an int is repeated)."""
    if isinstance(value, int):
        if value > 0:
            return (value,) * n
    else:
        values = tuple(int(v) for v in _dims(value))
        if len(values) == n and all(v > 0 for v in values):
            return values
    raise ValueError(f"Expected {n} positive integers, but received {value!r}")


def two_element_tuple(int_or_tuple: Any) -> tuple[int, int]:
    if isinstance(int_or_tuple, (list, tuple)):
        if len(int_or_tuple) != 2:
            raise ValueError(f"Must be a list with 2 elements: {int_or_tuple}")
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int):
        return int(int_or_tuple), int(int_or_tuple)
    if hasattr(int_or_tuple, "as_list"):
        return two_element_tuple(int_or_tuple.as_list())
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


def get_variable_collections(variables_collections: Any, name: str) -> Any:
    """A dict of collections by variable name, or one list for all."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections
