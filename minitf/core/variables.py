"""`tf.Variable`: TF1's name and metadata around a JAX value, and how one is registered.

A `Variable` is what `get_variable` and `tf.Variable(...)` return, so
`isinstance(v, tf.Variable)` holds for both. It carries the TF1 identity (`name`
"a/b/w:0", shape, dtype, trainable) and reads its value from the frame that owns
it, so `x @ w + b` and `jnp.tanh(w)` just work. It is a pytree whose only leaf is
the current value: under `jit` it is nothing but the parameter array.

Assignments follow TF1's graph semantics: inside a trace (`apply`) they are
collected as updates and reads keep seeing the value the trace began with,
unless the read is inside `tf.control_dependencies([the assignment])`. In the
eager default graph an assignment simply changes the value.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core import dtypes as _dtypes
from minitf.core.arraylike import ArrayLike, register_value_pytree, unwrap
from minitf.core.callsite import user_site
from minitf.core.frame import Graph, GraphKeys, current_trace, get_default_graph
from minitf.core.shapes import TensorShape, as_shape, is_compatible, known_dims
from minitf.core.sources import InitSpec, Placeholder
from minitf.core.tensor import Operation, Tensor, make_operation, session_or_default

__all__ = ["IGNORED_ON_JAX", "Variable", "check_collections", "create_variable", "spec_from_value"]

# TF arguments that have no meaning on JAX: accepted everywhere, and ignored.
# (Placement is JAX's: use jax.sharding / minitf.sharding; every variable is a
# "resource" variable; synchronization and aggregation belong to TF's
# distribution strategies.)
IGNORED_ON_JAX = ("caching_device", "use_resource", "synchronization", "aggregation",
                  "expected_shape")


class _Op:
    """Just enough of TF's `Operation` for `v.op.name`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


@register_value_pytree
class Variable(ArrayLike):
    """TF1's `tf.Variable`: construct one with TF's arguments, or get one from `get_variable`."""

    __slots__ = ("__weakref__", "_dtype", "_graph", "_op_name", "_shape", "_value",
                 "constraint", "created_at", "sharding", "trainable")

    # Filled in by `_register` (shared by __init__ and get_variable's creation path).
    _graph: Graph
    _op_name: str
    _shape: TensorShape
    _dtype: np.dtype
    _value: jax.Array | Placeholder
    trainable: bool
    created_at: str
    sharding: Any  # a jax.sharding.Sharding or PartitionSpec, or None
    constraint: Callable[[jax.Array], jax.Array] | None

    def __init__(self, initial_value: Any = None, trainable: bool | None = None,
                 collections: Any = None, validate_shape: bool = True,
                 caching_device: Any = None, name: str | None = None, variable_def: Any = None,
                 dtype: Any = None, expected_shape: Any = None, import_scope: Any = None,
                 constraint: Any = None, use_resource: Any = None, synchronization: Any = None,
                 aggregation: Any = None, shape: Any = None) -> None:
        """Always a new variable, named by the current name scope (`name`, `name_1`, ...)."""
        if variable_def is not None or import_scope is not None:
            raise NotImplementedError(
                "tf.Variable(variable_def=..., import_scope=...) rebuilds a variable from a "
                "serialized GraphDef; minitf has no GraphDefs. Create the variable instead.")
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        check_collections(collections)
        graph = get_default_graph()
        with graph.name_scope(name if name is not None else "Variable") as scope_name:
            op_name = scope_name[:-1]
            value = initial_value
            if callable(value) and not isinstance(value, Variable):
                value = value()
            spec = spec_from_value(op_name, value, dtype)
        if (shape is not None and validate_shape
                and not is_compatible(as_shape(shape), spec.shape)):
            raise ValueError(f"Shape of initial value {spec.shape} is not "
                             f"compatible with the declared shape {tuple(shape)}.")
        _register(self, graph, op_name, spec, True if trainable is None else bool(trainable),
                  collections, constraint)
        graph.log_access(self)

    # -- identity ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self._op_name + ":0"

    @property
    def op(self) -> _Op:
        return _Op(self._op_name)

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> _dtypes.DType:
        return _dtypes.tf_dtype(self._dtype)

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        return int(np.prod(np.asarray(self._shape, dtype=np.int64)))

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    # -- value --------------------------------------------------------------
    def value(self) -> jax.Array:
        """The value a read sees here: the trace's starting value, or an ordered update."""
        graph = self._graph
        reads = graph.read_log
        if reads is not None:
            reads[self._op_name] = reads.get(self._op_name, 0) + 1
        if graph.visible_updates:  # inside control_dependencies on an assignment
            updated = graph.visible_updates.get(self._op_name)
            if updated is not None:
                return updated
        value = self._value
        if isinstance(value, Tensor) and graph.control_ops:
            # Graph mode inside control_dependencies: a read ordered after them.
            return make_operation(graph, graph.unique_name(self._op_name + "/read"),
                                  "Identity", [value.op.inputs[0]], None,
                                  [value._avals], kind="read").outputs[0]
        if isinstance(value, Placeholder):
            value = self._value = value.materialize()
        return value

    read_value = value

    def initialized_value(self) -> jax.Array:
        return self.value()

    @property
    def initializer(self) -> Operation:
        """Graph mode: the op that assigns the initial value (`v/Assign`)."""
        initializer: Operation = self._graph_variable_op().attrs["initializer"]
        return initializer

    @property
    def initial_value(self) -> Any:
        initial = self._graph_variable_op().attrs["initial_value"]
        return initial if isinstance(initial, Tensor) else initial()

    def _graph_variable_op(self) -> Operation:
        value = self._value
        if not isinstance(value, Tensor):
            raise AttributeError(f"{self.name} is not a graph-mode variable: it has no "
                                 "initializer op (its value is given by init/apply).")
        return value.op.inputs[0].op

    # -- assignment ---------------------------------------------------------
    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> Any:
        """Give the variable a new value; returns it (inside a trace: an update)."""
        graph = self._graph
        if graph.is_graph_mode:
            return _graph_assign(self, "Assign", value, name, lambda old, new: new)
        value = self._as_value(value)
        if tuple(np.shape(value)) != tuple(self._shape):
            raise ValueError(f"Shapes of {self.name} {tuple(self._shape)} and the assigned "
                             f"value {tuple(np.shape(value))} are incompatible.")
        if graph.is_eager:
            self._value = value
            return value
        if graph.trace is not None and current_trace() is not graph.trace:
            raise RuntimeError(
                f"{self.name} is assigned inside a raw JAX transformation (jax.lax.scan, "
                "jax.vmap, ...): the new value would leak out of it. Return the value from "
                "the transformed function and assign it outside, or use minitf.scan.")
        graph.record_update(self._op_name, value)
        return value

    def _current_for_update(self) -> jax.Array:
        """What an assign_add/assign_sub builds on: the latest assignment in this trace."""
        pending = self._graph.updates.get(self._op_name)
        return pending if pending is not None else self.value()

    def assign_add(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        if self._graph.is_graph_mode:
            return _graph_assign(self, "AssignAdd", delta, name, lambda old, d: old + d)
        return self.assign(self._current_for_update() + self._as_value(delta))

    def assign_sub(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        if self._graph.is_graph_mode:
            return _graph_assign(self, "AssignSub", delta, name, lambda old, d: old - d)
        return self.assign(self._current_for_update() - self._as_value(delta))

    def _as_value(self, value: Any) -> jax.Array:
        """`value` as an array of the dtype this variable stores."""
        return jnp.asarray(unwrap(value), dtype=_dtypes.storage_dtype(self._dtype))

    def load(self, value: Any, session: Any = None) -> None:
        """TF1's `v.load(value, sess)`: set the value now (in a graph: in the session)."""
        if isinstance(self._value, Tensor):
            session_or_default(session).load_values({self._op_name: value})
            return
        self.assign(value)

    def eval(self, session: Any = None) -> Any:
        """The value (in a graph: run in `session` or the default session)."""
        if isinstance(self._value, Tensor):
            return session_or_default(session).run(self)
        return self.numpy()

    def __len__(self) -> int:
        return known_dims(self._shape)[0]

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: Any) -> Any:  # TF1 variables compare by identity
        return self is other

    def __ne__(self, other: Any) -> Any:
        return self is not other


def _graph_assign(var: Variable, op_type: str, value: Any, name: str | None,
                  update: Callable[[Any, Any], Any]) -> Tensor:
    """Graph mode: an op that writes `update(old, value)` to `var` when it runs."""
    graph = var._graph
    dtype = _dtypes.storage_dtype(var._dtype)
    ref = var._value.op.inputs[0]  # type: ignore[union-attr]
    tensor = value.value() if isinstance(value, ArrayLike) else value
    if not isinstance(tensor, Tensor):
        tensor = jnp.asarray(tensor, dtype)
        inputs: list[Tensor] = []
        shape: tuple[int | None, ...] = tuple(tensor.shape)
    else:
        inputs, shape = [tensor], tuple(tensor.shape.as_list())
    if len(shape) != len(var._shape) or any(
            d is not None and d != s for d, s in zip(shape, var._shape, strict=True)):
        raise ValueError(f"Shapes of {var.name} {tuple(var._shape)} and the assigned value "
                         f"{shape} are incompatible.")
    constant = None if inputs else tensor

    def compute(old: Any, *values: Any) -> tuple[tuple[Any], tuple[Any]]:
        new = jnp.asarray(update(old, values[0] if values else constant), dtype)
        return (new,), (new,)

    # A name ending in "/" is taken exactly (TF's rule for op and scope names).
    op_name = name[:-1] if name and name.endswith("/") else graph.unique_name(name or op_type)
    return make_operation(graph, op_name, op_type, inputs, compute, [ref._avals],
                          kind="assign", writes=(var._op_name,)).outputs[0]


def spec_from_value(name: str, value: Any, dtype: Any = None) -> InitSpec:
    """A variable made from a value: the dtype TF's convert_to_tensor gives it (or
    `dtype`, which it must fit), its shape, and the value itself."""
    value = unwrap(value)
    if isinstance(value, Tensor):  # graph mode: initialized from a graph tensor
        if not value.shape.is_fully_defined():
            raise ValueError(f"initial_value of {name!r} must have a fully defined shape; "
                             f"got {value.shape}.")
        tensor = value
        return InitSpec(name, known_dims(value.shape), dtype if dtype is not None else
                        value.dtype, thunk=lambda: tensor)
    tf_dtype = _dtypes.infer_dtype(value, dtype)
    _dtypes.warn_if_64bit_unavailable(tf_dtype)
    array = jnp.asarray(value, dtype=_dtypes.storage_dtype(tf_dtype))
    return InitSpec(name, tuple(array.shape), tf_dtype, thunk=lambda: array)


def check_collections(collections: Any) -> None:
    """TF's check: `collections` is a list, tuple or set (a bare string is a mistake)."""
    if collections is not None and not isinstance(collections, (list, tuple, set)):
        raise ValueError(
            "collections argument to Variable constructor must be a list, tuple, or set. "
            f"Got {collections} of type {type(collections)}")


def _register(var: Variable, graph: Graph, op_name: str, spec: InitSpec, trainable: bool,
              collections: Any, constraint: Any, sharding: Any = None) -> None:
    """Fill in `var` and add it to its graph: value from the graph's source, collections."""
    if op_name != spec.name:
        spec = spec._replace(name=op_name)
    graph.check_creation_allowed(op_name)
    value = graph.source.value_for(graph, spec)
    var._graph = graph
    var._op_name = op_name
    var._shape = TensorShape(spec.shape)
    dtype = spec.dtype
    var._dtype = dtype if isinstance(dtype, np.dtype) else jnp.dtype(dtype)
    var.trainable = trainable
    var._value = value
    # Where it was made, for "already exists" errors (init has made it first in apply).
    var.created_at = user_site() if graph.source.creates else "(see init)"
    var.sharding = sharding
    var.constraint = constraint
    if collections is None:
        graph.add_to_collections(_DEFAULT_COLLECTIONS[bool(trainable)], var)
    else:
        names = list(dict.fromkeys(collections))
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in names:
            names.append(GraphKeys.TRAINABLE_VARIABLES)
        graph.add_to_collections(names, var)
    graph.variables_by_name[op_name] = var


_DEFAULT_COLLECTIONS = {  # by trainable: the common case, without building a list per variable
    False: (GraphKeys.GLOBAL_VARIABLES,),
    True: (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES),
}


def create_variable(graph: Graph, op_name: str, spec: InitSpec, trainable: bool,
                    collections: Any = None, constraint: Any = None,
                    sharding: Any = None) -> Variable:
    """Register a new variable under an already-unique op name (the store's creation step)."""
    var = Variable.__new__(Variable)
    _register(var, graph, op_name, spec, trainable, collections, constraint, sharding)
    return var
