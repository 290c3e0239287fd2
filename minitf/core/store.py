"""The variable store: `get_variable`'s create-or-reuse decision, with every error it raises.

A `VariableRequest` is what one `get_variable` call asks for, with the scope's
defaults already filled in (built by `scopes.get_variable`). `get_or_create`
answers it exactly as TF1's `_VariableStore` does: return the existing variable
(checking shape and dtype) or create one, per `reuse`; partitioned variables
are made of `name/part_i` variables decided the same way. The decision holds
the graph's lock, so threads sharing a graph get one variable per name. A
failed request leaves the store as it was (a name may be used up, as in TF).

Errors start with TF's exact text; beyond TF they say where the variable was
first created and which near names do exist.
"""
from __future__ import annotations

import enum
import functools
import inspect
import os
from collections.abc import Callable
from typing import Any, NamedTuple

import jax.numpy as jnp
import numpy as np

from minitf.core import dtypes as _dtypes
from minitf.core import naming as _naming
from minitf.core import shapes as _shapes
from minitf.core.arraylike import LazyTensor, unwrap
from minitf.core.frame import Graph, GraphKeys
from minitf.core.initializers import GlorotUniform, Initializer, Zeros
from minitf.core.partition import PartitionedVariable, PartitionInfo, call_partitioner, iter_slices
from minitf.core.sources import InitSpec
from minitf.core.variables import Variable, check_collections, create_variable, spec_from_value

__all__ = ["AUTO_REUSE", "VariableRequest", "get_or_create"]


class _ReuseMode(enum.Enum):
    """TF's reuse modes beyond True/None: `tf.AUTO_REUSE` creates if missing, else reuses."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableRequest(NamedTuple):
    """One get_variable call: the explicit arguments over the scope's defaults.

    Immutable (a NamedTuple: one is built per get_variable call, on the hot path).
    """

    name: str
    shape: Any = None
    dtype: Any = _dtypes.float32
    initializer: Any = None
    regularizer: Any = None
    reuse: Any = None
    trainable: bool | None = None
    collections: Any = None
    partitioner: Any = None
    validate_shape: bool = True
    constraint: Any = None
    sharding: Any = None

    def getter_kwargs(self, getter: Callable[..., Any]) -> dict[str, Any]:
        """TF's keyword interface for a custom getter (`constraint` only if it takes it)."""
        kwargs: dict[str, Any] = {
            "name": self.name, "shape": self.shape, "dtype": self.dtype,
            "initializer": self.initializer, "regularizer": self.regularizer,
            "reuse": self.reuse, "trainable": True if self.trainable is None else self.trainable,
            "collections": self.collections, "caching_device": None,
            "partitioner": self.partitioner, "validate_shape": self.validate_shape,
            "use_resource": None, "synchronization": None, "aggregation": None,
        }
        if _accepts(getter, "constraint"):
            kwargs["constraint"] = self.constraint
        if self.sharding is not None:
            kwargs["sharding"] = self.sharding
        return kwargs


def _accepts(fn: Callable[..., Any], arg: str, via_kwargs: bool = True) -> bool:
    """Whether `fn` takes keyword `arg` (by name, or through **kwargs if `via_kwargs`)."""
    try:
        names, var_keyword = _keywords(fn)
    except TypeError:  # an unhashable callable: inspect it each time
        names, var_keyword = _keywords.__wrapped__(fn)
    return arg in names or (via_kwargs and var_keyword)


@functools.lru_cache(maxsize=1024)
def _keywords(fn: Callable[..., Any]) -> tuple[frozenset[str], bool]:
    """`fn`'s parameter names and whether it takes **kwargs (inspect is slow: cached,
    since getters and initializers are asked on every get_variable)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return frozenset(), False
    return frozenset(params), any(p.kind is p.VAR_KEYWORD for p in params.values())


def get_or_create(graph: Graph, request: VariableRequest) -> Any:
    """TF1's store: the existing variable for `request.name`, or a new one, per `reuse`."""
    with graph.lock:
        if request.partitioner is not None:
            return _get_partitioned(graph, request)
        if request.reuse is True and request.name in graph.partitioned:
            return _get_partitioned(graph, request)  # TF: reuse without the partitioner
        if f"{request.name}/part_0" in graph.store:
            raise ValueError(
                "No partitioner was provided, but a partitioned version of the variable was "
                "found: %s/part_0. Perhaps a variable of the same name was already created "
                "with partitioning?" % request.name)
        return _get_single(graph, request)


def _get_single(graph: Graph, request: VariableRequest,
                partition_info: PartitionInfo | None = None) -> Variable:
    """The decision for one (unpartitioned) variable: reuse checks, else creation."""
    name, initializer = request.name, request.initializer
    from_value = initializer is not None and not callable(initializer)
    if request.shape is not None and from_value:
        raise ValueError("If initializer is a constant, do not specify shape.")
    dtype = _dtypes.as_dtype(request.dtype)
    shape = _shapes.as_shape(request.shape)

    found = graph.store.get(name)
    if found is not None:
        if request.reuse is False:
            raise ValueError(
                "Variable %s already exists, disallowed. Did you mean to set reuse=True "
                "or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n  %s\n"
                % (name, found.created_at))
        if not _shapes.is_compatible(shape, tuple(found.shape)):
            raise ValueError("Trying to share variable %s, but specified shape %s and found "
                             "shape %s." % (name, _shapes.format_shape(shape),
                                            _shapes.format_shape(found.shape)))
        if dtype != found.dtype:
            raise ValueError("Trying to share variable %s, but specified dtype %s and found "
                             "dtype %s." % (name, dtype.name,
                                            _dtypes.name_of(found.dtype) + "_ref"))
        if (request.sharding is not None and found.sharding is not None
                and request.sharding != found.sharding):
            raise ValueError("Trying to share variable %s, but specified sharding %s and found "
                             "sharding %s." % (name, request.sharding, found.sharding))
        return found
    if request.reuse is True:
        raise ValueError(
            "Variable %s does not exist, or was not created with tf.get_variable(). Did you "
            "mean to set reuse=tf.AUTO_REUSE in VarScope?%s"
            % (name, _naming.did_you_mean(name, graph.store)))

    check_collections(request.collections)
    spec = _initial_value_spec(name, shape, dtype, initializer, partition_info,
                               graph.source.creates)
    op_name = _op_name_for(graph, name)
    trainable = True if request.trainable is None else bool(request.trainable)
    var = create_variable(graph, op_name, spec, trainable, request.collections,
                          request.constraint, request.sharding)
    graph.store[name] = var
    if request.regularizer:
        _add_regularization_loss(graph, name, var, request.regularizer)
    return var


def _op_name_for(graph: Graph, name: str) -> str:
    """The new variable's op name: TF's scope-name rule applied at the root name scope
    (variable names follow variable scopes only), so `get_variable('')` in scope `s`
    is `s`, as in TF."""
    outer = graph.set_name_stack("")
    try:
        return graph.claim_scope_name(name or "VariableV2")
    finally:
        graph.set_name_stack(outer)


def _initial_value_spec(name: str, shape: Any, dtype: np.dtype, initializer: Any,
                        partition_info: PartitionInfo | None, creates: bool = True) -> InitSpec:
    """How the new variable's value is made: a batched sampler, a thunk, or a value.

    Size and 64-bit checks run where values are made (init, eager), not in apply.
    """
    if initializer is None:
        if shape is None:
            raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                             "argument must be specified.")
        initializer = _default_initializer(name, dtype)
    if initializer is not None and not callable(initializer):
        return spec_from_value(name, initializer)
    if inspect.isclass(initializer):
        initializer = initializer()
    if not _shapes.is_fully_defined(shape):
        if _needs_no_arguments(initializer):
            return spec_from_value(name, initializer())
        raise ValueError("The initializer passed is not valid. It should be a callable "
                         "with no arguments and the shape should not be provided or an "
                         "instance of `tf.keras.initializers.*' and `shape` should be "
                         "fully defined.")
    if creates:
        _check_size(name, shape, dtype)
        _dtypes.warn_if_64bit_unavailable(dtype)
    if isinstance(initializer, Initializer):
        initializer.validate(shape, dtype)
        if type(initializer).__call__ is Initializer.__call__:
            return InitSpec(name, shape, dtype, sampler=initializer)
    call = functools.partial(initializer, list(shape), dtype=dtype)
    if _accepts(initializer, "partition_info", via_kwargs=False):
        call = functools.partial(call, partition_info=partition_info)
    stored = _dtypes.storage_dtype(dtype)
    return InitSpec(name, shape, dtype, thunk=lambda: jnp.asarray(unwrap(call()), stored))


def _get_partitioned(graph: Graph, request: VariableRequest) -> PartitionedVariable:
    """TF's _get_partitioned_variable: parts `name/part_i`, each decided by `_get_single`."""
    name = request.name
    if name in graph.store:
        raise ValueError(
            "A partitioner was provided, but an unpartitioned version of the variable was "
            "found: %s.  Perhaps a variable of the same name was already created without "
            "partitioning?" % name)
    dtype = _dtypes.as_dtype(request.dtype)
    shape = _shapes.as_shape(request.shape)
    partitions = None
    if not request.reuse or request.partitioner is not None:
        partitions = call_partitioner(request.partitioner, shape, dtype)
    existing = graph.partitioned.get(name)
    if existing is not None:
        if request.reuse is False:
            raise ValueError("Partitioned variable with name %s already exists. Did you mean "
                             "to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?" % name)
        if not _shapes.is_compatible(shape, tuple(existing.shape)):
            raise ValueError("Trying to reuse partitioned variable %s, but specified shape %s "
                             "and found shape %s." % (name, _shapes.format_shape(shape),
                                                      _shapes.format_shape(existing.shape)))
        if dtype != existing.dtype:
            raise ValueError("Trying to reuse partitioned variable %s, but specified dtype %s "
                             "and found dtype %s." % (name, dtype.name, existing.dtype.name))
        if partitions is not None and existing.partitions != partitions:
            raise ValueError("Trying to reuse partitioned variable %s, but specified partitions "
                             "%s and found partitions %s." % (name, partitions,
                                                             existing.partitions))
        return existing
    if request.reuse is True:
        raise ValueError("PartitionedVariable %s does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=False or "
                         "reuse=tf.AUTO_REUSE in VarScope?" % name)
    assert partitions is not None and shape is not None
    dims = _shapes.known_dims(shape)  # call_partitioner checked it is fully defined
    axis = max(range(len(partitions)), key=lambda i: partitions[i])
    count = partitions[axis]
    if f"{name}/part_0" in graph.store:
        if f"{name}/part_{count - 1}" not in graph.store:
            raise ValueError(
                "Partitioner returned a different partitioning than what was already found.  "
                "Partitioner returned %d shards, and shard %s/part_0 was found, but %s/part_%d "
                "was not." % (count, name, name, count - 1))
        if f"{name}/part_{count}" in graph.store:
            raise ValueError(
                "Partitioner returned a different partitioning than what was already found.  "
                "Partitioner returned %d shards, and shard %s/part_0 was found, but so was the "
                "extra shard %s/part_%d." % (count, name, name, count))
    parts = []
    for i, (offset, part_shape) in enumerate(iter_slices(list(dims), count, axis)):
        initializer = request.initializer
        if initializer is not None and not callable(initializer):
            value = np.asarray(unwrap(initializer))
            initializer = value[tuple(slice(o, o + s)
                                      for o, s in zip(offset, part_shape, strict=True))]
        part = request._replace(
            name=f"{name}/part_{i}", initializer=initializer, partitioner=None,
            shape=None if initializer is not None and not callable(initializer) else part_shape)
        parts.append(_get_single(graph, part, PartitionInfo(list(dims), offset)))
    partitioned = PartitionedVariable(name, dims, dtype, parts, axis, partitions)
    graph.partitioned[name] = partitioned
    return partitioned


def _add_regularization_loss(graph: Graph, name: str, var: Variable, regularizer: Any) -> None:
    """TF runs the regularizer once now, and keeps its loss lazily in the collection."""

    def regularization_loss() -> Any:
        with graph.name_scope(name + "/Regularizer/"):
            return regularizer(var)

    loss = regularization_loss()
    if loss is None:
        return
    if graph.is_graph_mode:  # a graph keeps the loss tensor itself, as TF does
        graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return
    graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES,
                            LazyTensor(regularization_loss, name + "/Regularizer"))


_GLOROT_UNIFORM, _ZEROS = GlorotUniform(), Zeros()  # immutable configurations: shared


def _default_initializer(name: str, dtype: Any) -> Initializer:
    """TF's defaults: glorot_uniform for floats, zeros for integers and bools."""
    if _dtypes.is_floating(dtype):
        return _GLOROT_UNIFORM
    if _dtypes.is_integer_or_bool(dtype):
        return _ZEROS
    raise ValueError("An initializer for variable %s of %s is required"
                     % (name, _dtypes.name_of(dtype)))


def _needs_no_arguments(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params)


@functools.lru_cache(maxsize=1)
def _memory_limit() -> int:
    """Bytes of physical memory (a variable larger than this can never be made here)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 2**50


def _check_size(name: str, shape: tuple[int, ...], dtype: np.dtype) -> None:
    _shapes.check_dims(name, shape, np.dtype(dtype).itemsize, _memory_limit())
