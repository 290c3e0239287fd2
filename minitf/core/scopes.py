"""Name scopes and variable scopes, with TF1's exact entry/exit rules.

`name_scope` prefixes op and `Variable` names; `variable_scope` prefixes
`get_variable` names, carries reuse/initializer/regularizer/dtype/custom_getter
down to child scopes, and (unless auxiliary_name_scope=False) also opens a name
scope. The subtle parts are TF's: re-entering a scope by string reuses its
variable prefix but opens a fresh unique name scope (`foo_1/`); re-entering a
captured scope object keeps its reuse flag rather than the parent's; reuse=True
is sticky in children; `default_name` is made unique among variable scopes.

`get_variable` lives here too, as in TF (it is the current scope's method): it
builds one `VariableRequest` from the call's explicit arguments over the
scope's defaults, runs the custom-getter chain, and hands the request to the
store. From the user's `name=`/`reuse=` to the params key: `get_variable` ->
`VariableScope.get_variable` -> (custom getters) -> `store.get_or_create` ->
`variables.create_variable`.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from minitf.core import dtypes as _dtypes
from minitf.core.arraylike import unwrap
from minitf.core.frame import Graph, _NameScope, get_default_graph
from minitf.core.store import AUTO_REUSE, VariableRequest, get_or_create

__all__ = ["AUTO_REUSE", "VariableScope", "get_variable", "get_variable_scope", "name_scope",
           "variable_scope"]

# The VariableScope settings a get_variable call inherits when it doesn't say.
_INHERITED = ("initializer", "regularizer", "partitioner", "constraint", "dtype", "sharding",
              "reuse")


class VariableScope:
    """A variable scope's settings: name, reuse flag and inherited defaults."""

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None,
                 regularizer: Any = None, caching_device: Any = None,
                 partitioner: Any = None, custom_getter: Any = None,
                 name_scope: str = "", dtype: Any = _dtypes.float32,
                 use_resource: Any = None, constraint: Any = None,
                 sharding: Any = None) -> None:
        self._name = name
        self._sharding = sharding
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint

    @property
    def name(self) -> str:
        return self._name

    @property
    def original_name_scope(self) -> str:
        return self._name_scope

    # The inherited settings: user values (initializers, regularizers, ...) of any type.
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    custom_getter = property(lambda self: self._custom_getter)
    partitioner = property(lambda self: self._partitioner)
    caching_device = property(lambda self: self._caching_device)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)
    sharding = property(lambda self: self._sharding)

    def reuse_variables(self) -> None:
        """From now on, get_variable in this scope (and new children) reuses."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self._initializer = initializer

    def set_regularizer(self, regularizer: Any) -> None:
        self._regularizer = regularizer

    def set_dtype(self, dtype: Any) -> None:
        self._dtype = dtype

    def set_custom_getter(self, custom_getter: Any) -> None:
        self._custom_getter = custom_getter

    def set_partitioner(self, partitioner: Any) -> None:
        self._partitioner = partitioner

    def set_sharding(self, sharding: Any) -> None:
        """minitf extension: default sharding (PartitionSpec / axis names) for new variables."""
        self._sharding = sharding

    def set_caching_device(self, caching_device: Any) -> None:
        self._caching_device = caching_device

    def set_use_resource(self, use_resource: Any) -> None:
        self._use_resource = use_resource

    def set_constraint(self, constraint: Any) -> None:
        self._constraint = constraint

    def get_collection(self, name: str) -> list[Any]:
        scope = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, scope)

    def global_variables(self) -> list[Any]:
        return self.get_collection("variables")

    def trainable_variables(self) -> list[Any]:
        return self.get_collection("trainable_variables")

    def local_variables(self) -> list[Any]:
        return self.get_collection("local_variables")

    def get_variable(self, var_store: Any, name: str, shape: Any = None, dtype: Any = None,
                     initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                     trainable: bool | None = None, collections: Any = None,
                     caching_device: Any = None, partitioner: Any = None,
                     validate_shape: bool = True, use_resource: Any = None,
                     custom_getter: Any = None, constraint: Any = None,
                     synchronization: Any = None, aggregation: Any = None,
                     sharding: Any = None) -> Any:
        """TF's VariableScope.get_variable: the request, the getter chain, the store.

        `var_store` is the graph (TF passes its store object; both mean "this graph").
        Arguments in `IGNORED_ON_JAX` are accepted and have no effect.
        """
        graph = var_store if isinstance(var_store, Graph) else get_default_graph()
        if dtype is not None and initializer is not None and not callable(initializer):
            init_dtype = _dtypes.infer_dtype(unwrap(initializer))
            if init_dtype != _dtypes.as_dtype(dtype):
                raise ValueError(
                    "Initializer type '<dtype: %r>' and explicit dtype '<dtype: %r>' don't "
                    "match." % (_dtypes.name_of(init_dtype), _dtypes.name_of(dtype)))
        explicit = (initializer, regularizer, partitioner, constraint, dtype, sharding, reuse)
        defaults = (self._initializer, self._regularizer, self._partitioner, self._constraint,
                    self._dtype, self._sharding, self._reuse)
        inherited = dict(zip(_INHERITED, [e if e is not None else d
                                          for e, d in zip(explicit, defaults, strict=True)],
                             strict=True))
        request = VariableRequest(f"{self._name}/{name}" if self._name else name,
                                  shape=shape, trainable=trainable, collections=collections,
                                  validate_shape=validate_shape, **inherited)
        getter = custom_getter if custom_getter is not None else self._custom_getter
        if getter is None:
            var = get_or_create(graph, request)
        elif not callable(getter):
            raise ValueError("Passed a custom_getter which is not callable: %s" % getter)
        else:
            true_getter = functools.partial(_true_getter, graph)
            var = getter(getter=true_getter, **request.getter_kwargs(getter))
        graph.log_access(var)
        return var

    def _copy_with(self, reuse: Any, name: str, name_scope: str) -> VariableScope:
        return VariableScope(reuse, name=name, initializer=self._initializer,
                             regularizer=self._regularizer,
                             caching_device=self._caching_device,
                             partitioner=self._partitioner, dtype=self._dtype,
                             custom_getter=self._custom_getter, name_scope=name_scope,
                             use_resource=self._use_resource, constraint=self._constraint,
                             sharding=self._sharding)

    def __repr__(self) -> str:
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


def _true_getter(graph: Graph, name: str, shape: Any = None, dtype: Any = _dtypes.float32,
                 initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                 trainable: bool | None = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None,
                 validate_shape: bool = True, use_resource: Any = None,
                 constraint: Any = None, synchronization: Any = None,
                 aggregation: Any = None, sharding: Any = None, **_: Any) -> Any:
    """The getter at the end of a custom-getter chain (TF's keyword interface)."""
    return get_or_create(graph, VariableRequest(
        name, shape=shape, dtype=_dtypes.float32 if dtype is None else dtype,
        initializer=initializer, regularizer=regularizer, reuse=reuse, trainable=trainable,
        collections=collections, partitioner=partitioner, validate_shape=validate_shape,
        constraint=constraint, sharding=sharding))


def current_scope(graph: Graph) -> VariableScope:
    """The graph's innermost variable scope on this thread (the root one made on first use)."""
    scope = graph.current_scope
    if scope is None:
        scope = graph.current_scope = VariableScope(False)
    return scope


def get_variable_scope() -> VariableScope:
    """The current variable scope of the default graph, on this thread."""
    return current_scope(get_default_graph())


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Any = None, trainable: bool | None = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None, validate_shape: bool = True,
                 use_resource: Any = None, custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = None, aggregation: Any = None,
                 sharding: Any = None) -> Any:
    """TF1's `tf.get_variable`: create or reuse `name` in the current variable scope.

    `sharding` (a minitf extension) annotates how the variable is laid out over a
    device mesh: a `jax.sharding.PartitionSpec` or a tuple of mesh axis names per
    dimension; a scope's `sharding=` is the default. See `minitf.sharding`.
    `caching_device`, `use_resource`, `synchronization` and `aggregation` have no
    meaning on JAX: accepted and ignored (`minitf.core.variables.IGNORED_ON_JAX`).
    """
    graph = get_default_graph()
    return current_scope(graph).get_variable(
        graph, name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable, collections=collections, partitioner=partitioner,
        validate_shape=validate_shape, custom_getter=custom_getter, constraint=constraint,
        sharding=sharding)


def wrap_custom_getter(custom_getter: Callable[..., Any],
                       old_getter: Callable[..., Any] | None) -> Callable[..., Any]:
    """Compose getters as TF does: the new getter calls the old, which calls the real one."""
    if old_getter is None:
        return custom_getter

    def wrapped_custom_getter(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return custom_getter(lambda *a, **k: old_getter(getter, *a, **k), *args, **kwargs)

    return wrapped_custom_getter


class _Overrides:
    """The settings a variable_scope call passes down (None = inherit)."""

    __slots__ = ("caching_device", "constraint", "custom_getter", "dtype", "initializer",
                 "partitioner", "regularizer", "sharding", "use_resource")

    def __init__(self, initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None, custom_getter: Any = None,
                 dtype: Any = None, use_resource: Any = None, constraint: Any = None,
                 sharding: Any = None) -> None:
        self.initializer, self.regularizer = initializer, regularizer
        self.caching_device, self.partitioner = caching_device, partitioner
        self.custom_getter, self.dtype = custom_getter, dtype
        self.use_resource, self.constraint, self.sharding = use_resource, constraint, sharding

    def apply(self, scope: VariableScope, base_getter: Callable[..., Any] | None) -> None:
        if self.initializer is not None:
            scope.set_initializer(self.initializer)
        if self.regularizer is not None:
            scope.set_regularizer(self.regularizer)
        if self.caching_device is not None:
            scope.set_caching_device(self.caching_device)
        if self.partitioner is not None:
            scope.set_partitioner(self.partitioner)
        if self.custom_getter is not None:
            scope.set_custom_getter(wrap_custom_getter(self.custom_getter, base_getter))
        if self.dtype is not None:
            scope.set_dtype(self.dtype)
        if self.use_resource is not None:
            scope.set_use_resource(self.use_resource)
        if self.constraint is not None:
            scope.set_constraint(self.constraint)
        if self.sharding is not None:
            scope.set_sharding(self.sharding)


class _pure_variable_scope:
    """Push a VariableScope (no name scope): by string (prolong) or by object (jump)."""

    def __init__(self, name_or_scope: Any, reuse: Any = None, overrides: _Overrides | None = None,
                 old_name_scope: str | None = None) -> None:
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._overrides = overrides or _Overrides()
        self._old_name_scope = old_name_scope
        self._graph = get_default_graph()
        self._last: VariableScope | None = None
        if isinstance(name_or_scope, VariableScope):
            src = name_or_scope
            self._new_name = src.name
            scope = src._copy_with(reuse or src.reuse, src.name, src._name_scope)
            self._overrides.apply(scope, src.custom_getter)
            self._cached = scope

    def __enter__(self) -> VariableScope:
        graph = self._graph
        self._old = current_scope(graph)
        if isinstance(self._name_or_scope, VariableScope):
            graph.open_variable_scope(self._new_name)
            self._old_counts = graph.scope_counts.copy()
            scope = self._cached
        else:
            old = self._old
            self._new_name = (f"{old.name}/{self._name_or_scope}" if old.name
                              else self._name_or_scope)
            self._reuse = self._reuse or old.reuse  # reuse is inherited by sub-scopes
            name_scope = (self._name_or_scope if self._old_name_scope is None
                          else self._old_name_scope)
            scope = old._copy_with(self._reuse, self._new_name, name_scope)
            self._overrides.apply(scope, old.custom_getter)
            graph.open_variable_scope(self._new_name)
        graph.current_scope = scope
        self._last = scope
        return scope

    def __exit__(self, *exc: Any) -> None:
        graph = self._graph
        if graph.current_scope is not self._last:
            raise RuntimeError("Improper nesting of variable_scope.")
        if isinstance(self._name_or_scope, VariableScope):
            graph.scope_counts = self._old_counts
        else:
            graph.close_variable_subscopes(self._new_name)
        graph.current_scope = self._old


def unique_variable_scope(prefix: str) -> str:
    """`prefix`, or `prefix_N`, unused among variable scopes under the current one."""
    graph = get_default_graph()
    current = current_scope(graph).name
    name = f"{current}/{prefix}" if current else prefix
    counts = graph.scope_counts
    if counts.count(name) == 0:
        return prefix
    idx = 1
    while counts.count(f"{name}_{idx}") > 0:
        idx += 1
    return f"{prefix}_{idx}"


class name_scope:
    """TF1's `tf.name_scope(name, default_name=None, values=None)`.

    Yields the scope string ("a/b/"). A name ending in '/' re-enters that exact
    scope; None or "" resets to the root.
    """

    def __init__(self, name: str | None, default_name: str | None = None,
                 values: Any = None) -> None:
        if not (default_name is None or isinstance(default_name, str)):
            raise TypeError(
                "`default_name` type (%s) is not a string type. You likely meant to "
                "pass this into the `values` kwarg." % type(default_name))
        if isinstance(name, bytes):  # TF accepts bytes names
            name = name.decode("utf-8")
        self._name = default_name if name is None else name
        self._default_name = default_name
        self._values = values
        self._cm: _NameScope | None = None

    @property
    def name(self) -> str | None:
        return self._name

    def __enter__(self) -> str:
        if self._name is None and self._values is not None:
            raise ValueError(
                "At least one of name (%s) and default_name (%s) must be provided."
                % (self._name, self._default_name))
        self._cm = cm = get_default_graph().name_scope(self._name)
        return cm.__enter__()

    def __exit__(self, *exc: Any) -> None:
        assert self._cm is not None, "name_scope exited before it was entered"
        self._cm.__exit__(*exc)


class variable_scope:
    """TF1's `tf.variable_scope`: a variable scope plus (usually) a name scope."""

    def __init__(self, name_or_scope: Any, default_name: str | None = None, values: Any = None,
                 initializer: Any = None, regularizer: Any = None, caching_device: Any = None,
                 partitioner: Any = None, custom_getter: Any = None, reuse: Any = None,
                 dtype: Any = None, use_resource: Any = None, constraint: Any = None,
                 auxiliary_name_scope: bool = True, sharding: Any = None) -> None:
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._overrides = _Overrides(initializer=initializer, regularizer=regularizer,
                                     caching_device=caching_device, partitioner=partitioner,
                                     custom_getter=custom_getter, dtype=dtype,
                                     use_resource=use_resource, constraint=constraint,
                                     sharding=sharding)
        if self._default_name is None and self._name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # we don't allow non-inheriting scopes: False = None here
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        self._reuse = reuse
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, "
                            f"while get {auxiliary_name_scope}")
        self._auxiliary_name_scope = auxiliary_name_scope
        self._pure: _pure_variable_scope | None = None
        self._name_scope_cm: name_scope | None = None

    def __enter__(self) -> VariableScope:
        if self._pure is not None:  # re-entering the same object: TF's fast path
            if self._name_scope_cm is not None:
                self._name_scope_cm.__enter__()
            return self._pure.__enter__()
        return self._enter_uncached()

    def _enter_uncached(self) -> VariableScope:
        graph = get_default_graph()
        if self._auxiliary_name_scope:
            ns_cm = None
        else:  # re-enter the current name scope (the root if there is none)
            current = graph.get_name_scope()
            ns_cm = name_scope(current + "/" if current else current)

        if self._name_or_scope is not None:
            if not isinstance(self._name_or_scope, (VariableScope, str)):
                raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
            if isinstance(self._name_or_scope, str):
                ns_name = self._name_or_scope
            else:
                ns_name = self._name_or_scope.name.split("/")[-1]
            if ns_name or ns_cm:
                ns_cm = ns_cm or name_scope(ns_name)
                entered = ns_cm.__enter__()
                self._name_scope_cm = ns_cm
                if isinstance(self._name_or_scope, str):
                    old_name_scope = entered
                else:
                    old_name_scope = self._name_or_scope.original_name_scope
                pure = _pure_variable_scope(self._name_or_scope, reuse=self._reuse,
                                            overrides=self._overrides,
                                            old_name_scope=old_name_scope)
            else:  # entering the root variable scope
                self._name_scope_cm = None
                pure = _pure_variable_scope(self._name_or_scope, reuse=self._reuse,
                                            overrides=self._overrides)
        else:  # default_name, made unique
            if self._reuse:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            assert self._default_name is not None  # __init__ requires one of the two
            ns_cm = ns_cm or name_scope(self._default_name)
            entered = ns_cm.__enter__()
            self._name_scope_cm = ns_cm
            unique = unique_variable_scope(self._default_name)
            pure = _pure_variable_scope(unique, overrides=self._overrides,
                                        old_name_scope=entered)
        try:
            scope = pure.__enter__()
        except BaseException:
            if self._name_scope_cm is not None:
                self._name_scope_cm.__exit__(None, None, None)
            raise
        self._pure = pure
        return scope

    def __exit__(self, *exc: Any) -> None:
        assert self._pure is not None, "variable_scope exited before it was entered"
        try:
            self._pure.__exit__(*exc)
        finally:
            if self._name_scope_cm is not None:
                self._name_scope_cm.__exit__(*exc)
