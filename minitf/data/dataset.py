"""TF1's `tf.data.Dataset`: an input pipeline that runs on the host, in NumPy.

Elements are (nested tuples / dicts of) NumPy arrays. Each transformation is a
generator over its input's elements, so nothing is held beyond what `shuffle`'s
buffer holds. A dataset's sources may be graph tensors (a placeholder fed when an
initializable iterator is initialized): their values reach `iterate` by tensor.
Each dataset knows its `element_spec`, a structure of `TensorSpec`s (TF dtype and
static shape), from which iterators build their `get_next` outputs' static shapes.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from collections.abc import Iterator as PyIterator
from typing import Any

import jax
import numpy as np

from minitf.core.dtypes import infer_dtype
from minitf.core.frame import Graph
from minitf.core.shapes import TensorShape
from minitf.core.symbolic import placeholder
from minitf.core.tensor import Tensor
from minitf.data.iterator import Iterator, TensorSpec
from minitf.graph.session import Session

__all__ = ["Dataset"]

Values = dict[Tensor, np.ndarray]  # the sources' values for one iteration


def _is_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, np.ndarray, np.generic)) or not isinstance(
        x, (tuple, list, dict))


def _tree_map(fn: Callable[..., Any], *trees: Any) -> Any:
    return jax.tree_util.tree_map(fn, *trees, is_leaf=_is_leaf)


def _leaves(tree: Any) -> list[Any]:
    return jax.tree_util.tree_leaves(tree, is_leaf=_is_leaf)


def _component(value: Any) -> Any:
    """A graph tensor stays (a source); anything else becomes a NumPy array with TF's
    dtype for Python values (floats float32, ints int32)."""
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if not isinstance(value, (np.ndarray, np.generic)):
        array = array.astype(infer_dtype(value))
    return array


def _spec_of(component: Any) -> TensorSpec:
    return TensorSpec(component.dtype, TensorShape(
        component.shape.as_list() if isinstance(component, Tensor) else component.shape))


def _resolve(component: Any, values: Values) -> np.ndarray:
    return values[component] if isinstance(component, Tensor) else component


class Dataset:
    """A pipeline of elements; build one with `from_tensor_slices`, `from_tensors`,
    `range`, then chain `map`, `batch`, `shuffle`, `repeat`, ... as in TF1."""

    element_spec: Any = None

    # -- what subclasses provide -------------------------------------------------------
    def iterate(self, values: Values) -> PyIterator[Any]:
        raise NotImplementedError

    def sources(self) -> list[Tensor]:
        """The graph tensors whose values the pipeline reads when it starts."""
        return []

    # -- TF1's properties -----------------------------------------------------------------
    @property
    def output_types(self) -> Any:
        return _tree_map(lambda s: s.dtype, self.element_spec)

    @property
    def output_shapes(self) -> Any:
        return _tree_map(lambda s: s.shape, self.element_spec)

    # -- sources ----------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any) -> Dataset:
        """One element per row of `tensors` (every component sliced along axis 0)."""
        return _Slices(tensors)

    @staticmethod
    def from_tensors(tensors: Any) -> Dataset:
        """A dataset of one element: `tensors` as they are."""
        return _Whole(tensors)

    @staticmethod
    def range(*args: int) -> Dataset:
        """`range(stop)`, `range(start, stop[, step])`: int64 scalars, as Python's range."""
        return _Range(range(*args))

    @staticmethod
    def from_generator(generator: Callable[..., Any], output_types: Any,
                       output_shapes: Any = None, args: Any = None) -> Dataset:
        """The elements `generator(*args)` yields, converted to `output_types`. minitf
        needs each component's rank for `get_next`'s static shape: pass `output_shapes`
        (None for unknown sizes, e.g. `([None], [])`)."""
        return _Generated(generator, output_types, output_shapes, tuple(args or ()))

    @staticmethod
    def zip(datasets: Any) -> Dataset:
        """Elements of several datasets side by side, until the shortest ends."""
        return _Zip(datasets)

    # -- transformations --------------------------------------------------------------
    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None) -> Dataset:
        return _Map(self, map_func)

    def filter(self, predicate: Callable[..., Any]) -> Dataset:
        return _Filter(self, predicate)

    def batch(self, batch_size: int, drop_remainder: bool = False) -> Dataset:
        return _Batch(self, int(batch_size), drop_remainder)

    def padded_batch(self, batch_size: int, padded_shapes: Any = None,
                     padding_values: Any = None, drop_remainder: bool = False) -> Dataset:
        """`batch`, each component padded (with `padding_values`, default 0) to
        `padded_shapes`; a dim of -1 or None pads to the longest in the batch."""
        if padded_shapes is None:
            padded_shapes = _tree_map(lambda s: [None] * len(s.shape), self.element_spec)
        return _Batch(self, int(batch_size), drop_remainder, padded_shapes, padding_values)

    def shuffle(self, buffer_size: int, seed: int | None = None,
                reshuffle_each_iteration: bool = True) -> Dataset:
        return _Shuffle(self, int(buffer_size), seed, reshuffle_each_iteration)

    def repeat(self, count: int | None = None) -> Dataset:
        return _Repeat(self, None if count is None or count < 0 else int(count))

    def take(self, count: int) -> Dataset:
        return _Slice(self, 0, None if count < 0 else int(count))

    def skip(self, count: int) -> Dataset:
        return _Slice(self, int(count), None)

    def concatenate(self, dataset: Dataset) -> Dataset:
        return _Concatenate(self, dataset)

    def prefetch(self, buffer_size: Any) -> Dataset:
        """The same elements (the pipeline is synchronous: a run pulls what it needs)."""
        return self

    def cache(self, filename: str = "") -> Dataset:
        """The same elements (the sources are in memory already)."""
        return self

    # -- iterators --------------------------------------------------------------------
    def make_one_shot_iterator(self) -> Iterator:
        return Iterator.one_shot(self)

    def make_initializable_iterator(self, shared_name: str | None = None) -> Iterator:
        return Iterator.initializable(self)

    def __iter__(self) -> PyIterator[Any]:
        """Eager iteration (outside a TF1 graph): the elements as NumPy values."""
        sources = self.sources()
        if sources:
            raise TypeError("This dataset reads graph tensors: iterate it in a session "
                            "(make_initializable_iterator).")
        return self.iterate({})


class _Tensors(Dataset):
    """A source made of `tensors`: graph tensors (read when the iterator starts) or arrays."""

    def __init__(self, tensors: Any) -> None:
        self._components = _tree_map(_component, tensors)
        self.element_spec = _tree_map(_spec_of, self._components)

    def sources(self) -> list[Tensor]:
        return [c for c in _leaves(self._components) if isinstance(c, Tensor)]

    def _arrays(self, values: Values) -> Any:
        return _tree_map(lambda c: _resolve(c, values), self._components)


class _Whole(_Tensors):
    def iterate(self, values: Values) -> PyIterator[Any]:
        yield self._arrays(values)


class _Slices(_Tensors):
    def __init__(self, tensors: Any) -> None:
        super().__init__(tensors)
        if any(len(spec.shape) == 0 for spec in _leaves(self.element_spec)):
            raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        self.element_spec = _tree_map(lambda s: TensorSpec(s.dtype, s.shape[1:]),
                                      self.element_spec)

    def iterate(self, values: Values) -> PyIterator[Any]:
        arrays = self._arrays(values)
        lengths = {len(a) for a in _leaves(arrays)}
        if len(lengths) > 1:
            raise ValueError("Dimensions of the components to slice must agree: "
                             f"got first dimensions {sorted(lengths)}.")
        for i in range(lengths.pop()):
            yield _tree_map(lambda a, i=i: a[i], arrays)


class _Range(Dataset):
    def __init__(self, numbers: range) -> None:
        self._numbers = numbers
        self.element_spec = TensorSpec("int64", ())

    def iterate(self, values: Values) -> PyIterator[Any]:
        return (np.int64(n) for n in self._numbers)


class _Generated(Dataset):
    def __init__(self, generator: Callable[..., Any], output_types: Any, output_shapes: Any,
                 args: tuple[Any, ...]) -> None:
        if output_shapes is None:
            raise ValueError("Dataset.from_generator needs output_shapes in minitf (the rank "
                             "of each component; None for unknown sizes, e.g. ([None], [])).")
        types, self._tree = jax.tree_util.tree_flatten(output_types)
        shapes = self._tree.flatten_up_to(output_shapes)
        self._specs = [TensorSpec(t, TensorShape(tuple(s))) for t, s in
                       zip(types, shapes, strict=True)]
        self.element_spec = jax.tree_util.tree_unflatten(self._tree, self._specs)
        self._generator, self._args = generator, args

    def iterate(self, values: Values) -> PyIterator[Any]:
        for element in self._generator(*self._args):
            parts = self._tree.flatten_up_to(element)
            arrays = []
            for part, spec in zip(parts, self._specs, strict=True):
                array = np.asarray(part, dtype=spec.dtype.as_numpy_dtype)
                if not spec.shape.is_compatible_with(array.shape):
                    raise ValueError(f"`generator` yielded an element of shape "
                                     f"{array.shape} where an element of shape "
                                     f"{spec.shape} was expected.")
                arrays.append(array)
            yield jax.tree_util.tree_unflatten(self._tree, arrays)


class _Derived(Dataset):
    """A transformation of one input dataset (its sources are the input's)."""

    def __init__(self, source: Dataset) -> None:
        self._input = source
        self.element_spec = source.element_spec

    def sources(self) -> list[Tensor]:
        return self._input.sources()


class _Batch(_Derived):
    def __init__(self, source: Dataset, size: int, drop_remainder: bool,
                 padded_shapes: Any = None, padding_values: Any = None) -> None:
        super().__init__(source)
        if size <= 0:
            raise ValueError("Batch size must be greater than zero.")
        self._size, self._drop = size, drop_remainder
        batch_dim = size if drop_remainder else None
        self._targets = self._padding = None
        if padded_shapes is None:
            self.element_spec = _tree_map(
                lambda s: TensorSpec(s.dtype, (batch_dim, *tuple(s.shape))),
                source.element_spec)
            return
        specs, tree = jax.tree_util.tree_flatten(source.element_spec)
        targets = [[None if d is None or int(d) < 0 else int(d) for d in shape]
                   for shape in tree.flatten_up_to(padded_shapes)]
        for spec, target in zip(specs, targets, strict=True):
            if len(target) != len(spec.shape):
                raise ValueError(f"The padded shape {target} is not compatible with the "
                                 f"shape {spec.shape} of the corresponding input component.")
        self._targets = targets
        self._padding = ([0] * len(specs) if padding_values is None
                         else tree.flatten_up_to(padding_values))
        self.element_spec = jax.tree_util.tree_unflatten(tree, [
            TensorSpec(spec.dtype, (batch_dim, *target))
            for spec, target in zip(specs, targets, strict=True)])

    def _stack(self, chunk: list[Any]) -> Any:
        if self._targets is None:
            return jax.tree_util.tree_map(lambda *xs: np.stack(xs), *chunk)
        tree = jax.tree_util.tree_structure(chunk[0])
        columns = zip(*(jax.tree_util.tree_leaves(e) for e in chunk), strict=True)
        stacked = []
        for parts, target, fill in zip(columns, self._targets, self._padding, strict=True):
            longest = np.max([np.shape(p) for p in parts], axis=0) if target else ()
            shape = [t if t is not None else int(m) for t, m in zip(target, longest,
                                                                    strict=True)]
            out = np.full((len(parts), *shape), fill, dtype=np.asarray(parts[0]).dtype)
            for i, part in enumerate(parts):
                if any(n > t for n, t in zip(np.shape(part), shape, strict=True)):
                    raise ValueError(f"Attempted to pad to a smaller size than the input "
                                     f"element: {list(np.shape(part))} into {shape}.")
                out[(i, *(slice(0, n) for n in np.shape(part)))] = part
            stacked.append(out)
        return jax.tree_util.tree_unflatten(tree, stacked)

    def iterate(self, values: Values) -> PyIterator[Any]:
        elements = self._input.iterate(values)
        while True:
            chunk = list(itertools.islice(elements, self._size))
            if not chunk or (self._drop and len(chunk) < self._size):
                return
            yield self._stack(chunk)


class _Shuffle(_Derived):
    def __init__(self, source: Dataset, buffer_size: int, seed: int | None,
                 reshuffle: bool) -> None:
        super().__init__(source)
        self._buffer_size, self._seed, self._reshuffle = buffer_size, seed, reshuffle
        self._epoch = 0

    def iterate(self, values: Values) -> PyIterator[Any]:
        """TF's algorithm: a buffer of `buffer_size` elements; each output is a uniformly
        chosen buffer slot, refilled from the input."""
        epoch = self._epoch if self._reshuffle else 0
        self._epoch += 1
        seed = None if self._seed is None else (self._seed, epoch)
        rng = np.random.default_rng(seed)
        buffer: list[Any] = []
        for element in self._input.iterate(values):
            if len(buffer) < self._buffer_size:
                buffer.append(element)
                continue
            slot = int(rng.integers(len(buffer)))
            yield buffer[slot]
            buffer[slot] = element
        while buffer:
            yield buffer.pop(int(rng.integers(len(buffer))))


class _Repeat(_Derived):
    def __init__(self, source: Dataset, count: int | None) -> None:
        super().__init__(source)
        self._count = count

    def iterate(self, values: Values) -> PyIterator[Any]:
        epochs = itertools.count() if self._count is None else range(self._count)
        for _ in epochs:
            empty = True
            for element in self._input.iterate(values):
                empty = False
                yield element
            if empty:
                return


class _Slice(_Derived):
    def __init__(self, source: Dataset, start: int, stop: int | None) -> None:
        super().__init__(source)
        self._start, self._stop = start, stop

    def iterate(self, values: Values) -> PyIterator[Any]:
        return itertools.islice(self._input.iterate(values), self._start, self._stop)


class _Concatenate(_Derived):
    def __init__(self, first: Dataset, second: Dataset) -> None:
        super().__init__(first)
        self._second = second
        if first.output_types != second.output_types:
            raise TypeError("Two datasets to concatenate have different types "
                            f"{first.output_types} and {second.output_types}")

    def sources(self) -> list[Tensor]:
        return [*self._input.sources(), *self._second.sources()]

    def iterate(self, values: Values) -> PyIterator[Any]:
        return itertools.chain(self._input.iterate(values), self._second.iterate(values))


class _Zip(Dataset):
    def __init__(self, datasets: Any) -> None:
        self._datasets = datasets
        self._flat: list[Dataset] = jax.tree_util.tree_leaves(
            datasets, is_leaf=lambda d: isinstance(d, Dataset))
        self.element_spec = jax.tree_util.tree_map(
            lambda d: d.element_spec, datasets, is_leaf=lambda d: isinstance(d, Dataset))

    def sources(self) -> list[Tensor]:
        return [t for d in self._flat for t in d.sources()]

    def iterate(self, values: Values) -> PyIterator[Any]:
        tree = jax.tree_util.tree_structure(
            self._datasets, is_leaf=lambda d: isinstance(d, Dataset))
        for parts in zip(*(d.iterate(values) for d in self._flat), strict=False):
            yield jax.tree_util.tree_unflatten(tree, list(parts))


class _Traced(_Derived):
    """`fn` built once into a private TF1 graph on placeholders of the element spec, and
    run per element by a private session (compiled once per element shape)."""

    def __init__(self, source: Dataset, fn: Callable[..., Any]) -> None:
        super().__init__(source)
        self._graph = Graph()
        with self._graph.as_default():
            self._args = _tree_map(lambda s: placeholder(s.dtype, s.shape.as_list()),
                                   source.element_spec)
            args = self._args
            out = fn(*args) if isinstance(args, tuple) else fn(args)
            self._out = _tree_map(_component, out)
        self._session = Session(graph=self._graph)
        self._feeds = _leaves(self._args)

    def call(self, element: Any) -> Any:
        feed = dict(zip(self._feeds, _leaves(element), strict=True))
        return self._session.run(self._out, feed)


class _Map(_Traced):
    def __init__(self, source: Dataset, fn: Callable[..., Any]) -> None:
        super().__init__(source, fn)
        self.element_spec = _tree_map(_spec_of, self._out)

    def iterate(self, values: Values) -> PyIterator[Any]:
        return (self.call(e) for e in self._input.iterate(values))


class _Filter(_Traced):
    def iterate(self, values: Values) -> PyIterator[Any]:
        return (e for e in self._input.iterate(values) if bool(self.call(e)))

