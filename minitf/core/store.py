"""`get_variable` and `Variable`: TF1's create-or-reuse decision, in one place.

The path is short: resolve the full name from the variable scope, fill in the
scope's defaults, run the custom-getter chain, and at its end decide from
`reuse` whether to return the existing variable (checking shape and dtype) or
create one. Every error on that path is raised here, with TF's type and text,
plus (beyond TF) where the variable was first created and the near names that
do exist. A failed call leaves the store as it was.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import jax.numpy as jnp

from minitf.core import naming as _naming
from minitf.core import shapes as _shapes
from minitf.core import dtypes as _dtypes
from minitf.core.frame import Graph, GraphKeys, get_default_graph
from minitf.core.arraylike import LazyTensor, unwrap
from minitf.core.sources import InitSpec
from minitf.core.variables import Variable
from minitf.core.initializers import GlorotUniform, Initializer, Zeros


def _ref_dtype_name(dtype: Any) -> str:
    """TF1 graph-mode variables report their dtype as a reference type."""
    return _dtypes.name_of(dtype) + "_ref"


def scope_get_variable(scope: Any, graph: Graph, name: str, shape: Any = None, dtype: Any = None,
                       initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                       trainable: bool | None = None, collections: Any = None,
                       caching_device: Any = None, partitioner: Any = None,
                       validate_shape: bool = True, use_resource: Any = None,
                       custom_getter: Any = None, constraint: Any = None,
                       synchronization: Any = None, aggregation: Any = None,
                       sharding: Any = None) -> Any:
    """VariableScope.get_variable: apply the scope's defaults, then the store."""
    if sharding is None:
        sharding = scope.sharding
    if regularizer is None:
        regularizer = scope.regularizer
    if partitioner is None:
        partitioner = scope.partitioner
    if custom_getter is None:
        custom_getter = scope.custom_getter
    if reuse is None:
        reuse = scope.reuse
    full_name = f"{scope.name}/{name}" if scope.name else name
    if dtype is not None and initializer is not None and not callable(initializer):
        init_dtype = _dtypes.infer_dtype(unwrap(initializer))
        if init_dtype != _dtypes.as_dtype(dtype):
            raise ValueError("Initializer type '<dtype: %r>' and explicit dtype '<dtype: %r>' "
                             "don't match." % (_dtypes.name_of(init_dtype), _dtypes.name_of(dtype)))
    if initializer is None:
        initializer = scope.initializer
    if constraint is None:
        constraint = scope.constraint
    if dtype is None:
        dtype = scope.dtype
    # Variable names depend on the variable scope only: creation runs at the root name scope.
    outer_stack = graph.set_name_stack("")
    try:
        var = store_get_variable(graph, full_name, shape=shape, dtype=dtype,
                                  initializer=initializer, regularizer=regularizer,
                                  reuse=reuse, trainable=trainable, collections=collections,
                                  partitioner=partitioner, custom_getter=custom_getter,
                                  constraint=constraint, caching_device=caching_device,
                                  validate_shape=validate_shape, use_resource=use_resource,
                                  sharding=sharding)
    finally:
        graph.set_name_stack(outer_stack)
    graph.log_access(var)
    return var


def store_get_variable(graph: Graph, name: str, *, custom_getter: Any = None, **kwargs: Any) -> Any:
    """_VariableStore.get_variable: the custom-getter chain around the true getter."""
    if custom_getter is not None and not callable(custom_getter):
        raise ValueError("Passed a custom_getter which is not callable: %s" % custom_getter)
    if custom_getter is None:
        return _true_getter(graph, name, **kwargs)
    true_getter = functools.partial(_true_getter, graph)
    if kwargs.get("trainable") is None:
        kwargs["trainable"] = True  # TF resolves the default before calling getters
    getter_kwargs = dict(kwargs)
    getter_kwargs.pop("constraint", None)
    if getter_kwargs.get("sharding") is None:
        getter_kwargs.pop("sharding", None)  # keep TF1 custom getters' signature
    params = inspect.signature(custom_getter).parameters
    if "constraint" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
        getter_kwargs["constraint"] = kwargs.get("constraint")
    return custom_getter(getter=true_getter, name=name, **getter_kwargs)


def _true_getter(graph: Graph, name: str, shape: Any = None, dtype: Any = _dtypes.float32,
                 initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                 trainable: bool | None = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None,
                 validate_shape: bool = True, use_resource: Any = None,
                 constraint: Any = None, synchronization: Any = None,
                 aggregation: Any = None, sharding: Any = None) -> Variable:
    if partitioner is not None:
        from minitf.core.partition import get_partitioned_variable

        return get_partitioned_variable(graph, name, shape=shape, dtype=dtype,
                                        initializer=initializer, regularizer=regularizer,
                                        reuse=reuse, trainable=trainable,
                                        collections=collections, partitioner=partitioner,
                                        sharding=sharding)
    if f"{name}/part_0" in graph.store:
        raise ValueError(
            "No partitioner was provided, but a partitioned version of the variable was "
            "found: %s/part_0. Perhaps a variable of the same name was already created "
            "with partitioning?" % name)
    return _get_single_variable(graph, name, shape, dtype, initializer, regularizer, reuse,
                                trainable, collections, sharding)


def _get_single_variable(graph: Graph, name: str, shape: Any, dtype: Any, initializer: Any,
                         regularizer: Any, reuse: Any, trainable: bool | None,
                         collections: Any, sharding: Any = None) -> Variable:
    from_value = initializer is not None and not callable(initializer)
    if shape is not None and from_value:
        raise ValueError("If initializer is a constant, do not specify shape.")
    dtype = _dtypes.as_dtype(dtype)
    shape = _shapes.as_shape(shape)

    found = graph.store.get(name)
    if found is not None:
        if reuse is False:
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
                             "dtype %s." % (name, dtype.name, _ref_dtype_name(found.dtype)))
        if sharding is not None and found.sharding is not None and sharding != found.sharding:
            raise ValueError("Trying to share variable %s, but specified sharding %s and found "
                             "sharding %s." % (name, sharding, found.sharding))
        return found

    if reuse is True:
        raise ValueError(
            "Variable %s does not exist, or was not created with tf.get_variable(). Did you "
            "mean to set reuse=tf.AUTO_REUSE in VarScope?%s"
            % (name, _naming.did_you_mean(name, graph.store)))

    if initializer is None:
        if shape is None:
            raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                             "argument must be specified.")
        initializer, from_value = _default_initializer(name, dtype), False
    if from_value:
        make = _spec_from_value(name, initializer)
    else:
        if inspect.isclass(initializer):
            initializer = initializer()
        if _shapes.is_fully_defined(shape):
            make = _spec_from_initializer(name, shape, dtype, initializer)
        elif _needs_no_arguments(initializer):
            make = _spec_from_value(name, initializer())
        else:
            raise ValueError("The initializer passed is not valid. It should be a callable "
                             "with no arguments and the shape should not be provided or an "
                             "instance of `tf.keras.initializers.*' and `shape` should be "
                             "fully defined.")
    if trainable is None:
        trainable = True
    # Like TF, the op name is validated and made unique (a tf.Variable may hold `name`).
    _naming.validate_scope_name(name, at_root=True)
    var = create_variable(graph, graph.unique_name(name), make, trainable=trainable,
                          collections=collections, store_key=name)
    var.sharding = sharding
    if regularizer:
        def regularization_loss() -> Any:
            with graph.name_scope(name + "/Regularizer/"):
                return regularizer(var)

        if regularization_loss() is not None:  # TF checks once, then keeps it lazy
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES,
                                    LazyTensor(regularization_loss, name + "/Regularizer"))
    return var


def _default_initializer(name: str, dtype: Any) -> Initializer:
    if _dtypes.is_floating(dtype):
        return GlorotUniform()
    if _dtypes.is_integer_or_bool(dtype):
        return Zeros()
    raise ValueError("An initializer for variable %s of %s is required"
                     % (name, _dtypes.name_of(dtype)))


def _spec_from_initializer(name: str, shape: tuple[int, ...], dtype: Any,
                           initializer: Callable) -> InitSpec:
    if isinstance(initializer, Initializer) and type(initializer).__call__ is Initializer.__call__:
        return InitSpec(name, shape, dtype, sampler=initializer)
    try:
        takes_partition = "partition_info" in inspect.signature(initializer).parameters
    except (TypeError, ValueError):
        takes_partition = False
    call = (functools.partial(initializer, list(shape), dtype=dtype, partition_info=None)
            if takes_partition else functools.partial(initializer, list(shape), dtype=dtype))
    return InitSpec(name, shape, dtype, thunk=lambda: jnp.asarray(call(), dtype))


def _needs_no_arguments(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params)


def _spec_from_value(name: str, value: Any) -> InitSpec:
    """A variable initialized from a value keeps the value's TF dtype and shape."""
    value = unwrap(value)
    dtype = _dtypes.infer_dtype(value)
    array = jnp.asarray(value, dtype=dtype)
    return InitSpec(name, tuple(array.shape), dtype, thunk=lambda: array)


def create_variable(graph: Graph, op_name: str, make: InitSpec, trainable: bool,
                    collections: Any, store_key: str | None = None) -> Variable:
    """Register a new variable under an already-unique op name.

    Its value comes from the graph's source (eager, init or apply); it joins its
    collections; `store_key` also registers it in get_variable's store.
    """
    if op_name != make.name:
        make = make._replace(name=op_name)
    graph.check_creation_allowed(op_name)
    value = graph.source.value_for(graph, make)
    var = Variable(graph, op_name, make.shape, make.dtype, trainable, value)
    collections = [GraphKeys.GLOBAL_VARIABLES] if collections is None else list(collections)
    if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
        collections.append(GraphKeys.TRAINABLE_VARIABLES)
    graph.add_to_collections(collections, var)
    graph.variables_by_name[op_name] = var
    if store_key is not None:
        graph.store[store_key] = var
    return var


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Any = None, trainable: bool | None = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None, validate_shape: bool = True,
                 use_resource: Any = None, custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = None, aggregation: Any = None,
                 sharding: Any = None) -> Variable:
    """TF1's `tf.get_variable`: create or reuse `name` in the current variable scope.

    `sharding` (a minitf extension) annotates how the variable is laid out over a
    device mesh: a `jax.sharding.PartitionSpec` or a tuple of mesh axis names per
    dimension; a scope's `sharding=` is the default. See `minitf.sharding`.
    """
    graph = get_default_graph()
    return scope_get_variable(graph.current_scope, graph, name, shape=shape, dtype=dtype,
                              initializer=initializer, regularizer=regularizer,
                              trainable=trainable, collections=collections,
                              partitioner=partitioner, custom_getter=custom_getter,
                              constraint=constraint, sharding=sharding)


def new_variable(initial_value: Any = None, trainable: bool | None = None, collections: Any = None,
                 validate_shape: bool = True, caching_device: Any = None, name: str | None = None,
                 variable_def: Any = None, dtype: Any = None, expected_shape: Any = None,
                 import_scope: Any = None, constraint: Any = None, use_resource: Any = None,
                 synchronization: Any = None, aggregation: Any = None, shape: Any = None) -> Variable:
    """TF1's `tf.Variable(...)`: always a new variable, named by the current name scope."""
    if initial_value is None:
        raise ValueError("initial_value must be specified.")
    graph = get_default_graph()
    with graph.name_scope(name if name is not None else "Variable") as scope_name:
        op_name = scope_name[:-1]
        thunk_value = initial_value
        if callable(thunk_value) and not isinstance(thunk_value, Variable):
            thunk_value = thunk_value()
        value_dtype, value = _convert_initial_value(thunk_value, dtype)
    make = InitSpec(op_name, tuple(value.shape), value_dtype, thunk=lambda: value)
    trainable = True if trainable is None else trainable
    var = create_variable(graph, op_name, make, trainable, collections)
    graph.log_access(var)
    return var


def _convert_initial_value(value: Any, dtype: Any) -> tuple[Any, Any]:
    """(TF dtype, array) as tf.convert_to_tensor would: Python floats are float32, ints int32."""
    value = unwrap(value)
    target = _dtypes.infer_dtype(value, dtype)
    return target, jnp.asarray(value, dtype=target)
