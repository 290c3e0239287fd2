"""TF1's dataset iterators in a graph: `get_next()` outputs are fed by the session.

`get_next()` adds one `IteratorGetNext` op whose outputs are placeholders marked
with their iterator (`attrs["source"]`). When a run needs them, `Session.run`
pulls the iterator's next element on the host and feeds it, so a training step
with no `feed_dict` compiles once like any other run (plus once for a short last
batch). The pipeline's state lives per session, as a TF iterator resource does:
a one-shot iterator starts at its first use, an initializable one when its
`initializer` runs (reading the values of the placeholders the dataset was built
from, fed in that same run), and the end raises `tf.errors.OutOfRangeError`.
"""
from __future__ import annotations

import weakref
from collections.abc import Iterator as PyIterator
from typing import Any

import jax
import numpy as np

from minitf.core.dtypes import as_dtype, tf_dtype
from minitf.core.frame import get_default_graph
from minitf.core.shapes import TensorShape
from minitf.core.symbolic import probe_avals
from minitf.core.tensor import Operation, Tensor, make_operation
from minitf.graph.errors import FailedPreconditionError, OutOfRangeError

__all__ = ["Iterator", "TensorSpec"]


class TensorSpec:
    """One component of a dataset element: its `tf.DType` and static `TensorShape`."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype: Any, shape: Any) -> None:
        self.dtype = tf_dtype(dtype)
        self.shape = shape if isinstance(shape, TensorShape) else TensorShape(tuple(shape))

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r})"


class Iterator:
    """A cursor over a dataset, per session. Build with `dataset.make_one_shot_iterator()`,
    `dataset.make_initializable_iterator()` or `Iterator.from_structure(...)`."""

    def __init__(self, element_spec: Any, dataset: Any, one_shot: bool) -> None:
        self._spec_leaves, self._tree = jax.tree_util.tree_flatten(element_spec)
        self._dataset = dataset
        self._one_shot = one_shot
        self._state: weakref.WeakKeyDictionary[Any, PyIterator[Any]] = \
            weakref.WeakKeyDictionary()
        self._initializer: Operation | None = None

    @classmethod
    def one_shot(cls, dataset: Any) -> Iterator:
        if dataset.sources():
            raise ValueError("Failed to create a one-shot iterator for a dataset that "
                             "captures a placeholder or other graph tensors; use "
                             "make_initializable_iterator() instead.")
        return cls(dataset.element_spec, dataset, one_shot=True)

    @classmethod
    def initializable(cls, dataset: Any) -> Iterator:
        return cls(dataset.element_spec, dataset, one_shot=False)

    @classmethod
    def from_structure(cls, output_types: Any, output_shapes: Any = None,
                       shared_name: str | None = None, output_classes: Any = None) -> Iterator:
        """A reinitializable iterator: `make_initializer(dataset)` points it at a dataset
        (TF1's idiom: `from_structure(train.output_types, train.output_shapes)`)."""
        if output_shapes is None:
            raise ValueError("Iterator.from_structure needs output_shapes (e.g. "
                             "dataset.output_shapes): minitf builds get_next's static "
                             "shapes from them.")
        types, tree = jax.tree_util.tree_flatten(output_types)
        shapes = tree.flatten_up_to(output_shapes)
        spec = jax.tree_util.tree_unflatten(tree, [
            TensorSpec(t, s) for t, s in zip(types, shapes, strict=True)])
        return cls(spec, None, one_shot=False)

    # -- TF1's API ----------------------------------------------------------------------
    @property
    def initializer(self) -> Operation:
        if self._one_shot:
            raise AttributeError("A one-shot iterator has no initializer.")
        if self._initializer is None:
            self._initializer = self.make_initializer(self._dataset)
        return self._initializer

    def make_initializer(self, dataset: Any, name: str | None = None) -> Operation:
        """An op that (re)starts this iterator over `dataset` in the session running it."""
        sources = dataset.sources()
        graph = get_default_graph()
        op = make_operation(graph, graph.unique_name(name or "MakeIterator"), "MakeIterator",
                            [], None, [], kind="noop")
        op.attrs["session_host"] = lambda session, *values: self._start(
            session, dataset, dict(zip(sources, values, strict=True)))
        op.attrs["host_inputs"] = sources
        return op

    def get_next(self, name: str | None = None) -> Any:
        graph = get_default_graph()
        avals = [probe_avals(spec.shape.as_list(), as_dtype(spec.dtype))
                 for spec in self._spec_leaves]
        op = make_operation(graph, graph.unique_name(name or "IteratorGetNext"),
                            "IteratorGetNext", [], None, avals, kind="placeholder",
                            attrs={"source": self})
        return jax.tree_util.tree_unflatten(self._tree, op.outputs)

    @property
    def output_types(self) -> Any:
        return jax.tree_util.tree_unflatten(self._tree, [s.dtype for s in self._spec_leaves])

    @property
    def output_shapes(self) -> Any:
        return jax.tree_util.tree_unflatten(self._tree, [s.shape for s in self._spec_leaves])

    # -- the session's side -----------------------------------------------------------
    def _start(self, session: Any, dataset: Any, values: dict[Tensor, np.ndarray]) -> None:
        self._state[session] = dataset.iterate(values)

    def next_values(self, session: Any, op: Operation) -> list[np.ndarray]:
        """The next element's components (called by `Session.run`)."""
        elements = self._state.get(session)
        if elements is None:
            if not self._one_shot:
                raise FailedPreconditionError(
                    None, op, "GetNext() failed because the iterator has not been "
                    "initialized. Ensure that you have run the initializer operation for "
                    "this iterator before getting the next element.")
            self._start(session, self._dataset, {})
            elements = self._state[session]
        try:
            element = next(elements)
        except StopIteration:
            raise OutOfRangeError(None, op, "End of sequence") from None
        leaves = jax.tree_util.tree_leaves(element)
        return [np.asarray(v, dtype=as_dtype(spec.dtype))
                for v, spec in zip(leaves, self._spec_leaves, strict=True)]


def make_one_shot_iterator(dataset: Any) -> Iterator:
    """`tf.data.make_one_shot_iterator(dataset)` (TF1's compat form)."""
    return Iterator.one_shot(dataset)


def make_initializable_iterator(dataset: Any, shared_name: str | None = None) -> Iterator:
    """`tf.data.make_initializable_iterator(dataset)` (TF1's compat form)."""
    return Iterator.initializable(dataset)
